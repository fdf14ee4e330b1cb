"""Online recharge (线上充值): a tenant pays with WeChat Pay or Alipay, and the stall's account is
credited from the payment platform's verified notification, exactly once.

The credit is the counter's `recharge` (receipt number, ledger entry, audit, control's
reconsider) by the built-in operator 线上 (`Actor.online`) with the method WeChat / Alipay and
the order as idempotency key, so the relay closes as after a counter recharge and the shift
report shows it under its method. A notification that fails the platform's contract or does not
match its order (amount, merchant, app, unknown order) is refused, logged without keys and
alerted: an audit row 'payment.refused' that Settings → 在线支付 lists. Orders whose
notification never came are queried (`query_pending`); `reconcile` compares a day's credits with
the platform's statement.

The platform's HTTP edge lives in app/comm/payments (no database there).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.comm.payments import PaymentFacts, PayStart, ProviderError, Refused, StatementRow
from app.comm.payments.alipay import METHODS as ALIPAY_METHODS
from app.comm.payments.alipay import Alipay, AlipayConfig
from app.comm.payments.wechat import METHODS as WECHAT_METHODS
from app.comm.payments.wechat import WechatConfig, WechatPay
from app.models.account import PayMethod, Receipt
from app.models.base import utcnow
from app.models.db import Database
from app.models.money import AmountError
from app.models.payment import OrderState, PaymentOrder, PaymentProvider, PaymentSetting
from app.models.site import Site, Stall
from app.models.user import AuditEvent
from app.services.market.channels import MASK, masked
from app.services.money.accounts import InvalidAmount, RechargeRequest, recharge
from app.services.money.amounts import parse_amount
from app.services.platform.audit import audit
from app.services.platform.change_feed import remembered
from app.services.platform.context import (
    Actor,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.timeutil import local_midnight, site_zone
from app.words import QT_TRANSLATE_NOOP, Said, Word, shown, stored_text

log = logging.getLogger(__name__)

# ------------------------------------------------------------------ words

PAYMENT_NOT_SET_UP = Word(
    "online_payments.not_set_up",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{provider} is not set up for this market. Ask an administrator to fill it in under "
        "Settings → Online payments",
    ),
)
PAY_WAY_NOT_KNOWN = Word(
    "online_payments.pay_way_not_known",
    QT_TRANSLATE_NOOP("Errors", "Way of paying “{method}” is not known. Choose one of: {names}"),
)
AMOUNT_OUT_OF_RANGE = Word(
    "online_payments.amount_out_of_range",
    QT_TRANSLATE_NOOP(
        "Errors", "An online recharge is 1.00 to 50000.00 yuan; {amount} yuan cannot be paid"
    ),
)
STALL_NOT_FOUND = Word(
    "online_payments.stall_not_found",
    QT_TRANSLATE_NOOP("Errors", "Stall (id {stall_id}) not found. Refresh and try again"),
)
PLATFORM_UNREACHABLE = Word(
    "online_payments.platform_unreachable",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{provider} could not be reached or refused the request ({detail}). Try again in a "
        "minute; if it goes on, check the merchant settings under Settings → Online payments",
    ),
)
SETTING_REQUIRED = Word(
    "online_payments.setting_required",
    QT_TRANSLATE_NOOP("Errors", "Please fill in “{field}” for {provider}"),
)
APIV3_KEY_LENGTH = Word(
    "online_payments.apiv3_key_length",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The APIv3 key has 32 characters (set in the WeChat Pay merchant platform under API "
        "security). Copy it again",
    ),
)
KEY_NOT_PEM = Word(
    "online_payments.key_not_pem",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{field}” is not a key in PEM form (-----BEGIN … KEY----- or CERTIFICATE). Paste the "
        "whole file's text",
    ),
)
PROVIDER_NOT_KNOWN = Word(
    "online_payments.provider_not_known",
    QT_TRANSLATE_NOOP("Errors", "Payment platform “{value}” is not known. Choose wechat or alipay"),
)
DATE_NOT_VALID = Word(
    "online_payments.date_not_valid",
    QT_TRANSLATE_NOOP("Errors", "“{value}” is not a date. Type it as YYYY-MM-DD"),
)

PROVIDER_NAME = {
    PaymentProvider.WECHAT: Word(
        "online_payments.wechat", QT_TRANSLATE_NOOP("Labels", "WeChat Pay")
    ),
    PaymentProvider.ALIPAY: Word("online_payments.alipay", QT_TRANSLATE_NOOP("Labels", "Alipay")),
}
ORDER_SUBJECT = Word(
    "online_payments.order_subject",
    QT_TRANSLATE_NOOP("Labels", "{market} stall {stall} electricity and water recharge"),
)
# why a notification was refused (an alert for the admin)
REFUSAL = {
    "signature": Word(
        "online_payments.refused.signature",
        QT_TRANSLATE_NOOP(
            "Alerts", "The notification is not signed by the payment platform (forged or altered)"
        ),
    ),
    "timestamp": Word(
        "online_payments.refused.timestamp",
        QT_TRANSLATE_NOOP(
            "Alerts",
            "The notification is more than 5 minutes old or ahead (a replay, or this PC's clock "
            "is wrong)",
        ),
    ),
    "decrypt": Word(
        "online_payments.refused.decrypt",
        QT_TRANSLATE_NOOP(
            "Alerts", "The notification could not be decrypted (check the APIv3 key in Settings)"
        ),
    ),
    "not_payment": Word(
        "online_payments.refused.not_payment",
        QT_TRANSLATE_NOOP("Alerts", "The notification is not a successful payment"),
    ),
    "unknown_order": Word(
        "online_payments.refused.unknown_order",
        QT_TRANSLATE_NOOP("Alerts", "Order {order_no} is not one of this market's orders"),
    ),
    "amount": Word(
        "online_payments.refused.amount",
        QT_TRANSLATE_NOOP(
            "Alerts", "Order {order_no} is for {expected} yuan but the notification says {paid}"
        ),
    ),
    "merchant": Word(
        "online_payments.refused.merchant",
        QT_TRANSLATE_NOOP(
            "Alerts", "Order {order_no}: the notification names another merchant or app ({got})"
        ),
    ),
    "not_set_up": Word(
        "online_payments.refused.not_set_up",
        QT_TRANSLATE_NOOP(
            "Alerts", "A notification came from {provider}, which is not set up for any market"
        ),
    ),
    "not_credited": Word(
        "online_payments.refused.not_credited",
        QT_TRANSLATE_NOOP(
            "Alerts",
            "Order {order_no} is paid but could not be credited: {error}. Fix it; the next "
            "query credits it",
        ),
    ),
}
_COMM_REASON = {  # app/comm/payments' reason codes
    "signature": "signature",
    "wechat.timestamp": "timestamp",
    "wechat.decrypt": "decrypt",
    "wechat.algorithm": "decrypt",
    "wechat.body": "signature",
    "wechat.event_type": "not_payment",
}
DIFFERENCE = {
    "not_credited": Word(
        "online_payments.diff.not_credited",
        QT_TRANSLATE_NOOP("Reconcile", "On the statement but not credited here"),
    ),
    "not_on_statement": Word(
        "online_payments.diff.not_on_statement",
        QT_TRANSLATE_NOOP("Reconcile", "Credited here but not on the statement"),
    ),
    "amount": Word(
        "online_payments.diff.amount",
        QT_TRANSLATE_NOOP(
            "Reconcile", "Amounts differ: {ours} yuan here, {theirs} on the statement"
        ),
    ),
}

ORDER_PREFIX = "MM"
QUERY_AFTER = timedelta(minutes=5)  # a notification normally comes within seconds
CLOSE_AFTER = timedelta(hours=2)  # an unpaid order older than this is closed
MIN_AMOUNT, MAX_AMOUNT = Decimal("1.00"), Decimal("50000.00")

# ------------------------------------------------------------------ settings

# every field of each platform, and which are secrets (stored like the channels' secrets,
# shown masked, never logged)
FIELDS = {
    PaymentProvider.WECHAT: (
        "mchid",
        "appid",
        "merchant_serial",
        "merchant_key",
        "apiv3_key",
        "platform_serial",
        "platform_key",
        "notify_url",
        "base_url",
    ),
    PaymentProvider.ALIPAY: (
        "app_id",
        "seller_id",
        "app_key",
        "alipay_key",
        "notify_url",
        "return_url",
        "gateway",
    ),
}
# what each field is called where the admin reads it (Settings, errors)
FIELD_NAME = {
    key: Word(f"online_payments.field.{key}", text)
    for key, text in (
        ("mchid", QT_TRANSLATE_NOOP("Labels", "Merchant ID (mchid)")),
        ("appid", QT_TRANSLATE_NOOP("Labels", "Official account / mini-program AppID")),
        ("merchant_serial", QT_TRANSLATE_NOOP("Labels", "Merchant API certificate serial number")),
        (
            "merchant_key",
            QT_TRANSLATE_NOOP("Labels", "Merchant API private key (apiclient_key.pem)"),
        ),
        ("apiv3_key", QT_TRANSLATE_NOOP("Labels", "APIv3 key")),
        (
            "platform_serial",
            QT_TRANSLATE_NOOP(
                "Labels", "WeChat Pay public key ID (PUB_KEY_ID_…) or certificate serial"
            ),
        ),
        (
            "platform_key",
            QT_TRANSLATE_NOOP("Labels", "WeChat Pay public key or platform certificate (PEM)"),
        ),
        (
            "notify_url",
            QT_TRANSLATE_NOOP("Labels", "Notification address (https://…/pay/notify/…)"),
        ),
        ("base_url", QT_TRANSLATE_NOOP("Labels", "API address (empty: the official one)")),
        ("app_id", QT_TRANSLATE_NOOP("Labels", "App ID (app_id)")),
        ("seller_id", QT_TRANSLATE_NOOP("Labels", "Merchant PID (seller_id, 2088…)")),
        ("app_key", QT_TRANSLATE_NOOP("Labels", "App private key (PEM)")),
        ("alipay_key", QT_TRANSLATE_NOOP("Labels", "Alipay public key (PEM)")),
        ("return_url", QT_TRANSLATE_NOOP("Labels", "Page shown after paying (optional)")),
        ("gateway", QT_TRANSLATE_NOOP("Labels", "Gateway (empty: the official one)")),
    )
}
SECRETS = ("merchant_key", "apiv3_key", "app_key")
OPTIONAL = ("base_url", "gateway", "return_url")
PEM_FIELDS = ("merchant_key", "platform_key", "app_key", "alipay_key")


@dataclass(frozen=True, slots=True)
class PaymentSettings:
    provider: PaymentProvider
    is_enabled: bool
    settings: dict  # secrets masked


def _provider(value) -> PaymentProvider:
    try:
        return PaymentProvider(value)
    except ValueError:
        raise ServiceError(PROVIDER_NOT_KNOWN, code="invalid", value=value) from None


def payment_settings(session: Session, actor: Actor, provider) -> PaymentSettings:
    """The market's merchant settings with one platform, secrets masked. Permission: admin."""
    require(actor, May.SET_UP_ONLINE_PAYMENTS)
    provider = _provider(provider)
    row = _setting(session, actor.site_id, provider)
    stored = dict(row.settings) if row else {}
    return PaymentSettings(
        provider,
        bool(row and row.is_enabled),
        masked({k: stored.get(k, "") for k in FIELDS[provider]}, SECRETS),
    )


