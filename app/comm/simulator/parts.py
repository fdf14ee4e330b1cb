"""What the simulated market is made of: its settings, its meters and its channels.

Plain records the market builds and its parts (the manifest, the CTWing double) read, so
they need not know the market (dependencies point one way: market → parts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.comm.simulator.lines import BusSim
from app.comm.simulator.physics import ElectricMeter, WaterMeter
from app.comm.types import ChannelKind, MeterKind, Protocol


@dataclass
class SimConfig:
    electric: int = 40
    water: int = 10
    seed: int = 1
    speed: float = 1.0
    host: str = "127.0.0.1"
    meters_per_bus: int = 30
    baud: int = 9600
    turnaround_s: float = 0.005
    acrel_4g: int | None = None  # None: 10 % of the electric meters
    dtus: int | None = None  # None: 1 when there are enough meters
    gateways: int | None = None  # None: 1 when there are enough meters
    pty_buses: int = 0
    masters: int = 0  # buildings' master meters (总表), on a serial server of their own
    master_ct: int = 60  # their current transformers (300/5 A)
    dlt645_share: float = 0.25
    three_phase_share: float = 0.1
    dial_host: str | None = None  # where 4G meters and DTUs dial in
    dial_port: int | None = None
    push_url: str | None = None  # where the CTWing double pushes
    report_interval_s: float = 1800.0  # sim seconds between NB wake-ups (data reports)
    upload_interval_s: float = 900.0  # sim seconds between Acrel 4G data uploads (0x91)
    heartbeat_s: float = 60.0  # real seconds between 4G / DTU heartbeats
    misbehave: list[str] = field(default_factory=list)  # CLI specs MODE[:FRACTION[:SECONDS]]
    tamper: list[str] = field(default_factory=list)  # CLI specs CASE[:FRACTION] (physics.py)
    poll_interval_s: int = 1800  # written to the manifest's channels
    timeout_s: float = 1.0


@dataclass
class SimMeter:
    """One meter of the market, wherever it sits."""

    channel_id: int
    address: str
    kind: MeterKind
    protocol: Protocol
    model: str
    profile: str
    physics: ElectricMeter | WaterMeter
    device: object = None  # the line-side device (has .faults)
    extra: dict = field(default_factory=dict)


@dataclass
class SimChannel:
    id: int
    name: str
    kind: ChannelKind
    protocol: Protocol
    settings: dict
    meters: list[SimMeter] = field(default_factory=list)
    bus: BusSim | None = None
    server: object = None
