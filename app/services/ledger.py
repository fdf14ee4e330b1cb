"""Posting to an account's ledger: the only way a balance changes."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.account import Account, EntryKind, LedgerEntry
from app.models.money import FEN


def lock_account(session: Session, account_id: int) -> Account:
    """Load the account row locked for update (PostgreSQL row lock; SQLite already holds
    the database write lock from BEGIN IMMEDIATE), fresh from the database."""
    account = session.execute(
        select(Account).where(Account.id == account_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    return account


def post(session: Session, account: Account, kind: EntryKind, amount: Decimal, **fields) -> LedgerEntry:
    """Add one entry and move the running balance. `account` must come from lock_account()."""
    if amount == 0:
        raise ValueError("a ledger entry cannot be zero")
    if amount != amount.quantize(FEN):
        raise ValueError(f"ledger amount {amount} is not in whole fen")
    account.balance = account.balance + amount
    entry = LedgerEntry(account_id=account.id, kind=kind, amount=amount, balance_after=account.balance, **fields)
    session.add(entry)
    session.flush()
    return entry


def ledger_sum(session: Session, account_id: int) -> Decimal:
    """The balance as the sum of the ledger, for checks and reconciliation."""
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(LedgerEntry.account_id == account_id)
    )
    return Decimal(total) if isinstance(total, int) else total