def set_payment_settings(
    session: Session, actor: Actor, provider, values: Mapping[str, str], *, is_enabled: bool = True
) -> PaymentSettings:
    """Set the market's merchant settings with one platform; a secret left empty (or masked)
    keeps the stored one. Permission: admin. Transaction: the caller's. Audit:
    'payment.settings' with the settings masked."""
    require(actor, May.SET_UP_ONLINE_PAYMENTS)
    provider = _provider(provider)
    row = _setting(session, actor.site_id, provider)
    stored = dict(row.settings) if row else {}
    out = {}
    for key in FIELDS[provider]:
        value = str(values.get(key, "") or "").strip()
        if key in SECRETS and value in ("", MASK):
            value = stored.get(key, "")
        if not value and key not in OPTIONAL:
            raise ServiceError(
                SETTING_REQUIRED,
                code="required",
                field=FIELD_NAME[key],
                provider=PROVIDER_NAME[provider],
            )
        out[key] = value
    if provider is PaymentProvider.WECHAT and len(out["apiv3_key"].encode()) != 32:
        raise ServiceError(APIV3_KEY_LENGTH, code="invalid")
    for key in PEM_FIELDS:
        if key in out and not _is_pem(out[key], private=key in SECRETS):
            raise ServiceError(KEY_NOT_PEM, code="invalid", field=FIELD_NAME[key])
    if row is None:
        row = PaymentSetting(site_id=actor.site_id, provider=provider)
        session.add(row)
    row.settings = out
    row.is_enabled = is_enabled
    session.flush()
    audit(
        session,
        actor,
        "payment.settings",
        "payment_setting",
        row.id,
        provider=provider.value,
        is_enabled=is_enabled,
        settings=masked(out, SECRETS),
    )
    return PaymentSettings(provider, is_enabled, masked(out, SECRETS))


