"""Readings in: the collection service hands over a batch; odd readings wait for a person."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.comm.types import MeterKind, MeterReading
from app.models.meter import (
    AnomalyStatus,
    CommStatus,
    Meter,
    MeterDay,
    MeterRealtime,
    ReadingAnomaly,
)
from app.models.readings import pack, unpack
from app.models.user import AuditEvent
from app.services.market.readings import (
    daily_usage,
    held_anomalies,
    ingest,
    purge_samples,
    reading_at,
    readings_between,
    replace_meter,
    resolve_anomaly,
)
from app.services.market.usage import unsettled_usage
from app.services.platform.context import Conflict, ServiceError
from tests.builders import Market, every_30_min, local


def test_packed_samples_round_trip_with_negative_and_missing_tariffs():
    day = 20777
    samples = [
        (day * 86400 - 8 * 3600, 99_999_990, (1, 2, 3, 4), "poll"),
        (day * 86400 - 6 * 3600, 99_999_995, None, "upload"),
        (day * 86400 + 60, 5, (0, 0, 3, 0), "manual"),
    ]
    blob = pack(samples[:1], day=day) + pack(samples[1:], day=day, previous=samples[0][:3])
    assert [(x.ts, x.total, x.tariffs, x.source) for x in unpack(blob, day=day)] == samples


def test_a_day_of_half_hourly_readings_is_one_row_of_about_eight_bytes_a_reading(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        times = every_30_min(local(2026, 11, 20, 0), 48)
        for i, t in enumerate(times):  # one reading per collection, as the poller does
            total = 100_000 + i * 37
            ingest(
                s,
                [
                    m.reading(
                        stall.electric,
                        t,
                        total,
                        (0, i * 20, 100_000, i * 17),
                        relay_closed=True,
                        voltage_v=220.5,
                    )
                ],
            )
        (row,) = s.scalars(select(MeterDay)).all()
        assert len(row.samples) <= 48 * 9 + 16
        got = readings_between(s, stall.electric, times[10], times[12])
        assert [(r.read_at, r.total) for r in got] == [
            (t, 100_000 + i * 37) for i, t in zip(range(10, 13), times[10:13], strict=False)
        ]
        meter = s.get(Meter, stall.electric, populate_existing=True)
        assert (meter.last_total, meter.last_read_at, meter.comm_status) == (
            100_000 + 47 * 37,
            times[-1],
            CommStatus.ONLINE,
        )
        assert meter.settled_total == 100_000  # usage starts at the first reading
        assert s.get(MeterRealtime, stall.electric).voltage_v == 220.5


def test_repeated_and_late_readings_are_not_stored_twice(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 10), 1000)])
        result = ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 20, 10), 1000),
                m.reading(stall.electric, local(2026, 11, 20, 9), 990),
                MeterReading(m.channel.id, "nope", MeterKind.ELECTRIC, local(2026, 11, 20, 9), 1),
            ],
        )
        assert (result.accepted, result.duplicates, result.stale, result.unknown) == (
            0,
            1,
            1,
            ((m.channel.id, "nope"),),
        )


def test_counter_that_went_down_is_held_until_the_admin_decides(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 500_000)])
        result = ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 20, 9), 1_000),
                m.reading(stall.electric, local(2026, 11, 20, 9, 30), 1_200),
            ],
        )
        assert result.held == 2 and [k for _, k in result.anomalies] == ["went_down"]
        anomaly = s.scalar(select(ReadingAnomaly))
        # the first offending reading stays, the one after it is kept with it
        assert (anomaly.previous_total, anomaly.total) == (500_000, 1_000)
        (held,) = held_anomalies(s, m.site.id)
        assert [r.total for r in held.readings] == [1_000, 1_200]
        with pytest.raises(ServiceError, match="处理说明"):
            resolve_anomaly(s, m.admin, anomaly.id, True, " ")
        resolve_anomaly(s, m.admin, anomaly.id, True, "电表检修后清零")
        assert s.get(ReadingAnomaly, anomaly.id).status == AnomalyStatus.ACCEPTED
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 10), 1_700)])
        # nothing lost: 500,000 → (reset) 1,000 → 1,200 → 1,700 bills the 7 kWh after the reset
        assert [u.quantity for u in unsettled_usage(s, [stall.stall_id])] == [Decimal("7.000")]
        assert (
            s.scalar(select(AuditEvent.action).where(AuditEvent.action.like("reading.%")))
            == "reading.accept"
        )


def test_a_held_anomaly_keeps_every_later_reading_and_rejecting_the_bad_one_keeps_the_good(db):
    """A device posing as the meter sends a lower reading between the meter's own: the first
    offending reading and every later one are kept (not the last one only), the clerk sees
    them all, and rejecting the rogue's reading stores the meter's own readings held since."""
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 100_000)])
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8, 30), 40_000)])  # the rogue's
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9), 100_300)])
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9, 30), 100_600)])
        (held,) = held_anomalies(s, m.site.id)
        assert [r.total for r in held.readings] == [40_000, 100_300, 100_600]
        assert [r.read_at for r in held.readings] == [
            local(2026, 11, 20, 8, 30),
            local(2026, 11, 20, 9),
            local(2026, 11, 20, 9, 30),
        ]
        with pytest.raises(ServiceError, match="只有 3 个读数"):
            resolve_anomaly(s, m.admin, held.id, True, "核实", reading_index=3)
        resolve_anomaly(s, m.admin, held.id, False, "冒充设备的读数")
        assert held_anomalies(s, m.site.id) == []
        assert [u.quantity for u in unsettled_usage(s, [stall.stall_id])] == [Decimal("6.000")]


def test_the_clerk_may_accept_a_later_held_reading_instead_of_the_first(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 500_000)])
        ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 20, 9), 9_000),  # a garbled read
                m.reading(stall.electric, local(2026, 11, 20, 9, 30), 1_200),
            ],
        )  # after the reset
        (held,) = held_anomalies(s, m.site.id)
        resolve_anomaly(s, m.admin, held.id, True, "检修后清零，第一笔误码", reading_index=1)
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 10), 1_700)])
        assert [u.quantity for u in unsettled_usage(s, [stall.stall_id])] == [Decimal("5.000")]
        accepted = s.scalar(select(AuditEvent).where(AuditEvent.action == "reading.accept"))
        assert (accepted.detail["total"], accepted.detail["held"]) == (1_200, 2)


def test_register_rollover_is_held_and_billed_across_the_wrap_when_accepted(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 99_999_000)])
        result = ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 10), 500)])
        assert [k for _, k in result.anomalies] == ["rollover"]
        resolve_anomaly(s, m.admin, s.scalar(select(ReadingAnomaly.id)), True, "表码满度翻转")
        assert [u.quantity for u in unsettled_usage(s, [stall.stall_id])] == [Decimal("15.000")]


def test_implausible_jump_is_held_and_rejected_readings_are_not_billed(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 10_000)])
        result = ingest(
            s, [m.reading(stall.electric, local(2026, 11, 20, 8, 30), 10_000 + 200 * 100)]
        )
        assert [k for _, k in result.anomalies] == ["jump"]
        resolve_anomaly(s, m.admin, s.scalar(select(ReadingAnomaly.id)), False, "通讯误码")
        assert unsettled_usage(s, [stall.stall_id])[0].quantity == 0
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9), 10_300)])
        assert unsettled_usage(s, [stall.stall_id])[0].quantity == Decimal("3.000")


def test_resolving_a_held_reading_names_the_stall_whose_usage_changed_for_control(db):
    """The caller runs control.reconsider on these stalls, as after ingest: an accepted reading
    changes the stall's usage, a lone rejected one changes nothing."""
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 10_000)])
        # a jump, accepted
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8, 30), 10_000 + 200 * 100)])
        (held,) = held_anomalies(s, m.site.id)
        assert resolve_anomaly(s, m.admin, held.id, True, "核实").stall_ids == (stall.stall_id,)
        # another, rejected
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9), 30_000 + 200 * 100)])
        (held,) = held_anomalies(s, m.site.id)
        assert resolve_anomaly(s, m.admin, held.id, False, "通讯误码").stall_ids == ()


