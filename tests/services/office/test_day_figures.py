"""The overview's charts: each day's bar is the sum of what is stored for that day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.comm.types import Action, MeterKind
from app.models.account import EntryKind, PayMethod
from app.models.meter import CommandStatus, MeterCommand
from app.services.market.readings import daily_usage, ingest
from app.services.money.ledger import lock_account, post
from app.services.office.overview import (
    DAYS_CHARTED,
    day_command_lines,
    day_figures,
    day_recharge_lines,
    day_usage_lines,
)
from tests.builders import Market, local

TODAY = date(2026, 11, 30)
FIRST = TODAY - timedelta(days=DAYS_CHARTED - 1)


def _read(db, market: Market, meter_id: int, days, start: int, per_day: int) -> None:
    """Two readings (08:00, 20:00) on each of `days`; the register rises by `per_day` a
    day, read or not (a day without readings shows on the next day read)."""
    with db.transaction() as s:
        readings = []
        for d in days:
            base = start + per_day * (d - FIRST).days
            for hour, total in ((8, base + per_day // 2), (20, base + per_day)):
                readings.append(
                    market.reading(meter_id, local(d.year, d.month, d.day, hour), total)
                )
        ingest(s, readings, now=local(TODAY.year, TODAY.month, TODAY.day, 23))


def _days(first: date, last: date, skip=()):
    d = first
    while d <= last:
        if d not in skip:
            yield d
        d += timedelta(days=1)


def test_each_days_usage_bar_is_the_sum_of_the_stored_readings_of_that_day(db):
    market = Market(db)
    always = market.a_stall_with_meters("A001", water=True)
    late = market.a_stall_with_meters("A002", ct=2)  # first read in the middle of the month
    steady = market.a_stall_with_meters("A003")  # read every day
    with db.transaction() as s:  # another market's meter, read every day
        elsewhere = Market.in_session(s)
        other = elsewhere.a_stall_with_meters("B001")
        ingest(
            s,
            [
                elsewhere.reading(other.electric, local(d.year, d.month, d.day, 8), n * 9_000)
                for n, d in enumerate(_days(FIRST - timedelta(days=1), TODAY), start=1)
            ],
        )
    # read from before the charted days on, one day missing
    _read(
        db,
        market,
        always.electric,
        _days(FIRST - timedelta(days=3), TODAY, {TODAY - timedelta(days=5)}),
        100_000,
        1_230,
    )
    _read(db, market, always.water, _days(FIRST - timedelta(days=1), TODAY), 5_000, 700)
    _read(db, market, late.electric, _days(TODAY - timedelta(days=9), TODAY), 0, 400)
    _read(db, market, steady.electric, _days(FIRST - timedelta(days=1), TODAY), 7_000, 300)
    with db.transaction() as s:
        figures = day_figures(s, market.site_id, today=TODAY)
        stored = daily_usage(
            s, [always.electric, late.electric, steady.electric, always.water], FIRST, TODAY
        )
        assert figures.days[0] == FIRST and figures.days[-1] == TODAY
        assert len(figures.days) == DAYS_CHARTED
        for d in figures.days:
            kwh = sum(stored[m.electric].get(d, Decimal(0)) for m in (always, late, steady))
            assert figures.kwh[d] == kwh
            assert figures.m3[d] == stored[always.water].get(d, Decimal(0))
        # by hand: 12.30 kWh a day, nothing on the missing day and twice as much the day after;
        # the late meter (ct 2) 4.00 × 2 a day from its second day, its first day's 2.00 × 2;
        # the steady meter 3.00 a day
        assert figures.kwh[FIRST] == Decimal("12.300") + Decimal("3.000")
        assert figures.kwh[TODAY - timedelta(days=5)] == Decimal("8.000") + Decimal("3.000")
        assert figures.kwh[TODAY - timedelta(days=4)] == Decimal("24.600") + Decimal("11.000")
        assert figures.kwh[TODAY - timedelta(days=9)] == Decimal("12.300") + Decimal("7.000")
        assert figures.m3[TODAY] == Decimal("0.700")
        # the list behind a bar adds up to the bar, meter by meter
        lines = day_usage_lines(s, market.site_id, TODAY - timedelta(days=4), MeterKind.ELECTRIC)
        assert [(line.stall, line.value) for line in lines] == [
            ("A001", Decimal("24.600")),
            ("A002", Decimal("8.000")),
            ("A003", Decimal("3.000")),
        ]
        first_day = day_usage_lines(
            s, market.site_id, TODAY - timedelta(days=9), MeterKind.ELECTRIC
        )
        assert sum(line.value for line in first_day) == figures.kwh[TODAY - timedelta(days=9)]


def test_recharges_by_payment_method_and_trips_and_closes_per_day(db):
    market = Market(db)
    a = market.a_stall_with_meters("A001", balance="0")
    b = market.a_stall_with_meters("A002", balance="0")
    with db.transaction() as s:
        elsewhere = Market.in_session(s).a_stall_with_meters("B001", balance="0")
    day = TODAY - timedelta(days=3)
    with db.transaction() as s:
        for ref, amount, method, at in (
            (a, "100.00", PayMethod.CASH, local(2026, 11, 27, 9)),
            (b, "50.50", PayMethod.CASH, local(2026, 11, 27, 23, 59)),
            (a, "30.00", PayMethod.WECHAT, local(2026, 11, 27, 12)),
            (b, "20.00", PayMethod.WECHAT, local(2026, 11, 28, 0, 1)),  # the next local day
            (elsewhere, "999.00", PayMethod.CASH, local(2026, 11, 27, 10)),
        ):
            post(
                s,
                lock_account(s, ref.account_id),
                EntryKind.RECHARGE,
                Decimal(amount),
                method=method,
                at=at,
            )
        for action, status, at in (
            (Action.TRIP, CommandStatus.SUCCEEDED, local(2026, 11, 27, 10)),
            (Action.VALVE_CLOSE, CommandStatus.SUCCEEDED, local(2026, 11, 27, 11)),
            (Action.TRIP, CommandStatus.FAILED, local(2026, 11, 27, 12)),  # nothing was cut
            (Action.CLOSE, CommandStatus.SUCCEEDED, local(2026, 11, 27, 13)),
            (Action.CLOSE, CommandStatus.SUCCEEDED, local(2026, 11, 28, 9)),
        ):
            s.add(MeterCommand(meter_id=a.electric, action=action, status=status, finished_at=at))
        s.add(
            MeterCommand(
                meter_id=elsewhere.electric,
                action=Action.TRIP,
                status=CommandStatus.SUCCEEDED,
                finished_at=local(2026, 11, 27, 10),
            )
        )
    with db.transaction() as s:
        figures = day_figures(s, market.site_id, today=TODAY)
        assert figures.recharges[day] == {"cash": Decimal("150.50"), "wechat": Decimal("30.00")}
        assert figures.recharges[day + timedelta(days=1)] == {"wechat": Decimal("20.00")}
        assert figures.trips[day] == 2 and figures.closes[day] == 1
        assert figures.trips[day + timedelta(days=1)] == 0
        assert figures.closes[day + timedelta(days=1)] == 1
        lines = day_recharge_lines(s, market.site_id, day)
        assert [(line.stall, line.what, line.value) for line in lines] == [
            ("A001", "cash", Decimal("100.00")),
            ("A001", "wechat", Decimal("30.00")),
            ("A002", "cash", Decimal("50.50")),
        ]
        assert [line.what for line in day_command_lines(s, market.site_id, day)] == [
            "trip",
            "valve_close",
            "close",
        ]