def _is_pem(text: str, *, private: bool) -> bool:
    try:
        if private:
            serialization.load_pem_private_key(text.encode(), password=None)
        elif "CERTIFICATE" in text:
            from cryptography import x509

            x509.load_pem_x509_certificate(text.encode())
        else:
            serialization.load_pem_public_key(text.encode())
    except (ValueError, TypeError):
        return False
    return True


def _setting(session: Session, site_id: int, provider: PaymentProvider) -> PaymentSetting | None:
    return session.scalar(
        select(PaymentSetting).where(
            PaymentSetting.site_id == site_id, PaymentSetting.provider == provider
        )
    )


def _client(settings: Mapping[str, str], provider: PaymentProvider) -> WechatPay | Alipay:
    if provider is PaymentProvider.WECHAT:
        return WechatPay(
            WechatConfig(
                mchid=settings["mchid"],
                appid=settings["appid"],
                merchant_serial=settings["merchant_serial"],
                merchant_key_pem=settings["merchant_key"],
                apiv3_key=settings["apiv3_key"],
                platform_key_pem=settings["platform_key"],
                platform_serial=settings["platform_serial"],
                notify_url=settings["notify_url"],
                **({"base_url": settings["base_url"]} if settings.get("base_url") else {}),
            )
        )
    return Alipay(
        AlipayConfig(
            app_id=settings["app_id"],
            seller_id=settings["seller_id"],
            app_key_pem=settings["app_key"],
            alipay_key_pem=settings["alipay_key"],
            notify_url=settings["notify_url"],
            return_url=settings.get("return_url", ""),
            **({"gateway": settings["gateway"]} if settings.get("gateway") else {}),
        )
    )


