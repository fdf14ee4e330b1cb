"""The tenants' portal in a real browser: Debian's Chromium driven by Playwright, a phone-sized
window, against the portal in uvicorn on 127.0.0.1. One tenant's day: sign in with the code
from the outbox, bind a stall by its QR address, authorize a second phone, which then sees
the stall. Another tenant recharges ¥100 by WeChat Pay's Native QR through the platform's
local double and watches the order page turn to the credit. Screenshots of each page go to
$PORTAL_SCREENSHOTS when set."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.services.money import online_payments
from tests.conftest import need_tool
from tests.payment_doubles import WechatDouble, a_key_pair
from tests.portal.market import FRIEND, OWNER_A, TENANT_A, TENANT_B, a_portal_market
from tests.portal.server import outbox_code, serving

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_SIZE = {"width": 390, "height": 844}


@pytest.fixture
def wechat_pay():
    """WeChat Pay's local double; `settings(url)` sets the market up with it once the portal
    (its notification address) is serving."""
    merchant_private, merchant_public = a_key_pair()
    double = WechatDouble(merchant_public).start()
    double.settings_for = lambda url: double.settings(merchant_private, f"{url}/pay/notify/wechat")
    yield double
    double.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        need_tool("Chromium", f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_tool("Playwright", "pip install -e '.[test]' installs it")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _sign_in(page, url: str, db, site_id: int, phone: str, shots: str = "") -> None:
    if "/sign-in" not in page.url:  # sent here by a page that asked to sign in first
        page.goto(f"{url}/sign-in")
    page.fill("input[name=phone]", phone)
    if shots:
        _shot(page, f"{shots}1_sign_in")
    page.click("text=获取验证码")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", outbox_code(db, site_id, phone))
    if shots:
        _shot(page, f"{shots}2_code")
    page.click("button:has-text('登录')")


def test_a_tenant_binds_a_stall_by_its_qr_and_the_owner_authorizes_a_phone(browser, sqlite_db):
    pm = a_portal_market(sqlite_db)
    with serving(sqlite_db) as url:
        # a phone not on record scans stall B's QR: asked to sign in first, then to bind
        binder = browser.new_context(viewport=PHONE_SIZE, locale="zh-CN")
        page = binder.new_page()
        page.goto(f"{url}/s/{pm.token_b}")
        assert "/sign-in" in page.url
        _sign_in(page, url, sqlite_db, pm.site_id, FRIEND, shots="a")
        page.wait_for_load_state()
        assert page.url.endswith(f"/s/{pm.token_b}"), (page.url, page.inner_text("main"))
        assert "139****0002" in page.inner_text("main")  # the code goes to the tenant's phone
        _shot(page, "b1_bind")
        page.click("text=获取验证码")
        page.fill("input[name=code]", outbox_code(sqlite_db, pm.site_id, TENANT_B))
        _shot(page, "b2_bind_code")
        page.click("button:has-text('绑定档位')")
        page.wait_for_url(f"**/stalls/{pm.stall_b}")
        assert page.inner_text("#balance") == "¥20.00"
        assert "B002" in page.inner_text("h1")
        _shot(page, "c_stall")
        binder_page = page

        # the owner of stall A authorizes that phone; it then sees stall A too
        owner = browser.new_context(viewport=PHONE_SIZE, locale="zh-CN")
        page = owner.new_page()
        _sign_in(page, url, sqlite_db, pm.site_id, OWNER_A)
        page.wait_for_url(f"**/stalls/{pm.stall_a}")
        page.fill("#people ~ form input[name=phone]", FRIEND)
        page.click("button:has-text('授权')")
        page.wait_for_selector(f"text={FRIEND}")
        _shot(page, "d_owner_authorized")
        page.click(f"a[href='/stalls/{pm.stall_a}/receipts/{pm.receipt_a}']")
        page.wait_for_selector(".receipt")
        assert "88.50" in page.inner_text(".receipt")
        _shot(page, "e_receipt")
        owner.close()

        # the authorized phone, still signed in, now lists both stalls
        page = binder_page
        page.goto(f"{url}/stalls")
        listed = page.inner_text(".list")
        assert "A001" in listed and "B002" in listed and "已授权" in listed
        _shot(page, "f_my_stalls")
        page.click("text=A001")
        page.wait_for_url(f"**/stalls/{pm.stall_a}")
        assert page.inner_text("#balance") == "¥88.50"
        binder.close()


def test_a_tenant_recharges_100_yuan_by_wechat_qr_and_sees_it_credited(
    browser, sqlite_db, wechat_pay
):
    pm = a_portal_market(sqlite_db)
    with serving(sqlite_db) as url:
        with sqlite_db.transaction() as s:
            online_payments.set_payment_settings(
                s, pm.market.admin, "wechat", wechat_pay.settings_for(url)
            )
        context = browser.new_context(viewport=PHONE_SIZE, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{url}/sign-in")
        _sign_in(page, url, sqlite_db, pm.site_id, TENANT_A)
        page.wait_for_url(f"**/stalls/{pm.stall_a}")
        assert page.inner_text("#balance") == "¥88.50"
        _shot(page, "g0_stall_with_recharge")
        page.click("#recharge")
        page.wait_for_url(f"**/stalls/{pm.stall_a}/recharge")
        page.click("a.chip:has-text('¥100')")
        assert page.input_value("#amount") == "100"
        _shot(page, "g_recharge_form")
        page.click("button:has-text('微信扫码支付')")
        page.wait_for_selector("#qr svg")
        assert "等待支付" in page.inner_text("#state")
        page.wait_for_url("**/orders/MM*")  # the address is the order's: a reload orders nothing
        order_no = page.url.rsplit("/", 1)[1]
        assert wechat_pay.orders[order_no].total_fen == 10000
        _shot(page, "h_waiting_qr")

        # the tenant pays in WeChat: the platform notifies the portal, the page turns by itself
        assert wechat_pay.pay(order_no).status == 204
        page.wait_for_selector("#state.paid", timeout=30_000)
        assert "¥100.00" in page.inner_text("#state")
        assert page.inner_text("#balance") == "¥188.50"
        _shot(page, "i_credited")
        page.click("#receipt")
        page.wait_for_selector(".receipt")
        assert "100.00" in page.inner_text(".receipt")
        page.goto(f"{url}/stalls/{pm.stall_a}")
        assert page.inner_text("#balance") == "¥188.50"  # ¥100 more than before
        context.close()
