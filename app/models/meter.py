"""Comm channels, meters, their latest state, readings and commands.

Register values are integers in the meter's unit: 0.01 kWh for electricity, litres for
water (see app/comm/types.py). The 30-minute readings are stored per meter per day in
`MeterDay` (see app/models/readings.py for the packed format).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.comm.types import Action, ChannelKind, MeterKind, Protocol
from app.models.base import Base, utcnow
from app.models.site import enum_col


class Channel(Base):
    """通道: one line to meters (a COM port, a gateway, a 4G listener, the NB platform)."""

    __tablename__ = "channel"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[ChannelKind] = mapped_column(enum_col(ChannelKind))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    poll_interval_s: Mapped[int] = mapped_column(default=1800)
    timeout_s: Mapped[float] = mapped_column(default=1.0)
    retries: Mapped[int] = mapped_column(default=2)
    offline_after_failures: Mapped[int] = mapped_column(default=3)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    is_connected: Mapped[bool] = mapped_column(default=False)
    status_detail: Mapped[str] = mapped_column(String(1000), default="")


class ControlMode(enum.StrEnum):
    PREPAID = "prepaid"  # 预付费: balance decides
    FORCED_ON = "forced_on"  # 保电
    FORCED_OFF = "forced_off"  # 强制断电


class CommStatus(enum.StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"


class AlarmLevel(enum.IntEnum):
    NONE = 0
    ALARM1 = 1
    ALARM2 = 2


class Meter(Base):
    """A meter is its address on its line (通道 + 表地址): Modbus slave ids repeat on every
    RS485 bus, so an address alone names no meter. On the CTWing channel the address is the
    platform's device id. A replaced meter (换表) leaves its line, so its successor may
    take the same address."""

    __tablename__ = "meter"
    __table_args__ = (
        Index(
            "uq_meter_line_address",
            "channel_id",
            "address",
            unique=True,
            sqlite_where=text("is_active"),
            postgresql_where=text("is_active"),
        ),
        Index("ix_meter_stall", "stall_id"),
        Index("ix_meter_address", "address"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    stall_id: Mapped[int | None] = mapped_column(ForeignKey("stall.id"))
    kind: Mapped[MeterKind] = mapped_column(enum_col(MeterKind))
    model: Mapped[str] = mapped_column(String(40), default="")
    protocol: Mapped[Protocol] = mapped_column(enum_col(Protocol))
    profile: Mapped[str] = mapped_column(String(60), default="")
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"), index=True)
    address: Mapped[str] = mapped_column(String(40))
    ct_ratio: Mapped[int] = mapped_column(default=1)  # 倍率: usage × ct_ratio is billed
    tariff_id: Mapped[int | None] = mapped_column(ForeignKey("tariff.id"))
    is_active: Mapped[bool] = mapped_column(default=True)  # False once replaced (换表)
    is_account_opened: Mapped[bool] = mapped_column(default=True)  # 开户
    control_mode: Mapped[ControlMode] = mapped_column(
        enum_col(ControlMode), default=ControlMode.PREPAID
    )
    # Relay closed (合闸) / valve open: True; tripped / valve closed: False; None unknown.
    supply_on: Mapped[bool | None]
    alarm_level: Mapped[AlarmLevel] = mapped_column(default=AlarmLevel.NONE)
    comm_status: Mapped[CommStatus] = mapped_column(
        enum_col(CommStatus), default=CommStatus.UNKNOWN
    )
    comm_failures: Mapped[int] = mapped_column(default=0)
    comm_error: Mapped[str] = mapped_column(String(1000), default="")
    last_seen_at: Mapped[datetime | None]
    # Latest accepted reading (registers as read, before ct_ratio).
    last_read_at: Mapped[datetime | None]
    last_total: Mapped[int | None] = mapped_column(BigInteger)
    last_tariffs: Mapped[list | None] = mapped_column(JSON)
    # Registers up to which usage has been billed (结算读数).
    settled_at: Mapped[datetime | None]
    settled_total: Mapped[int | None] = mapped_column(BigInteger)
    settled_tariffs: Mapped[list | None] = mapped_column(JSON)
    # Usage read before the register restarted (an accepted rollover or reset) and not yet
    # settled: billed with the next settlement on top of last − settled.
    carried_total: Mapped[int] = mapped_column(BigInteger, default=0)
    carried_tariffs: Mapped[list | None] = mapped_column(JSON)
    replaced_meter_id: Mapped[int | None] = mapped_column(ForeignKey("meter.id"))
    # A dial-in meter's identity besides its serial (a 4G meter's SIM ICCID), bound on its
    # first registration; a registration with another one is refused. When someone else
    # registers as this meter (身份冲突) the meter is marked until an admin accepts the
    # offered identity or clears the binding.
    dialin_identity: Mapped[str] = mapped_column(String(40), default="")
    identity_offered: Mapped[str] = mapped_column(String(40), default="")
    identity_conflict: Mapped[bool] = mapped_column(default=False)
    # 总表: the building whose stalls this meter (bound to no stall) feeds; its usage minus
    # theirs is the building's loss (线损)
    master_of_building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    # What safety alerts compare a reading with: when the total register last advanced, the
    # reverse energy register (0.01 kWh) and the meter's cover-open count as last read.
    moved_at: Mapped[datetime | None]
    last_reverse_total: Mapped[int | None] = mapped_column(BigInteger)
    last_cover_opens: Mapped[int | None]


class MeterRealtime(Base):
    """Latest realtime values (U I P Q S PF F, battery, signal); one row per meter."""

    __tablename__ = "meter_realtime"
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), primary_key=True)
    at: Mapped[datetime]
    voltage_v: Mapped[float | None]
    current_a: Mapped[float | None]
    power_kw: Mapped[float | None]
    reactive_kvar: Mapped[float | None]
    apparent_kva: Mapped[float | None]
    power_factor: Mapped[float | None]
    frequency_hz: Mapped[float | None]
    battery_v: Mapped[float | None]
    signal_dbm: Mapped[float | None]


class MeterDay(Base):
    """One meter's readings of one local day: the day's closing registers (kept for ever)
    and the packed 30-minute samples (dropped after the site's retention days)."""

    __tablename__ = "meter_day"
    __table_args__ = (
        # the market's usage per day (overview) sums the closing registers of a range of
        # days from the index alone, without reading the rows and their samples
        Index("ix_meter_day_close", "meter_id", "day", "close_total"),
        # the same in day order: summing a range of days over many meters reads it in the
        # order it groups by, without sorting a month of rows (overview, 20,000 meters)
        Index("ix_meter_day_day", "day", "meter_id", "close_total"),
    )
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), primary_key=True)
    day: Mapped[int] = mapped_column(primary_key=True)  # days since 1970-01-01, local date
    close_ts: Mapped[int] = mapped_column(BigInteger)  # epoch seconds of the last sample
    close_total: Mapped[int] = mapped_column(BigInteger)
    close_tariffs: Mapped[list | None] = mapped_column(JSON)
    samples: Mapped[bytes | None] = mapped_column(LargeBinary)