def enabled_providers(session: Session, site_id: int) -> list[PaymentProvider]:
    """The platforms the market has set up and turned on, WeChat Pay first. Reads only."""

    def read() -> tuple[PaymentProvider, ...]:
        on = set(
            session.scalars(
                select(PaymentSetting.provider).where(
                    PaymentSetting.site_id == site_id, PaymentSetting.is_enabled.is_(True)
                )
            )
        )
        return tuple(p for p in PaymentProvider if p in on)

    return list(remembered(session, ("payment platforms", site_id), read))


def _client_of(session: Session, site_id: int, provider: PaymentProvider):
    row = _setting(session, site_id, provider)
    if row is None or not row.is_enabled:
        raise Conflict(PAYMENT_NOT_SET_UP, provider=PROVIDER_NAME[provider])
    return _client(row.settings, provider)


# ------------------------------------------------------------------ starting an order


@dataclass(frozen=True, slots=True)
class OrderStart:
    """What the tenant's page needs: for `jsapi` the parameters of WeixinJSBridge's
    getBrandWCPayRequest; for `h5` / `wap` a URL to open; for `native` / `precreate` the text
    of a QR code to show (code_url)."""

    order_no: str
    stall_id: int
    amount: Decimal
    provider: PaymentProvider
    method: str
    jsapi: dict | None
    url: str
    code_url: str


def start_order(
    db: Database,
    stall_id: int,
    amount: Decimal | str,
    provider,
    method: str,
    *,
    openid: str = "",
    client_ip: str = "",
) -> OrderStart:
    """Create a payment order for a stall and place it with the platform. The caller (the
    tenant's portal) has checked that the person may recharge this stall. Transactions: a
    read, the platform's call outside any transaction (a slow platform never holds up the
    counter), then one write of the order; nothing is written when the platform refuses.
    Audit: 'payment.order'."""
    provider = _provider(provider)
    ways = WECHAT_METHODS if provider is PaymentProvider.WECHAT else ALIPAY_METHODS
    if method not in ways:
        raise ServiceError(PAY_WAY_NOT_KNOWN, code="invalid", method=method, names=", ".join(ways))
    try:
        amount = parse_amount(amount)
    except AmountError as exc:  # the tenant's typing: said back to them, not a crash
        raise InvalidAmount(exc) from None
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise ServiceError(AMOUNT_OUT_OF_RANGE, code="invalid_amount", amount=f"{amount:.2f}")
    with db.reading() as session:
        stall = session.get(Stall, stall_id)
        if stall is None:
            raise NotFound(STALL_NOT_FOUND, stall_id=stall_id)
        site_id, stall_code = stall.site_id, stall.code
        client = _client_of(session, site_id, provider)
        market = session.get(Site, site_id).name
    order_no = new_order_no()
    subject = ORDER_SUBJECT.say(market=market, stall=stall_code)
    try:
        if provider is PaymentProvider.WECHAT:
            start: PayStart = client.create_order(
                order_no, amount, subject, method, openid=openid, client_ip=client_ip
            )
        else:
            start = client.create_order(order_no, amount, subject, method)
    except (ProviderError, Refused) as exc:
        detail = exc.detail if isinstance(exc, ProviderError) else exc.reason
        log.warning("payment order %s not placed with %s: %s", order_no, provider, detail)
        raise ServiceError(
            PLATFORM_UNREACHABLE, code="provider", provider=PROVIDER_NAME[provider], detail=detail
        ) from exc
    # Written before the tenant's page gets what it needs to pay, so before any notification
    # can come; one that came earlier still would be refused as unknown and sent again.
    with db.transaction() as session:
        order = PaymentOrder(
            site_id=site_id,
            order_no=order_no,
            stall_id=stall_id,
            amount=amount,
            provider=provider,
            method=method,
            code_url=start.code_url or None,
            prepay_id=start.prepay_id or None,
        )
        session.add(order)
        session.flush()
        audit(
            session,
            Actor.online(site_id),
            "payment.order",
            "payment_order",
            order.id,
            stall=stall_code,
            order_no=order_no,
            amount=amount,
            provider=provider.value,
            method=method,
        )
    return OrderStart(
        order_no, stall_id, amount, provider, method, start.jsapi, start.url, start.code_url
    )


