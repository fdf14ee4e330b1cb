"""Batch meter operations: commands are durable rows; results come as the comm service finishes
them."""

from sqlalchemy import func, select

from app.comm.types import Action
from app.models.meter import CommandStatus, Meter, MeterCommand
from app.services.market import control
from app.ui.meters.meter_ops import BATCH_ACTIONS
from app.ui.meters.meters_view import MetersView
from tests.ui.conftest import add_meters

TRIP = next(b for b in BATCH_ACTIONS if b.key == "trip")


def test_batch_trip_of_50_meters_creates_50_commands_and_shows_each_result(
    qtbot, sqlite_db, market, make_client
):
    meter_ids = add_meters(sqlite_db, market, 50)
    view = MetersView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert view.model.rowCount() == 50
    view.table.view.selectAll()

    with qtbot.waitSignal(view.batch_opened, timeout=10000) as opened:
        view.run_batch(TRIP, reason="月底欠费", ask=False)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    with sqlite_db.transaction() as s:
        commands = s.scalars(select(MeterCommand).where(MeterCommand.action == Action.TRIP)).all()
        assert len(commands) == 50 and {c.meter_id for c in commands} == set(meter_ids)
        assert all(c.status == CommandStatus.PENDING for c in commands)
        ids = [c.id for c in commands]
    assert "50 meters" in dialog.summary.text() and "50 waiting" in dialog.summary.text()

    # The comm service finishes them: 47 trip, 3 do not answer.
    with sqlite_db.transaction() as s:
        for i, command_id in enumerate(ids):
            ok = i >= 3
            control.command_finished(
                s,
                command_id,
                ok,
                relay_closed=False if ok else None,
                reason="" if ok else "表计无应答（已重试 3 次）",
            )
    with qtbot.waitSignal(dialog.finished_all, timeout=10000):
        dialog.poll_now()
    states = [line.state for line in dialog.model.rows]
    assert states.count("succeeded") == 47 and states.count("failed") == 3
    failed = [line for line in dialog.model.rows if line.state == "failed"]
    assert all(line.message == "表计无应答（已重试 3 次）" for line in failed)
    assert "47 succeeded, 3 failed" in dialog.summary.text()
    # The meters' rows follow: tripped ones show it.
    qtbot.waitUntil(
        lambda: sum(1 for r in view.model.rows if r.supply_on is False) == 47, timeout=10000
    )
    with sqlite_db.transaction() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(MeterCommand)
                .where(MeterCommand.status == CommandStatus.PENDING)
            )
            == 0
        )


def test_a_cashier_sees_only_read_now(qtbot, market, make_client):
    view = MetersView(make_client(market.cashier))
    qtbot.addWidget(view)
    visible = {key for key, b in view.batch_buttons.items() if not b.isHidden()}
    assert visible == {"read_now"}


def trip_all_meters(qtbot, client):
    """The meters view, every meter selected and tripped: the batch result dialog."""
    view = MetersView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    view.table.view.selectAll()
    with qtbot.waitSignal(view.batch_opened, timeout=10000) as opened:
        view.run_batch(TRIP, reason="检查", ask=False)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    return dialog


def test_a_meter_already_tripped_gets_no_command_and_the_clerk_reads_why(
    qtbot, sqlite_db, market, make_client
):
    add_meters(sqlite_db, market, 2, supply_on=False)
    dialog = trip_all_meters(qtbot, make_client(market.admin))
    assert [(line.state, line.message) for line in dialog.model.rows] == [
        ("not_sent", "Already in this state: nothing to send")
    ] * 2
    assert "2 not sent" in dialog.summary.text()


def test_a_manual_trip_and_valve_close_read_as_forced_in_the_meters_view_and_on_the_stall_card(
    qtbot, sqlite_db, market, make_client
):
    from PySide6.QtCore import Qt

    from app.comm.types import MeterKind
    from app.services.market.stalls import stall_card
    from app.ui.stalls.stall_card_widget import StallCardWidget
    from app.ui.tables.meter_status_table import COLUMNS

    electric = add_meters(sqlite_db, market, 2)
    with sqlite_db.transaction() as s:
        stall_id = s.get(Meter, electric[0]).stall_id
    water = [market.a_meter(stall_id, MeterKind.WATER, address="W1")]
    view = MetersView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    view.table.view.selectAll()  # the trip applies to the electricity meters only
    with qtbot.waitSignal(view.batch_opened, timeout=10000) as opened:
        view.run_batch(TRIP, reason="线路检修", ask=False)
    qtbot.addWidget(opened.args[0])
    close_valve = next(b for b in BATCH_ACTIONS if b.key == "valve_close")
    with qtbot.waitSignal(view.batch_opened, timeout=10000) as opened:
        view.run_batch(close_valve, reason="漏水", ask=False)
    qtbot.addWidget(opened.args[0])
    column = [c.key for c in COLUMNS].index("control_mode")

    def shown(meter_id):
        return view.model.data(
            view.model.index(view.model.row_of[meter_id], column), Qt.ItemDataRole.DisplayRole
        )

    qtbot.waitUntil(
        lambda: (
            [shown(i) for i in electric + water] == ["Forced trip"] * 2 + ["Forced valve closed"]
        ),
        timeout=10000,
    )
    with sqlite_db.transaction() as s:
        card = stall_card(s, "M000", site_id=market.site_id)
    widget = StallCardWidget()
    qtbot.addWidget(widget)
    widget.show_card(card)
    assert "Forced trip" in widget.meters.text() and "Forced valve closed" in widget.meters.text()
