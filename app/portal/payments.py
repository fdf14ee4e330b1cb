"""Online recharge in the portal: the payment platforms' notification endpoints and the start
of an order for the tenant's page. Routes are thin: every rule is in
app/services/money/online_payments.py, every call one transaction on `request.app.state.db`.

Answers follow each platform's contract: WeChat Pay v3 wants HTTP 200/204 for a handled
notification (also a repeat) and 4xx/5xx with {"code": "FAIL", "message": …} otherwise, so it
retries; Alipay wants the plain text `success`, anything else makes it retry.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from app.models.db import Database
from app.services.money import online_payments
from app.services.money.online_payments import OrderStart, Outcome
from app.services.platform.context import ServiceError
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


__all__ = ["ServiceError", "router", "start_recharge"]