def jsapi_again(session: Session, order: PaymentOrder) -> dict | None:
    """WeixinJSBridge's parameters of a pending JSAPI order, signed anew with its kept
    prepay_id (a reload of its waiting page, when the first ones are gone); None for another
    way, a paid or closed order, or a market whose WeChat Pay is no longer set up. Signs
    locally, no call to the platform. Reads only."""
    if order.method != "jsapi" or order.state is not OrderState.PENDING or not order.prepay_id:
        return None
    try:
        client = _client_of(session, order.site_id, PaymentProvider.WECHAT)
    except ServiceError:
        return None
    return client.jsapi_parameters(order.prepay_id)


def new_order_no() -> str:
    """Unique and unguessable: the date, then 16 random hex digits (26 characters)."""
    return f"{ORDER_PREFIX}{utcnow():%Y%m%d}{secrets.token_hex(8).upper()}"


# ------------------------------------------------------------------ notifications


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a notification or a query: 'credited', 'repeat' (already credited: a
    no-op), 'refused' (with `reason`, an alert written), 'unpaid' or 'closed' (query)."""

    status: str
    order_no: str = ""
    receipt_no: int | None = None
    reason: Said | None = None

    @property
    def is_handled(self) -> bool:
        return self.status in ("credited", "repeat")


def handle_wechat_notification(
    session: Session, headers: Mapping[str, str], body: bytes
) -> Outcome:
    """支付通知 of WeChat Pay v3 (headers and the raw body). The market is the one whose
    platform key serial the notification names. Transaction: the caller's."""
    serial = headers.get("Wechatpay-Serial") or ""
    rows = [
        r
        for r in _enabled(session, PaymentProvider.WECHAT)
        if r.settings.get("platform_serial") == serial
    ]
    if not rows:
        return _refuse(session, None, "not_set_up", provider=PROVIDER_NAME[PaymentProvider.WECHAT])
    row = rows[0]
    client = _client(row.settings, PaymentProvider.WECHAT)
    try:
        facts = client.verify_notification(headers, body)
    except Refused as exc:
        return _refuse(session, row.site_id, _COMM_REASON.get(exc.reason, "signature"))
    return _credit(session, row, facts)


def handle_alipay_notification(session: Session, form: Mapping[str, str]) -> Outcome:
    """异步通知 of Alipay (the form's fields, URL-decoded). The market is the one whose app_id
    it names. Transaction: the caller's."""
    rows = [
        r
        for r in _enabled(session, PaymentProvider.ALIPAY)
        if r.settings.get("app_id") == form.get("app_id")
    ]
    if not rows:
        return _refuse(session, None, "not_set_up", provider=PROVIDER_NAME[PaymentProvider.ALIPAY])
    row = rows[0]
    try:
        facts = _client(row.settings, PaymentProvider.ALIPAY).verify_notification(dict(form))
    except Refused as exc:
        return _refuse(session, row.site_id, _COMM_REASON.get(exc.reason, "signature"))
    if not facts.is_paid:
        # WAIT_BUYER_PAY / TRADE_CLOSED are announced too: nothing to credit, nothing wrong
        return Outcome("unpaid", facts.order_no)
    return _credit(session, row, facts)


