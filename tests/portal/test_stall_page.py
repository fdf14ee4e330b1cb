"""The stall page's figures against what is stored: the usage charts are the meters' closing
readings, however the page sums them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from app.comm.types import MeterKind
from app.models.meter import Meter, MeterDay
from app.services.portal import access
from tests.builders import day_no
from tests.portal.market import TENANT_A, a_portal_market


def _month_after(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def test_the_usage_charts_add_up_to_the_stored_closing_readings(db):
    pm = a_portal_market(db)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    with db.transaction() as s:
        meters = dict(
            s.execute(select(Meter.kind, Meter.id).where(Meter.stall_id == pm.stall_a)).all()
        )
        # a day without a reading: its use shows on the next day read
        gap = day_no(today) - 40
        s.execute(delete(MeterDay).where(MeterDay.day.in_((gap, day_no(today) - 3))))
    with db.reading() as s:
        page = access.stall_page(s, pm.site_id, TENANT_A, pm.stall_a, today=today)
        closes = {
            kind: dict(
                s.execute(
                    select(MeterDay.day, MeterDay.close_total).where(MeterDay.meter_id == mid)
                ).all()
            )
            for kind, mid in meters.items()
        }

    for kind, series, per_unit in (
        (MeterKind.ELECTRIC, page.electric, 100),
        (MeterKind.WATER, page.water, 1000),
    ):
        close = closes[kind]

        def read_before(day: int, close=close) -> int:
            return close[max(d for d in close if d < day)]

        assert [d for d, _ in series.days] == [
            date.fromordinal(today.toordinal() - i) for i in range(29, -1, -1)
        ]
        for d, q in series.days:
            n = day_no(d)
            expected = close[n] - read_before(n) if n in close else 0
            assert q == Decimal(expected) / per_unit, (kind, d)
        assert series.days[-4][1] == 0
        assert series.days[-3][1] > series.days[-2][1]  # two days' use

        assert len(series.months) == 12
        for start, q in series.months:
            end = min(day_no(_month_after(start)), day_no(today) + 1)
            expected = read_before(end) - read_before(day_no(start))
            assert q == Decimal(expected) / per_unit, (kind, start)
        assert series.this_month == series.months[-1][1]
        assert series.last_month == series.months[-2][1]
        assert (
            sum(q for _, q in series.months)
            == Decimal(close[day_no(today)] - read_before(day_no(series.months[0][0]))) / per_unit
        )
