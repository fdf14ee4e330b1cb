"""A standalone simulator and the collection service, as an engineer rehearses a market:
`sim --manifest F`, `channels import-manifest F`, `service`, three processes on real
sockets; every kind of line ends with readings in the database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.comm.types import ChannelKind
from app.models.meter import Channel, Meter
from app.models.user import AuditEvent
from tests.builders import Market
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("MARKETMETER_USER", "MARKETMETER_DB")}
    return env | {"PYTHONIOENCODING": "utf-8"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def test_service_reads_a_standalone_simulator_through_an_imported_manifest(sqlite_db, tmp_path):
    Market(sqlite_db)  # a market with its site, no channels yet
    url = sqlite_db.url
    manifest = tmp_path / "sim.json"
    listen, push = _free_port(), _free_port()
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "sim",
            "--electric",
            "14",
            "--water",
            "2",
            "--meters-per-bus",
            "4",
            "--acrel-4g",
            "2",
            "--dtus",
            "1",
            "--gateways",
            "1",
            "--dlt645-share",
            "0.5",
            "--speed",
            "60",
            "--poll-interval",
            "3",
            "--report-interval",
            "60",
            "--upload-interval",
            "60",
            "--heartbeat",
            "1",
            "--manifest",
            str(manifest),
            "--listen",
            f"127.0.0.1:{listen}",
            "--push-url",
            f"http://127.0.0.1:{push}/ctwing/push",
        ],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    service = None
    try:
        wait_until(manifest.exists, 60, "the simulator's manifest")
        listed = json.loads(manifest.read_text(encoding="utf-8"))
        kinds = {c["kind"] for c in listed["channels"]}
        assert {"serial_server", "modbus_tcp", "dtu", "acrel_4g", "ctwing"} <= kinds
        meters = sum(len(c["meters"]) for c in listed["channels"])

        imported = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "--db",
                url,
                "channels",
                "import-manifest",
                str(manifest),
                "--create-meters",
            ],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert imported.returncode == 0, imported.stderr
        assert f"{meters} 块表在线路上（新增 {meters} 块）" in imported.stdout
        with sqlite_db.transaction() as s:
            assert {c.kind for c in s.scalars(select(Channel))} >= {ChannelKind(k) for k in kinds}
            assert (
                s.scalar(
                    select(func.count()).select_from(Meter).where(Meter.channel_id.is_not(None))
                )
                == meters
            )
            assert (
                s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "channel.import"))[
                    "created"
                ]
                == meters
            )

        service = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", url, "service", "--settle-every", "3600"],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

        def read_kinds():
            with sqlite_db.transaction() as s:
                rows = (
                    s.execute(
                        select(Channel.kind)
                        .join(Meter, Meter.channel_id == Channel.id)
                        .where(Meter.last_read_at.is_not(None))
                    )
                    .scalars()
                    .all()
                )
            return set(rows) >= {ChannelKind(k) for k in kinds} and set(rows)

        assert wait_until(read_kinds, 120, "a reading from every kind of line")
    finally:
        service_out = _stop(service) if service is not None else ""
        sim_out = _stop(sim)
    assert "抄表服务已启动" in service_out, service_out
    assert "simulator ready" in sim_out, sim_out


def test_a_manifest_that_cannot_be_read_writes_nothing(sqlite_db, tmp_path):
    Market(sqlite_db)
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 99, "channels": []}', encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--db",
            sqlite_db.url,
            "channels",
            "import-manifest",
            str(bad),
        ],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "manifest" in out.stderr
    with sqlite_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Channel)) == 0
