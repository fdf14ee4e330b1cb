"""Text messages (短信) to tenants: a sender per provider behind one interface, and the outbox.

A provider sends approved templates with parameters, never free text (China's SMS rules): the
program names its templates (`sign_in_code`, `bind_code`) and the market's SMS account maps
them to the provider's template codes. A market without an SMS contract uses the outbox: the
messages stay in the database, where the office reads them (`python -m app sms outbox`).
Codes and keys never reach the log; a message sent through a provider is kept with its code
masked, since the code is kept hashed only (app.services.portal.sign_in).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.portal import SmsAccount, SmsMessage
from app.services.platform.audit import audit
from app.services.platform.context import Actor, May, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Word

log = logging.getLogger(__name__)

OUTBOX = "outbox"
ALIYUN = "aliyun"
PROVIDERS = (OUTBOX, ALIYUN)
TEMPLATES = ("sign_in_code", "bind_code")
SECRET_KEYS = ("access_key_secret", "cookie_secret")
MASK = "******"

UNKNOWN_PROVIDER = Word(
    "sms.unknown_provider",
    QT_TRANSLATE_NOOP("Errors", "Unknown SMS provider “{provider}”. Choose one of: {choices}"),
)
FILL_IN_SMS_SETTING = Word(
    "sms.fill_in_setting",
    QT_TRANSLATE_NOOP("Errors", "Please fill in the SMS setting “{key}” of {provider}"),
)
PORTAL_URL_NOT_HTTPS = Word(
    "sms.portal_url_not_https",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The portal address “{url}” must start with https:// (or http:// for a test on this PC)",
    ),
)
SMS_NOT_SENT = Word(
    "sms.not_sent",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The text message could not be sent ({problem}). Try again in a minute; if it keeps "
        "failing, ask the property office",
    ),
)


@dataclass(frozen=True, slots=True)
class Sent:
    status: str  # outbox / sent / failed
    detail: str = ""  # the provider's answer (its request id, or its error)


class SmsSender(Protocol):
    """One provider: sends a template with its parameters to one phone."""

    provider: str

    def send(self, phone: str, template: str, params: dict[str, str]) -> Sent: ...


class OutboxSender:
    """No SMS contract: the message is only kept (the office reads the outbox)."""

    provider = OUTBOX

    def send(self, phone: str, template: str, params: dict[str, str]) -> Sent:
        return Sent(OUTBOX)


def percent(value: object) -> str:
    """Aliyun's POP encoding: RFC 3986 (space %20, * %2A, ~ kept), UTF-8."""
    return quote(str(value), safe="-_.~")