def _enabled(session: Session, provider: PaymentProvider) -> list[PaymentSetting]:
    return list(
        session.scalars(
            select(PaymentSetting)
            .where(PaymentSetting.provider == provider, PaymentSetting.is_enabled.is_(True))
            .order_by(PaymentSetting.id)
        )
    )


def _credit(session: Session, setting: PaymentSetting, facts: PaymentFacts) -> Outcome:
    """Match the platform's facts with our order and credit it once."""
    order = session.scalar(
        select(PaymentOrder)
        .where(PaymentOrder.order_no == facts.order_no)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None or order.site_id != setting.site_id or order.provider != setting.provider:
        return _refuse(session, setting.site_id, "unknown_order", order_no=facts.order_no)
    s = setting.settings
    ours = (
        (s["mchid"], s["appid"])
        if setting.provider is PaymentProvider.WECHAT
        else (s["seller_id"], s["app_id"])
    )
    if (facts.merchant_id, facts.app_id) != ours:
        return _refuse(
            session,
            setting.site_id,
            "merchant",
            order,
            order_no=order.order_no,
            got=f"{facts.merchant_id}/{facts.app_id}",
        )
    if facts.amount != order.amount:
        return _refuse(
            session,
            setting.site_id,
            "amount",
            order,
            order_no=order.order_no,
            expected=f"{order.amount:.2f}",
            paid=f"{facts.amount:.2f}",
        )
    if not facts.is_paid:
        return _refuse(session, setting.site_id, "not_payment", order)
    if order.state is OrderState.PAID:
        return Outcome("repeat", order.order_no, _receipt_no(session, order))
    try:
        # a savepoint: a recharge refused (closed account, locked month) leaves nothing behind
        # but the alert, and the platform's retry or the next query credits it once fixed
        with session.begin_nested():
            result = recharge(
                session,
                Actor.online(order.site_id),
                RechargeRequest(
                    stall_id=order.stall_id,
                    amount=order.amount,
                    method=PayMethod(setting.provider.value),
                    idempotency_key=f"online:{order.order_no}",
                ),
            )
    except ServiceError as exc:
        return _refuse(
            session,
            order.site_id,
            "not_credited",
            order,
            order_no=order.order_no,
            error=exc.said if exc.said is not None else str(exc),
        )
    order.state = OrderState.PAID
    order.receipt_id = result.receipt_id
    order.provider_txn_id = facts.provider_txn_id
    order.paid_at = facts.paid_at or utcnow()
    order.credited_at = utcnow()
    audit(
        session,
        Actor.online(order.site_id),
        "payment.credited",
        "payment_order",
        order.id,
        stall=result.stall_code,
        order_no=order.order_no,
        amount=order.amount,
        provider=setting.provider.value,
        transaction_id=facts.provider_txn_id,
        receipt_no=result.receipt_no,
    )
    return Outcome("credited", order.order_no, result.receipt_no)


def _receipt_no(session: Session, order: PaymentOrder) -> int | None:
    if order.receipt_id is None:
        return None
    return session.get(Receipt, order.receipt_id).no


def _refuse(
    session: Session,
    site_id: int | None,
    reason: str,
    order: PaymentOrder | None = None,
    **params,
) -> Outcome:
    said = REFUSAL[reason](**params)
    # the reason's code and the order only: never a key, a signature or the body
    log.warning("payment notification refused: %s %s", reason, params.get("order_no", ""))
    audit(
        session,
        Actor.online(site_id or 0),
        "payment.refused",
        "payment_order",
        order.id if order else None,
        reason=stored_text(said),
        order_no=params.get("order_no", ""),
    )
    return Outcome("refused", params.get("order_no", ""), reason=said)


# ------------------------------------------------------------------ query and reconciliation


def query_pending(
    db: Database, site_id: int, *, now: datetime | None = None, order_no: str | None = None
) -> list[Outcome]:
    """Ask the platform about the orders still pending after QUERY_AFTER (or one order):
    paid ones are credited like a notification, unpaid ones older than CLOSE_AFTER are
    closed; a platform that cannot be reached leaves the order pending ('unreachable', with
    the reason). For the CLI (`payments query`), Settings and a timer. Transactions: one
    read, the platform's answers outside any transaction, then one per order answered."""
    now = now or utcnow()
    with db.reading() as session:
        query = select(PaymentOrder).where(
            PaymentOrder.site_id == site_id, PaymentOrder.state == OrderState.PENDING
        )
        if order_no:
            query = query.where(PaymentOrder.order_no == order_no)
        else:
            query = query.where(PaymentOrder.created_at <= now - QUERY_AFTER)
        pending = [
            (o.order_no, o.provider, o.created_at, dict(setting.settings))
            for o in session.scalars(query.order_by(PaymentOrder.id)).all()
            if (setting := _setting(session, site_id, o.provider)) is not None
        ]
    outcomes = []
    for number, provider, created_at, settings in pending:
        try:
            facts = _client(settings, provider).query(number)
        except (ProviderError, Refused) as exc:
            detail = exc.detail if isinstance(exc, ProviderError) else exc.reason
            log.warning("order %s not queried at %s: %s", number, provider, detail)
            said = PLATFORM_UNREACHABLE(provider=PROVIDER_NAME[provider], detail=detail)
            outcomes.append(Outcome("unreachable", number, reason=said))
            continue
        with db.transaction() as session:
            outcomes.append(_answered(session, site_id, number, provider, created_at, facts, now))
    return outcomes


class PendingQuery:
    """A thread that runs `query_pending` for a market every `every_s` until stopped (the
    portal runs one while it serves). The platforms' answers come over HTTP (up to their
    timeout), so it runs beside a server's event loop, never on it.

    Only the process holding the market's portal turn (`take_service_turn(site, "portal")`:
    an advisory lock on PostgreSQL, an OS file lock beside a SQLite file, both freed when
    the process ends however it ends, on Windows too) asks: a portal of several worker
    processes asks the platforms once a round, not once per worker. The others try to take
    the turn each round, so one of them asks once its holder has gone."""

    def __init__(self, db: Database, site_id: int, every_s: float):
        self.db, self.site_id, self.every_s = db, site_id, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pending-payments", daemon=True)
        self.turn = None

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)
        if self.turn is not None:
            self.turn.release()
            self.turn = None

    def _take_turn(self) -> bool:
        try:
            if self.turn is not None and not self.turn.is_held():  # PostgreSQL restarted
                self.turn.release()
                self.turn = None
            if self.turn is None:
                self.turn = self.db.take_service_turn(self.site_id, "portal")
        except SQLAlchemyError as exc:
            log.warning("the turn to query payment orders not taken: %s", exc)
            return False
        return self.turn is not None

    def _run(self) -> None:
        self._take_turn()  # at once: the first process up holds it
        while not self._stop.wait(self.every_s):
            if not self._take_turn():
                continue
            try:
                done = query_pending(self.db, self.site_id)
            except (SQLAlchemyError, ServiceError) as exc:
                # a database that is briefly away: the next round asks again
                log.warning("pending payment orders not queried: %s", exc)
                continue
            for outcome in done:
                if outcome.status != "unpaid":
                    log.info("payment order %s: %s", outcome.order_no, outcome.status)


