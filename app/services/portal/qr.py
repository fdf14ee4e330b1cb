"""A stall's QR code (扫码查询): the portal's address with the stall's random token, once the
market has a portal address; before that, the stall code the counter's scanner reads
(`MMSTALL:A-064`). The counter reads both (app.services.market.stalls.stall_card)."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.portal import SmsAccount, StallToken

QR_PATH = "/s/"  # the portal's bind page: https://portal.example.com/s/<token>


def stall_token(session: Session, stall_id: int) -> str:
    """The stall's QR token, made on first use (writes then)."""
    row = session.get(StallToken, stall_id)
    if row is None:
        row = StallToken(stall_id=stall_id, token=secrets.token_urlsafe(12))
        session.add(row)
        session.flush()
    return row.token


def portal_url(session: Session, site_id: int) -> str:
    return session.scalar(select(SmsAccount.portal_url).where(SmsAccount.site_id == site_id)) or ""


def stall_qr_url(session: Session, site_id: int, stall_id: int, *, make: bool = True) -> str:
    """The address a stall's QR holds, "" while the market has no portal address (or, with
    make=False in a reading, while the stall has no token yet)."""
    base = portal_url(session, site_id)
    if not base:
        return ""
    if make:
        token = stall_token(session, stall_id)
    else:
        row = session.get(StallToken, stall_id)
        if row is None:
            return ""
        token = row.token
    return f"{base}{QR_PATH}{token}"


def stall_of_qr(session: Session, text: str) -> int | None:
    """The stall whose QR address this is (any market's portal address: the token alone
    names the stall), None when it is none."""
    if not text.lower().startswith(("http://", "https://")) or QR_PATH not in text:
        return None
    token = text.rsplit(QR_PATH, 1)[1].split("?", 1)[0].split("#", 1)[0].strip("/")
    return session.scalar(select(StallToken.stall_id).where(StallToken.token == token))
