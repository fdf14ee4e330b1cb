"""The stall card shows who else sees the stall in the tenants' portal (授权), and the admin
renews the stall's QR code from it (audited); a cashier has no such button."""

import os
import shutil

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app.models.portal import StallToken
from app.models.user import AuditEvent
from app.services.market import stalls
from app.services.portal import access
from app.services.portal.sms import set_up_sms
from tests.ui.stalls.test_stalls_view import open_stalls

OWNER, FRIEND = "13700000003", "13600000004"


def _choose(qtbot, view, code: str) -> None:
    row = next(
        r for r in range(view.table.proxy.rowCount()) if view.table.proxy.row_at(r).code == code
    )
    view.table.view.selectRow(row)
    qtbot.waitUntil(lambda: view.card.card is not None and view.card.card.code == code)


def test_the_card_lists_authorized_phones_and_the_admin_renews_the_qr(
    qtbot, market, make_client, sqlite_db
):
    stall = market.a_stall("A001")
    with sqlite_db.transaction() as s:
        owner = stalls.create_customer(s, market.admin, "王业主", OWNER).id
        stalls.set_stall_role(s, market.admin, stall, "owner", owner)
        access.authorize(s, market.site_id, OWNER, stall, FRIEND)
        set_up_sms(s, market.admin, "outbox", portal_url="https://portal.example.com")
        old = access.stall_token(s, stall)
    view = open_stalls(qtbot, make_client(market.admin))
    _choose(qtbot, view, "A001")
    assert view.card.portal.text() == f"{FRIEND} (authorized by {OWNER})"
    assert view.renew_qr_button.isVisible()
    seen: list[str] = []

    def answer(button):
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, lambda: answer(button))
            return
        seen.append(box.text())
        box.button(button).click() if box.button(button) else box.accept()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    view.renew_qr_button.click()
    qtbot.waitUntil(lambda: len(seen) == 1)
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
    with sqlite_db.reading() as s:
        new = s.scalar(select(StallToken.token).where(StallToken.stall_id == stall))
        audited = s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "portal.renew_qr"))
    assert new != old and seen[1].endswith(f"https://portal.example.com/s/{new}")
    assert audited == market.admin.username

    cashier = open_stalls(qtbot, make_client(market.cashier))
    _choose(qtbot, cashier, "A001")
    assert not cashier.renew_qr_button.isVisible()


def test_the_stall_plate_is_a_pdf_with_the_stalls_code_name_and_qr(
    qtbot, market, make_client, sqlite_db, tmp_path
):
    market.a_stall("A-064", name="张三蔬菜")
    with sqlite_db.transaction() as s:
        set_up_sms(s, market.admin, "outbox", portal_url="https://portal.example.com")
    view = open_stalls(qtbot, make_client(market.cashier))  # any clerk prints plates
    _choose(qtbot, view, "A-064")
    out = tmp_path / "plate.pdf"
    with qtbot.waitSignal(view.plate_saved, timeout=10000):
        view.save_plate(str(out))
    text = PdfReader(out).pages[0].extract_text()
    assert "A-064" in text and "张三蔬菜" in text and "城南农贸市场" in text
    assert "扫码查看余额" in text
    if os.environ.get("PORTAL_SCREENSHOTS"):
        shutil.copy(out, os.environ["PORTAL_SCREENSHOTS"])


def test_a_plate_needs_the_portals_address_first(sqlite_db, market):
    from app.services.platform.context import ServiceError

    stall = market.a_stall("A001")
    with pytest.raises(ServiceError) as refused, sqlite_db.transaction() as s:
        access.stall_plates(s, market.cashier, [stall])
    assert refused.value.code == "required" and "--portal-url" in refused.value.text("en")
