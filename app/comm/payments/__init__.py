"""The payment platforms' HTTP edge (微信支付 API v3, 支付宝 开放平台): request signing,
notification verification and decryption, order query and the daily statement. No database:
each call returns plain dataclasses; app/services/money/online_payments.py stores them.

`Refused` carries a stable reason code (never a key or the body); the services put it into
words for the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


class Refused(Exception):
    """A notification or an answer that fails the platform's contract: not signed by the
    platform, too old, undecryptable, or not a payment. `reason` is a stable code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProviderError(Exception):
    """The platform could not be reached or answered with an error (`detail`: its code and
    message, never our keys)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class PaymentFacts:
    """What the platform says about one of our orders (a verified notification or a query)."""

    order_no: str
    is_paid: bool
    amount: Decimal  # yuan
    merchant_id: str  # WeChat mchid / Alipay seller_id
    app_id: str
    provider_txn_id: str = ""
    state: str = ""  # the platform's own word: SUCCESS, NOTPAY, CLOSED, TRADE_SUCCESS …
    paid_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One successful payment on the platform's daily statement."""

    order_no: str
    provider_txn_id: str
    amount: Decimal  # yuan


@dataclass(frozen=True, slots=True)
class PayStart:
    """What the tenant's page needs to pay: JSAPI's parameters for WeixinJSBridge
    (`jsapi`), a URL to open (`url`: WeChat H5, Alipay wap), or a QR code's text
    (`code_url`: WeChat Native, Alipay precreate)."""

    order_no: str
    method: str
    jsapi: dict | None = None
    url: str = ""
    code_url: str = ""
    prepay_id: str = ""  # JSAPI's, kept to sign its parameters again (WechatPay.jsapi_parameters)
