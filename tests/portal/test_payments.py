"""A tenant recharges online: the portal's notification endpoints on a real uvicorn server, the
payment platforms' local doubles on real HTTP, one SQLite database."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import requests
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from app.comm.payments.wechat import is_signed_by
from app.models.account import Account, LedgerEntry, PayMethod, Receipt
from app.models.payment import OrderState, PaymentOrder
from app.models.site import Stall, StallStatus
from app.models.user import AuditEvent
from app.portal.payments import router, start_recharge
from app.services.money import accounts, online_payments
from app.services.platform.context import ServiceError
from app.words import ENGLISH
from tests.builders import Market
from tests.payment_doubles import AlipayDouble, WechatDouble, a_key_pair
from tests.waiting import wait_until


@contextmanager
def a_portal(db):
    """The portal's payment routes in a minimal FastAPI app on 127.0.0.1."""
    app = FastAPI()
    app.state.db = db
    app.include_router(router)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert wait_until(lambda: server.started, timeout_s=30), "portal did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def paying(sqlite_db):
    """A market with stall A001 (balance 0), a portal, and both platforms set up by its admin."""
    db = sqlite_db
    m = Market(db)
    stall_id = m.a_stall("A001")
    merchant_private, merchant_public = a_key_pair()
    app_private, app_public = a_key_pair()
    wechat = WechatDouble(merchant_public).start()
    alipay = AlipayDouble(app_public).start()
    with a_portal(db) as portal:
        with db.transaction() as s:
            online_payments.set_payment_settings(
                s,
                m.admin,
                "wechat",
                wechat.settings(merchant_private, f"{portal}/pay/notify/wechat"),
            )
            online_payments.set_payment_settings(
                s, m.admin, "alipay", alipay.settings(app_private, f"{portal}/pay/notify/alipay")
            )
        yield db, m, stall_id, wechat, alipay, merchant_public
    wechat.stop()
    alipay.stop()


def balance(db, stall_id) -> Decimal:
    with db.transaction() as s:
        return s.scalar(select(Account.balance).where(Account.stall_id == stall_id))


def entries(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(LedgerEntry))


def alerts(db, m) -> list[str]:
    with db.transaction() as s:
        return [a.text for a in online_payments.payment_alerts(s, m.admin, lang=ENGLISH)]


def test_tenant_pays_by_wechat_native_and_the_stall_is_credited_exactly_once(paying):
    db, m, stall_id, wechat, _alipay, _ = paying
    start = start_recharge(db, stall_id, "88.50", "wechat", "native")
    assert start.code_url.startswith("weixin://wxpay/bizpayurl?pr=")
    assert wechat.orders[start.order_no].total_fen == 8850  # the double checked our signature
    assert balance(db, stall_id) == Decimal("0.00")  # an order alone credits nothing

    delivery = wechat.pay(start.order_no)
    assert delivery.status == 204 and delivery.attempts == 1
    assert balance(db, stall_id) == Decimal("88.50")
    with db.transaction() as s:
        receipt = s.scalar(select(Receipt).order_by(Receipt.id.desc()))
        assert (receipt.method, receipt.operator_name, receipt.amount) == (
            PayMethod.WECHAT,
            "online_payment",
            Decimal("88.50"),
        )
        order = s.scalar(select(PaymentOrder).where(PaymentOrder.order_no == start.order_no))
        assert order.state is OrderState.PAID and order.receipt_id == receipt.id
        assert order.provider_txn_id == wechat.orders[start.order_no].transaction_id
        now = datetime.now(UTC)
        shift = accounts.shift_summary(s, None, now - timedelta(hours=1), now + timedelta(hours=1))
        assert shift.by_method == {PayMethod.WECHAT: Decimal("88.50")}

    # WeChat Pay sends it again (our answer was lost): handled, nothing credited twice
    before = entries(db)
    again = wechat.notify(wechat.orders[start.order_no], (delivery.headers, delivery.body))
    assert again.status == 204
    assert balance(db, stall_id) == Decimal("88.50") and entries(db) == before
    assert alerts(db, m) == []


def test_a_tampered_wechat_notification_is_refused_and_the_admin_is_alerted(paying):
    db, m, stall_id, wechat, _alipay, _ = paying
    start = start_recharge(db, stall_id, "10.00", "wechat", "native")
    wechat.pay(start.order_no, deliver=False)
    headers, body = wechat.notification(wechat.orders[start.order_no])
    note = json.loads(body)
    note["summary"] = "paid 1000.00"  # one changed byte of the body breaks the signature
    forged = wechat.notify(
        wechat.orders[start.order_no], (headers, json.dumps(note).encode()), attempts=1
    )
    assert forged.status == 400
    assert balance(db, stall_id) == Decimal("0.00")
    assert alerts(db, m) == [
        "The notification is not signed by the payment platform (forged or altered)"
    ]
    # the same notification untouched is credited: the refusal was the tampering
    good = wechat.notify(wechat.orders[start.order_no], (headers, body))
    assert good.status == 204 and balance(db, stall_id) == Decimal("10.00")


