"""Settlement: the night run that turns yesterday's usage into bills."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.comm.types import MeterKind
from app.models.account import EntryKind, LedgerEntry
from app.models.billing import Bill, BillLine, MonthLock
from app.models.meter import Meter
from app.models.tariff import TariffMode
from app.models.user import AuditEvent
from app.services.market.readings import ingest, replace_meter, resolve_anomaly
from app.services.market.usage import unsettled_usage
from app.services.money.ledger import ledger_sum
from app.services.money.property import bill_lines
from app.services.money.settlement import HELD_READING, settle, settle_stall
from app.services.money.tariffs import TIER_PART
from app.services.platform.audit import AuditFilter, audit_page, detail_text
from app.services.platform.context import NotFound, PermissionDenied
from app.words import said_from, shown
from tests.builders import Market, every_30_min, local

NIGHT = local(2026, 11, 21, 1, 0)  # settlement time the morning after the 20th


def a_day_of_use(m, meter_id, kwh_per_half_hour=1, start_total=100_000, tariffs=False):
    """Readings every 30 min from 00:00 to 23:30 on the 20th, then 00:30 on the 21st."""
    readings = []
    times = every_30_min(local(2026, 11, 20, 0), 48) + [local(2026, 11, 21, 0, 30)]
    for i, t in enumerate(times):
        total = start_total + i * kwh_per_half_hour * 100
        tar = (0, total - start_total, start_total, 0) if tariffs else None
        readings.append(m.reading(meter_id, t, total, tar))
    ingest(m.s, readings)


def bills(s):
    return s.scalars(select(Bill).order_by(Bill.id)).all()


def test_settling_the_day_bills_usage_up_to_midnight_only(db):
    with db.transaction() as s:
        m = Market.in_session(s, electric_price="0.8000")
        stall = m.a_stall_with_meters(balance="100.00")
        a_day_of_use(m, stall.electric)
        result = settle(s, m.admin, now=NIGHT)
        assert result.bills == 1 and result.amount == Decimal(
            "37.60"
        )  # 47 half hours × 1 kWh × 0.80
        (bill,) = bills(s)
        (line,) = bill.lines
        assert (line.start_reading, line.end_reading, line.quantity) == (
            Decimal("1000"),
            Decimal("1047"),
            Decimal("47"),
        )
        assert bill.period_end == local(2026, 11, 21) and bill.status == "settled"
        assert m.balance(stall) == Decimal("62.40") == ledger_sum(s, stall.account_id)
        # The 00:30 reading belongs to the next day: still unsettled.
        assert [u.quantity for u in unsettled_usage(s, [stall.stall_id])] == [Decimal("1.000")]


def test_settling_the_same_day_twice_changes_nothing(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        a_day_of_use(m, stall.electric)
        settle(s, m.admin, now=NIGHT)
        again = settle(s, m.admin, now=NIGHT)
        assert again.bills == 0 and again.periods == ()
        assert len(bills(s)) == 1
        assert (
            s.scalar(
                select(func.count())
                .select_from(LedgerEntry)
                .where(LedgerEntry.kind == EntryKind.BILL)
            )
            == 1
        )
        runs = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "settlement.run")
        )
        assert runs == 1


def test_missed_nights_are_caught_up_day_by_day(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        a_day_of_use(m, stall.electric)
        settle(s, m.admin, now=local(2026, 11, 20, 1))  # first run: settles the 19th (nothing read)
        ingest(s, [m.reading(stall.electric, local(2026, 11, 22, 12), 110_000)])
        result = settle(s, m.admin, now=local(2026, 11, 23, 1))
        assert [p.period_end for p in result.periods] == [
            local(2026, 11, 21),
            local(2026, 11, 22),
            local(2026, 11, 23),
        ]
        assert [p.bills for p in result.periods] == [1, 1, 1]  # the 00:30 reading falls in the 21st


def test_meter_with_a_held_reading_is_skipped_and_its_usage_waits(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 100_000)])
        result = ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9), 90_000)])  # went down
        assert [k for _, k in result.anomalies] == ["went_down"]
        out = settle(s, m.admin, now=NIGHT)
        assert out.bills == 0 and tuple((m, shown(w, "zh_CN")) for m, w in out.skipped) == (
            (stall.electric, "有待处理的异常读数"),
        )
        anomaly_id = s.execute(
            select(func.max(__import__("app.models.meter", fromlist=["x"]).ReadingAnomaly.id))
        ).scalar()
        resolve_anomaly(s, m.admin, anomaly_id, False, "抄表误码")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 21, 9), 100_500)])
        assert settle(s, m.admin, now=local(2026, 11, 22, 1)).amount == Decimal("5.00")


def test_a_period_in_a_locked_month_is_billed_into_the_first_open_month(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 30, 8), 100_000),
                m.reading(stall.electric, local(2026, 11, 30, 20), 101_000),
            ],
        )
        s.add(MonthLock(site_id=m.site.id, month=date(2026, 11, 1)))
        result = settle(s, m.admin, now=local(2026, 12, 1, 1))
        (period,) = result.periods
        assert result.bills == 1 and result.amount == Decimal("10.00")
        assert period.is_month_moved and period.month == date(2026, 12, 1)
        (bill,) = bills(s)
        # The bill keeps its true period (30 Nov) but counts in December.
        assert bill.period_start == local(2026, 11, 30) and bill.month == date(2026, 12, 1)
        assert m.balance(stall) == Decimal("90.00") == ledger_sum(s, stall.account_id)
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "settlement.run")).one()
        assert event.detail["periods"][0]["month_moved"] is True


def test_an_open_month_keeps_its_bills_and_two_locked_months_move_them_further(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 29, 8), 100_000),
                m.reading(stall.electric, local(2026, 11, 29, 20), 100_500),
            ],
        )
        assert settle(s, m.admin, now=local(2026, 11, 30, 1)).periods[0].month == date(2026, 11, 1)
        ingest(s, [m.reading(stall.electric, local(2026, 11, 30, 20), 101_000)])
        s.add_all(
            [
                MonthLock(site_id=m.site.id, month=date(2026, 11, 1)),
                MonthLock(site_id=m.site.id, month=date(2026, 12, 1)),
            ]
        )
        later = settle(s, m.admin, now=local(2026, 12, 1, 1))
        assert later.periods[0].month == date(2027, 1, 1) and later.amount == Decimal("5.00")
        assert [b.month for b in bills(s)] == [date(2026, 11, 1), date(2027, 1, 1)]


def test_a_reading_dated_in_a_locked_month_is_stored_counted_and_billed_in_the_open_month(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 100_000)])
        settle(s, m.admin, now=local(2026, 11, 21, 1))
        s.add(MonthLock(site_id=m.site.id, month=date(2026, 11, 1)))
        # A meter that was offline hands in its buffered reading of 25 November.
        late = ingest(s, [m.reading(stall.electric, local(2026, 11, 25, 8), 100_800)])
        assert (late.accepted, late.in_locked_month) == (1, 1)
        ingest(s, [m.reading(stall.electric, local(2026, 12, 3, 8), 101_000)])
        result = settle(s, m.admin, now=local(2026, 12, 4, 1))
        assert result.amount == Decimal("10.00")
        assert {b.month for b in bills(s)} == {date(2026, 12, 1)}
        assert sum(p.bills for p in result.periods if p.is_month_moved) == 1  # the 25 Nov period


def test_final_settlement_of_one_stall_bills_up_to_its_latest_reading_once(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        other = m.a_stall_with_meters(balance="100.00")
        a_day_of_use(m, stall.electric)
        a_day_of_use(m, other.electric)
        settle(s, m.admin, now=NIGHT)
        ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 21, 9), 106_000),
                m.reading(other.electric, local(2026, 11, 21, 9), 106_000),
            ],
        )
        final = settle_stall(s, m.admin, stall.stall_id, now=local(2026, 11, 21, 10))
        # From the 47 kWh settled at midnight to 60 kWh: 13 kWh at 1.00.
        assert (final.bills, final.amount, final.skipped) == (1, Decimal("13.00"), ())
        assert final.period_start == local(2026, 11, 21) and final.month == date(2026, 11, 1)
        assert m.balance(stall) == Decimal("40.00") == ledger_sum(s, stall.account_id)
        assert m.balance(other) == Decimal("53.00")  # the other stall waits for the night run
        again = settle_stall(s, m.admin, stall.stall_id, now=local(2026, 11, 21, 11))
        assert (again.bills, again.amount) == (0, Decimal("0.00"))
        assert m.balance(stall) == Decimal("40.00")
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "settlement.final")
        ).all()
        assert len(actions) == 2
        nightly = settle(s, m.admin, now=local(2026, 11, 22, 1))
        assert nightly.amount == Decimal("13.00")  # only the other stall's usage is left


def test_final_settlement_skips_a_meter_with_a_held_reading_and_needs_an_admin(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 100_000)])
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9), 90_000)])  # went down: held
        with pytest.raises(PermissionDenied):
            settle_stall(s, m.cashier, stall.stall_id)
        final = settle_stall(s, m.admin, stall.stall_id, now=local(2026, 11, 20, 10))
        assert final.bills == 0 and tuple((m, shown(w, "zh_CN")) for m, w in final.skipped) == (
            (stall.electric, "有待处理的异常读数"),
        )
        with pytest.raises(NotFound):
            settle_stall(s, m.admin, 99_999)


def test_tou_meter_is_billed_per_rate_from_its_registers(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        tou = m.tariff(
            "分时电价",
            MeterKind.ELECTRIC,
            mode=TariffMode.TOU,
            price="0.8000",
            rates={1: "1.2000", 2: "1.0000", 3: "0.8000", 4: "0.4000"},
        )
        stall = m.a_stall_with_meters(balance="100.00", tariff=tou)
        ingest(
            s,
            [
                m.reading(stall.electric, local(2026, 11, 20, 0), 10_000, (0, 2_000, 5_000, 3_000)),
                m.reading(
                    stall.electric, local(2026, 11, 20, 23), 13_000, (500, 3_000, 6_000, 3_500)
                ),
            ],
        )
        settle(s, m.admin, now=NIGHT)
        lines = s.execute(
            select(BillLine.description, BillLine.quantity, BillLine.amount).order_by(BillLine.id)
        ).all()
        lines = [(shown(d, "zh_CN"), q, a) for d, q, a in lines]
        assert lines == [
            ("尖时段 kWh", Decimal("5"), Decimal("6.00")),
            ("峰时段 kWh", Decimal("10"), Decimal("10.00")),
            ("平时段 kWh", Decimal("10"), Decimal("8.00")),
            ("谷时段 kWh", Decimal("5"), Decimal("2.00")),
        ]


def test_tou_meter_without_registers_is_split_by_time_of_day(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        tou = m.tariff(
            "分时无费率",
            MeterKind.ELECTRIC,
            mode=TariffMode.TOU,
            price="0.8000",
            rates={2: "1.0000", 4: "0.5000"},
            periods=[(0, 4), (8 * 60, 2), (22 * 60, 4)],
        )
        stall = m.a_stall_with_meters(balance="100.00", tariff=tou)
        times = every_30_min(local(2026, 11, 20, 0), 48)
        ingest(s, [m.reading(stall.electric, t, 10_000 + i * 100) for i, t in enumerate(times)])
        settle(s, m.admin, now=NIGHT)
        lines = s.execute(
            select(BillLine.description, BillLine.quantity).order_by(BillLine.id)
        ).all()
        lines = [(shown(d, "zh_CN"), q) for d, q in lines]
        assert lines == [("峰时段 kWh", Decimal("28")), ("谷时段 kWh", Decimal("19"))]


def test_tiered_usage_crossing_a_block_is_split(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        tiered = m.tariff(
            "阶梯水价",
            MeterKind.WATER,
            mode=TariffMode.TIERED,
            price="3.0000",
            tiers=[("10", "3.0000"), (None, "6.0000")],
        )
        stall = m.a_stall_with_meters(balance="200.00", electric=False, water=True, tariff=tiered)
        ingest(
            s,
            [
                m.reading(stall.water, local(2026, 11, 20, 8), 0),
                m.reading(stall.water, local(2026, 11, 20, 20), 8_000),
            ],
        )
        settle(s, m.admin, now=NIGHT)
        ingest(s, [m.reading(stall.water, local(2026, 11, 21, 20), 13_000)])
        second = settle(s, m.admin, now=local(2026, 11, 22, 1))
        assert second.amount == Decimal("24.00")  # 2 m³ × 3.00 + 3 m³ × 6.00


def test_replaced_meter_bills_old_meter_to_its_final_and_new_from_its_first(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00", ct=10)
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 50_000)])
        rep = replace_meter(
            s, m.admin, stall.electric, "9001", 50_100, 0, at=local(2026, 11, 20, 12)
        )
        ingest(s, [m.reading(rep.new_meter_id, local(2026, 11, 20, 20), 200)])
        settle(s, m.admin, now=NIGHT)
        lines = s.execute(
            select(BillLine.meter_id, BillLine.quantity).order_by(BillLine.meter_id)
        ).all()
        assert lines == [
            (stall.electric, Decimal("10")),
            (rep.new_meter_id, Decimal("20")),
        ]  # ct 10
        assert m.balance(stall) == Decimal("70.00")
        assert s.get(Meter, stall.electric).is_active is False


def test_a_settled_bills_lines_are_words_read_in_the_readers_language(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        tiered = m.tariff(
            "阶梯水价",
            MeterKind.WATER,
            mode=TariffMode.TIERED,
            price="3.0000",
            tiers=[("10", "3.0000"), (None, "6.0000")],
        )
        stall = m.a_stall_with_meters(balance="200.00", electric=False, water=True, tariff=tiered)
        ingest(
            s,
            [
                m.reading(stall.water, local(2026, 11, 20, 8), 0),
                m.reading(stall.water, local(2026, 11, 20, 20), 13_000),
            ],
        )
        settle(s, m.admin, now=NIGHT)
        (bill,) = s.scalars(select(BillLine.bill_id).distinct())
        lines = bill_lines(s, m.site.id, bill)
        assert [(shown(l.description, "en"), shown(l.unit, "en")) for l in lines] == [
            ("Tier 1 m³", "m³"),
            ("Tier 2 m³", "m³"),
        ]
        assert [shown(l.description, "zh_CN") for l in lines] == ["第1阶梯 m³", "第2阶梯 m³"]
        assert said_from(lines[0].description).word is TIER_PART


def test_why_a_meter_was_skipped_reads_in_the_readers_language_in_the_audit_log(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 8), 100_000)])
        ingest(s, [m.reading(stall.electric, local(2026, 11, 20, 9), 90_000)])  # went down: held
        settle(s, m.admin, now=NIGHT)
        (row,) = audit_page(s, m.admin, AuditFilter(action="settlement.run")).rows
        assert said_from(row.detail["skipped"][0][1]).word is HELD_READING
        assert f"[[{stall.electric}, 'an abnormal reading waiting']]" in detail_text(row, "en")
        assert f"[[{stall.electric}, '有待处理的异常读数']]" in detail_text(row, "zh_CN")
