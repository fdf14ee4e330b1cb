"""The simulator's manifest: which channels it serves and which meters sit behind them.

JSON, written by `python -m app sim --manifest FILE`:

    {"version": 1, "seed": 7, "speed": 60.0, "channels": [
      {"id": 1, "name": "串口服务器 1", "kind": "serial_server", "protocol": "modbus_acrel",
       "host": "127.0.0.1", "port": 40001,
       "settings": {"host": "127.0.0.1", "port": 40001, "baud": 9600},
       "poll_interval_s": 1800, "timeout_s": 1.0,
       "meters": [{"address": "1", "model": "DDSY1352", "profile": "acrel_ddsy1352_mapb",
                   "kind": "electric", "protocol": "modbus_acrel"}, ...]}, ...]}

`load_manifest(path)` turns it back into ChannelConfig objects for the poller.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from app.comm.types import ChannelConfig, ChannelKind, MeterEndpoint, MeterKind, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from app.comm.simulator.parts import SimChannel, SimConfig

VERSION = 1
_CHANNEL_KEYS = ("poll_interval_s", "timeout_s", "retries", "offline_after_failures")


def build_manifest(
    sim_channels: Iterable[SimChannel], config: SimConfig, started_at: datetime
) -> dict:
    channels = []
    for ch in sim_channels:
        settings = {k: v for k, v in ch.settings.items() if k not in _CHANNEL_KEYS}
        entry = {
            "id": ch.id,
            "name": ch.name,
            "kind": ch.kind.value,
            "protocol": ch.protocol.value,
            "host": settings.get("host", settings.get("listen_host", "")),
            "port": settings.get("port", settings.get("listen_port", 0)),
            "settings": settings,
            "meters": [
                {
                    "address": m.address,
                    "model": m.model,
                    "profile": m.profile,
                    "kind": m.kind.value,
                    "protocol": m.protocol.value,
                    **({"imei": m.extra["imei"]} if "imei" in m.extra else {}),
                }
                for m in ch.meters
            ],
        }
        for key in _CHANNEL_KEYS:
            if key in ch.settings:
                entry[key] = ch.settings[key]
        channels.append(entry)
    return {
        "version": VERSION,
        "seed": config.seed,
        "speed": config.speed,
        "started_at": started_at.isoformat(),
        "channels": channels,
    }


def write_manifest(manifest: dict, path: str | Path) -> None:
    target = Path(path)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)  # readers never see half a file


def channel_configs(manifest: dict) -> list[ChannelConfig]:
    if manifest.get("version") != VERSION:
        raise ValueError(f"manifest version {manifest.get('version')!r} is not {VERSION}")
    configs = []
    for ch in manifest["channels"]:
        meters = tuple(
            MeterEndpoint(
                channel_id=int(ch["id"]),
                address=str(m["address"]),
                kind=MeterKind(m["kind"]),
                protocol=Protocol(m["protocol"]),
                profile=m.get("profile", ""),
            )
            for m in ch["meters"]
        )
        extra = {k: ch[k] for k in _CHANNEL_KEYS if k in ch}
        configs.append(
            ChannelConfig(
                id=int(ch["id"]),
                name=ch["name"],
                kind=ChannelKind(ch["kind"]),
                settings=dict(ch["settings"]),
                meters=meters,
                **extra,
            )
        )
    return configs


def load_manifest(path: str | Path) -> list[ChannelConfig]:
    """ChannelConfig objects for every channel the simulator serves."""
    with open(path, encoding="utf-8") as fh:
        return channel_configs(json.load(fh))
