"""Readings in (collection → database): a collection's batch of readings stored, checked and
turned into the meters' latest state; anomalies held for a person; meter replacement.

The hot path (20,000 readings a collection) is bulk: a handful of SELECTs for the meters
and their state, then executemany UPDATE / INSERT statements; no ORM object per reading.
Readings are stored per meter and local day in `MeterDay` (format: app/models/readings.py).
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, bindparam, case, func, insert, literal_column, select, update
from sqlalchemy.orm import Session

from app.comm.types import MeterKind, MeterReading
from app.models.base import utcnow
from app.models.billing import MonthLock
from app.models.meter import (
    OPEN_COMMAND,
    AnomalyKind,
    AnomalyStatus,
    CommandStatus,
    Meter,
    MeterCommand,
    MeterDay,
    MeterRealtime,
    MeterReplacement,
    ReadingAnomaly,
)
from app.models.readings import pack, unpack
from app.models.site import Site
from app.services.money.tariffs import REGISTER_PER_UNIT, register_quantity
from app.services.platform.audit import audit
from app.services.platform.bulk import Raw, chunked
from app.services.platform.context import (
    Actor,
    Changes,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.timeutil import (
    day_number,
    day_of_number,
    from_ts,
    local_day,
    next_month,
    site_zone,
    to_ts,
    zone,
)
from app.words import QT_TRANSLATE_NOOP, Word, stored_text

ANOTHER_READING_PROCESS_WROTE_READINGS = Word(
    "readings.another_reading_process_wrote_readings",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Another reading process wrote readings of the same meter at the same time; this batch "
        "was not saved. Try again in a moment",
    ),
)
TYPE_NOTE_ON_HOW_WAS = Word(
    "readings.type_note_on_how_was",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Type a note on how it was handled (for example: meter checked on site, reading is right)",
    ),
)
ABNORMAL_READING_ID_NOT_FOUND = Word(
    "readings.abnormal_reading_id_not_found",
    QT_TRANSLATE_NOOP(
        "Errors", "Abnormal reading (id {anomaly_id}) not found. Refresh the list and try again"
    ),
)
ABNORMAL_READING_ID_ALREADY_HANDLED = Word(
    "readings.abnormal_reading_id_already_handled",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Abnormal reading (id {anomaly_id}) has already been handled ({anomaly_status}). Refresh "
        "the list",
    ),
)
ABNORMAL_READING_ID_HOLDS_READINGS = Word(
    "readings.abnormal_reading_id_holds_readings",
    QT_TRANSLATE_NOOP(
        "Errors", "Abnormal reading (id {anomaly_id}) holds {p2} readings. Choose one of them"
    ),
)
METER_ID_NOT_FOUND_REFRESH = Word(
    "readings.meter_id_not_found_refresh",
    QT_TRANSLATE_NOOP(
        "Errors", "Meter (id {old_meter_id}) not found. Refresh the list and try again"
    ),
)
METER_ALREADY_REPLACED_CANNOT_REPLACED = Word(
    "readings.meter_already_replaced_cannot_replaced",
    QT_TRANSLATE_NOOP(
        "Errors", "Meter {old_address} has already been replaced and cannot be replaced again"
    ),
)
METER_ABNORMAL_READINGS_WAITING_HANDLE = Word(
    "readings.meter_abnormal_readings_waiting_handle",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter {old_address} has abnormal readings waiting. Handle them first, then replace the "
        "meter",
    ),
)
OLD_METER_S_FINAL_READING = Word(
    "readings.old_meter_s_final_reading",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The old meter's final reading {old_final_total} is below its last reading "
        "{old_last_total}. Check the final reading",
    ),
)
REPLACEMENT_TIME_MUST_AFTER_OLD = Word(
    "readings.replacement_time_must_after_old",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The replacement time must be after the old meter's last reading time. Check the time",
    ),
)
NEW_METER_S_STARTING_READING = Word(
    "readings.new_meter_s_starting_reading",
    QT_TRANSLATE_NOOP(
        "Errors", "The new meter's starting reading cannot be negative. Check the reading"
    ),
)
METER_WITH_ADDRESS_ALREADY_ON = Word(
    "readings.meter_with_address_already_on",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A meter with address {new_address} is already on this line. Check the new meter's address",
    ),
)
METER_ID_NOT_FOUND_REFRESH_2 = Word(
    "readings.meter_id_not_found_refresh_2",
    QT_TRANSLATE_NOOP("Errors", "Meter (id {meter_id}) not found. Refresh the list and try again"),
)
HANDLE_ABNORMAL_READINGS = Word(
    "readings.handle_abnormal_readings", QT_TRANSLATE_NOOP("Errors", "handle abnormal readings")
)
REPLACE_METERS = Word("readings.replace_meters", QT_TRANSLATE_NOOP("Errors", "replace meters"))
# why the old meter's open commands were cancelled: stored with the command, in Chinese
METER_REPLACED = Word("readings.meter_replaced", QT_TRANSLATE_NOOP("Commands", "Meter replaced"))
READING_OLDER_THAN_METER_S = Word(
    "readings.reading_older_than_meter_s",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This reading is older than the meter's latest reading and cannot be accepted. Reject it",
    ),
)


@dataclass(frozen=True, slots=True)
class AnomalyRules:
    """When a reading is held for a person instead of being billed.

    A jump is more than `max_per_hour` × elapsed hours (at least `min_hours`) of register
    movement: 60 kWh/h is 1.5 × a 40 kW stall supply (the largest breaker in the market);
    5 m³/h is 1.5 × a DN25 pipe's flow. A rollover is a register that was in the top
    `rollover_band` of its range and is now in the bottom one."""

    max_kwh_per_hour: Decimal = Decimal(60)
    max_m3_per_hour: Decimal = Decimal(5)
    min_hours: Decimal = Decimal(1)
    register_max: int = 99_999_999  # 8 digits: XXXXXX.XX kWh (DL/T 645), XXXXX.XXX m³
    rollover_band: Decimal = Decimal("0.1")

    def limit(self, kind: MeterKind, seconds: int) -> int:
        """Register units allowed in `seconds`."""
        per_hour = self.max_kwh_per_hour if kind == MeterKind.ELECTRIC else self.max_m3_per_hour
        units_per_hour = int(per_hour * REGISTER_PER_UNIT[kind])
        return units_per_hour * max(seconds, int(self.min_hours * 3600)) // 3600

    def classify(
        self, kind: MeterKind, previous: int, total: int, seconds: int
    ) -> AnomalyKind | None:
        if total < previous:
            band = int(self.register_max * self.rollover_band)
            if previous >= self.register_max - band and total <= band:
                return AnomalyKind.ROLLOVER
            return AnomalyKind.WENT_DOWN
        if total - previous > self.limit(kind, seconds):
            return AnomalyKind.JUMP
        return None


DEFAULT_RULES = AnomalyRules()


@dataclass(frozen=True, slots=True)
class IngestResult:
    received: int
    accepted: int
    duplicates: int  # same meter, same time as a reading already stored
    stale: int  # older than the meter's latest reading
    held: int  # readings held for a person (new or still-open anomalies)
    unknown: tuple[tuple[int, str], ...]  # (channel_id, address) with no active meter
    anomalies: tuple[tuple[int, AnomalyKind], ...]  # new anomalies (meter_id, kind)
    stall_ids: tuple[int, ...]  # stalls whose usage or supply changed: run control on them
    meter_ids: tuple[int, ...] = ()  # the active meters the readings came from
    # Readings stored although dated in a month the reviewer has locked: kept as meter
    # data; their usage is billed by the next settlement, in the first open month.
    in_locked_month: int = 0

    @property
    def changes(self) -> Changes:
        return Changes.READINGS | Changes.METERS if self.received else Changes.NONE


@dataclass(frozen=True, slots=True)
class StoredReading:
    meter_id: int
    read_at: datetime
    total: int
    tariffs: tuple[int, int, int, int] | None
    source: str


# ── storage ─────────────────────────────────────────────────────────────────────────

_MD = MeterDay.__table__


def _write_days(session: Session, appends: list[tuple], inserts: list[tuple]) -> None:
    """Append to existing day rows (guarded on close_ts: if another writer added a sample
    meanwhile the row no longer matches) and insert new day rows; all or nothing."""
    raw = Raw(session)
    joined = (
        "COALESCE(t.samples, ''::bytea) || v.blob"
        if raw.pg
        else "CAST(COALESCE(t.samples, X'') || v.blob AS BLOB)"
    )
    done = raw.update(
        _MD,
        ("meter_id", "day", "prev_ts", "blob", "close_ts", "close_total", "close_tariffs"),
        [
            (meter_id, day, prev_ts, blob, ts, total, raw.json(tariffs))
            for meter_id, day, prev_ts, blob, ts, total, tariffs in appends
        ],
        key=("meter_id", "day"),
        set_={
            "samples": joined,
            "close_ts": "v.close_ts",
            "close_total": "v.close_total",
            "close_tariffs": "v.close_tariffs",
        },
        where="t.close_ts = v.prev_ts",
        types={"prev_ts": "BIGINT", "blob": "BYTEA"},
    )
    done += raw.insert(
        _MD,
        ("meter_id", "day", "close_ts", "close_total", "close_tariffs", "samples"),
        [
            (meter_id, day, ts, total, raw.json(tariffs), blob)
            for meter_id, day, ts, total, tariffs, blob in inserts
        ],
        "ON CONFLICT DO NOTHING",
    )
    if done != len(appends) + len(inserts):
        raise Conflict(ANOTHER_READING_PROCESS_WROTE_READINGS, code="concurrent_readings")


class _DayWriter:
    """Collects samples per (meter, day) and turns them into append / insert rows."""

    def __init__(self) -> None:
        self.groups: dict[tuple[int, int], list] = defaultdict(list)
        self.prev: dict[tuple[int, int], tuple[int, int, list | None] | None] = {}

    def add(
        self,
        meter_id: int,
        day: int,
        sample: tuple,
        previous: tuple | None,
        previous_day: int | None,
    ) -> None:
        key = (meter_id, day)
        if key not in self.groups:
            self.prev[key] = previous if previous_day == day else None
        self.groups[key].append(sample)

    def rows(self) -> tuple[list[tuple], list[tuple]]:
        appends, inserts = [], []
        for (meter_id, day), samples in self.groups.items():
            prev = self.prev[(meter_id, day)]
            blob = pack(samples, day=day, previous=prev)
            last = samples[-1]
            tariffs = list(last[2]) if last[2] is not None else None
            if prev is None:
                inserts.append((meter_id, day, last[0], last[1], tariffs, blob))
            else:
                appends.append((meter_id, day, prev[0], blob, last[0], last[1], tariffs))
        return appends, inserts


# ── ingest ──────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class _M:
    """Working state of one meter during an ingest."""

    id: int
    site_id: int
    stall_id: int | None
    kind: MeterKind
    read_at: datetime | None
    total: int | None
    tariffs: list | None
    settled_total: int | None
    supply_on: bool | None
    control_mode: str
    last_seen_at: datetime | None
    held_id: int | None = None
    accepted: bool = False
    touched: bool = False
    first: tuple | None = None  # the first reading ever: becomes the settled registers


def ingest(
    session: Session,
    readings: Sequence[MeterReading],
    *,
    now: datetime | None = None,
    rules: AnomalyRules = DEFAULT_RULES,
) -> IngestResult:
    """Store a collection's readings and update each meter's latest state.

        A reading is matched to its active meter by (channel_id, address). A counter that went
        down, jumped implausibly or rolled over is held as a ReadingAnomaly (not stored as a
        sample, not billed) until a person resolves it; while one is held, later readings of
        that meter update the held anomaly instead. A reading dated in a month the reviewer has
    locked is stored all the same (meter data is never dropped) and counted in
    `in_locked_month`: settlement bills its usage into the first open month, so the approved
    month's money does not change. Permission: the collection service (system).
        Transaction: the caller's; a concurrent writer on the same meter-day raises Conflict
        and nothing is written. Audit: none (readings are data; resolving an anomaly is
        audited). The caller runs control.reconsider(result.stall_ids)."""
    now = now or utcnow()
    lines = {(r.channel_id, r.address) for r in readings}
    meters: dict[tuple[int, str], _M] = {}
    raw = Raw(session)
    # By address as well as line: a 4G or NB channel holds thousands of meters, a batch few.
    on_channels, channel_params = raw.where_in("channel_id", sorted({c for c, _a in lines}))
    for batch in raw.batches(sorted({a for _c, a in lines})):
        where, params = raw.where_in("address", batch)
        rows = raw.rows(
            "SELECT id, channel_id, address, site_id, stall_id, kind, last_read_at, last_total, "
            "last_tariffs, "
            "settled_total, supply_on, control_mode, last_seen_at FROM meter WHERE is_active = ? "
            f"AND {on_channels} "
            f"AND {where}",
            (True, *channel_params, *params),
        )
        for (
            mid,
            ch,
            addr,
            site_id,
            stall_id,
            kind,
            read_at,
            total,
            tariffs,
            settled,
            supply,
            mode,
            seen,
        ) in rows:
            if (ch, addr) not in lines:
                continue
            meters[(ch, addr)] = _M(
                mid,
                site_id,
                stall_id,
                MeterKind(kind),
                raw.from_time(read_at),
                total,
                raw.from_json(tariffs),
                settled,
                None if supply is None else bool(supply),
                mode,
                raw.from_time(seen),
            )
    by_id = {m.id: m for m in meters.values()}
    held_later: dict[int, list] = {}  # held anomaly id -> the readings held after its first
    for anomaly_id, meter_id, later in session.execute(
        select(ReadingAnomaly.id, ReadingAnomaly.meter_id, ReadingAnomaly.later).where(
            ReadingAnomaly.status == AnomalyStatus.HELD
        )
    ):
        if meter_id in by_id:
            by_id[meter_id].held_id = anomaly_id
            held_later[anomaly_id] = list(later or [])
    zones = {}
    for site_id in {m.site_id for m in meters.values()}:
        zones[site_id] = site_zone(session, site_id)
    locked_days: dict[int, set[int]] = defaultdict(set)  # site → local day numbers in locked months
    for site_id, month in session.execute(
        select(MonthLock.site_id, MonthLock.month).where(MonthLock.site_id.in_(list(zones)))
    ):
        locked_days[site_id].update(range(day_number(month), day_number(next_month(month))))

    unknown: list[tuple[int, str]] = []
    latest: dict[int, MeterReading] = {}
    days = _DayWriter()
    new_anomalies, anomaly_updates, anomaly_kinds = [], {}, []
    accepted = duplicates = stale = held = in_locked = 0
    groups: dict[tuple[int, str], list[MeterReading]] = {}
    for r in readings:
        groups.setdefault((r.channel_id, r.address), []).append(r)
    # A collection's readings share a few instants: convert each once.
    instants: dict[tuple[datetime, int], tuple[int, int]] = {}

    def instant(t: datetime, site_id: int) -> tuple[int, int]:
        got = instants.get((t, site_id))
        if got is None:
            got = instants[(t, site_id)] = (to_ts(t), local_day(t, zones[site_id]))
        return got

    quick_limit = {
        k: rules.limit(k, 0) for k in MeterKind
    }  # what any interval up to min_hours allows
    for key, group in groups.items():
        m = meters.get(key)
        if m is None:
            unknown.append(key)
            continue
        m.touched = True
        if len(group) > 1 and any(
            a.read_at > b.read_at for a, b in zip(group, group[1:], strict=False)
        ):
            group.sort(key=lambda r: r.read_at)
        ts_prev, day_prev = instant(m.read_at, m.site_id) if m.read_at is not None else (None, None)
        limit = quick_limit[m.kind]
        for r in group:
            if m.read_at is not None and r.read_at <= m.read_at:
                if r.read_at == m.read_at:
                    duplicates += 1
                else:
                    stale += 1
                continue
            if m.last_seen_at is None or r.read_at > m.last_seen_at:
                latest[m.id] = r
                m.last_seen_at = r.read_at
            tariffs = r.tariffs
            if m.held_id is not None:
                # every reading while one is held is kept with it, the first offending one
                # stays first: a clerk sees them all before deciding (not "the last wins")
                later = held_later.setdefault(m.held_id, [])
                later.append(held_entry(r))
                if m.held_id > 0:
                    anomaly_updates[m.held_id] = {"b_id": m.held_id, "b_later": later}
                held += 1
                continue
            ts, day = instant(r.read_at, m.site_id)
            if ts_prev is not None and ts <= ts_prev:
                # Samples are kept to the second: a second read within the same second (a 4G
                # upload next to a poll, a command's read-back) adds nothing.
                duplicates += 1
                continue
            if m.total is not None and not (0 <= r.total - m.total <= limit):
                kind = rules.classify(m.kind, m.total, r.total, ts - ts_prev)
                if kind is not None:
                    m.held_id = -m.id  # not stored yet: later readings of this batch join it here
                    new_anomalies.append(
                        {
                            "meter_id": m.id,
                            "kind": kind,
                            "read_at": r.read_at,
                            "previous_total": m.total,
                            "total": r.total,
                            "tariffs": None if tariffs is None else list(tariffs),
                            "later": held_later.setdefault(m.held_id, []),
                            "status": AnomalyStatus.HELD,
                            "note": "",
                        }
                    )
                    anomaly_kinds.append((m.id, kind))
                    held += 1
                    continue
            previous = (ts_prev, m.total, m.tariffs) if ts_prev is not None else None
            days.add(m.id, day, (ts, r.total, tariffs, r.source), previous, day_prev)
            if m.total is None and m.settled_total is None:
                m.first = (r.read_at, r.total, None if tariffs is None else list(tariffs))
            m.read_at, m.total, m.tariffs, m.accepted = r.read_at, r.total, tariffs, True
            ts_prev, day_prev = ts, day
            accepted += 1
            if day in locked_days.get(m.site_id, ()):
                in_locked += 1

    appends, inserts = days.rows()
    _write_days(session, appends, inserts)
    _write_anomalies(session, new_anomalies, anomaly_updates)
    stall_ids = _write_meter_state(session, meters.values(), latest, now)
    return IngestResult(
        received=len(readings),
        accepted=accepted,
        duplicates=duplicates,
        stale=stale,
        held=held,
        unknown=tuple(unknown),
        anomalies=tuple(anomaly_kinds),
        stall_ids=tuple(sorted(stall_ids)),
        meter_ids=tuple(by_id),
        in_locked_month=in_locked,
    )


def held_entry(r: MeterReading) -> list:
    """A reading held with an anomaly, as ReadingAnomaly.later keeps it."""
    return [
        r.read_at.isoformat(),
        r.total,
        None if r.tariffs is None else list(r.tariffs),
        r.source,
    ]


def _write_anomalies(session, new_rows, updates) -> None:
    if new_rows:
        session.execute(insert(ReadingAnomaly.__table__), new_rows)
    if updates:
        t = ReadingAnomaly.__table__
        session.execute(
            update(t).where(t.c.id == bindparam("b_id")).values(later=bindparam("b_later")),
            list(updates.values()),
        )


def _write_meter_state(
    session: Session, meters: Iterable[_M], latest: dict[int, MeterReading], now: datetime
) -> set[int]:
    """The meters' latest registers, comm state, supply state and realtime values. The
    rare changes (supply, forced mode) get their own statement so the common one carries
    few parameters: 20,000 rows of executemany are bound one value at a time."""
    t = Meter.__table__
    registers, seen, switched, firsts, realtime, stall_ids = [], [], [], [], [], set()
    for m in meters:
        if not m.touched:
            continue
        r = latest.get(m.id)
        supply = m.supply_on
        # The control mode is the program's decision (prepaid / forced on / forced off), not the
        # meter's forced-control register: a prepaid trip is itself sent as a forced trip.
        mode = m.control_mode
        if r is not None:
            state = r.relay_closed if m.kind == MeterKind.ELECTRIC else r.valve_open
            if state is not None:
                supply = state
            realtime.append(
                {
                    "meter_id": m.id,
                    "at": r.read_at,
                    "voltage_v": r.voltage_v,
                    "current_a": r.current_a,
                    "power_kw": r.power_kw,
                    "reactive_kvar": r.reactive_kvar,
                    "apparent_kva": r.apparent_kva,
                    "power_factor": r.power_factor,
                    "frequency_hz": r.frequency_hz,
                    "battery_v": r.battery_v,
                    "signal_dbm": r.signal_dbm,
                }
            )
        if (m.accepted or supply != m.supply_on) and m.stall_id is not None:
            stall_ids.add(m.stall_id)
        if m.accepted and m.last_seen_at == m.read_at:
            registers.append(
                {"b_id": m.id, "b_read_at": m.read_at, "b_total": m.total, "b_tariffs": m.tariffs}
            )
        else:
            seen.append(
                {
                    "b_id": m.id,
                    "b_read_at": m.read_at,
                    "b_total": m.total,
                    "b_tariffs": m.tariffs,
                    "b_seen": m.last_seen_at or now,
                }
            )
        if supply != m.supply_on or mode != m.control_mode:
            switched.append({"b_id": m.id, "b_supply": supply, "b_mode": mode})
        if m.first is not None:
            firsts.append(
                {"b_id": m.id, "b_at": m.first[0], "b_total": m.first[1], "b_tariffs": m.first[2]}
            )
    raw = Raw(session)
    online = {"comm_status": "'online'", "comm_failures": "0", "comm_error": "''"}
    raw.update(
        t,
        ("id", "last_read_at", "last_total", "last_tariffs", "last_seen_at"),
        [
            (
                r["b_id"],
                raw.time(r["b_read_at"]),
                r["b_total"],
                raw.json(r["b_tariffs"]),
                raw.time(r.get("b_seen", r["b_read_at"])),
            )
            for r in registers + seen
        ],
        set_={
            "last_read_at": "v.last_read_at",
            "last_total": "v.last_total",
            "last_tariffs": "v.last_tariffs",
            "last_seen_at": "v.last_seen_at",
            **online,
        },
    )
    raw.update(
        t,
        ("id", "supply_on", "control_mode"),
        [(r["b_id"], r["b_supply"], r["b_mode"]) for r in switched],
    )
    if firsts:
        # Usage starts at a meter's first reading. Only where nothing is settled yet, so a
        # settlement running at the same time is never overwritten.
        session.execute(
            update(t)
            .where(t.c.id == bindparam("b_id"), t.c.settled_total.is_(None))
            .values(
                settled_at=bindparam("b_at"),
                settled_total=bindparam("b_total"),
                settled_tariffs=bindparam("b_tariffs"),
            ),
            firsts,
        )
    if realtime:
        columns = list(realtime[0])
        raw.insert(
            MeterRealtime.__table__,
            columns,
            [tuple(raw.time(v) if c == "at" else v for c, v in r.items()) for r in realtime],
            "ON CONFLICT (meter_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in columns if c != "meter_id"),
        )
    return stall_ids


# ── anomalies ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class HeldReading:
    read_at: datetime
    total: int
    tariffs: list | None
    source: str


@dataclass(frozen=True, slots=True)
class AnomalyInfo:
    """A held anomaly: the first offending reading (read_at / total) and, in `readings`,
    that one followed by every reading that came while it was held, oldest first: what a
    clerk looks at before accepting one of them (resolve_anomaly's reading_index)."""

    id: int
    meter_id: int
    kind: AnomalyKind
    status: AnomalyStatus
    read_at: datetime
    previous_total: int
    total: int
    note: str
    readings: tuple[HeldReading, ...] = ()
    # from resolve_anomaly: stalls whose usage or supply changed; the caller runs
    # control.reconsider on them (control prices usage, which reads readings)
    stall_ids: tuple[int, ...] = ()


def _held_readings(a: ReadingAnomaly) -> tuple[HeldReading, ...]:
    first = HeldReading(_aware(a.read_at), a.total, a.tariffs, "")
    later = (
        HeldReading(datetime.fromisoformat(at), total, tariffs, source)
        for at, total, tariffs, source in (a.later or [])
    )
    return (first, *later)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _info(a: ReadingAnomaly) -> AnomalyInfo:
    return AnomalyInfo(
        a.id,
        a.meter_id,
        AnomalyKind(a.kind),
        AnomalyStatus(a.status),
        a.read_at,
        a.previous_total,
        a.total,
        a.note,
        _held_readings(a),
    )


def held_anomalies(session: Session, site_id: int) -> list[AnomalyInfo]:
    rows = session.scalars(
        select(ReadingAnomaly)
        .join(Meter, Meter.id == ReadingAnomaly.meter_id)
        .where(Meter.site_id == site_id, ReadingAnomaly.status == AnomalyStatus.HELD)
        .order_by(ReadingAnomaly.read_at)
    )
    return [_info(a) for a in rows]


def _store_one(
    session: Session,
    meter: Meter,
    read_at: datetime,
    total: int,
    tariffs: list | None,
    source: str = "manual",
) -> None:
    """Store one accepted reading as a sample and as the meter's latest registers."""
    tz = site_zone(session, meter.site_id)
    days = _DayWriter()
    previous = (
        (to_ts(meter.last_read_at), meter.last_total, meter.last_tariffs)
        if meter.last_read_at
        else None
    )
    previous_day = local_day(meter.last_read_at, tz) if meter.last_read_at else None
    days.add(
        meter.id,
        local_day(read_at, tz),
        (to_ts(read_at), total, tariffs, source),
        previous,
        previous_day,
    )
    _write_days(session, *days.rows())
    meter.last_read_at, meter.last_total, meter.last_tariffs = read_at, total, tariffs
    if meter.settled_total is None:
        meter.settled_at, meter.settled_total, meter.settled_tariffs = read_at, total, tariffs


def resolve_anomaly(
    session: Session,
    actor: Actor,
    anomaly_id: int,
    accept: bool,
    note: str,
    *,
    reading_index: int = 0,
) -> AnomalyInfo:
    """A person decides on a held reading, having seen all of them (AnomalyInfo.readings).
    Accept reading `reading_index` (0: the first offending one): a jump is billed as read; a
    counter that went down or rolled over restarts the meter's registers there, and the
    usage read before the restart is carried into the next settlement. Reject: the first
    offending reading is dropped. Either way the readings held after it are then taken as
    if they had just come (checked against the last accepted one: a good one is stored, a
    bad one is held again), so no reading of the meter is lost. The caller runs
    control.reconsider(result.stall_ids), as after ingest.

    Permission: admin. Transaction: the caller's. Audit: reading.accept / reading.reject."""
    require(actor, May.HANDLE_ABNORMAL_READINGS)
    if not note.strip():
        raise ServiceError(TYPE_NOTE_ON_HOW_WAS, code="invalid")
    anomaly = session.get(ReadingAnomaly, anomaly_id, with_for_update=True, populate_existing=True)
    if anomaly is None:
        raise NotFound(ABNORMAL_READING_ID_NOT_FOUND, anomaly_id=anomaly_id)
    if anomaly.status != AnomalyStatus.HELD:
        raise Conflict(
            ABNORMAL_READING_ID_ALREADY_HANDLED,
            anomaly_id=anomaly_id,
            anomaly_status=anomaly.status,
        )
    meter = session.get(Meter, anomaly.meter_id, with_for_update=True, populate_existing=True)
    if meter.site_id != actor.site_id:
        raise NotFound(ABNORMAL_READING_ID_NOT_FOUND, anomaly_id=anomaly_id)
    held = _held_readings(anomaly)
    if accept and not 0 <= reading_index < len(held):
        raise ServiceError(
            ABNORMAL_READING_ID_HOLDS_READINGS, code="invalid", anomaly_id=anomaly_id, p2=len(held)
        )
    chosen = held[reading_index] if accept else None
    if chosen is not None:
        if meter.last_read_at is not None and chosen.read_at <= _aware(meter.last_read_at):
            raise Conflict(READING_OLDER_THAN_METER_S)
        # a later reading above the last accepted one (the first was a rogue's or garbled)
        # continues the register: only one below it means the register restarted
        if anomaly.kind in (AnomalyKind.WENT_DOWN, AnomalyKind.ROLLOVER) and (
            meter.last_total is None or chosen.total < meter.last_total
        ):
            _restart_registers(
                meter,
                AnomalyKind(anomaly.kind),
                chosen.total,
                chosen.tariffs,
                DEFAULT_RULES.register_max,
            )
        _store_one(session, meter, chosen.read_at, chosen.total, chosen.tariffs)
    anomaly.status = AnomalyStatus.ACCEPTED if accept else AnomalyStatus.REJECTED
    anomaly.resolved_by = actor.user_id
    anomaly.note = note.strip()[:200]
    audit(
        session,
        actor,
        "reading.accept" if accept else "reading.reject",
        "meter",
        meter.id,
        anomaly_id=anomaly.id,
        kind=str(anomaly.kind),
        previous_total=anomaly.previous_total,
        total=chosen.total if chosen else anomaly.total,
        read_at=chosen.read_at if chosen else anomaly.read_at,
        held=len(held),
        note=anomaly.note,
    )
    session.flush()
    stall_ids = {meter.stall_id} if accept and meter.stall_id is not None else set()
    if len(held) > 1 and meter.channel_id is not None:
        # the readings held after the first, as if just read (older than the accepted one: stale)
        again = ingest(
            session,
            [
                MeterReading(
                    meter.channel_id,
                    meter.address,
                    meter.kind,
                    r.read_at,
                    r.total,
                    None if r.tariffs is None else tuple(r.tariffs),
                    source=r.source or "other",
                )
                for r in held[1:]
            ],
        )
        stall_ids.update(again.stall_ids)
    return dataclasses.replace(_info(anomaly), stall_ids=tuple(sorted(stall_ids)))


def _restart_registers(
    meter: Meter, kind: AnomalyKind, total: int, tariffs: list | None, register_max: int
) -> None:
    """The register restarted: carry what was read up to the restart, and settle-from the
    restart point (0 after a rollover, the new reading after a reset)."""
    rollover = kind == AnomalyKind.ROLLOVER
    wrap = register_max + 1

    def carried(settled: int, last: int, new: int) -> tuple[int, int]:
        if rollover and new < last:
            return wrap - settled, 0
        if rollover:
            return 0, settled
        return last - settled, new

    add, meter.settled_total = carried(meter.settled_total, meter.last_total, total)
    meter.carried_total = (meter.carried_total or 0) + add
    if meter.settled_tariffs is not None and meter.last_tariffs is not None and tariffs is not None:
        base = list(meter.carried_tariffs or [0, 0, 0, 0])
        settled = []
        for i in range(4):
            a, s = carried(meter.settled_tariffs[i], meter.last_tariffs[i], tariffs[i])
            base[i] += a
            settled.append(s)
        meter.carried_tariffs, meter.settled_tariffs = base, settled
    else:
        meter.settled_tariffs = tariffs


# ── replacement ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class ReplacementInfo:
    id: int
    old_meter_id: int
    new_meter_id: int
    at: datetime
    old_final_total: int
    new_first_total: int


def replace_meter(
    session: Session,
    actor: Actor,
    old_meter_id: int,
    new_address: str,
    old_final_total: int,
    new_first_total: int,
    *,
    old_final_tariffs: Sequence[int] | None = None,
    new_first_tariffs: Sequence[int] | None = None,
    at: datetime | None = None,
    new_model: str | None = None,
    new_channel_id: int | None = None,
) -> ReplacementInfo:
    """Meter replacement: the old meter ends at its final reading (its usage up to there is still
    billed
    by the next settlement) and a new meter, same stall, tariff, ct and control, starts at
    its first reading; usage is continuous. Permission: admin. Transaction: the caller's.
    Audit: meter.replace."""
    require(actor, May.REPLACE_METERS)
    at = at or utcnow()
    old = session.get(Meter, old_meter_id, with_for_update=True, populate_existing=True)
    if old is None or old.site_id != actor.site_id:
        raise NotFound(METER_ID_NOT_FOUND_REFRESH, old_meter_id=old_meter_id)
    if not old.is_active:
        raise Conflict(METER_ALREADY_REPLACED_CANNOT_REPLACED, old_address=old.address)
    if session.scalar(
        select(ReadingAnomaly.id).where(
            ReadingAnomaly.meter_id == old.id, ReadingAnomaly.status == AnomalyStatus.HELD
        )
    ):
        raise Conflict(METER_ABNORMAL_READINGS_WAITING_HANDLE, old_address=old.address)
    if old.last_total is not None and old_final_total < old.last_total:
        raise ServiceError(
            OLD_METER_S_FINAL_READING,
            code="invalid",
            old_final_total=old_final_total,
            old_last_total=old.last_total,
        )
    if old.last_read_at is not None and at <= old.last_read_at:
        raise ServiceError(REPLACEMENT_TIME_MUST_AFTER_OLD, code="invalid")
    if new_first_total < 0:
        raise ServiceError(NEW_METER_S_STARTING_READING, code="invalid")
    new_address = new_address.strip()
    line_id = new_channel_id or old.channel_id
    # A meter is its address on its line; the old meter leaves the line, so the new one
    # may keep its address (the usual case: the new meter is set to the same slave id).
    if line_id is not None and session.scalar(
        select(Meter.id).where(
            Meter.channel_id == line_id,
            Meter.address == new_address,
            Meter.is_active,
            Meter.id != old.id,
        )
    ):
        raise Conflict(METER_WITH_ADDRESS_ALREADY_ON, new_address=new_address)
    final_tariffs = (
        list(old_final_tariffs)
        if old_final_tariffs is not None
        else (old.last_tariffs if old.last_total == old_final_total else None)
    )
    if old.settled_tariffs is not None and final_tariffs is None:
        final_tariffs = None
        old.settled_tariffs = None  # no final tariff registers: price the rest from readings
    _store_one(session, old, at, old_final_total, final_tariffs)
    old.is_active = False
    session.flush()  # off its line before the new meter takes the address
    new = Meter(
        site_id=old.site_id,
        stall_id=old.stall_id,
        kind=old.kind,
        model=new_model or old.model,
        protocol=old.protocol,
        profile=old.profile,
        channel_id=new_channel_id or old.channel_id,
        address=new_address,
        ct_ratio=old.ct_ratio,
        tariff_id=old.tariff_id,
        is_active=True,
        is_account_opened=old.is_account_opened,
        control_mode=old.control_mode,
        supply_on=old.supply_on,
        alarm_level=old.alarm_level,
        replaced_meter_id=old.id,
        carried_total=0,
    )
    session.add(new)
    session.flush()
    _store_one(
        session,
        new,
        at,
        new_first_total,
        list(new_first_tariffs) if new_first_tariffs is not None else None,
    )
    session.execute(
        update(MeterCommand)
        .where(MeterCommand.meter_id == old.id, MeterCommand.status.in_(OPEN_COMMAND))
        .values(status=CommandStatus.CANCELLED, finished_at=at, result=stored_text(METER_REPLACED))
        .execution_options(synchronize_session=False)
    )
    rep = MeterReplacement(
        old_meter_id=old.id,
        new_meter_id=new.id,
        at=at,
        old_final_total=old_final_total,
        new_first_total=new_first_total,
        operator_id=actor.user_id,
    )
    session.add(rep)
    session.flush()
    audit(
        session,
        actor,
        "meter.replace",
        "meter",
        old.id,
        new_meter_id=new.id,
        new_address=new_address,
        old_final_total=old_final_total,
        new_first_total=new_first_total,
        at=at,
    )
    return ReplacementInfo(rep.id, old.id, new.id, at, old_final_total, new_first_total)


# ── queries ─────────────────────────────────────────────────────────────────────────


def _rows_between(session: Session, meter_id: int, first_day: int, last_day: int):
    return session.execute(
        select(_MD.c.day, _MD.c.close_ts, _MD.c.close_total, _MD.c.close_tariffs, _MD.c.samples)
        .where(_MD.c.meter_id == meter_id, _MD.c.day >= first_day, _MD.c.day <= last_day)
        .order_by(_MD.c.day)
    ).all()


def _day_readings(
    meter_id: int, day: int, close_ts: int, close_total: int, close_tariffs, samples
) -> list[StoredReading]:
    if samples:
        return [
            StoredReading(meter_id, from_ts(s.ts), s.total, s.tariffs, s.source)
            for s in unpack(samples, day=day)
        ]
    # Samples dropped after the retention period: the closing registers remain.
    return [
        StoredReading(
            meter_id,
            from_ts(close_ts),
            close_total,
            tuple(close_tariffs) if close_tariffs else None,
            "close",
        )
    ]


def readings_between(
    session: Session, meter_id: int, start: datetime, end: datetime
) -> list[StoredReading]:
    """The meter's stored readings with start <= read_at <= end, oldest first."""
    site_id = session.scalar(select(Meter.site_id).where(Meter.id == meter_id))
    if site_id is None:
        raise NotFound(METER_ID_NOT_FOUND_REFRESH_2, meter_id=meter_id)
    tz = site_zone(session, site_id)
    lo, hi = to_ts(start), to_ts(end)
    out = []
    for row in _rows_between(session, meter_id, local_day(start, tz), local_day(end, tz)):
        out.extend(r for r in _day_readings(meter_id, *row) if lo <= to_ts(r.read_at) <= hi)
    return out


def reading_at(session: Session, meter_id: int, t: datetime) -> StoredReading | None:
    """The meter's last stored reading at or before `t` (None before its first)."""
    site_id = session.scalar(select(Meter.site_id).where(Meter.id == meter_id))
    if site_id is None:
        raise NotFound(METER_ID_NOT_FOUND_REFRESH_2, meter_id=meter_id)
    tz = site_zone(session, site_id)
    day = local_day(t, tz)
    hi = to_ts(t)
    row = session.execute(
        select(
            _MD.c.day, _MD.c.close_ts, _MD.c.close_total, _MD.c.close_tariffs, _MD.c.samples
        ).where(_MD.c.meter_id == meter_id, _MD.c.day == day)
    ).first()
    if row is not None:
        found = [r for r in _day_readings(meter_id, *row) if to_ts(r.read_at) <= hi]
        if found:
            return found[-1]
    row = session.execute(
        select(_MD.c.day, _MD.c.close_ts, _MD.c.close_total, _MD.c.close_tariffs)
        .where(_MD.c.meter_id == meter_id, _MD.c.day < day)
        .order_by(_MD.c.day.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return StoredReading(
        meter_id, from_ts(row[1]), row[2], tuple(row[3]) if row[3] else None, "close"
    )


def registers_at(
    session: Session, meter_ids: Sequence[int], t: datetime, tz
) -> dict[int, StoredReading]:
    """reading_at for many meters of one site at once: the day rows of t's local day and
    the day before in one query; only meters not read for longer fall back to one query."""
    day, hi = local_day(t, tz), to_ts(t)
    best: dict[int, StoredReading] = {}
    for batch in chunked(meter_ids):
        rows = session.execute(
            select(
                _MD.c.meter_id,
                _MD.c.day,
                _MD.c.close_ts,
                _MD.c.close_total,
                _MD.c.close_tariffs,
                _MD.c.samples,
            )
            .where(_MD.c.meter_id.in_(batch), _MD.c.day.in_((day - 1, day)))
            .order_by(_MD.c.meter_id, _MD.c.day)
        )
        for meter_id, d, close_ts, close_total, close_tariffs, samples in rows:
            if close_ts <= hi:
                best[meter_id] = StoredReading(
                    meter_id,
                    from_ts(close_ts),
                    close_total,
                    tuple(close_tariffs) if close_tariffs else None,
                    "close",
                )
            elif samples:
                found = [s for s in unpack(samples, day=d) if s.ts <= hi]
                if found:
                    s = found[-1]
                    best[meter_id] = StoredReading(
                        meter_id, from_ts(s.ts), s.total, s.tariffs, s.source
                    )
    for meter_id in meter_ids:
        if meter_id not in best:
            r = reading_at(session, meter_id, t)
            if r is not None:
                best[meter_id] = r
    return best


def daily_usage(
    session: Session, meter_ids: Sequence[int], first_day: date, last_day: date
) -> dict[int, dict[date, Decimal]]:
    """Usage per meter and local day (kWh / m³, ct applied), from the days' closing
    registers: day d = close(d) − close(the previous day with a reading). Days without a
    reading are absent."""
    return {
        mid: {day_of_number(n): register_quantity(kind, units) for n, units in days.items()}
        for mid, (kind, days) in daily_register_usage(
            session, meter_ids, first_day, last_day
        ).items()
    }


def daily_register_usage(
    session: Session, meter_ids: Sequence[int], first_day: date, last_day: date
) -> dict[int, tuple[MeterKind, dict[int, int]]]:
    """`daily_usage` in register units × ct per meter and day number (MeterDay.day), with
    the meter's kind: integers add up exactly, so a caller summing many days converts only
    its totals."""
    lo, hi = day_number(first_day), day_number(last_day)
    info = _kinds_and_ct(session, meter_ids)
    units_of: dict[int, dict[int, int]] = {mid: {} for mid in info}
    for batch in chunked(list(info)):
        previous = _closes_before(session, batch, lo)
        rows = session.execute(
            select(_MD.c.meter_id, _MD.c.day, _MD.c.close_total)
            .where(_MD.c.meter_id.in_(batch), _MD.c.day >= lo, _MD.c.day <= hi)
            .order_by(_MD.c.meter_id, _MD.c.day)
        ).all()  # fetched at once: iterated, psycopg fetches row by row
        for mid, d, close in rows:
            start = previous[mid] if mid in previous else _opening_total(session, mid, d)
            if start is not None:
                units_of[mid][d] = (close - start) * info[mid][1]
            previous[mid] = close
    return {mid: (info[mid][0], units) for mid, units in units_of.items()}


def period_register_usage(
    session: Session, meter_ids: Sequence[int], starts: Sequence[date], last_day: date
) -> dict[int, tuple[MeterKind, list[int]]]:
    """`daily_register_usage` summed by period: per meter, the usage of each period from
    starts[i] to the day before starts[i + 1] (the last one to `last_day`), in register
    units × ct. Read as each period's last closing register less the one before it, so a
    year of months costs a row per meter and month, not one per day."""
    bounds = [day_number(d) for d in starts]
    info = _kinds_and_ct(session, meter_ids)
    out = {mid: (kind, [0] * len(bounds)) for mid, (kind, _ct) in info.items()}
    query = _periods_last_closes(len(bounds))
    params = {f"b{i}": b for i, b in enumerate(bounds)} | {"hi": day_number(last_day)}
    for batch in chunked(list(info)):
        previous = _closes_before(session, batch, bounds[0])
        rows = session.execute(query, {**params, "ids": batch}).all()
        for mid, i, first, close in rows:
            start = previous[mid] if mid in previous else _opening_total(session, mid, first)
            if start is not None:
                out[mid][1][i] = (close - start) * info[mid][1]
            previous[mid] = close
    return out


@functools.cache
def _periods_last_closes(periods: int):
    """Per meter and period (bounded by the day numbers b0, b1, …): the period's first day
    with a reading and its last day's closing registers. Built once per number of periods,
    with the bounds as parameters: built anew, its many bounds cost more than the reading."""
    bounds = [bindparam(f"b{i}") for i in range(periods)]
    # the periods' numbers as literals: psycopg keeps a statement's parsing only up to 50
    # parameters
    period = case(
        *((_MD.c.day < b, literal_column(str(i))) for i, b in enumerate(bounds[1:])),
        else_=literal_column(str(periods - 1)),
    )
    days = (
        select(_MD.c.meter_id, _MD.c.day, period.label("period"))
        .where(
            _MD.c.meter_id.in_(bindparam("ids", expanding=True)),
            _MD.c.day >= bounds[0],
            _MD.c.day <= bindparam("hi"),
        )
        .subquery()
    )
    ends = (
        select(
            days.c.meter_id,
            days.c.period,
            func.min(days.c.day).label("first"),
            func.max(days.c.day).label("last"),
        )
        .group_by(days.c.meter_id, days.c.period)
        .subquery()
    )
    return (
        select(ends.c.meter_id, ends.c.period, ends.c.first, _MD.c.close_total)
        .join(_MD, and_(_MD.c.meter_id == ends.c.meter_id, _MD.c.day == ends.c.last))
        .order_by(ends.c.meter_id, ends.c.period)
    )


def _kinds_and_ct(session: Session, meter_ids: Sequence[int]) -> dict[int, tuple[MeterKind, int]]:
    info = {}
    for batch in chunked(meter_ids):
        for mid, kind, ct in session.execute(
            select(Meter.id, Meter.kind, Meter.ct_ratio).where(Meter.id.in_(batch))
        ):
            info[mid] = (MeterKind(kind), ct)
    return info


def _closes_before(session: Session, meter_ids: Sequence[int], day: int) -> dict[int, int]:
    """Each meter's closing registers on its last day with a reading before `day`."""
    before = (
        select(_MD.c.meter_id, func.max(_MD.c.day).label("day"))
        .where(_MD.c.meter_id.in_(meter_ids), _MD.c.day < day)
        .group_by(_MD.c.meter_id)
        .subquery()
    )
    return dict(
        session.execute(
            select(_MD.c.meter_id, _MD.c.close_total).join(
                before, and_(before.c.meter_id == _MD.c.meter_id, before.c.day == _MD.c.day)
            )
        ).all()
    )


def _opening_total(session: Session, meter_id: int, day: int) -> int | None:
    """The registers a meter's first day opened at: its first sample (read for this one day
    only, since a year of days' samples is most of the table's bytes)."""
    samples = session.scalar(
        select(_MD.c.samples).where(_MD.c.meter_id == meter_id, _MD.c.day == day)
    )
    return unpack(samples, day=day)[0].total if samples else None


def _market_meters(site_id: int):
    """What the market's usage sums: its stalls' meters and its public ones, not the
    buildings' master meters (总表), which count the stalls' usage again (losses.py)."""
    return and_(Meter.site_id == site_id, Meter.master_of_building_id.is_(None))


def _lagged_days(site_id: int, lo: int, hi: int):
    """The market meters' day rows from day lo − 1 to hi, each with the meter's previous
    closing registers in that range (prev) and the meter's first day in it (first)."""
    meters = select(Meter.id).where(_market_meters(site_id)).scalar_subquery()
    by_meter = {"partition_by": _MD.c.meter_id}
    return (
        select(
            _MD.c.meter_id,
            _MD.c.day,
            _MD.c.close_total,
            func.lag(_MD.c.close_total).over(**by_meter, order_by=_MD.c.day).label("prev"),
            func.min(_MD.c.day).over(**by_meter).label("first"),
        )
        .where(_MD.c.meter_id.in_(meters), _MD.c.day >= lo - 1, _MD.c.day <= hi)
        .subquery()
    )


def site_daily_usage(
    session: Session, site_id: int, first_day: date, last_day: date
) -> dict[MeterKind, dict[date, Decimal]]:
    """The market's usage per kind and local day: the sum of `daily_usage` over all its
    meters but the master meters (_market_meters), without a row per meter. A meter read
    on every day from the day before `first_day` to the last day read adds close(d) −
    close(d − 1) to day d, so those meters' usage is the difference of their daily sums of
    closing registers, summed in the database (an index scan); the few others (a day
    missed, read first or last inside the range) go through `daily_usage` one by one."""
    lo, hi = day_number(first_day), day_number(last_day)
    in_range = and_(_MD.c.day >= lo - 1, _MD.c.day <= hi)
    groups = session.execute(
        select(Meter.kind, Meter.ct_ratio).where(_market_meters(site_id)).distinct()
    ).all()
    sums: dict[tuple[MeterKind, int], dict[int, int]] = {}
    for kind, ct in groups:
        ids = (
            select(Meter.id)
            .where(_market_meters(site_id), Meter.kind == kind, Meter.ct_ratio == ct)
            .scalar_subquery()
        )
        sums[(MeterKind(kind), ct)] = {
            day: int(total)
            for day, total in session.execute(
                # meter_id + 0: not a key the planner may seek by meter, so it reads
                # ix_meter_day_day in day order and groups as it goes (no sort)
                select(_MD.c.day, func.sum(_MD.c.close_total))
                .where((_MD.c.meter_id + 0).in_(ids), in_range)
                .group_by(_MD.c.day)
            )
        }
    out: dict[MeterKind, dict[date, Decimal]] = {k: defaultdict(Decimal) for k in MeterKind}
    last = max((d for by_day in sums.values() for d in by_day), default=None)
    if last is None:
        return {k: {} for k in MeterKind}
    site_meters = select(Meter.id).where(_market_meters(site_id)).scalar_subquery()
    odd = session.scalars(
        select(_MD.c.meter_id)
        .where(_MD.c.meter_id.in_(site_meters), _MD.c.day >= lo - 1, _MD.c.day <= last)
        .group_by(_MD.c.meter_id)
        .having(func.count() < last - lo + 2)
    ).all()
    kinds: dict[int, tuple[MeterKind, int]] = {}
    for batch in chunked(odd):
        for meter_id, kind, ct in session.execute(
            select(Meter.id, Meter.kind, Meter.ct_ratio).where(Meter.id.in_(batch))
        ):
            kinds[meter_id] = (MeterKind(kind), ct)
        for meter_id, day, close in session.execute(
            select(_MD.c.meter_id, _MD.c.day, _MD.c.close_total).where(
                _MD.c.meter_id.in_(batch), in_range
            )
        ):
            sums[kinds[meter_id]][day] -= close
    for (kind, ct), by_day in sums.items():
        for day in range(lo, last + 1):
            registers = by_day.get(day, 0) - by_day.get(day - 1, 0)
            if registers:
                out[kind][day_of_number(day)] += register_quantity(kind, registers, ct)
    for meter_id, days in daily_usage(session, odd, first_day, last_day).items():
        for d, quantity in days.items():
            out[kinds[meter_id][0]][d] += quantity
    return {k: dict(v) for k, v in out.items()}


def site_day_usage(session: Session, site_id: int, day: date) -> dict[int, Decimal]:
    """Each meter's usage on the local day `day` (kWh / m³, ct applied), as `daily_usage`
    says, for the market's meters read that day (master meters left out, _market_meters)."""
    n = day_number(day)
    lagged = _lagged_days(site_id, n, n)
    out: dict[int, Decimal] = {}
    late = []
    for meter_id, kind, ct, close, prev, first in session.execute(
        select(
            lagged.c.meter_id,
            Meter.kind,
            Meter.ct_ratio,
            lagged.c.close_total,
            lagged.c.prev,
            lagged.c.first,
        )
        .join(Meter, Meter.id == lagged.c.meter_id)
        .where(lagged.c.day == n)
    ):
        if first == n - 1:
            out[meter_id] = register_quantity(MeterKind(kind), close - prev, ct)
        else:
            late.append(meter_id)
    for meter_id, days in daily_usage(session, late, day, day).items():
        if day in days:
            out[meter_id] = days[day]
    return out


def purge_samples(session: Session, site: Site | int, *, today: date | None = None) -> int:
    """Drop the 30-minute samples of days older than the site's retention; the days'
    closing registers stay for ever. Permission: system housekeeping. Transaction: the
    caller's. Returns the number of days purged."""
    site = session.get(Site, site) if isinstance(site, int) else site
    tz = zone(site.timezone)
    today = today or utcnow().astimezone(tz).date()
    cutoff = day_number(today - timedelta(days=site.reading_retention_days))
    meters = select(Meter.id).where(Meter.site_id == site.id).scalar_subquery()
    result = session.execute(
        update(_MD)
        .where(_MD.c.meter_id.in_(meters), _MD.c.day < cutoff, _MD.c.samples.is_not(None))
        .values(samples=None)
    )
    return result.rowcount
