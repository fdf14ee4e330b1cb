"""Prepaid accounts and their ledger. A balance is the sum of its ledger entries.

`Account.balance` and `LedgerEntry.balance_after` are a running total written only by
`app.services.money.ledger.post()` in the same transaction as the entry, with the account row
locked, so concurrent clerks serialise; tests prove it always equals the sum.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.site import enum_col


class AccountStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # 销户


class Account(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"), unique=True)
    balance: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    alarm1: Mapped[Decimal] = mapped_column(default=Decimal("50"))  # 一级报警
    alarm2: Mapped[Decimal] = mapped_column(default=Decimal("20"))  # 二级报警
    overdraft_limit: Mapped[Decimal] = mapped_column(default=Decimal("0"))  # 透支额度
    status: Mapped[AccountStatus] = mapped_column(
        enum_col(AccountStatus), default=AccountStatus.OPEN
    )
    closed_at: Mapped[datetime | None]


class EntryKind(enum.StrEnum):
    RECHARGE = "recharge"
    REVERSAL = "reversal"  # reverses an earlier entry
    REFUND = "refund"  # balance paid out at 销户
    BILL = "bill"  # debit of an issued bill
    ADJUSTMENT = "adjustment"


class PayMethod(enum.StrEnum):
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    CARD = "card"
    TRANSFER = "transfer"


class LedgerEntry(Base):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="nonzero_amount"),
        Index("ix_ledger_entry_account_at", "account_id", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[EntryKind] = mapped_column(enum_col(EntryKind))
    amount: Mapped[Decimal]  # + credit, − debit
    balance_after: Mapped[Decimal]
    method: Mapped[PayMethod | None] = mapped_column(enum_col(PayMethod))
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bill.id"), index=True)
    # An entry is reversed at most once: the reversal points at it, uniquely.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class Receipt(Base):
    """收据: numbered per site, gapless, one per money movement at the counter."""

    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("site_id", "no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    no: Mapped[int]
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_col(EntryKind))
    amount: Mapped[Decimal]
    method: Mapped[PayMethod | None] = mapped_column(enum_col(PayMethod))
    balance_before: Mapped[Decimal]
    balance_after: Mapped[Decimal]
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The name printed on the receipt, kept as it was: a reprint shows the same name even
    # after a rename, and the built-in CLI actor has no user row.
    operator_name: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    print_count: Mapped[int] = mapped_column(default=0)