def aliyun_signature(secret: str, params: dict[str, str], method: str = "GET") -> str:
    """Signature of an Aliyun RPC request (SignatureVersion 1.0, HMAC-SHA1): the parameters
    sorted by name and percent-encoded, StringToSign = METHOD&%2F&percent(query), keyed by
    AccessKeySecret + "&" (help.aliyun.com/document_detail/101343, SMS 签名机制)."""
    query = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent('/')}&{percent(query)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    """Aliyun SMS (阿里云短信服务) `SendSms`, API version 2017-05-25, over HTTPS GET."""

    provider = ALIYUN
    ENDPOINT = "https://dysmsapi.aliyuncs.com/"

    def __init__(self, settings: dict, *, timeout_s: float = 10.0):
        self.settings = settings
        self.endpoint = settings.get("endpoint") or self.ENDPOINT
        self.timeout_s = timeout_s

    def signed_params(
        self,
        phone: str,
        template: str,
        params: dict[str, str],
        *,
        now=None,
        nonce: str | None = None,
    ) -> dict[str, str]:
        s = self.settings
        query = {
            "AccessKeyId": s["access_key_id"],
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": s.get("region") or "cn-hangzhou",
            "SignName": s["sign_name"],
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or str(uuid.uuid4()),
            "SignatureVersion": "1.0",
            "TemplateCode": s["templates"][template],
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        query["Signature"] = aliyun_signature(s["access_key_secret"], query)
        return query

    def send(self, phone: str, template: str, params: dict[str, str]) -> Sent:
        import requests  # here, not at the top: the client's way to its sign-in passes by

        try:
            answer = requests.get(
                self.endpoint,
                params=self.signed_params(phone, template, params),
                timeout=self.timeout_s,
            )
            data = answer.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("SMS to %s not sent: %s", _masked_phone(phone), type(exc).__name__)
            return Sent("failed", type(exc).__name__)
        if data.get("Code") == "OK":
            return Sent("sent", str(data.get("BizId") or data.get("RequestId") or ""))
        problem = f"{data.get('Code')}: {data.get('Message')}"
        log.warning("SMS to %s refused by Aliyun: %s", _masked_phone(phone), problem)
        return Sent("failed", problem[:500])


def _masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "****"


def sender_for(account: SmsAccount | None) -> SmsSender:
    if account is None or account.provider == OUTBOX:
        return OutboxSender()
    return AliyunSms(account.settings)


def sms_account(session: Session, site_id: int) -> SmsAccount:
    """The market's SMS account row, made (outbox, with the portal's cookie secret) when
    missing. Writes on first use only."""
    account = session.scalar(select(SmsAccount).where(SmsAccount.site_id == site_id))
    if account is None:
        account = SmsAccount(site_id=site_id, provider=OUTBOX, settings={}, portal_url="")
        session.add(account)
    if not account.settings.get("cookie_secret"):
        import secrets

        account.settings = {**account.settings, "cookie_secret": secrets.token_urlsafe(32)}
    session.flush()
    return account


def send_sms(
    session: Session,
    site_id: int,
    phone: str,
    template: str,
    params: dict[str, str],
    *,
    sender: SmsSender | None = None,
) -> SmsMessage:
    """Send one template message and keep it. Through a provider the kept copy has its code
    masked; in the outbox the code is the message. Raises ServiceError when the provider
    refused it (the caller's transaction then keeps nothing, so no code waits unsent)."""
    sender = sender or sender_for(sms_account(session, site_id))
    sent = sender.send(phone, template, params)
    if sent.status == "failed":
        raise ServiceError(SMS_NOT_SENT, code="sms_failed", problem=sent.detail)
    kept = (
        params
        if sent.status == OUTBOX
        else {k: MASK if k == "code" else v for k, v in params.items()}
    )
    row = SmsMessage(
        site_id=site_id,
        phone=phone,
        template=template,
        params=kept,
        provider=sender.provider,
        status=sent.status,
        detail=sent.detail,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    at: datetime
    phone: str
    template: str
    params: dict
    provider: str
    status: str
    detail: str


def latest_messages(session: Session, site_id: int, limit: int = 20) -> list[OutboxRow]:
    """The newest messages first. Permission: the ops command line and tests; reads only."""
    rows = session.scalars(
        select(SmsMessage)
        .where(SmsMessage.site_id == site_id)
        .order_by(SmsMessage.at.desc(), SmsMessage.id.desc())
        .limit(limit)
    )
    return [
        OutboxRow(r.id, r.at, r.phone, r.template, dict(r.params), r.provider, r.status, r.detail)
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class SmsSetup:
    provider: str
    settings: dict  # secrets masked
    portal_url: str


def sms_setup(session: Session, site_id: int) -> SmsSetup:
    """The market's SMS account with its secrets masked. Reads (makes the row when missing)."""
    account = sms_account(session, site_id)
    shown = {k: (MASK if k in SECRET_KEYS and v else v) for k, v in account.settings.items()}
    return SmsSetup(account.provider, shown, account.portal_url)


def set_up_sms(
    session: Session,
    actor: Actor,
    provider: str,
    settings: dict | None = None,
    portal_url: str | None = None,
) -> SmsSetup:
    """Choose the SMS provider and its settings (a secret left empty keeps the stored one),
    and the portal's public address. Permission: admin. Audit: sms.setup, secrets masked."""
    require(actor, May.SET_UP_TENANT_PORTAL)
    if provider not in PROVIDERS:
        raise ServiceError(
            UNKNOWN_PROVIDER, code="invalid", provider=provider, choices=", ".join(PROVIDERS)
        )
    account = sms_account(session, actor.site_id)
    merged = dict(account.settings)
    for key, value in (settings or {}).items():
        if value not in ("", None) or key not in SECRET_KEYS:
            merged[key] = value
    if provider == ALIYUN:
        for key in ("access_key_id", "access_key_secret", "sign_name"):
            if not merged.get(key):
                raise ServiceError(FILL_IN_SMS_SETTING, code="required", key=key, provider=provider)
        templates = merged.get("templates") or {}
        for name in TEMPLATES:
            if not templates.get(name):
                raise ServiceError(
                    FILL_IN_SMS_SETTING, code="required", key=f"templates.{name}", provider=provider
                )
    if portal_url is not None:
        url = portal_url.strip().rstrip("/")
        if url and not url.startswith(("https://", "http://")):
            raise ServiceError(PORTAL_URL_NOT_HTTPS, code="invalid", url=url)
        account.portal_url = url
    account.provider = provider
    account.settings = merged
    audit(
        session,
        actor,
        "sms.setup",
        "sms_account",
        account.id,
        provider=provider,
        settings={k: (MASK if k in SECRET_KEYS and v else v) for k, v in merged.items()},
        portal_url=account.portal_url,
    )
    return sms_setup(session, actor.site_id)
