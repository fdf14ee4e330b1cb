"""The meter-status table with 20,000 rows: filtering, live updates."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.comm.types import MeterStatus
from app.services.market.meters import MeterRow
from app.ui.tables.meter_status_table import MeterStatusModel
from app.ui.tables.row_model import FilterProxy


def many_rows(n: int = 20_000) -> list[MeterRow]:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    return [
        MeterRow(
            id=i,
            kind="electric" if i % 2 else "water",
            address=f"{100000 + i}",
            channel_id=1 + i % 10,
            channel=f"COM{1 + i % 10}",
            building=f"{i % 20 + 1}号楼",
            stall_id=i,
            stall_code=f"B{i // 2:05d}",
            stall_name=f"档位{i // 2}",
            comm="offline" if i % 97 == 0 else "online",
            comm_error="",
            is_account_opened=True,
            total=Decimal(i) / 10,
            power_kw=0.5,
            balance=Decimal(i % 300) - 50,
            supply_on=i % 13 != 0,
            control_mode="prepaid",
            alarm_level=0,
            last_read_at=now,
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def table(qapp):
    model = MeterStatusModel()
    model.set_rows(many_rows())
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def test_typing_a_stall_code_filters_20000_meters_to_its_two(table):
    model, proxy = table
    assert proxy.rowCount() == 20_000
    proxy.set_text("B01234")
    rows = [proxy.row_at(i) for i in range(proxy.rowCount())]
    assert sorted(r.stall_code for r in rows) == ["B01234", "B01234"]
    assert {r.kind for r in rows} == {"electric", "water"}


def test_several_words_must_all_match_and_a_predicate_narrows_further(table):
    model, proxy = table
    proxy.set_text("com3 13号楼")
    expected = [r for r in model.rows if r.channel == "COM3" and r.building == "13号楼"]
    assert proxy.rowCount() == len(expected) > 0
    proxy.set_text("")
    proxy.set_predicate(lambda r: r.comm == "offline")
    assert proxy.rowCount() == sum(1 for r in model.rows if r.comm == "offline")


def test_sorting_by_balance_puts_the_most_owing_first(table):
    model, proxy = table
    balance_col = next(i for i, c in enumerate(model.columns) if c.key == "balance")
    proxy.sort(balance_col)
    assert proxy.row_at(0).balance == Decimal(-50)
    assert model.row_of[proxy.row_at(0).id] == 0


def test_status_pushed_from_the_comm_thread_updates_just_that_row(qtbot, table):
    import queue

    model, proxy = table
    q = queue.SimpleQueue()
    model.follow(q)
    target = model.rows[41]
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append(a.row()))
    q.put(
        MeterStatus(
            target.channel_id,
            target.address,
            online=False,
            failures=3,
            last_seen=None,
            error="无应答",
        )
    )
    model.drain_queue()
    assert set(changed) == {41}  # one signal per changed cell, all in that row
    assert model.rows[41].comm == "offline" and model.rows[41].comm_error == "无应答"


def test_a_status_that_changes_nothing_repaints_nothing_and_a_change_only_its_cells(qtbot, table):
    import queue

    model, _proxy = table
    q = queue.SimpleQueue()
    model.follow(q)
    target = model.rows[7]
    cells = []
    model.dataChanged.connect(lambda a, b: cells.append((a.row(), a.column(), b.row(), b.column())))
    same = MeterStatus(
        target.channel_id,
        target.address,
        online=target.comm == "online",
        failures=0,
        last_seen=None,
        error=target.comm_error,
    )
    q.put(same)
    model.drain_queue()
    assert cells == []
    q.put(
        MeterStatus(
            target.channel_id,
            target.address,
            online=target.comm != "online",
            failures=1,
            last_seen=None,
            error=target.comm_error,
        )
    )
    model.drain_queue()
    comm_col = next(i for i, c in enumerate(model.columns) if c.key == "comm")
    assert cells == [(7, comm_col, 7, comm_col)]


def test_rereading_many_rows_repaints_each_run_of_adjacent_changed_rows_with_one_signal(qapp):
    from dataclasses import replace

    model = MeterStatusModel()
    model.set_rows(many_rows(20))
    spans: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom: spans.append((top.row(), bottom.row())))
    rows = model.rows
    fresh = [replace(rows[i], total=rows[i].total + 1) for i in (7, 2, 3, 1)] + [
        rows[12]
    ]  # row 12 unchanged
    assert model.replace_rows(fresh) == 4
    assert spans == [(1, 3), (7, 7)]
    assert [model.rows[i].total for i in (1, 2, 3, 7)] == [
        r.total for r in sorted(fresh[:4], key=lambda r: r.id)
    ]


def test_the_total_reading_shows_each_rows_unit_and_sorts_as_a_number(qapp):
    from PySide6.QtCore import Qt

    rows = many_rows(4)  # odd ids electric, even water
    model = MeterStatusModel()
    model.set_rows(rows)
    col = next(i for i, c in enumerate(model.columns) if c.key == "total")
    shown = {model.rows[r].id: model.data(model.index(r, col)) for r in range(4)}
    assert shown == {1: "0.10 kWh", 2: "0.200 m³", 3: "0.30 kWh", 4: "0.400 m³"}
    model.sort(col, Qt.SortOrder.DescendingOrder)
    assert [r.total for r in model.rows] == sorted((r.total for r in rows), reverse=True)


def test_the_balance_stays_in_view_at_1024x768(qtbot, sqlite_db, market, make_client):
    from app.ui.meters.meters_view import MetersView
    from tests.ui.conftest import add_meters

    add_meters(sqlite_db, market, 3)
    view = MetersView(make_client(market.admin))
    qtbot.addWidget(view)
    view.resize(1024 - 150 - 24, 680)  # beside the navigation, in the window's margins
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    header = view.table.view.horizontalHeader()
    for key in ("balance", "supply", "total"):
        col = next(i for i, c in enumerate(view.model.columns) if c.key == key)
        right = header.sectionViewportPosition(col) + header.sectionSize(col)
        assert 0 <= header.sectionViewportPosition(col) and right <= header.viewport().width(), key
