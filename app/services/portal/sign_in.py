"""Signing in to the tenants' portal with a phone number and a 6-digit code sent by SMS.

Limits (China's rules for verification codes): one code a minute and ten a day per phone,
twenty an hour per network address (so one machine cannot have the market text many phones); a
code lives five minutes; five wrong tries void it. Codes and session keys are kept as salted
SHA-256 hashes only. A session is a row the admin can end (revoke); the browser holds its key
in a signed cookie (app/portal).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.models.portal import PortalCode, PortalSession
from app.models.user import Role
from app.services.platform.audit import audit
from app.services.platform.context import Actor, May, ServiceError, require
from app.services.portal.sms import send_sms
from app.words import QT_TRANSLATE_NOOP, Said, Word

CODE_LIFE = timedelta(minutes=5)
CODE_EVERY = timedelta(minutes=1)
CODES_A_DAY = 10
CODES_AN_HOUR_PER_ADDRESS = 20
WRONG_TRIES = 5
SESSION_LIFE = timedelta(days=30)
PORTAL_ACTOR = "portal"

NOT_A_MOBILE = Word(
    "portal.not_a_mobile",
    QT_TRANSLATE_NOOP(
        "Errors", "“{phone}” is not a mobile number. Type the 11 digits, e.g. 13800138000"
    ),
)
WAIT_A_MINUTE = Word(
    "portal.wait_a_minute",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A code was sent less than a minute ago. Please wait "
        "{seconds} seconds before asking for another one",
    ),
)
TEN_A_DAY = Word(
    "portal.ten_a_day",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This phone has asked for {limit} codes today, the most a day. "
        "Please try again tomorrow or ask the property office",
    ),
)
TOO_MANY_FROM_ADDRESS = Word(
    "portal.too_many_from_address",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Too many codes were asked for from this network in the last hour. Please try again "
        "in an hour or ask the property office",
    ),
)
NO_LIVE_CODE = Word(
    "portal.no_live_code",
    QT_TRANSLATE_NOOP("Errors", "The code has expired or was used up. Please ask for a new code"),
)
WRONG_CODE = Word(
    "portal.wrong_code",
    QT_TRANSLATE_NOOP("Errors", "Wrong code. {left} tries left, then ask for a new code"),
)
CODE_VOIDED = Word(
    "portal.code_voided",
    QT_TRANSLATE_NOOP(
        "Errors", "Wrong code five times: this code no longer works. Please ask for a new code"
    ),
)


def portal_actor(site_id: int, phone: str) -> Actor:
    """A tenant acting in the portal, as the audit log names them: "portal", with the phone."""
    return Actor(None, PORTAL_ACTOR, Role.VIEWER, site_id, origin=phone)


def mobile(phone: str) -> str:
    """A Chinese mobile number as 11 digits (spaces, dashes and +86 taken off)."""
    digits = re.sub(r"[\s\-]", "", phone or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not re.fullmatch(r"1\d{10}", digits):
        raise ServiceError(NOT_A_MOBILE, code="invalid", phone=phone)
    return digits


def _hashed(secret: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    return salt + "$" + hashlib.sha256((salt + secret).encode()).hexdigest()


def _matches(secret: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(_hashed(secret, salt), stored)


def send_code(
    session: Session,
    site_id: int,
    phone: str,
    purpose: str = "sign_in",
    *,
    sent_to: str | None = None,
    stall_id: int | None = None,
    client_ip: str = "",
    now: datetime | None = None,
) -> None:
    """Send a new code for `phone` (to `sent_to`, the phone on record when binding a stall);
    the phone's earlier codes for the same purpose stop working. Limits count per asking
    phone, per receiving phone and per asking address (`client_ip`, the portal's client).
    Transaction: the caller's."""
    now = now or datetime.now(UTC)
    target = sent_to or phone
    if client_ip:
        from_address = session.scalar(
            select(func.count()).where(
                PortalCode.client_ip == client_ip, PortalCode.at > now - timedelta(hours=1)
            )
        )
        if from_address >= CODES_AN_HOUR_PER_ADDRESS:
            raise ServiceError(TOO_MANY_FROM_ADDRESS, code="too_many")
    # a minute between two codes of one purpose for a phone, and between two texts to one
    # phone (strangers' bind requests must not flood the phone on record); ten a day each
    last = session.scalar(
        select(func.max(PortalCode.at)).where(
            or_(
                and_(PortalCode.phone == phone, PortalCode.purpose == purpose),
                PortalCode.sent_to == target,
            )
        )
    )
    if last is not None and now - last < CODE_EVERY:
        raise ServiceError(
            WAIT_A_MINUTE,
            code="too_soon",
            seconds=int((CODE_EVERY - (now - last)).total_seconds()) + 1,
        )
    today = session.scalar(
        select(func.count()).where(
            or_(PortalCode.phone == phone, PortalCode.sent_to == target),
            PortalCode.at > now - timedelta(days=1),
        )
    )
    if today >= CODES_A_DAY:
        raise ServiceError(TEN_A_DAY, code="too_many", limit=CODES_A_DAY)
    session.execute(
        update(PortalCode)
        .where(
            PortalCode.phone == phone,
            PortalCode.purpose == purpose,
            PortalCode.used_at.is_(None),
            PortalCode.void.is_(False),
        )
        .values(void=True)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(
        PortalCode(
            site_id=site_id,
            phone=phone,
            sent_to=sent_to or phone,
            purpose=purpose,
            stall_id=stall_id,
            code_hash=_hashed(code),
            at=now,
            expires_at=now + CODE_LIFE,
            client_ip=client_ip or None,
        )
    )
    send_sms(
        session,
        site_id,
        sent_to or phone,
        "bind_code" if purpose == "bind" else "sign_in_code",
        {"code": code},
    )


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The outcome of a typed code. A wrong one is counted in the caller's transaction, which
    commits either way (the count must stay)."""

    ok: bool
    problem: Said | None = None
    stall_id: int | None = None


def check_code(
    session: Session,
    site_id: int,
    phone: str,
    code: str,
    purpose: str = "sign_in",
    *,
    now: datetime | None = None,
) -> CodeCheck:
    now = now or datetime.now(UTC)
    row = session.scalar(
        select(PortalCode)
        .where(
            PortalCode.site_id == site_id,
            PortalCode.phone == phone,
            PortalCode.purpose == purpose,
            PortalCode.used_at.is_(None),
            PortalCode.void.is_(False),
            PortalCode.expires_at > now,
        )
        .order_by(PortalCode.at.desc())
        .limit(1)
    )
    if row is None:
        return CodeCheck(False, NO_LIVE_CODE())
    if not _matches((code or "").strip(), row.code_hash):
        row.wrong_tries += 1
        if row.wrong_tries >= WRONG_TRIES:
            row.void = True
            return CodeCheck(False, CODE_VOIDED())
        return CodeCheck(False, WRONG_CODE(left=WRONG_TRIES - row.wrong_tries))
    row.used_at = now
    return CodeCheck(True, stall_id=row.stall_id)


@dataclass(frozen=True, slots=True)
class StartedSession:
    id: int
    key: str  # goes into the cookie (signed); only its hash is kept
    csrf: str


@dataclass(frozen=True, slots=True)
class Person:
    """Who is signed in: the phone number is the tenant's identity."""

    session_id: int
    site_id: int
    phone: str
    csrf: str


def start_session(
    session: Session, site_id: int, phone: str, *, now: datetime | None = None
) -> StartedSession:
    now = now or datetime.now(UTC)
    key = secrets.token_urlsafe(32)
    row = PortalSession(
        site_id=site_id,
        phone=phone,
        key_hash=_key_hash(key),
        csrf=secrets.token_urlsafe(24),
        started_at=now,
        last_seen=now,
        expires_at=now + SESSION_LIFE,
    )
    session.add(row)
    session.flush()
    audit(session, portal_actor(site_id, phone), "portal.sign_in", "portal_session", row.id)
    return StartedSession(row.id, key, row.csrf)


def _key_hash(key: str) -> str:
    # the key is 256 random bits: no salt needed, and the hash is looked up directly
    return hashlib.sha256(key.encode()).hexdigest()


def person(session: Session, key: str, *, now: datetime | None = None) -> Person | None:
    """The signed-in person of a session key, None when it ended, expired or was revoked.
    Reads only."""
    now = now or datetime.now(UTC)
    row = session.scalar(select(PortalSession).where(PortalSession.key_hash == _key_hash(key)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return Person(row.id, row.site_id, row.phone, row.csrf)


def sign_out(session: Session, key: str, *, now: datetime | None = None) -> None:
    row = session.scalar(select(PortalSession).where(PortalSession.key_hash == _key_hash(key)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    phone: str
    started_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


def list_sessions(session: Session, actor: Actor, phone: str | None = None) -> list[SessionRow]:
    """The market's portal sessions, newest first. Permission: admin; reads only."""
    require(actor, May.SET_UP_TENANT_PORTAL)
    q = select(PortalSession).where(PortalSession.site_id == actor.site_id)
    if phone:
        q = q.where(PortalSession.phone == mobile(phone))
    rows = session.scalars(q.order_by(PortalSession.started_at.desc()).limit(500))
    return [SessionRow(r.id, r.phone, r.started_at, r.expires_at, r.revoked_at) for r in rows]


def revoke_sessions(
    session: Session,
    actor: Actor,
    *,
    phone: str | None = None,
    session_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """End a phone's portal sessions (or one session): its next page asks it to sign in
    again. Permission: admin. Audit: portal.revoke. Returns how many were ended."""
    require(actor, May.SET_UP_TENANT_PORTAL)
    q = select(PortalSession).where(
        PortalSession.site_id == actor.site_id, PortalSession.revoked_at.is_(None)
    )
    if phone:
        q = q.where(PortalSession.phone == mobile(phone))
    if session_id is not None:
        q = q.where(PortalSession.id == session_id)
    rows = list(session.scalars(q))
    for row in rows:
        row.revoked_at = now or datetime.now(UTC)
    audit(
        session,
        actor,
        "portal.revoke",
        "portal_session",
        session_id,
        phone=phone or "",
        ended=len(rows),
    )
    return len(rows)
