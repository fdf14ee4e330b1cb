"""The same actor has the same name on the receipt, in the recharge history, in the shift
report and in the monthly review steps; the command line and the program itself have one
clear name in both languages."""

import pytest
from PySide6.QtCore import QLocale

from app.models.account import PayMethod
from app.models.labels import BUILT_IN_ACTOR
from app.models.user import Role
from app.services.money.accounts import RechargeRequest, receipt, recharge, recharge_history
from app.services.office import reports as rep
from app.services.office.receipts_render import LAYOUTS, receipt_lines
from app.services.platform.context import CLI_ACTOR, SYSTEM_ACTOR, Actor, Conflict
from app.services.platform.users import add_user
from app.ui.cashier.history_view import RechargeHistoryView
from app.ui.labels import label
from app.ui.main import install_language
from app.ui.reports.reports_view import ReportsView


@pytest.fixture
def language(qapp):
    before = QLocale()
    yield lambda lang: install_language(qapp, lang)
    install_language(qapp, "en")
    qapp.setProperty("mm_language", None)
    QLocale.setDefault(before)


@pytest.fixture
def two_recharges(market, sqlite_db):
    """One at the counter by 小李, one from the ops command line (no user)."""
    stall = market.a_stall("A001")
    cli = Actor(None, CLI_ACTOR, Role.ADMIN, market.site_id)
    with sqlite_db.transaction() as s:
        by_clerk = recharge(
            s, market.cashier, RechargeRequest(stall_id=stall, amount="100", method=PayMethod.CASH)
        )
        by_cli = recharge(
            s, cli, RechargeRequest(stall_id=stall, amount="20", method=PayMethod.CASH)
        )
    return by_clerk, by_cli


def printed_operator(db, receipt_id: int) -> str:
    with db.transaction() as s:
        data = receipt(s, receipt_id)
    return next(l.value for l in receipt_lines(data, LAYOUTS["58mm"]) if l.text == "操作员")


def test_receipt_history_and_shift_report_name_the_same_actor_alike(
    market, sqlite_db, two_recharges
):
    by_clerk, by_cli = two_recharges
    assert printed_operator(sqlite_db, by_clerk.receipt_id) == "小李"
    assert printed_operator(sqlite_db, by_cli.receipt_id) == "命令行"
    with sqlite_db.transaction() as s:
        history = {r.receipt_no: r.operator_name for r in recharge_history(s)}
        report = rep.shift_report(
            s,
            market.admin,
            by_clerk.at.replace(hour=0, minute=0),
            by_cli.at.replace(hour=23, minute=59),
        )
    assert history == {by_clerk.receipt_no: "小李", by_cli.receipt_no: CLI_ACTOR}
    assert {l.operator for l in report.by_operator} == {"小李", CLI_ACTOR}
    printed = {rep.shift_line_dict(l)["operator"] for l in report.lines}
    assert printed == {"小李", "命令行"} and "系统" not in printed


def test_no_user_may_take_a_name_of_the_program(market, sqlite_db):
    with sqlite_db.transaction() as s, pytest.raises(Conflict):
        add_user(s, market.admin, "CLI", "secret-pass", Role.CASHIER)


@pytest.mark.parametrize("lang, word", [("en", "Command line"), ("zh_CN", "命令行")])
def test_the_views_show_the_command_line_in_the_clients_language(
    qtbot, language, market, make_client, two_recharges, lang, word
):
    language(lang)
    # The program's own actions: one label, the same words as printed in Chinese documents.
    assert (
        label(SYSTEM_ACTOR)
        == {"en": "System (automatic)", "zh_CN": BUILT_IN_ACTOR[SYSTEM_ACTOR].say("zh_CN")}[lang]
    )
    client = make_client()
    history = RechargeHistoryView(client)
    qtbot.addWidget(history)
    history.show()
    history.refresh()
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=10000)
    col = next(i for i, c in enumerate(history.model.columns) if c.key == "operator_name")
    shown = {history.model.index(i, col).data() for i in range(2)}
    assert shown == {"小李", word}

    reports = ReportsView(client)
    qtbot.addWidget(reports)
    reports.show()
    with qtbot.waitSignal(reports.loaded, timeout=10000):
        reports.refresh()
    col = next(i for i, c in enumerate(reports.shift.model.columns) if c.key == "operator")
    assert word in {
        reports.shift.model.index(i, col).data() for i in range(reports.shift.model.rowCount())
    }