def _answered(session, site_id, order_no, provider, created_at, facts, now) -> Outcome:
    setting = _setting(session, site_id, provider)
    if facts.is_paid:
        return _credit(session, setting, facts)
    if now - created_at < CLOSE_AFTER:
        return Outcome("unpaid", order_no)
    order = session.scalar(
        select(PaymentOrder).where(PaymentOrder.order_no == order_no).with_for_update()
    )
    if order.state is not OrderState.PENDING:  # a notification came meanwhile
        return Outcome("repeat", order_no, _receipt_no(session, order))
    order.state = OrderState.CLOSED
    audit(
        session,
        Actor.online(site_id),
        "payment.closed",
        "payment_order",
        order.id,
        order_no=order_no,
        state=facts.state,
    )
    return Outcome("closed", order_no)


@dataclass(frozen=True, slots=True)
class Difference:
    provider: PaymentProvider
    order_no: str
    kind: str  # not_credited / not_on_statement / amount
    ours: Decimal | None
    theirs: Decimal | None
    stall_code: str

    def text(self, lang: str | None = None) -> str:
        return DIFFERENCE[self.kind].say(
            lang,
            ours=f"{self.ours:.2f}" if self.ours is not None else "",
            theirs=f"{self.theirs:.2f}" if self.theirs is not None else "",
        )


