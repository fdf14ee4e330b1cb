"""Who may do what is one table (app.services.platform.context.May): the services refuse by
it and the client shows its buttons by it, so for every role a button is there exactly when
the service behind it would do the work."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

from app.models.user import Role
from app.services.platform.context import Actor, May, PermissionDenied, require
from app.ui.cashier.history_view import RechargeHistoryView
from app.ui.main_window import MainWindow
from app.ui.meters.meters_view import MetersView
from app.ui.monthly.monthly_view import MonthlyView
from app.ui.settings.settings_view import SettingsView
from app.ui.shared_costs.shared_costs_view import SharedCostsView
from app.ui.stalls.stalls_view import StallsView

# The words of a refusal that names its parameters.
PARAMS = {May.RUN_COMMANDS_ON_METERS: {"action": "trip", "name": "分闸"}}


def service_allows(role: Role, action: May) -> bool:
    try:
        require(Actor(None, f"a {role.value}", role, 1), action, **PARAMS.get(action, {}))
    except PermissionDenied:
        return False
    return True


def actor(market, role: Role) -> Actor:
    return Actor(None, f"a {role.value}", role, market.site_id)


@pytest.mark.parametrize("role", list(Role))
def test_for_every_action_the_client_may_what_the_service_allows(role, market, make_client):
    client = make_client(actor(market, role))
    differ = [a.name for a in May if client.may(a) != service_allows(role, a)]
    assert differ == []
    # and the table is not empty-handed: each role is refused something but an admin
    assert any(not service_allows(role, a) for a in May) is (role is not Role.ADMIN)


def button_states(qtbot, client) -> dict[May, bool]:
    """What the views show each role, by the action behind each button."""
    views = [
        RechargeHistoryView(client),
        MonthlyView(client),
        SharedCostsView(client),
        StallsView(client),
        MetersView(client),
        SettingsView(client),
    ]
    for v in views:
        qtbot.addWidget(v)
    history, monthly, shared, stalls, meters, settings = views
    shown = {
        May.REVERSE_RECHARGES: history.reverse_button.isVisibleTo(history),
        May.BUILD_MONTHLY_REPORTS: monthly.build_button.isVisibleTo(monthly),
        May.SUBMIT_MONTHLY_REPORTS: monthly.submit_button.isVisibleTo(monthly),
        May.APPROVE_MONTHLY_REPORTS: monthly.approve_button.isVisibleTo(monthly),
        May.RETURN_MONTHLY_REPORTS: monthly.return_button.isVisibleTo(monthly),
        May.REOPEN_MONTHLY_REPORTS: monthly.reopen_button.isVisibleTo(monthly),
        May.SET_UP_SHARED_COSTS: shared.new_pool_button.isVisibleTo(shared),
        May.GENERATE_SHARED_COST_BILLS: shared.generate_button.isVisibleTo(shared),
        May.REVIEW_SHARED_COST_BILLS: shared.review_button.isVisibleTo(shared),
        May.ISSUE_SHARED_COST_BILLS: shared.issue_button.isVisibleTo(shared),
        May.ADD_STALLS: stalls.add_button.isVisibleTo(stalls),
        May.DELETE_STALLS: stalls.delete_button.isVisibleTo(stalls),
        May.READ_METERS_NOW: meters.batch_buttons["read_now"].isVisibleTo(meters),
        May.RUN_COMMANDS_ON_METERS: all(
            b.isVisibleTo(meters) for k, b in meters.batch_buttons.items() if k != "read_now"
        ),
        May.ADD_METERS: meters.add_button.isEnabled(),
        May.REPLACE_METERS: meters.replace_button.isEnabled(),
        May.HANDLE_ABNORMAL_READINGS: meters.held_button.isEnabled(),
    }
    for page_name, add, more in (
        ("buildings", May.ADD_BUILDINGS, {"Delete …": May.DELETE_BUILDINGS}),
        ("channels", May.ADD_COMM_CHANNELS, {"Delete …": May.DELETE_COMM_CHANNELS}),
        ("charge_items", May.ADD_CHARGE_ITEMS, {"Delete …": May.DELETE_CHARGE_ITEMS}),
        ("tariffs", May.ADD_TARIFFS, {}),
        ("users", May.ADD_USERS, {"Disable …": May.DEACTIVATE_USERS}),
    ):
        page = settings.show_page(page_name)
        button = page.buttons["add"]
        shown[add] = button.isEnabled() and (
            button.isVisibleTo(page) or page_name not in ("tariffs", "users")
        )
        for text, action in more.items():
            shown[action] = page.buttons[text].isEnabled() and page.buttons[text].isVisibleTo(page)
    market_page = settings.show_page("market")
    shown[May.CHANGE_MARKET_DETAILS] = market_page.save_button.isVisibleTo(market_page)
    alarms = settings.show_page("alarms")
    # (its buttons wait for the stored rules; the fields they save do not)
    shown[May.CHANGE_ALARM_LIMITS] = alarms.alarm1.isEnabled()
    shown[May.SET_HOLIDAYS] = alarms.holiday_day.isEnabled()
    shown[May.CHANGE_THE_FRIENDLY_PERIOD] = alarms.night.isEnabled()
    return shown


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_buttons_are_the_services_rules(role, qtbot, market, make_client):
    client = make_client(actor(market, role))
    shown = button_states(qtbot, client)
    assert {a.name: s for a, s in shown.items()} == {a.name: service_allows(role, a) for a in shown}

    window = MainWindow(client)
    qtbot.addWidget(window)
    views = {e.name for e in window.entries}
    for name, action in (
        ("recharge", May.TAKE_RECHARGES),
        ("shared", May.VIEW_SHARED_COSTS),
        ("import", May.IMPORT_RECORDS_IN_BULK),
        ("audit", May.READ_OPERATION_LOG),
    ):
        assert (name in views) is service_allows(role, action), name
    for timer in window.findChildren(
        QTimer
    ):  # the overview's refresh: not after the test's database is gone
        timer.stop()


def test_one_change_of_a_rule_changes_the_service_and_the_button(
    qtbot, market, make_client, monkeypatch
):
    cashier = actor(market, Role.CASHIER)
    assert not service_allows(Role.CASHIER, May.REVERSE_RECHARGES)
    before = RechargeHistoryView(make_client(cashier))
    qtbot.addWidget(before)
    assert not before.reverse_button.isVisibleTo(before)

    monkeypatch.setattr(May.REVERSE_RECHARGES, "roles", (Role.CASHIER,))
    assert service_allows(Role.CASHIER, May.REVERSE_RECHARGES)
    after = RechargeHistoryView(make_client(cashier))
    qtbot.addWidget(after)
    assert after.reverse_button.isVisibleTo(after)
