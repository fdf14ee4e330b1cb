"""A clerk PC set to another time zone still shows and prints the market's local times."""

import time as systime
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from app.models.account import PayMethod
from app.models.site import Site
from app.services.money.accounts import RechargeRequest, receipt, recharge
from app.services.office.receipts_render import LAYOUTS, receipt_lines
from app.ui import site_time
from app.ui.cashier.history_view import RechargeHistoryView
from app.ui.reports.reports_view import ReportsView
from app.ui.tables.columns import local_time

SITE = ZoneInfo("Asia/Urumqi")  # UTC+6, no summer time


@pytest.fixture
def pc_in_new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    systime.tzset()
    yield
    monkeypatch.undo()
    systime.tzset()


@pytest.fixture
def urumqi_market(market, sqlite_db, pc_in_new_york):
    with sqlite_db.transaction() as s:
        s.execute(update(Site).where(Site.id == market.site_id).values(timezone="Asia/Urumqi"))
    yield market
    site_time.use_site_zone("Asia/Shanghai")


def test_table_times_are_the_sites_not_the_pcs(urumqi_market, make_client):
    make_client()
    assert datetime(2026, 11, 25, 2, 0, tzinfo=UTC).astimezone().hour == 21  # the PC's zone differs
    assert local_time(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) == "2026-11-25 08:00"


def test_the_receipt_prints_the_sites_local_time(urumqi_market, sqlite_db):
    stall = urumqi_market.a_stall("A001")
    with sqlite_db.transaction() as s:
        r = recharge(
            s,
            urumqi_market.cashier,
            RechargeRequest(stall_id=stall, amount="50", method=PayMethod.CASH),
        )
        data = receipt(s, r.receipt_id)
    printed = {l.text: l.value for l in receipt_lines(data, LAYOUTS["80mm"]) if l.kind == "pair"}
    assert printed["时间"] == data.at.astimezone(SITE).strftime("%Y-%m-%d %H:%M:%S")
    assert printed["时间"] != data.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def test_history_days_and_the_shift_start_are_the_sites_days(qtbot, urumqi_market, make_client):
    client = make_client()
    history = RechargeHistoryView(client)
    qtbot.addWidget(history)
    today = datetime.now(SITE).date()
    start, end = history._range()
    assert start == datetime.combine(today - timedelta(days=6), time(0), tzinfo=SITE)
    assert end == datetime.combine(today + timedelta(days=1), time(0), tzinfo=SITE)

    now = datetime(
        2026, 11, 25, 20, 30, tzinfo=UTC
    )  # 02:30 on the 26th in Urumqi, 15:30 on the 25th in New York
    reports = ReportsView(client, now=now)
    qtbot.addWidget(reports)
    assert reports.shift.start.date().toPython().isoformat() == "2026-11-26"
    query_start = site_time.at(
        reports.shift.start.date().toPython(), reports.shift.start.time().toPython()
    )
    assert query_start == datetime(2026, 11, 26, 0, 0, tzinfo=SITE)
