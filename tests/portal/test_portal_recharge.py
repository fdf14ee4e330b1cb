"""A tenant recharges online in the portal, over real HTTP: the portal in uvicorn, the payment
platforms' local doubles on 127.0.0.1. The form offers what the market set up and what the
browser can use, an order is followed until it is credited, a tenant sees only their own
stalls' orders, and an order whose notification was lost is credited by the portal's timer."""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import requests
from sqlalchemy import func, select

from app.comm.payments.wechat import is_signed_by
from app.models.payment import PaymentOrder
from app.services.money import online_payments
from tests.payment_doubles import AlipayDouble, WechatDouble, a_key_pair
from tests.portal.market import TENANT_A, TENANT_B, a_portal_market
from tests.portal.server import csrf_of, serving
from tests.portal.test_payments import balance
from tests.portal.test_portal_http import signed_in
from tests.waiting import wait_until

IN_WECHAT = {
    "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI"
}
IN_MINI_PROGRAM = {"User-Agent": IN_WECHAT["User-Agent"] + " Language/zh_CN miniProgram/wx5f"}


@contextmanager
def paying_portal(db, *, alipay: bool = True, **options):
    """The portal of a market whose admin set up WeChat Pay (and Alipay) with the doubles."""
    pm = a_portal_market(db)
    merchant_private, merchant_public = a_key_pair()
    app_private, app_public = a_key_pair()
    wechat = WechatDouble(merchant_public).start()
    ali = AlipayDouble(app_public).start()
    try:
        with serving(db, **options) as url:
            with db.transaction() as s:
                online_payments.set_payment_settings(
                    s,
                    pm.market.admin,
                    "wechat",
                    wechat.settings(merchant_private, f"{url}/pay/notify/wechat"),
                )
                if alipay:
                    online_payments.set_payment_settings(
                        s,
                        pm.market.admin,
                        "alipay",
                        ali.settings(app_private, f"{url}/pay/notify/alipay"),
                    )
            yield pm, url, wechat, ali
    finally:
        wechat.stop()
        ali.stop()


def ways(html: str) -> list[str]:
    return re.findall(r'name="way" value="([a-z0-9:]+)"', html)


def orders(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(PaymentOrder))


def start(web, url, stall_id, amount, way, **kw) -> requests.Response:
    form = web.get(f"{url}/stalls/{stall_id}/recharge", **kw)
    return web.post(
        f"{url}/stalls/{stall_id}/recharge",
        data={"amount": amount, "way": way, "csrf": csrf_of(form.text)},
        allow_redirects=False,
        **kw,
    )


def order_no_of(html: str) -> str:
    return re.search(r"/orders/(MM[0-9A-F]+)", html).group(1)