class AnomalyKind(enum.StrEnum):
    WENT_DOWN = "went_down"  # 读数倒走
    JUMP = "jump"  # 突增
    ROLLOVER = "rollover"  # 表码翻转


class AnomalyStatus(enum.StrEnum):
    HELD = "held"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ReadingAnomaly(Base):
    """A reading held for a person instead of being billed."""

    __tablename__ = "reading_anomaly"
    id: Mapped[int] = mapped_column(primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), index=True)
    kind: Mapped[AnomalyKind] = mapped_column(enum_col(AnomalyKind))
    read_at: Mapped[datetime]
    previous_total: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    tariffs: Mapped[list | None] = mapped_column(JSON)
    # Readings that came while this one was held, oldest first: [[iso time, total, tariffs]];
    # read_at / total above stay the first offending reading, so none is lost
    later: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[AnomalyStatus] = mapped_column(
        enum_col(AnomalyStatus), default=AnomalyStatus.HELD
    )
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    note: Mapped[str] = mapped_column(String(200), default="")


class MeterReplacement(Base):
    """换表: the old meter's final reading and the new meter's first, usage continuous."""

    __tablename__ = "meter_replacement"
    id: Mapped[int] = mapped_column(primary_key=True)
    old_meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"))
    new_meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old_final_total: Mapped[int] = mapped_column(BigInteger)
    new_first_total: Mapped[int] = mapped_column(BigInteger)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class CommandStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the comm service
    SENT = "sent"  # taken by the comm service, or waiting for a sleeping NB meter
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_COMMAND = ("pending", "sent")


class MeterCommand(Base):
    """A durable command row: any clerk PC issues it, the comm service executes it once."""

    __tablename__ = "meter_command"
    __table_args__ = (
        # At most one open command per meter and action.
        Index(
            "uq_meter_command_open",
            "meter_id",
            "action",
            unique=True,
            sqlite_where=text("status IN ('pending', 'sent')"),
            postgresql_where=text("status IN ('pending', 'sent')"),
        ),
        Index("ix_meter_command_status", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"))
    action: Mapped[Action] = mapped_column(enum_col(Action))
    status: Mapped[CommandStatus] = mapped_column(
        enum_col(CommandStatus), default=CommandStatus.PENDING
    )
    reason: Mapped[str] = mapped_column(String(1000), default="")  # why it was issued
    is_automatic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    # an automatic supply command that failed is sent again from this time on (control)
    retry_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(String(1000), default="")


class AlertKind(enum.StrEnum):
    USAGE_WHILE_OFF = "usage_while_off"  # energy while the relay reads open / water, valve closed
    OVERLOAD = "overload"  # load above the stall's contracted power
    NIGHT_LOAD = "night_load"  # load while the market is closed
    STUCK = "stuck"  # register still while the stall trades
    REVERSE_ENERGY = "reverse_energy"  # reverse energy register advanced
    COVER_OPEN = "cover_open"  # the meter reports its cover opened (开表盖)


class AlertState(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


OPEN_ALERT = ("open", "acknowledged")


class Alert(Base):
    """A safety or tamper alert (安全告警), raised once per event by collection."""

    __tablename__ = "alert"
    __table_args__ = (
        # one live alert per meter and kind: a reading that finds it live raises nothing
        Index(
            "uq_alert_live",
            "meter_id",
            "kind",
            unique=True,
            sqlite_where=text("state IN ('open', 'acknowledged')"),
            postgresql_where=text("state IN ('open', 'acknowledged')"),
        ),
        Index("ix_alert_site_state", "site_id", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    kind: Mapped[AlertKind] = mapped_column(enum_col(AlertKind))
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"))
    stall_id: Mapped[int | None] = mapped_column(ForeignKey("stall.id"))
    raised_at: Mapped[datetime]
    # what was read: e.g. {"power_kw": 9.2, "limit_kw": 6.0}
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[AlertState] = mapped_column(enum_col(AlertState), default=AlertState.OPEN)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    acknowledged_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    resolved_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(String(200), default="")
