"""The counter and the views read while another writer (the collection service, a long
import) holds the database's write turn: reads take no writer turn."""

import threading

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from app.models.site import Stall
from app.ui import ops
from app.ui.cashier.recharge_view import RechargeView
from app.ui.stalls.stalls_view import StallsView

WRITER_HOLDS_S = 60  # far longer than any read below may take


@pytest.fixture
def long_writer(sqlite_db):
    """Start it to hold a write transaction on the same file on another thread
    until the test ends."""
    holding, release = threading.Event(), threading.Event()

    def write() -> None:
        with sqlite_db.transaction() as s:
            s.execute(update(Stall).values(area_m2=12))
            holding.set()
            release.wait(WRITER_HOLDS_S)

    thread = threading.Thread(target=write, daemon=True)

    def start() -> None:
        thread.start()
        assert holding.wait(10)

    yield start
    release.set()
    thread.join(10)


def test_stall_lookup_search_and_a_view_load_do_not_wait_for_a_writer(
    qtbot, market, make_client, long_writer
):
    market.a_stall("A001", balance="12.30", tenant="张三")
    market.a_stall("A002", tenant="李四")
    client = make_client(market.cashier)
    counter, stalls_view = RechargeView(client), StallsView(make_client(market.admin))
    for view in (counter, stalls_view):
        qtbot.addWidget(view)
    qtbot.waitUntil(lambda: ops.runner().in_flight == 0, timeout=10000)

    long_writer()

    qtbot.keyClicks(counter.code_edit, "A001")
    with qtbot.waitSignal(counter.card_shown, timeout=3000):  # by code
        qtbot.keyClick(counter.code_edit, Qt.Key.Key_Return)
    assert counter.card.code == "A001"

    counter.code_edit.setText("李四")
    with qtbot.waitSignal(counter.card_shown, timeout=3000):  # not a code: searched by tenant
        qtbot.keyClick(counter.code_edit, Qt.Key.Key_Return)
    assert counter.card.code == "A002"

    with qtbot.waitSignal(stalls_view.loaded, timeout=3000):
        stalls_view.refresh()
    assert {r.code for r in stalls_view.model.rows} == {"A001", "A002"}


def test_a_read_only_op_that_writes_fails_and_writes_nothing(qtbot, runner, market):
    stall_id = market.a_stall("A001")
    failed = []

    def rename(s):
        s.get(Stall, stall_id).name = "改名"
        s.flush()

    ops.QueryOp(None, rename).failure(failed.append).run()
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=5000)
    assert failed and "DbOp" in str(failed[0])
    with market.db.transaction() as s:
        assert s.get(Stall, stall_id).name == "A001 蔬菜"