def test_the_form_offers_the_platforms_set_up_and_what_the_browser_can_use(sqlite_db):
    with paying_portal(sqlite_db, alipay=False) as (pm, url, _wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        stall = web.get(f"{url}/stalls/{pm.stall_a}")
        assert f'href="/stalls/{pm.stall_a}/recharge"' in stall.text and "充值" in stall.text
        form = web.get(f"{url}/stalls/{pm.stall_a}/recharge?amount=100")
        assert form.status_code == 200 and 'value="100"' in form.text
        assert ways(form.text) == ["wechat:h5", "wechat:native"]  # Alipay is not set up
        assert ["¥50", "¥100", "¥200", "¥500"] == re.findall(r">(¥\d+)<", form.text)
        # in WeChat's browser: H5 without the payer's openid, JSAPI with it
        assert ways(web.get(form.url, headers=IN_WECHAT).text) == ["wechat:h5"]
        # the mini-program's web-view opens the portal with the payer's openid
        web.get(f"{url}/?openid=oUpF8uMuAJO_M2pxb1Q9", headers=IN_WECHAT)
        assert ways(web.get(form.url, headers=IN_WECHAT).text) == ["wechat:jsapi"]
        assert ways(web.get(form.url).text) == ["wechat:h5", "wechat:native"]  # not in WeChat
        # a way not offered (Alipay) is refused with a word for the tenant, nothing ordered
        refused = start(web, url, pm.stall_a, "100", "alipay:wap")
        assert refused.status_code == 400 and "请从下面的支付方式中选择一种" in refused.text
        assert orders(sqlite_db) == 0


def test_the_stall_page_offers_recharge_only_when_a_platform_is_set_up_and_on(sqlite_db):
    pm = a_portal_market(sqlite_db)
    wechat = WechatDouble(a_key_pair()[1]).start()
    try:
        with serving(sqlite_db) as url:
            web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
            button = f'id="recharge" href="/stalls/{pm.stall_a}/recharge"'
            assert button not in web.get(f"{url}/stalls/{pm.stall_a}").text  # none set up
            merchant_private = a_key_pair()[0]
            for on in (False, True, False):
                with sqlite_db.transaction() as s:
                    online_payments.set_payment_settings(
                        s,
                        pm.market.admin,
                        "wechat",
                        wechat.settings(merchant_private, f"{url}/pay/notify/wechat"),
                        is_enabled=on,
                    )
                page = web.get(f"{url}/stalls/{pm.stall_a}")
                assert page.status_code == 200 and (button in page.text) is on, on
    finally:
        wechat.stop()


def test_a_tenant_pays_by_native_qr_and_the_order_page_shows_the_credit(sqlite_db):
    with paying_portal(sqlite_db) as (pm, url, wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        waiting = start(web, url, pm.stall_a, "100", "wechat:native")
        assert waiting.status_code == 200 and "等待支付" in waiting.text
        assert "<svg" in waiting.text and "请用微信扫描二维码，支付 ¥100.00" in waiting.text
        no = order_no_of(waiting.text)
        status = f"{url}/stalls/{pm.stall_a}/orders/{no}/status"
        assert web.get(status).json()["state"] == "pending"
        assert balance(sqlite_db, pm.stall_a) == Decimal("88.50")  # an order credits nothing

        assert wechat.pay(no).status == 204
        assert web.get(status).json() == {"state": "paid", "balance": "188.50"}
        done = web.get(f"{url}/stalls/{pm.stall_a}/orders/{no}")
        assert "支付成功：¥100.00 已充入档位 A001" in done.text and "¥188.50" in done.text
        receipt = web.get(url + re.search(r'id="receipt" href="([^"]+)"', done.text).group(1))
        assert receipt.status_code == 200 and "100.00" in receipt.text


def qr_of(html: str) -> str | None:
    """The order page's QR code (its SVG), if it shows one."""
    found = re.search(r'<div id="qr">(<svg.*?</svg>)', html, re.S)
    return found.group(1) if found else None


def test_the_waiting_page_keeps_its_qr_code_after_a_reload(sqlite_db):
    with paying_portal(sqlite_db) as (pm, url, wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        for way in ("wechat:native", "alipay:precreate"):
            first = start(web, url, pm.stall_a, "100", way)
            page = f"{url}/stalls/{pm.stall_a}/orders/{order_no_of(first.text)}"
            assert qr_of(first.text) is not None, way
            for _ in range(2):  # the tenant reloads the waiting page, twice
                again = web.get(page)
                assert again.status_code == 200 and "等待支付" in again.text
                assert qr_of(again.text) == qr_of(first.text), way  # the same code
        assert orders(sqlite_db) == 2  # a reload placed no new order
        # once paid, the page shows the credit and no code to scan
        no = order_no_of(start(web, url, pm.stall_a, "10", "wechat:native").text)
        assert wechat.pay(no).status == 204
        paid = web.get(f"{url}/stalls/{pm.stall_a}/orders/{no}").text
        assert "支付成功" in paid and qr_of(paid) is None


def test_a_tenant_sees_only_their_own_stalls_orders(sqlite_db):
    with paying_portal(sqlite_db) as (pm, url, _wechat, _ali):
        a = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        b = signed_in(sqlite_db, pm.site_id, url, TENANT_B)
        no = order_no_of(start(a, url, pm.stall_a, "30", "alipay:precreate").text)
        mine_b = start(b, url, pm.stall_b, "40", "wechat:native")
        no_b = order_no_of(mine_b.text)
        for path in (
            f"/stalls/{pm.stall_a}/orders/{no}",  # A's stall, which B may not see
            f"/stalls/{pm.stall_a}/orders/{no}/status",
            f"/stalls/{pm.stall_b}/orders/{no}",  # B's own stall, A's order
            f"/stalls/{pm.stall_b}/orders/{no}/status",
            f"/stalls/{pm.stall_b}/orders/MM20261207FFFFFFFFFFFFFFFF",  # no such order
            f"/stalls/{pm.stall_a}/recharge",
        ):
            assert b.get(url + path).status_code == 404, path
        assert b.get(f"{url}/stalls/{pm.stall_b}/orders/{no_b}").status_code == 200
        assert a.get(f"{url}/stalls/{pm.stall_a}/orders/{no_b}").status_code == 404
        # B cannot start an order on A's stall with B's own token either
        token = csrf_of(b.get(f"{url}/stalls/{pm.stall_b}/recharge").text)
        before = orders(sqlite_db)
        refused = b.post(
            f"{url}/stalls/{pm.stall_a}/recharge",
            data={"amount": "10", "way": "wechat:native", "csrf": token},
        )
        assert refused.status_code == 404 and orders(sqlite_db) == before


def test_a_wrong_amount_or_a_forged_form_places_no_order(sqlite_db):
    with paying_portal(sqlite_db) as (pm, url, wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        too_fine = start(web, url, pm.stall_a, "12.345", "wechat:native")
        assert too_fine.status_code == 400 and "12.345" in too_fine.text
        too_little = start(web, url, pm.stall_a, "0.50", "wechat:native")
        assert too_little.status_code == 400 and "0.50" in too_little.text
        forged = web.post(
            f"{url}/stalls/{pm.stall_a}/recharge",
            data={"amount": "100", "way": "wechat:native", "csrf": "forged"},
        )
        assert forged.status_code == 403
        assert orders(sqlite_db) == 0 and wechat.orders == {}


def test_h5_and_wap_go_to_the_platforms_page_and_jsapi_gets_signed_parameters(sqlite_db):
    with paying_portal(sqlite_db) as (pm, url, wechat, ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        h5 = start(web, url, pm.stall_a, "20", "wechat:h5")
        assert h5.status_code == 303 and h5.headers["location"].startswith(f"{wechat.url}/h5pay?")
        back = requests.utils.unquote(h5.headers["location"].split("redirect_url=")[1])
        assert back.startswith(f"{url}/stalls/{pm.stall_a}/orders/MM")  # WeChat H5 comes back
        wap = start(web, url, pm.stall_a, "20", "alipay:wap")
        assert wap.status_code == 303 and wap.headers["location"].startswith(f"{ali.url}/gateway")
        web.get(
            f"{url}/stalls/{pm.stall_a}/recharge?openid=oUpF8uMuAJO_M2pxb1Q9", headers=IN_WECHAT
        )
        jsapi = start(web, url, pm.stall_a, "20", "wechat:jsapi", headers=IN_WECHAT)
        assert jsapi.status_code == 200 and "getBrandWCPayRequest" in jsapi.text
        assert '"package": "prepay_id=wx' in jsapi.text and '"paySign": "' in jsapi.text
        assert requests.get(wap.headers["location"], timeout=30).text == "<html>cashier</html>"
        assert len(wechat.orders) == 2 and len(ali.orders) == 1


def js_value(html: str, name: str):
    found = re.search(rf"var {name} = (.*?);\n", html)
    return json.loads(found.group(1)) if found else None


def test_in_a_mini_program_the_order_page_hands_the_signed_parameters_to_its_pay_page(
    sqlite_db,
):
    with paying_portal(sqlite_db, alipay=False) as (pm, url, wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        web.get(f"{url}/?openid=oUpF8uMuAJO_M2pxb1Q9", headers=IN_MINI_PROGRAM)
        page = start(web, url, pm.stall_a, "30", "wechat:jsapi", headers=IN_MINI_PROGRAM).text
        assert '<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js">' in page
        assert "wx.miniProgram.navigateTo({url: handOver})" in page
        signed = js_value(page, "params")  # what WeixinJSBridge would be given
        hand_over = urlsplit(js_value(page, "handOver"))
        assert hand_over.path == "/pages/pay/pay"
        given = dict(parse_qsl(hand_over.query, strict_parsing=True))
        assert given == {k: v for k, v in signed.items() if k != "appId"}
        assert sorted(given) == ["nonceStr", "package", "paySign", "signType", "timeStamp"]
        message = f"{wechat.appid}\n{given['timeStamp']}\n{given['nonceStr']}\n{given['package']}\n"
        assert is_signed_by(wechat.merchant_public_pem, message.encode(), given["paySign"])
        assert given["package"].startswith("prepay_id=wx") and given["signType"] == "RSA"
        # the order page keeps polling its state meanwhile
        no = order_no_of(page)
        assert f'"/stalls/{pm.stall_a}/orders/{no}"' in page and "setTimeout(poll, 2000)" in page
        # outside WeChat: no JS-SDK, no hand-over, no signed parameters
        for elsewhere in (
            start(web, url, pm.stall_a, "30", "wechat:native").text,
            web.get(f"{url}/stalls/{pm.stall_a}/orders/{no}").text,
        ):
            assert "res.wx.qq.com" not in elsewhere and "navigateTo" not in elsewhere
            assert given["paySign"] not in elsewhere and "getBrandWCPayRequest" not in elsewhere


def test_inside_wechat_a_reloaded_jsapi_waiting_page_shows_the_pay_button_again(sqlite_db):
    with paying_portal(sqlite_db, alipay=False) as (pm, url, wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        web.get(f"{url}/?openid=oUpF8uMuAJO_M2pxb1Q9", headers=IN_WECHAT)
        first = start(web, url, pm.stall_a, "30", "wechat:jsapi", headers=IN_WECHAT).text
        no = order_no_of(first)
        page = f"{url}/stalls/{pm.stall_a}/orders/{no}"
        given = js_value(first, "params")
        for ua in (IN_WECHAT, IN_MINI_PROGRAM, IN_WECHAT):  # the tenant reloads the page
            again = web.get(page, headers=ua).text
            assert "等待支付" in again and 'id="pay"' in again and "getBrandWCPayRequest" in again
            signed = js_value(again, "params")
            assert signed["package"] == given["package"]  # the same prepay_id, signed anew
            message = (
                f"{wechat.appid}\n{signed['timeStamp']}\n{signed['nonceStr']}\n"
                f"{signed['package']}\n"
            )
            assert is_signed_by(wechat.merchant_public_pem, message.encode(), signed["paySign"])
            assert signed["nonceStr"] != given["nonceStr"]
            # in a mini-program's web-view the page hands them to its pay page
            assert urlsplit(js_value(again, "handOver")).path == "/pages/pay/pay"
        assert orders(sqlite_db) == 1 and len(wechat.orders) == 1  # a reload ordered nothing
        outside = web.get(page).text  # JSAPI pays only inside WeChat
        assert "等待支付" in outside and 'id="pay"' not in outside
        assert "getBrandWCPayRequest" not in outside
        assert wechat.pay(no).status == 204
        paid = web.get(page, headers=IN_WECHAT).text
        assert "支付成功" in paid and 'id="pay"' not in paid and given["package"] not in paid


def test_a_paid_order_whose_notification_was_lost_is_credited_by_the_portals_timer(sqlite_db):
    with paying_portal(sqlite_db, query_every_s=0.2) as (pm, url, wechat, _ali):
        web = signed_in(sqlite_db, pm.site_id, url, TENANT_A)
        no = order_no_of(start(web, url, pm.stall_a, "60", "wechat:native").text)
        wechat.pay(no, deliver=False)  # paid, but the notification never came
        with sqlite_db.transaction() as s:  # the order was placed ten minutes ago
            order = s.scalar(select(PaymentOrder).where(PaymentOrder.order_no == no))
            order.created_at -= timedelta(minutes=10)
        assert wait_until(lambda: balance(sqlite_db, pm.stall_a) == Decimal("148.50"))
        assert web.get(f"{url}/stalls/{pm.stall_a}/orders/{no}/status").json()["state"] == "paid"
        assert "pending-payments" in timer_threads()
    assert "pending-payments" not in timer_threads()  # the server's shutdown stopped it


def timer_threads() -> list[str]:
    return [t.name for t in threading.enumerate()]
