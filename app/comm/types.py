"""Plain data that crosses the boundary between the comm layer and the services.

The comm layer knows nothing of the database: it reads meters and executes commands and
hands back these frozen dataclasses; a service stores them. Register values are integers
in the meter's own unit: electricity in 0.01 kWh, water in litres (0.001 m³).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from app.words import ENGLISH, Said, Word

# What a frame means (报文含义) as the frame log keeps it: a callable that says it in the
# reader's language when someone looks (`meant`), or a text that is no word (a platform's
# own answer).
Meaning = str | Callable[[str], str]


def meant(meaning: Meaning, lang: str = ENGLISH) -> str:
    return meaning if type(meaning) is str else meaning(lang)


def meaning_in(word: Word, inner: Meaning, **params) -> Callable[[str], str]:
    """`word` said around another meaning, its `{meaning}`: "… (retry 2)"."""
    return lambda lang: word.say(lang, meaning=meant(inner, lang), **params)


class MeterKind(enum.StrEnum):
    ELECTRIC = "electric"
    WATER = "water"


class ChannelKind(enum.StrEnum):
    SERIAL = "serial"  # RS485 on a local COM port
    SERIAL_SERVER = "serial_server"  # transparent RS485 <-> TCP gateway, we connect
    MODBUS_TCP = "modbus_tcp"  # Modbus TCP gateway, we connect
    ACREL_4G = "acrel_4g"  # Acrel 4G meters dial in to our listener
    DTU = "dtu"  # transparent 4G DTUs dial in, we poll through them
    CTWING = "ctwing"  # NB-IoT water meters through China Telecom's platform


class Protocol(enum.StrEnum):
    MODBUS_ACREL = "modbus_acrel"  # Acrel DDSY/DTSY1352 Modbus map, profile chosen per meter
    DLT645_2007 = "dlt645_2007"
    DLT645_1997 = "dlt645_1997"
    CTWING_WATER = "ctwing_water"


class Action(enum.StrEnum):
    """What a meter command asks for (DESIGN.md: trip 分闸 / close 合闸 / 保电 …)."""

    TRIP = "trip"
    CLOSE = "close"
    FORCED_ON = "forced_on"
    FORCED_OFF = "forced_off"
    RESTORE_PREPAID = "restore_prepaid"
    VALVE_OPEN = "valve_open"
    VALVE_CLOSE = "valve_close"
    READ_NOW = "read_now"


@dataclass(frozen=True, slots=True)
class MeterEndpoint:
    """Where one meter is reached: its channel and its address on that channel."""

    channel_id: int
    address: str  # Modbus slave id ("1"), DL/T 645 address ("123456789012"), or NB device id
    kind: MeterKind
    protocol: Protocol
    profile: str = ""  # meter profile name for Modbus maps, e.g. "acrel_ddsy1352_mapb"


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    id: int
    name: str
    kind: ChannelKind
    settings: dict = field(default_factory=dict)  # host/port/COM/baud/parity/heartbeat format…
    poll_interval_s: int = 1800
    timeout_s: float = 1.0
    retries: int = 2
    offline_after_failures: int = 3
    meters: tuple[MeterEndpoint, ...] = ()
    # dial-in identities the office has bound, by meter address (a 4G meter's ICCID). Not
    # part of equality: binding one must not rebuild a running channel (Poller.set_identities)
    identities: dict = field(default_factory=dict, compare=False)

    def setting(self, key: str, default=None, required: bool = False):
        """One of the channel's settings (host, port, baud …), or `default`; a required one
        that is missing or empty raises ValueError naming the channel and the setting."""
        value = self.settings.get(key, default)
        if required and value in (None, ""):
            raise ValueError(f"channel {self.id} ({self.name}): setting {key!r} is required")
        return value


@dataclass(frozen=True, slots=True)
class MeterReading:
    """One read of one meter. None means 'this meter does not report that'."""

    channel_id: int
    address: str
    kind: MeterKind
    read_at: datetime  # timezone-aware UTC
    total: int  # 0.01 kWh, or litres for water
    tariffs: tuple[int, int, int, int] | None = None  # 尖 峰 平 谷, 0.01 kWh
    voltage_v: float | None = None
    current_a: float | None = None
    power_kw: float | None = None
    reactive_kvar: float | None = None
    apparent_kva: float | None = None
    power_factor: float | None = None
    frequency_hz: float | None = None
    relay_closed: bool | None = None  # electricity: True 合闸, False 分闸
    valve_open: bool | None = None  # water
    forced_mode: str | None = None  # "forced_on", "forced_off" or None (prepaid)
    battery_v: float | None = None
    signal_dbm: float | None = None
    source: str = "poll"  # poll / upload (4G, NB push) / manual
    # The meter's own prepaid balance in 0.01 yuan (Acrel 0x021F, DL/T 645 00900200), for
    # display and diagnosis only: MarketMeter's ledger is the balance that counts.
    remaining_money: int | None = None
    # Tamper signs, when the meter has them: the reverse active energy register (0.01 kWh,
    # DL/T 645 00020000) and how often its cover was opened (DL/T 645 03300D00).
    reverse_total: int | None = None
    cover_opens: int | None = None


@dataclass(frozen=True, slots=True)
class CommandRequest:
    command_id: int
    channel_id: int
    address: str
    action: Action
    attempt: int = 1  # control sends a failed trip / close again under its id: a new attempt runs


@dataclass(frozen=True, slots=True)
class CommandResult:
    command_id: int
    ok: bool
    pending: bool = False  # accepted but not yet confirmed (NB meter asleep)
    relay_closed: bool | None = None  # state read back after the command
    valve_open: bool | None = None
    reason: Said | Word | None = (
        None  # why it failed, in words a clerk can act on (app/comm/messages.py)
    )


class Direction(enum.StrEnum):
    TX = "tx"
    RX = "rx"


@dataclass(frozen=True, slots=True)
class FrameEvent:
    """One frame on a line, for the comm monitor (调试报文)."""

    at: datetime
    channel_id: int
    address: str | None
    direction: Direction
    hex: str
    meaning: str


@dataclass(frozen=True, slots=True)
class CommError:
    at: datetime
    channel_id: int
    address: str | None
    message: Said | Word  # a word of app/comm/messages.py


@dataclass(frozen=True, slots=True)
class MeterStatus:
    """Comm state of one meter, pushed whenever it changes."""

    channel_id: int
    address: str
    online: bool
    failures: int
    last_seen: datetime | None
    error: Said | Word | None = None


class IdentityEventKind(enum.StrEnum):
    BOUND = "bound"  # first registration: this identity is the meter's from now on
    MISMATCH = "mismatch"  # a registration with another identity, refused
    FLAPPING = "flapping"  # several takeovers or attempts in minutes: someone else has this serial


@dataclass(frozen=True, slots=True)
class IdentityEvent:
    """Who dialled in as a meter, for the service to store (comm has no database)."""

    channel_id: int
    address: str
    kind: IdentityEventKind
    identity: str  # the identity offered (ICCID), "" when the frame carries none
    detail: Said | Word | None = None  # what the comm error log says about it


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    channel_id: int
    connected: bool
    detail: Said | Word | str | None = None  # a word, or what the line said (technical)
