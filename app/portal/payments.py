"""Online recharge in the portal: the tenant's recharge form, the order page that follows the
payment until it is credited, and the payment platforms' notification endpoints. Routes are
thin: every rule is in app/services/money/online_payments.py (who may see what in
app/services/portal/recharge.py), every call one transaction on `request.app.state.db`.

How a tenant pays depends on where the page is open: in WeChat's browser (its User-Agent says
MicroMessenger) WeChat Pay JSAPI when the payer's openid is known (the mini-program or the
official account passes it as `?openid=` on the recharge page), else WeChat H5; elsewhere
WeChat H5 or Native QR and Alipay wap or precreate QR. Inside a mini-program's web-view the
order page hands JSAPI's signed parameters to the mini-program's own pay page.

Answers follow each platform's contract: WeChat Pay v3 wants HTTP 200/204 for a handled
notification (also a repeat) and 4xx/5xx with {"code": "FAIL", "message": …} otherwise, so it
retries; Alipay wants the plain text `success`, anything else makes it retry.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from app.models.db import Database
from app.portal import texts
from app.portal.deps import LANG, SignedIn, check_csrf, db_of, render
from app.services.money import online_payments
from app.services.money.online_payments import OrderStart, Outcome
from app.services.platform.context import ServiceError
from app.services.portal.recharge import recharge_offer, recharge_order
from app.words import ENGLISH

log = logging.getLogger(__name__)
router = APIRouter()


def _handled(db: Database, handle) -> Outcome:
    with db.transaction() as s:
        return handle(s)


@router.post("/pay/notify/wechat")
async def wechat_notify(request: Request) -> Response:
    body = await request.body()  # verified over the raw bytes, before any JSON parsing
    headers = {k: v for k, v in request.headers.items()}
    wanted = {
        name: headers.get(name.lower(), "")
        for name in (
            "Wechatpay-Serial",
            "Wechatpay-Signature",
            "Wechatpay-Timestamp",
            "Wechatpay-Nonce",
        )
    }
    outcome = _handled(
        request.app.state.db,
        lambda s: online_payments.handle_wechat_notification(s, wanted, body),
    )
    if outcome.is_handled:
        return Response(status_code=204)
    reason = outcome.reason.say(ENGLISH) if outcome.reason else outcome.status
    return JSONResponse({"code": "FAIL", "message": reason}, status_code=400)


@router.post("/pay/notify/alipay")
async def alipay_notify(request: Request) -> Response:
    body = (await request.body()).decode("utf-8")
    form = dict(parse_qsl(body, keep_blank_values=True))
    outcome = _handled(
        request.app.state.db, lambda s: online_payments.handle_alipay_notification(s, form)
    )
    if outcome.is_handled or outcome.status == "unpaid":
        return PlainTextResponse("success")
    return PlainTextResponse("fail", status_code=400)


def start_recharge(
    db: Database,
    stall_id: int,
    amount: Decimal | str,
    provider: str,
    method: str,
    *,
    openid: str = "",
    client_ip: str = "",
) -> OrderStart:
    """What a tenant's stall page calls after checking the person may recharge this stall:
    creates the order and places it with the platform, in one transaction. Returns the
    OrderStart: `jsapi` (WeChat inside WeChat: WeixinJSBridge getBrandWCPayRequest's
    parameters; needs the payer's `openid`), `url` (WeChat H5 with `client_ip`, Alipay wap:
    open it), or `code_url` (WeChat Native, Alipay precreate: show it as a QR code). Raises
    ServiceError with a message for the tenant."""
    return online_payments.start_order(
        db, stall_id, amount, provider, method, openid=openid, client_ip=client_ip
    )


# ---------------------------------------------------------------- the tenant's recharge pages

QUICK_AMOUNTS = ("50", "100", "200", "500")
OPENID_COOKIE = "mm_openid"  # the payer's openid in the market's WeChat app, for JSAPI
_OPENID = re.compile(r"[A-Za-z0-9_-]{6,128}")


def _in_wechat(request: Request) -> bool:
    return "MicroMessenger" in request.headers.get("user-agent", "")


def _openid(request: Request) -> str:
    given = request.query_params.get("openid") or request.cookies.get(OPENID_COOKIE) or ""
    return given if _OPENID.fullmatch(given) else ""


def remember_openid(request: Request, response: Response) -> None:
    """Keep the `?openid=` a page was opened with (the mini-program's web-view, the official
    account's menu) for the order placed later; any page of the portal may be the first."""
    openid = request.query_params.get("openid", "")
    if _OPENID.fullmatch(openid):
        response.set_cookie(
            OPENID_COOKIE,
            openid,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            max_age=30 * 24 * 3600,
        )


def pay_ways(request: Request, providers) -> list[str]:
    """The ways of paying this browser can use ("<provider>:<method>"), best first. WeChat's
    browser pays WeChat by JSAPI (H5 without the payer's openid) and cannot open Alipay's wap
    pages, so Alipay shows its QR there."""
    ways = []
    if "wechat" in providers:
        if _in_wechat(request):
            ways.append("wechat:jsapi" if _openid(request) else "wechat:h5")
        else:
            ways += ["wechat:h5", "wechat:native"]
    if "alipay" in providers:
        ways += ["alipay:precreate"] if _in_wechat(request) else ["alipay:wap", "alipay:precreate"]
    return ways


def _form(request: Request, person, stall_id: int, amount: str, status: int = 200, error=""):
    with db_of(request).reading() as s:
        offer = recharge_offer(s, person.site_id, person.phone, stall_id)
    return render(
        request,
        "recharge.html",
        person,
        status=status,
        stall=offer.stall,
        ways=pay_ways(request, offer.providers),
        amount=amount,
        quick=QUICK_AMOUNTS,
        error=error,
    )


@router.get("/stalls/{stall_id}/recharge")
def recharge_page(request: Request, stall_id: int, person: SignedIn, amount: str = ""):
    return _form(request, person, stall_id, amount)


@router.post("/stalls/{stall_id}/recharge")
def recharge_start(
    request: Request,
    stall_id: int,
    person: SignedIn,
    amount: str = Form(""),
    way: str = Form(""),
    csrf: str = Form(""),
):
    check_csrf(request, csrf, person)
    with db_of(request).reading() as s:
        offer = recharge_offer(s, person.site_id, person.phone, stall_id)
    if way not in pay_ways(request, offer.providers):
        return _form(request, person, stall_id, amount, 400, texts.WAY_NOT_OFFERED.say(LANG))
    provider, method = way.split(":")
    try:
        start = start_recharge(
            db_of(request),
            offer.stall.id,
            amount,
            provider,
            method,
            openid=_openid(request) if method == "jsapi" else "",
            client_ip=request.client.host if request.client else "",
        )
    except ServiceError as err:
        return _form(request, person, stall_id, amount, 400, err.text(LANG))
    page = f"/stalls/{stall_id}/orders/{start.order_no}"
    if start.url:
        # H5 / wap: the platform's cashier page; WeChat H5 comes back to `redirect_url`,
        # Alipay to the market's return_url
        url = start.url
        if method == "h5":
            url += f"&redirect_url={quote(str(request.base_url).rstrip('/') + page, safe='')}"
        return RedirectResponse(url, status_code=303)
    return _order_page(request, person, stall_id, start.order_no, start)


MINI_PROGRAM_PAY_PAGE = "/pages/pay/pay"  # the market's mini-program page (README)
_REQUEST_PAYMENT = ("timeStamp", "nonceStr", "package", "signType", "paySign")


def mini_program_hand_over(jsapi: dict) -> str:
    """The mini-program page that pays, with the signed parameters wx.requestPayment takes
    (all of getBrandWCPayRequest's but appId: the mini-program pays as itself). A page inside
    the mini-program's web-view cannot open WeChat Pay; its mini-program can."""
    return f"{MINI_PROGRAM_PAY_PAGE}?" + urlencode(
        {key: jsapi[key] for key in _REQUEST_PAYMENT}, quote_via=quote
    )


def _order_page(request: Request, person, stall_id: int, order_no: str, start=None):
    in_wechat = _in_wechat(request)
    with db_of(request).reading() as s:
        # a reload inside WeChat: JSAPI's parameters signed again with the kept prepay_id
        order = recharge_order(
            s, person.site_id, person.phone, stall_id, order_no, sign_jsapi=in_wechat and not start
        )
    jsapi = start.jsapi if start else order.jsapi
    return render(
        request,
        "order.html",
        person,
        order=order,
        jsapi=jsapi,
        page=f"/stalls/{stall_id}/orders/{order_no}",
        hand_over=mini_program_hand_over(jsapi) if jsapi and in_wechat else "",
    )


@router.get("/stalls/{stall_id}/orders/{order_no}")
def order_route(request: Request, stall_id: int, order_no: str, person: SignedIn):
    return _order_page(request, person, stall_id, order_no)


@router.get("/stalls/{stall_id}/orders/{order_no}/status")
def order_status(request: Request, stall_id: int, order_no: str, person: SignedIn):
    """What the order page polls every 2 s."""
    with db_of(request).reading() as s:
        order = recharge_order(s, person.site_id, person.phone, stall_id, order_no)
    return JSONResponse(
        {"state": order.state.value, "balance": f"{order.balance:.2f}"},
        headers={"Cache-Control": "no-store"},
    )


__all__ = ["ServiceError", "pay_ways", "router", "start_recharge"]
