"""A stall's QR: the portal's address with the stall's token on the receipt once the market
has one, read by the counter's scanner like the stall code; renewed by the admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.account import PayMethod
from app.models.user import AuditEvent
from app.services.market.stalls import stall_card
from app.services.money.accounts import RechargeRequest, mark_printed, receipt, recharge
from app.services.office.receipts_render import LAYOUTS, receipt_lines
from app.services.platform.context import NotFound, PermissionDenied
from app.services.portal.access import renew_stall_token, stall_by_token
from app.services.portal.sms import set_up_sms
from tests.builders import Market


def _qr_of(data) -> str:
    return next(line.text for line in receipt_lines(data, LAYOUTS["58mm"]) if line.kind == "qr")


def test_the_receipts_qr_is_the_portal_address_and_the_counter_reads_it(db):
    sqlite_db = db  # on SQLite and on PostgreSQL
    m = Market(sqlite_db)
    stall = m.a_stall("A-064")
    with sqlite_db.transaction() as s:
        done = recharge(
            s, m.cashier, RechargeRequest(amount="50", method=PayMethod.CASH, stall_id=stall)
        )
        assert _qr_of(mark_printed(s, done.receipt_id)) == "MMSTALL:A-064"  # no portal yet
        set_up_sms(s, m.admin, "outbox", portal_url="https://portal.example.com/")
        printed = mark_printed(s, done.receipt_id)
    url = _qr_of(printed)
    assert url.startswith("https://portal.example.com/s/") and len(url) > 40
    with sqlite_db.reading() as s:
        assert _qr_of(receipt(s, done.receipt_id)) == url  # the same token, read again
        assert stall_card(s, url, site_id=m.site_id).code == "A-064"  # the scanner's lookup


def test_renewing_the_token_retires_the_printed_qr_and_is_audited(sqlite_db):
    m = Market(sqlite_db)
    stall = m.a_stall("A001")
    with sqlite_db.transaction() as s:
        set_up_sms(s, m.admin, "outbox", portal_url="https://portal.example.com")
        done = recharge(
            s, m.cashier, RechargeRequest(amount="5", method=PayMethod.CASH, stall_id=stall)
        )
        old = _qr_of(mark_printed(s, done.receipt_id)).rsplit("/", 1)[1]
    with pytest.raises(PermissionDenied), sqlite_db.transaction() as s:
        renew_stall_token(s, m.cashier, stall)
    with sqlite_db.transaction() as s:
        new = renew_stall_token(s, m.admin, stall)
    assert new != old
    with sqlite_db.reading() as s:
        assert stall_by_token(s, m.site_id, new).code == "A001"
        with pytest.raises(NotFound):
            stall_by_token(s, m.site_id, old)
        with pytest.raises(NotFound):
            stall_card(s, f"https://portal.example.com/s/{old}", site_id=m.site_id)
        assert (
            s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "portal.renew_qr"))
            == "boss"
        )
