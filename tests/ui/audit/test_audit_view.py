"""The operation log view: who did what, filtered, page by page, exported."""

from __future__ import annotations

from openpyxl import load_workbook

from app.models.account import PayMethod
from app.services.money.accounts import RechargeRequest, recharge
from app.ui.audit import audit_view
from app.ui.audit.audit_view import AuditView


def test_admin_reads_the_log_by_stall_page_by_page_and_exports_it(
    qtbot, market, make_client, monkeypatch, tmp_path
):
    a1, a2 = market.a_stall("A001"), market.a_stall("A002")
    for n in range(5):
        with market.db.transaction() as s:
            recharge(
                s,
                market.cashier,
                RechargeRequest(
                    stall_id=a1 if n % 2 == 0 else a2, amount=str(10 + n), method=PayMethod.CASH
                ),
            )
    monkeypatch.setattr(audit_view, "PAGE_SIZE", 2)
    view = AuditView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    view.kind.setCurrentIndex(view.kind.findData("recharge"))
    view.stall.setText("A001")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.first_page()
    seen = [(r.person, r.stall_code, r.amount) for r in view.model.rows]
    assert seen == [("小李", "A001", 14), ("小李", "A001", 12)]
    assert view.older_button.isEnabled() and not view.newer_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.older()
    assert [r.amount for r in view.model.rows] == [10] and not view.older_button.isEnabled()
    assert "Page 2" in view.page_label.text()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.newer()
    assert [r.amount for r in view.model.rows] == [14, 12]
    with qtbot.waitSignal(view.saved, timeout=15000) as saved:
        view.export(tmp_path / "log.xlsx")
    ws = load_workbook(saved.args[0]).active
    amounts = [row[5] for row in ws.iter_rows(values_only=True) if row[3] == "A001"]
    assert sorted(amounts) == [10, 12, 14]  # every page of the filter, not just the one shown