def reconcile(db: Database, actor: Actor, day: date | str, provider=None) -> list[Difference]:
    """对账: the day's credited orders (the market's local day) against each set-up platform's
    statement of that day. Permission: admin or reviewer. Transactions: one read, the
    statements fetched outside any transaction, then one that compares and writes the audit
    row 'payment.reconcile' with the count of differences."""
    require(actor, May.VIEW_ONLINE_PAYMENTS)
    day = _day(day)
    providers = [_provider(provider)] if provider else list(PaymentProvider)
    with db.reading() as session:
        settings = {
            p: dict(row.settings)
            for p in providers
            if (row := _setting(session, actor.site_id, p)) is not None
        }
    statements: dict[PaymentProvider, list[StatementRow]] = {}
    for p, values in settings.items():
        try:
            statements[p] = _client(values, p).statement(day)
        except (ProviderError, Refused) as exc:
            detail = exc.detail if isinstance(exc, ProviderError) else exc.reason
            raise ServiceError(
                PLATFORM_UNREACHABLE, code="provider", provider=PROVIDER_NAME[p], detail=detail
            ) from exc
    with db.transaction() as session:
        out = _differences(session, actor.site_id, day, statements)
        audit(
            session,
            actor,
            "payment.reconcile",
            "site",
            actor.site_id,
            day=day.isoformat(),
            differences=len(out),
        )
    return out


def _differences(
    session: Session, site_id: int, day: date, statements: dict[PaymentProvider, list[StatementRow]]
) -> list[Difference]:
    tz = site_zone(session, site_id)
    start = local_midnight(day, tz)
    end = local_midnight(day + timedelta(days=1), tz)
    out: list[Difference] = []
    for p, rows in statements.items():
        theirs = {r.order_no: r for r in rows}
        ours = {
            o.order_no: o
            for o in session.scalars(
                select(PaymentOrder).where(
                    PaymentOrder.site_id == site_id,
                    PaymentOrder.provider == p,
                    PaymentOrder.state == OrderState.PAID,
                    PaymentOrder.paid_at >= start,
                    PaymentOrder.paid_at < end,
                )
            )
        }
        known = {
            o.order_no: o
            for o in session.scalars(
                select(PaymentOrder).where(PaymentOrder.order_no.in_(list(theirs)))
            )
        }
        for no, row in sorted(theirs.items()):
            order = ours.get(no) or known.get(no)
            code = _stall_code(session, order)
            if order is None or order.state is not OrderState.PAID:
                out.append(Difference(p, no, "not_credited", None, row.amount, code))
            elif order.amount != row.amount:
                out.append(Difference(p, no, "amount", order.amount, row.amount, code))
        for no, order in sorted(ours.items()):
            if no not in theirs:
                out.append(
                    Difference(
                        p, no, "not_on_statement", order.amount, None, _stall_code(session, order)
                    )
                )
    return out


def _stall_code(session: Session, order: PaymentOrder | None) -> str:
    return session.get(Stall, order.stall_id).code if order else ""


def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(DATE_NOT_VALID, code="invalid", value=value) from None


# ------------------------------------------------------------------ what the admin sees


@dataclass(frozen=True, slots=True)
class PaymentAlert:
    at: datetime
    order_no: str
    text: str  # in the reader's language


def payment_alerts(
    session: Session, actor: Actor, *, lang: str | None = None, limit: int = 50
) -> list[PaymentAlert]:
    """The latest refused notifications of this market (and those no market could take),
    newest first. Permission: admin or reviewer."""
    require(actor, May.VIEW_ONLINE_PAYMENTS)
    rows = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == "payment.refused",
            (AuditEvent.site_id == actor.site_id) | AuditEvent.site_id.is_(None),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [
        PaymentAlert(
            r.at,
            (r.detail or {}).get("order_no", ""),
            shown((r.detail or {}).get("reason", ""), lang),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class OrderRow:
    order_no: str
    stall_code: str
    amount: Decimal
    provider: PaymentProvider
    method: str
    state: OrderState
    created_at: datetime
    credited_at: datetime | None


def recent_orders(session: Session, actor: Actor, *, limit: int = 100) -> list[OrderRow]:
    """The market's latest online payment orders. Permission: admin or reviewer."""
    require(actor, May.VIEW_ONLINE_PAYMENTS)
    rows = session.execute(
        select(PaymentOrder, Stall.code)
        .join(Stall, Stall.id == PaymentOrder.stall_id)
        .where(PaymentOrder.site_id == actor.site_id)
        .order_by(PaymentOrder.id.desc())
        .limit(limit)
    ).all()
    return [
        OrderRow(
            o.order_no, code, o.amount, o.provider, o.method, o.state, o.created_at, o.credited_at
        )
        for o, code in rows
    ]


__all__ = [
    "Difference",
    "OrderStart",
    "PendingQuery",
    "Outcome",
    "handle_alipay_notification",
    "enabled_providers",
    "handle_wechat_notification",
    "payment_alerts",
    "payment_settings",
    "query_pending",
    "reconcile",
    "recent_orders",
    "set_payment_settings",
    "start_order",
]
