"""The tenants' portal (租户自助): text messages, sign-in codes, sessions and who may see a stall.

A phone number is the tenant's identity: the portal never keeps names or passwords. Codes and
session keys are kept only as SHA-256 hashes, so a copy of the database signs nobody in.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class SmsAccount(Base):
    """A market's SMS contract: the provider ("outbox": none, the messages stay in the local
    outbox) and its settings; the secret keys in `settings` are masked wherever they are
    listed or logged, as a channel's are."""

    __tablename__ = "sms_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(20), default="outbox")
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # The address tenants open (https://…), the start of a stall's QR code; empty: the QR
    # holds the stall code only, as before the portal.
    portal_url: Mapped[str] = mapped_column(String(200), default="", server_default="")


class SmsMessage(Base):
    """One text message sent (or kept in the outbox): a provider's template and its
    parameters, never free text."""

    __tablename__ = "sms_message"
    __table_args__ = (
        Index("ix_sms_message_site_at", "site_id", "at"),
        Index("ix_sms_message_status_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    phone: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(40))  # ours: sign_in_code, bind_code
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    provider: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # queued / outbox / sent / failed
    detail: Mapped[str] = mapped_column(Text, default="")  # the provider's answer
    # A notice (balance low, supply cut, recharge received) is written "queued" in the
    # transaction of its event and sent after it by the service's send step, from due_at on
    # (the end of the quiet hours); attempts counts the tries of the provider.
    stall_id: Mapped[int | None] = mapped_column(ForeignKey("stall.id"))
    due_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))


class SmsNoticeSetting(Base):
    """Which notices a market sends its tenants by SMS, and its quiet hours (no notice from
    quiet_start to quiet_end, market time; none when either is empty)."""

    __tablename__ = "sms_notice_setting"
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    alarm1: Mapped[bool] = mapped_column(default=False)
    alarm2: Mapped[bool] = mapped_column(default=False)
    supply_cut: Mapped[bool] = mapped_column(default=False)
    recharge: Mapped[bool] = mapped_column(default=False)
    quiet_start: Mapped[time | None]
    quiet_end: Mapped[time | None]


class SmsNoticeState(Base):
    """What a stall's tenant was last told: its alarm level (0 none, 1, 2) and whether its
    supply is cut. A notice goes when the stall enters a state it was not in, so a second
    settlement below alarm 1 tells nothing and a recharge above it and a new fall do."""

    __tablename__ = "sms_notice_state"
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"), primary_key=True)
    alarm_level: Mapped[int] = mapped_column(default=0)
    supply_cut: Mapped[bool] = mapped_column(default=False)


class PortalCode(Base):
    """A 6-digit code sent by SMS: to sign in, or to bind a stall (the code goes to the phone
    on record of that stall)."""

    __tablename__ = "portal_code"
    __table_args__ = (
        Index("ix_portal_code_phone_at", "phone", "at"),
        Index("ix_portal_code_client_ip_at", "client_ip", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    phone: Mapped[str] = mapped_column(String(20))  # who asked (signs in / binds)
    sent_to: Mapped[str] = mapped_column(String(20))  # where the code went
    purpose: Mapped[str] = mapped_column(String(20))  # sign_in / bind
    stall_id: Mapped[int | None] = mapped_column(ForeignKey("stall.id"))
    code_hash: Mapped[str] = mapped_column(String(100))  # salt$sha256
    at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    wrong_tries: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    void: Mapped[bool] = mapped_column(default=False)
    # the network address that asked (behind the office's proxy, X-Forwarded-For's): codes
    # are limited per address too, so one machine cannot text many phones
    client_ip: Mapped[str | None] = mapped_column(String(45))


class PortalSession(Base):
    """A signed-in phone. The cookie holds the key (signed); the row lets the admin end it."""

    __tablename__ = "portal_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class StallAccess(Base):
    """A phone that may see a stall besides its tenant and owner on record: bound by the
    stall's QR and a code sent to the phone on record, or authorized (授权) by the owner."""

    __tablename__ = "stall_access"
    __table_args__ = (UniqueConstraint("stall_id", "phone"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    how: Mapped[str] = mapped_column(String(20))  # bound / authorized
    by_phone: Mapped[str] = mapped_column(String(20), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class StallToken(Base):
    """The random token in a stall's QR address: guessing a stall's code gives nothing; the
    admin renews it when a printed QR went where it should not."""

    __tablename__ = "stall_token"
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
