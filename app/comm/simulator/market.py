"""A whole market of simulated meters behind every kind of line, in one asyncio thread.

    sim = MarketSimulator(SimConfig(electric=60, water=20, seed=7))
    sim.start()                      # binds ephemeral ports on 127.0.0.1
    channels = sim.channels()        # list[ChannelConfig] for the poller
    sim.connect_dialers("127.0.0.1", poller.listen_port(channel_id))   # 4G meters, DTUs dial in
    sim.set_push_url(poller.push_url(ctwing_channel_id))               # the CTWing double pushes
    ...
    sim.stop()

Layout (deterministic from the seed): `acrel_4g` electric meters dial in one by one,
`dtus` DTUs with `meters_per_bus` meters each dial in, `gateways` Modbus TCP gateways,
`pty_buses` buses behind a pseudo-terminal, and the rest on serial-server buses of
`meters_per_bus` (a `dlt645_share` of those buses speaks DL/T 645-2007). Water meters
sit behind the CTWing platform double.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from app.comm.profiles import load_profile
from app.comm.simulator import manifest as manifest_mod
from app.comm.simulator.clock import SimClock
from app.comm.simulator.devices import AcrelModbusDevice, MbapLineCodec, RtuLineCodec
from app.comm.simulator.lines import BusSim, TcpBusServer
from app.comm.simulator.misbehave import Mode, parse_spec
from app.comm.simulator.parts import SimChannel, SimConfig, SimMeter
from app.comm.simulator.physics import (
    WATER_TAMPER_CASES,
    ElectricMeter,
    MasterMeter,
    WaterMeter,
    parse_tamper,
    tamper,
)
from app.comm.types import ChannelConfig, ChannelKind, MeterKind, Protocol

log = logging.getLogger(__name__)

MODEL_PROFILES = {"DDSY1352": "acrel_ddsy1352_mapb", "DTSY1352": "acrel_dtsy1352_mapb"}


class MarketSimulator:
    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.clock = SimClock(self.config.speed)
        self.sim_channels: list[SimChannel] = []
        self.meters: dict[tuple[int, str], SimMeter] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._services: list = []  # things with async start()/stop()
        self._rnd = random.Random(self.config.seed)
        self.dialers: list = []
        self.platform = None

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout_s: float = 30.0) -> "MarketSimulator":
        self._thread = threading.Thread(target=self._run, name="meter-sim", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise TimeoutError("simulator did not start")
        if self._startup_error is not None:
            raise self._startup_error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._startup())
        except (OSError, ValueError) as exc:
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    def stop(self, timeout_s: float = 10.0) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return
        if loop.is_running():
            fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            fut.result(timeout_s)
            loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout_s)
        self._thread = None

    def __enter__(self) -> "MarketSimulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def call(self, fn: Callable, *args):
        """Run fn(*args) in the simulator's loop and return its result (thread-safe)."""

        async def run():
            result = fn(*args)
            if asyncio.iscoroutine(result):
                result = await result
            return result

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(30)

    async def _startup(self) -> None:
        self._build()
        for service in self._services:
            await service.start()
        for channel in self.sim_channels:
            if channel.server is not None and hasattr(channel.server, "bound_port"):
                channel.settings["port"] = channel.server.bound_port
            if (
                channel.server is not None
                and hasattr(channel.server, "path")
                and channel.kind is ChannelKind.SERIAL
            ):
                channel.settings["port"] = channel.server.path
        self._apply_misbehaviour()
        self._apply_tamper()
        if self.config.dial_host and self.config.dial_port:
            await self._connect_dialers(self.config.dial_host, self.config.dial_port)
        if self.config.push_url and self.platform is not None:
            self.platform.push_url = self.config.push_url

    async def _shutdown(self) -> None:
        for dialer in self.dialers:
            await dialer.stop()
        for service in reversed(self._services):
            await service.stop()

    # ------------------------------------------------------------------ building the market
    def _new_channel(
        self, kind: ChannelKind, protocol: Protocol, name: str, settings: dict
    ) -> SimChannel:
        channel = SimChannel(len(self.sim_channels) + 1, name, kind, protocol, settings)
        self.sim_channels.append(channel)
        return channel

    def _electric(
        self, channel: SimChannel, address: str, *, protocol: Protocol, key: str
    ) -> SimMeter:
        three = (
            self._rnd.random() < self.config.three_phase_share and protocol is Protocol.MODBUS_ACREL
        )
        model = "DTSY1352" if three else "DDSY1352"
        physics = ElectricMeter.create(address, self.config.seed, self.clock.now(), key=key)
        meter = SimMeter(
            channel.id,
            address,
            MeterKind.ELECTRIC,
            protocol,
            model,
            MODEL_PROFILES[model] if protocol is Protocol.MODBUS_ACREL else "",
            physics,
        )
        channel.meters.append(meter)
        self.meters[(channel.id, address)] = meter
        return meter

    def _modbus_bus(self, channel: SimChannel, count: int, codec, prefix: str) -> BusSim:
        cfg = self.config
        bus = BusSim(
            channel.name,
            codec,
            baud=cfg.baud,
            turnaround_s=cfg.turnaround_s,
            seed=cfg.seed + channel.id,
        )
        for slave in range(1, count + 1):
            meter = self._electric(
                channel,
                str(slave),
                protocol=Protocol.MODBUS_ACREL,
                key=f"{prefix}{channel.id}:{slave}",
            )
            meter.device = AcrelModbusDevice(
                slave, meter.physics, load_profile(meter.profile), self.clock.now
            )
            bus.add(meter.device)
        channel.bus = bus
        return bus

    def _dlt645_bus(self, channel: SimChannel, count: int) -> BusSim:
        from app.comm.simulator.dlt645_device import Dlt645Device, Dlt645LineCodec

        cfg = self.config
        bus = BusSim(
            channel.name,
            Dlt645LineCodec(),
            baud=cfg.baud,
            turnaround_s=cfg.turnaround_s,
            seed=cfg.seed + channel.id,
        )
        for n in range(1, count + 1):
            address = f"{channel.id:06d}{n:06d}"
            meter = self._electric(
                channel, address, protocol=Protocol.DLT645_2007, key=f"645:{address}"
            )
            meter.device = Dlt645Device(address, meter.physics, self.clock.now)
            bus.add(meter.device)
        channel.bus = bus
        return bus

    def _build(self) -> None:
        cfg = self.config
        per_bus = max(1, cfg.meters_per_bus)
        n_4g = cfg.acrel_4g if cfg.acrel_4g is not None else cfg.electric // 10
        n_dtu = cfg.dtus if cfg.dtus is not None else (1 if cfg.electric >= 4 * per_bus else 0)
        n_gw = (
            cfg.gateways if cfg.gateways is not None else (1 if cfg.electric >= 4 * per_bus else 0)
        )
        rest = max(0, cfg.electric - n_4g)
        common = {"poll_interval_s": cfg.poll_interval_s, "timeout_s": cfg.timeout_s}
        # pty buses
        for i in range(cfg.pty_buses):
            if rest <= 0:
                break
            count = min(per_bus, rest)
            rest -= count
            channel = self._new_channel(
                ChannelKind.SERIAL,
                Protocol.MODBUS_ACREL,
                f"串口 {i + 1} (pty)",
                {"port": "", "baud": cfg.baud, "parity": "N", **common},
            )
            from app.comm.simulator.pty_port import PtyBusPort

            bus = self._modbus_bus(channel, count, RtuLineCodec(), "pty")
            channel.server = PtyBusPort(bus)
            self._services.append(channel.server)
        # Modbus TCP gateways
        for i in range(n_gw):
            if rest <= 0:
                break
            count = min(per_bus, rest)
            rest -= count
            channel = self._new_channel(
                ChannelKind.MODBUS_TCP,
                Protocol.MODBUS_ACREL,
                f"Modbus TCP 网关 {i + 1}",
                {"host": cfg.host, "port": 0, "baud": cfg.baud, **common},
            )
            bus = self._modbus_bus(channel, count, MbapLineCodec(), "gw")
            channel.server = TcpBusServer(bus, cfg.host, 0)
            self._services.append(channel.server)
        # DTUs (their buses; dialers are added when we know where to dial)
        for i in range(n_dtu):
            if rest <= 0:
                break
            count = min(per_bus, rest)
            rest -= count
            dtu_id = f"DTU{cfg.seed % 1000:03d}{i + 1:05d}"
            channel = self._new_channel(
                ChannelKind.DTU,
                Protocol.MODBUS_ACREL,
                f"DTU {dtu_id}",
                {
                    "dtu_id": dtu_id,
                    "listen_host": cfg.dial_host or cfg.host,
                    "listen_port": cfg.dial_port or 0,
                    "baud": cfg.baud,
                    **common,
                },
            )
            self._modbus_bus(channel, count, RtuLineCodec(), "dtu")
        # serial servers
        n_buses = (rest + per_bus - 1) // per_bus
        n_645 = int(round(n_buses * cfg.dlt645_share)) if n_buses > 1 else 0
        for i in range(n_buses):
            count = min(per_bus, rest)
            rest -= count
            is_645 = i >= n_buses - n_645
            protocol = Protocol.DLT645_2007 if is_645 else Protocol.MODBUS_ACREL
            channel = self._new_channel(
                ChannelKind.SERIAL_SERVER,
                protocol,
                f"串口服务器 {i + 1}",
                {"host": cfg.host, "port": 0, "baud": cfg.baud, **common},
            )
            bus = (
                self._dlt645_bus(channel, count)
                if is_645
                else self._modbus_bus(channel, count, RtuLineCodec(), "ss")
            )
            channel.server = TcpBusServer(bus, cfg.host, 0)
            self._services.append(channel.server)
        # Acrel 4G meters: one channel, each meter dials in by itself
        if n_4g:
            channel = self._new_channel(
                ChannelKind.ACREL_4G,
                Protocol.MODBUS_ACREL,
                "Acrel 4G 电表",
                {
                    "listen_host": cfg.dial_host or cfg.host,
                    "listen_port": cfg.dial_port or 0,
                    "slave_id": 1,
                    **common,
                },
            )
            for n in range(1, n_4g + 1):
                serial = f"A4G{cfg.seed % 1000:03d}{n:08d}"
                meter = self._electric(
                    channel, serial, protocol=Protocol.MODBUS_ACREL, key=f"4g:{serial}"
                )
                meter.extra["iccid"] = f"8986{n:016d}"
                meter.device = AcrelModbusDevice(
                    1, meter.physics, load_profile(meter.profile), self.clock.now
                )
        # NB water meters behind the CTWing double
        if cfg.water:
            from app.comm.simulator.ctwing_double import CtwingPlatformDouble

            self.platform = CtwingPlatformDouble(self.clock, self.config, self.meters, cfg.host, 0)
            settings = self.platform.channel_settings()
            if cfg.push_url:  # the program's push endpoint, where the double will push
                parts = urlsplit(cfg.push_url)
                settings.update(
                    push_host=parts.hostname,
                    push_port=parts.port or 80,
                    push_path=parts.path or "/",
                )
                token = dict(parse_qsl(parts.query)).get("token")
                if token:
                    settings["push_token"] = token
            channel = self._new_channel(
                ChannelKind.CTWING,
                Protocol.CTWING_WATER,
                "电信 CTWing 水表",
                {**settings, **common},
            )
            for n in range(1, cfg.water + 1):
                device_id = f"{cfg.seed:04x}{n:028x}"[-32:]
                imei = f"86{cfg.seed % 1000:03d}{n:010d}"
                physics = WaterMeter.create(device_id, imei, cfg.seed, self.clock.now())
                meter = SimMeter(
                    channel.id,
                    device_id,
                    MeterKind.WATER,
                    Protocol.CTWING_WATER,
                    "NB-WATER",
                    "",
                    physics,
                )
                meter.extra["imei"] = imei
                channel.meters.append(meter)
                self.meters[(channel.id, device_id)] = meter
            self.platform.channel = channel
            self._services.append(self.platform)
        if cfg.masters:
            self._master_bus(cfg.masters)

    def _master_bus(self, count: int) -> None:
        """The buildings' master meters (总表): three-phase meters behind current
        transformers in the power room, on a serial server of their own. They count
        nothing until `feed_master` tells each which meters it feeds."""
        cfg = self.config
        channel = self._new_channel(
            ChannelKind.SERIAL_SERVER,
            Protocol.MODBUS_ACREL,
            "配电房 总表",
            {
                "host": cfg.host,
                "port": 0,
                "baud": cfg.baud,
                "poll_interval_s": cfg.poll_interval_s,
                "timeout_s": cfg.timeout_s,
            },
        )
        bus = BusSim(
            channel.name,
            RtuLineCodec(),
            baud=cfg.baud,
            turnaround_s=cfg.turnaround_s,
            seed=cfg.seed + channel.id,
        )
        for slave in range(1, count + 1):
            base = ElectricMeter.create(
                str(slave), cfg.seed, self.clock.now(), key=f"master:{slave}"
            )
            physics = MasterMeter(
                address=base.address,
                profile=base.profile,
                updated_at=base.updated_at,
                energy_kwh=base.energy_kwh,
                base_kwh=base.base_kwh,
                voltage_v=base.voltage_v,
                power_factor=base.power_factor,
                meter_type=5,  # DTSY1352
                ct=cfg.master_ct,
                seed=cfg.seed,
            )
            meter = SimMeter(
                channel.id,
                str(slave),
                MeterKind.ELECTRIC,
                Protocol.MODBUS_ACREL,
                "DTSY1352",
                MODEL_PROFILES["DTSY1352"],
                physics,
            )
            meter.device = AcrelModbusDevice(
                slave, physics, load_profile(meter.profile), self.clock.now
            )
            bus.add(meter.device)
            channel.meters.append(meter)
            self.meters[(channel.id, meter.address)] = meter
        channel.bus = bus
        channel.server = TcpBusServer(bus, cfg.host, 0)
        self._services.append(channel.server)

    def _apply_misbehaviour(self) -> None:
        rnd = random.Random(self.config.seed * 7919)
        meters = list(self.meters.values())
        for spec in self.config.misbehave:
            mode, fraction, duration = parse_spec(spec)
            count = max(1, int(len(meters) * fraction)) if fraction > 0 and meters else 0
            for meter in rnd.sample(meters, min(count, len(meters))):
                self._misbehave(meter, mode, duration)

    def _apply_tamper(self) -> None:
        rnd = random.Random(self.config.seed * 104729)
        for spec in self.config.tamper:
            case, fraction = parse_tamper(spec)
            kind = WaterMeter if case in WATER_TAMPER_CASES else ElectricMeter
            meters = [m for m in self.meters.values() if isinstance(m.physics, kind)]
            count = max(1, int(len(meters) * fraction)) if fraction > 0 and meters else 0
            for meter in rnd.sample(meters, min(count, len(meters))):
                tamper(meter.physics, case, self.clock.now())
                meter.extra.setdefault("tamper", []).append(case)
                if hasattr(meter.device, "invalidate"):
                    meter.device.invalidate()

    def _misbehave(self, meter: SimMeter, mode: Mode, duration_s: float | None) -> None:
        if mode is Mode.COUNTER_RESET:
            meter.physics.reset_counters(self.clock.now())
            if hasattr(meter.device, "invalidate"):
                meter.device.invalidate()
            return
        faults = self.faults_of(meter)
        faults.set(mode, duration_s)

    def faults_of(self, meter: SimMeter):
        if meter.device is not None:
            return meter.device.faults
        meter.extra.setdefault("faults", None)
        if meter.extra["faults"] is None:
            from app.comm.simulator.misbehave import Faults

            meter.extra["faults"] = Faults()
        return meter.extra["faults"]

    # ------------------------------------------------------------------ dial-in and push targets
    async def _connect_dialers(self, host: str, port: int) -> None:
        from app.comm.simulator.dialers import Acrel4GMeterSim, DtuSim

        # Connecting again (SimConfig.dial_port already dialled at start) replaces the
        # dialers: two dialers with one identity would take the connection from each
        # other in turn, and no read behind a DTU would ever finish.
        for dialer in self.dialers:
            await dialer.stop()
        self.dialers.clear()
        cfg = self.config
        for channel in self.sim_channels:
            if channel.kind is ChannelKind.DTU:
                channel.settings.update(listen_host=host, listen_port=port)
                dialer = DtuSim(
                    channel.settings["dtu_id"], channel.bus, host, port, heartbeat_s=cfg.heartbeat_s
                )
                channel.server = dialer
                self.dialers.append(dialer)
            elif channel.kind is ChannelKind.ACREL_4G:
                channel.settings.update(listen_host=host, listen_port=port)
                for meter in channel.meters:
                    dialer = Acrel4GMeterSim(
                        meter.address,
                        meter.extra["iccid"],
                        meter.device,
                        host,
                        port,
                        heartbeat_s=cfg.heartbeat_s,
                        upload_interval_s=self.clock.real_s(cfg.upload_interval_s),
                    )
                    meter.extra["dialer"] = dialer
                    self.dialers.append(dialer)
        for dialer in self.dialers:
            await dialer.start()

    def connect_dialers(self, host: str, port: int) -> None:
        """Let the 4G meters and DTUs dial in to the poller's listener at host:port."""
        self.call(self._connect_dialers, host, port)

    def set_push_url(self, url: str) -> None:
        if self.platform is not None:
            self.platform.push_url = url

    def wait_dialled_in(self, timeout_s: float = 10.0) -> bool:
        """True when every dialer has registered with the listener."""

        async def wait():
            await asyncio.gather(*(d.registered.wait() for d in self.dialers))

        try:
            self.call(lambda: asyncio.wait_for(wait(), timeout_s))
        except TimeoutError:
            return False
        return True

    # ------------------------------------------------------------------ inspection and control
    def masters(self) -> list[SimMeter]:
        """The master meters (SimConfig.masters), in their line's order."""
        return [m for m in self.meters.values() if isinstance(m.physics, MasterMeter)]

    def feed_master(
        self,
        master: SimMeter,
        feeders: list[tuple[SimMeter, int]],
        *,
        loss_key: str,
        lossy: bool = False,
    ) -> None:
        """From now on `master` counts what `feeders` (each with the ct ratio its readings
        are multiplied by) count, plus the building's line loss (physics.line_loss of
        `loss_key`); thread-safe."""

        def feed() -> None:
            physics = master.physics
            physics.loss_key, physics.lossy = loss_key, lossy
            physics.feed([(m.physics, ct) for m, ct in feeders], self.clock.now())
            if hasattr(master.device, "invalidate"):
                master.device.invalidate()

        self.call(feed)

    def channels(self) -> list[ChannelConfig]:
        return manifest_mod.channel_configs(self.manifest())

    def manifest(self) -> dict:
        return manifest_mod.build_manifest(self.sim_channels, self.config, self.clock.start)

    def write_manifest(self, path: str) -> None:
        manifest_mod.write_manifest(self.manifest(), path)

    def meter(self, channel_id: int, address: str) -> SimMeter:
        return self.meters[(channel_id, address)]

    def misbehave(
        self,
        channel_id: int,
        address: str,
        mode: str | Mode | None,
        duration_s: float | None = None,
    ) -> None:
        """Make one meter misbehave (None = behave again); thread-safe."""
        meter = self.meter(channel_id, address)
        if mode is None:
            self.call(lambda: self.faults_of(meter).set(None))
            return
        self.call(self._misbehave, meter, Mode(mode), duration_s)

    def collisions(self) -> int:
        return sum(c.bus.collisions for c in self.sim_channels if c.bus is not None)

    def now(self) -> datetime:
        return self.clock.now()