def test_replacing_a_meter_keeps_usage_continuous_and_is_audited(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 10_000)])
        with pytest.raises(ServiceError, match="旧表止码"):
            replace_meter(s, m.admin, stall.electric, "N1", 9_000, 0, at=local(2026, 11, 20, 9))
        rep = replace_meter(s, m.admin, stall.electric, "N1", 10_400, 50, at=local(2026, 11, 20, 9))
        with pytest.raises(Conflict, match="已被换下"):
            replace_meter(s, m.admin, stall.electric, "N2", 10_400, 0)
        result = ingest(s, [m.reading(rep.new_meter_id, local(2026, 11, 20, 10), 250)])
        assert result.accepted == 1
        usage = {u.meter_id: u.quantity for u in unsettled_usage(s, [stall.stall_id])}
        assert usage == {stall.electric: Decimal("4.000"), rep.new_meter_id: Decimal("2.000")}
        assert (
            s.scalar(select(AuditEvent.action).where(AuditEvent.action == "meter.replace"))
            == "meter.replace"
        )


def test_reading_at_daily_usage_and_retention_keep_the_closing_registers(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters()
        for d in range(3):
            day = local(2026, 11, 18 + d)
            ingest(
                s,
                [
                    m.reading(stall.electric, t, 10_000 + d * 1_000 + i * 10)
                    for i, t in enumerate(every_30_min(day, 48))
                ],
            )
        assert reading_at(s, stall.electric, local(2026, 11, 19, 12, 10)).total == 11_240
        usage = daily_usage(s, [stall.electric], date(2026, 11, 19), date(2026, 11, 20))[
            stall.electric
        ]
        assert usage == {date(2026, 11, 19): Decimal("10"), date(2026, 11, 20): Decimal("10")}
        m.site.reading_retention_days = 1
        assert purge_samples(s, m.site, today=date(2026, 11, 21)) == 2
        kept = readings_between(s, stall.electric, local(2026, 11, 18), local(2026, 11, 21))
        assert len(kept) == 2 + 48  # two closing registers and the last day's samples
        assert (
            reading_at(s, stall.electric, local(2026, 11, 19, 12)).total == 10_470
        )  # the 18th's close
        assert daily_usage(s, [stall.electric], date(2026, 11, 19), date(2026, 11, 19))[
            stall.electric
        ] == {date(2026, 11, 19): Decimal("10")}