def test_a_signed_notification_for_another_amount_is_refused(paying):
    db, m, stall_id, wechat, _alipay, _ = paying
    start = start_recharge(db, stall_id, "50.00", "wechat", "native")
    delivery = wechat.pay(start.order_no, amount={"total": 1, "payer_total": 1, "currency": "CNY"})
    assert delivery.status == 400 and delivery.attempts == 3  # refused, so WeChat retries
    assert balance(db, stall_id) == Decimal("0.00")
    assert alerts(db, m)[0] == (
        f"Order {start.order_no} is for 50.00 yuan but the notification says 0.01"
    )
    with db.transaction() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == "payment.refused")).all()
        assert len(rows) == 3
        logged = json.dumps([r.detail for r in rows])
        assert wechat.apiv3_key not in logged and "PRIVATE" not in logged


def test_notifications_of_another_merchant_an_unknown_order_or_an_old_one_are_refused(paying):
    db, m, stall_id, wechat, _alipay, _ = paying
    start = start_recharge(db, stall_id, "20.00", "wechat", "native")
    wechat.pay(start.order_no, deliver=False)
    order = wechat.orders[start.order_no]
    other = wechat.notify(order, wechat.notification(order, mchid="1900000999"), attempts=1)
    old = wechat.notify(order, wechat.notification(order, stamp=int(time.time()) - 600), attempts=1)
    unknown = wechat.notify(
        order, wechat.notification(order, out_trade_no="MM20261207FFFFFFFFFFFFFFFF"), attempts=1
    )
    assert (other.status, old.status, unknown.status) == (400, 400, 400)
    assert balance(db, stall_id) == Decimal("0.00")
    assert alerts(db, m) == [
        "Order MM20261207FFFFFFFFFFFFFFFF is not one of this market's orders",
        "The notification is more than 5 minutes old or ahead (a replay, or this PC's clock "
        "is wrong)",
        f"Order {start.order_no}: the notification names another merchant or app "
        f"(1900000999/{wechat.appid})",
    ]


def test_jsapi_inside_wechat_gets_parameters_signed_for_the_wechat_browser(paying):
    db, _m, stall_id, _wechat, _alipay, merchant_public = paying
    start = start_recharge(db, stall_id, "30.00", "wechat", "jsapi", openid="oUpF8uMuAJO")
    p = start.jsapi
    assert p["package"].startswith("prepay_id=wx") and p["signType"] == "RSA"
    message = f"{p['appId']}\n{p['timeStamp']}\n{p['nonceStr']}\n{p['package']}\n".encode()
    assert is_signed_by(merchant_public, message, p["paySign"])
    h5 = start_recharge(db, stall_id, "30.00", "wechat", "h5", client_ip="10.1.2.3")
    assert h5.url.startswith("http://127.0.0.1:") and "prepay_id=" in h5.url


def test_an_order_the_platform_refuses_writes_nothing(paying, sqlite_db):
    db, m, stall_id, wechat, _alipay, _ = paying
    with db.transaction() as s:
        row = online_payments._setting(s, m.site_id, online_payments.PaymentProvider.WECHAT)
        row.settings = {**row.settings, "merchant_key": a_key_pair()[0]}  # not the merchant's
    with pytest.raises(ServiceError) as err:
        start_recharge(db, stall_id, "30.00", "wechat", "native")
    assert err.value.code == "provider" and wechat.refused_requests == 1
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(PaymentOrder)) == 0


def test_tenant_pays_by_alipay_and_a_tampered_notification_is_refused(paying):
    db, m, stall_id, _wechat, alipay, _ = paying
    start = start_recharge(db, stall_id, "66.00", "alipay", "precreate")
    assert start.code_url.startswith("https://qr.alipay.com/")
    order = alipay.orders[start.order_no]
    alipay.pay(start.order_no, deliver=False)
    form = alipay.notification(order)
    forged = alipay.notify(order, {**form, "total_amount": "6600.00"}, attempts=1)
    assert forged.status == 400 and balance(db, stall_id) == Decimal("0.00")
    delivered = alipay.notify(order, form)
    assert delivered.status == 200 and delivered.attempts == 1
    assert balance(db, stall_id) == Decimal("66.00")
    before = entries(db)
    assert alipay.notify(order, form).status == 200  # the repeat: `success`, nothing more
    assert balance(db, stall_id) == Decimal("66.00") and entries(db) == before
    assert alerts(db, m) == [
        "The notification is not signed by the payment platform (forged or altered)"
    ]
    with db.transaction() as s:
        receipt = s.scalar(select(Receipt).order_by(Receipt.id.desc()))
        assert receipt.method is PayMethod.ALIPAY
    wap = start_recharge(db, stall_id, "12.00", "alipay", "wap")
    assert wap.url.startswith(f"{alipay.url}/gateway.do?")
    assert requests.get(wap.url, timeout=30).text == "<html>cashier</html>"  # the phone opens it
    assert alipay.orders[wap.order_no].total_fen == 1200 and alipay.refused_requests == 0


