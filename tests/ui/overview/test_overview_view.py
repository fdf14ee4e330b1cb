"""The overview says what the clerk must act on."""

from __future__ import annotations

from app.comm.types import ChannelKind, IdentityEvent, IdentityEventKind
from app.services.market.collection import record_identity_events
from app.ui.overview.overview_view import OverviewView


def test_meters_without_a_tariff_are_pointed_out_because_their_usage_is_billed_nothing(
    qtbot, market, make_client
):
    priced = market.a_stall("A001")
    market.a_meter(priced, address="1", price="1.20")
    unpriced = market.a_stall("A002")
    market.a_meter(unpriced, address="2")
    market.a_meter(unpriced, address="3")
    view = OverviewView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert view.data.meters_without_tariff == 2
    assert (
        "2 meters have no tariff" in view.unsettled.detail.text()
    )  # the tests run the client in English


def test_the_meters_list_shows_each_meters_price_plan_and_finds_those_without_one(
    qtbot, market, make_client
):
    from app.ui.meters.meters_view import MetersView

    priced = market.a_stall("A001")
    market.a_meter(priced, address="1", price="1.20")
    unpriced = market.a_stall("A002")
    market.a_meter(unpriced, address="2")
    market.a_meter(unpriced, address="3")
    view = MetersView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    view.table.filter_edit.setText("billed nothing")
    qtbot.waitUntil(lambda: view.table.proxy.rowCount() == 2)
    assert sorted(view.table.proxy.row_at(r).address for r in range(2)) == ["2", "3"]
    view.table.filter_edit.setText("electric 1.20")  # the builder's name for the flat price
    qtbot.waitUntil(lambda: view.table.proxy.rowCount() == 1)
    assert view.table.proxy.row_at(0).address == "1"


def test_meters_in_identity_conflict_are_pointed_out(qtbot, market, make_client):
    line = market.a_channel("4G 电表", ChannelKind.ACREL_4G)
    market.a_meter(market.a_stall("A001"), address="A4G0001", channel_id=line)
    with market.db.transaction() as s:
        record_identity_events(
            s,
            market.site_id,
            [
                IdentityEvent(
                    line, "A4G0001", IdentityEventKind.FLAPPING, "89860000000000000666", "身份冲突"
                )
            ],
        )
    view = OverviewView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert "1 meters in identity conflict" in view.errors.text()


def test_while_the_collection_service_is_stopped_the_errors_box_does_not_claim_no_errors(
    qtbot, market, make_client
):
    from app.services.platform import market_service

    market.a_meter(market.a_stall("A001"), address="1", price="1.20")
    client = make_client(market.admin)
    view = OverviewView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert "No errors in the last collection." in view.errors.text()
    with market.db.transaction() as s:
        market_service.begin(s, market.site_id, "前台电脑", 4242)
        market_service.end(s, market.site_id)
    with market.db.transaction() as s:
        stopped = market_service.state(s, market.site_id)
    with qtbot.waitSignal(client.comm.service_state_changed, timeout=10_000):
        client.comm.on_service_state(stopped)  # what the follower reports after its read
    assert view.stopped.isVisible()
    assert "No errors" not in view.errors.text()
    assert "Nothing is known since" in view.errors.text()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()  # the minute's refresh keeps saying it
    assert "No errors" not in view.errors.text()
    assert "Nothing is known since" in view.errors.text()
    with market.db.transaction() as s:
        market_service.begin(s, market.site_id, "前台电脑", 4243)
    with market.db.transaction() as s:
        running = market_service.state(s, market.site_id)
    with qtbot.waitSignal(client.comm.service_state_changed, timeout=10_000):
        client.comm.on_service_state(running)
    assert "No errors in the last collection." in view.errors.text()
