"""Online payments' service on both databases: the same notification delivered twice at the same
moment (WeChat Pay retries while the first is still being handled) credits once."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import func, select

from app.models.account import Account, Receipt
from app.portal.payments import start_recharge
from app.services.money import online_payments
from tests.builders import Market
from tests.payment_doubles import WechatDouble, a_key_pair


def test_the_same_notification_handled_twice_at_once_credits_once(db):
    m = Market(db)
    stall_id = m.a_stall("A001")
    private, public = a_key_pair()
    wechat = WechatDouble(public).start()
    try:
        with db.transaction() as s:
            online_payments.set_payment_settings(
                s, m.admin, "wechat", wechat.settings(private, "http://127.0.0.1:9/unused")
            )
        order = start_recharge(db, stall_id, "60.00", "wechat", "native")
        wechat.pay(order.order_no, deliver=False)
        headers, body = wechat.notification(wechat.orders[order.order_no])
        start = threading.Barrier(2)
        outcomes = []

        def deliver():
            start.wait()
            with db.transaction() as s:
                outcomes.append(online_payments.handle_wechat_notification(s, headers, body).status)

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["credited", "repeat"]
        with db.transaction() as s:
            assert s.scalar(select(Account.balance).where(Account.stall_id == stall_id)) == (
                Decimal("60.00")
            )
            assert s.scalar(select(func.count()).select_from(Receipt)) == 1
    finally:
        wechat.stop()