def test_an_order_whose_notification_never_came_is_credited_by_query(paying):
    db, m, stall_id, wechat, alipay, _ = paying
    paid = start_recharge(db, stall_id, "40.00", "wechat", "native")
    unpaid = start_recharge(db, stall_id, "5.00", "wechat", "native")
    ali = start_recharge(db, stall_id, "7.00", "alipay", "precreate")
    wechat.pay(paid.order_no, deliver=False)
    alipay.pay(ali.order_no, deliver=False)
    later = datetime.now(UTC) + timedelta(minutes=10)
    got = {o.order_no: o.status for o in online_payments.query_pending(db, m.site_id, now=later)}
    assert got == {paid.order_no: "credited", unpaid.order_no: "unpaid", ali.order_no: "credited"}
    assert balance(db, stall_id) == Decimal("47.00")
    # asked again, nothing more is credited
    again = online_payments.query_pending(db, m.site_id, now=later + timedelta(hours=3))
    assert [(o.order_no, o.status) for o in again] == [(unpaid.order_no, "closed")]
    assert balance(db, stall_id) == Decimal("47.00")
    # the late notification of the queried order changes nothing
    assert (
        wechat.notify(
            wechat.orders[paid.order_no], wechat.notification(wechat.orders[paid.order_no])
        ).status
        == 204
    )
    assert balance(db, stall_id) == Decimal("47.00")


def test_reconciliation_lists_what_the_statement_and_the_credits_disagree_on(paying):
    db, m, stall_id, wechat, alipay, _ = paying
    credited = start_recharge(db, stall_id, "15.00", "wechat", "native")
    lost = start_recharge(db, stall_id, "25.00", "wechat", "native")
    ali = start_recharge(db, stall_id, "9.90", "alipay", "precreate")
    wechat.pay(credited.order_no)
    wechat.pay(lost.order_no, deliver=False)
    alipay.pay(ali.order_no)
    # a credit the platform does not know (e.g. its statement was cut short)
    alipay.orders.pop(ali.order_no)
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    diffs = online_payments.reconcile(db, m.admin, today.isoformat())
    got = [(d.provider.value, d.order_no, d.kind, d.text(ENGLISH)) for d in diffs]
    assert got == [
        ("wechat", lost.order_no, "not_credited", "On the statement but not credited here"),
        ("alipay", ali.order_no, "not_on_statement", "Credited here but not on the statement"),
    ]
    with pytest.raises(ServiceError) as err:
        online_payments.reconcile(db, m.cashier, today)
    assert err.value.code == "permission_denied"


def test_merchant_secrets_are_shown_masked_and_kept_when_left_empty(paying):
    db, m, _stall_id, wechat, _alipay, _ = paying
    with db.transaction() as s:
        shown = online_payments.payment_settings(s, m.admin, "wechat")
        assert (
            shown.settings["apiv3_key"] == "••••••" and shown.settings["merchant_key"] == "••••••"
        )
        assert shown.settings["mchid"] == wechat.mchid
        online_payments.set_payment_settings(
            s, m.admin, "wechat", {**shown.settings, "mchid": "1900000110"}
        )
        row = online_payments._setting(s, m.site_id, online_payments.PaymentProvider.WECHAT)
        assert (
            row.settings["apiv3_key"] == wechat.apiv3_key and row.settings["mchid"] == "1900000110"
        )
        with pytest.raises(ServiceError) as err:
            online_payments.set_payment_settings(
                s, m.admin, "wechat", {**shown.settings, "apiv3_key": "short"}
            )
        assert "32 characters" in err.value.text(ENGLISH)
        with pytest.raises(ServiceError) as err:
            online_payments.payment_settings(s, m.cashier, "wechat")
        assert err.value.code == "permission_denied"
        logged = json.dumps(
            s.scalars(
                select(AuditEvent.detail).where(AuditEvent.action == "payment.settings")
            ).all()
        )
        assert wechat.apiv3_key not in logged and "PRIVATE KEY" not in logged


def test_a_payment_the_recharge_refuses_is_alerted_and_credited_once_the_cause_is_fixed(paying):
    db, m, stall_id, wechat, _alipay, _ = paying
    start = start_recharge(db, stall_id, "35.00", "wechat", "native")
    with db.transaction() as s:
        s.get(Stall, stall_id).status = StallStatus.VACANT
    refused = wechat.pay(start.order_no)
    assert refused.status == 400 and balance(db, stall_id) == Decimal("0.00")
    said = alerts(db, m)
    assert len(said) == 3  # each of WeChat Pay's tries
    assert said[0].startswith(
        f"Order {start.order_no} is paid but could not be credited: Stall A001"
    )
    with db.transaction() as s:  # nothing of the refused recharge is left behind
        assert s.scalar(select(func.count()).select_from(Receipt)) == 0
        s.get(Stall, stall_id).status = StallStatus.ACTIVE
    [outcome] = online_payments.query_pending(db, m.site_id, order_no=start.order_no)
    assert outcome.status == "credited" and balance(db, stall_id) == Decimal("35.00")
