"""Posting to an account's ledger: the only way a balance changes."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.account import Account, EntryKind, LedgerEntry
from app.models.base import utcnow
from app.models.money import FEN
from app.services.platform.bulk import Raw, scaled, unscaled


def lock_account(session: Session, account_id: int) -> Account:
    """Load the account row locked for update (PostgreSQL row lock; SQLite already holds
    the database write lock from BEGIN IMMEDIATE), fresh from the database."""
    account = session.execute(
        select(Account)
        .where(Account.id == account_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return account


def post(
    session: Session, account: Account, kind: EntryKind, amount: Decimal, **fields
) -> LedgerEntry:
    """Add one entry and move the running balance. `account` must come from lock_account()."""
    if amount == 0:
        raise ValueError("a ledger entry cannot be zero")
    if amount != amount.quantize(FEN):
        raise ValueError(f"ledger amount {amount} is not in whole fen")
    account.balance = account.balance + amount
    entry = LedgerEntry(
        account_id=account.id, kind=kind, amount=amount, balance_after=account.balance, **fields
    )
    session.add(entry)
    session.flush()
    return entry


def ledger_sum(session: Session, account_id: int) -> Decimal:
    """The balance as the sum of the ledger, for checks and reconciliation."""
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.account_id == account_id
        )
    )
    return Decimal(total) if isinstance(total, int) else total


def post_many(session: Session, postings: Sequence[tuple[int, EntryKind, Decimal, dict]]) -> int:
    """post() for many accounts at once (a settlement run debits thousands of bills):
    the same rules — accounts locked (in id order, so two runs cannot deadlock), running
    balance and balance_after written with each entry — in three statements instead of
    one flush per entry. `postings` are (account_id, kind, amount, fields); returns the
    number of entries (find them by bill_id / idempotency_key)."""
    if not postings:
        return 0
    for _, _, amount, _ in postings:
        if amount == 0:
            raise ValueError("a ledger entry cannot be zero")
        if amount != amount.quantize(FEN):
            raise ValueError(f"ledger amount {amount} is not in whole fen")
    ids = sorted({p[0] for p in postings})
    balances: dict[int, Decimal] = {}
    raw = Raw(session)
    for batch in raw.batches(ids):
        where, params = raw.where_in("id", batch)
        lock = " FOR UPDATE" if raw.pg else ""  # SQLite: BEGIN IMMEDIATE holds the write lock
        for account_id, balance in raw.rows(
            f"SELECT id, balance FROM account WHERE {where} ORDER BY id{lock}", params
        ):
            balances[account_id] = unscaled(balance)
    now = utcnow()
    entries = []
    for account_id, kind, amount, fields in postings:
        balances[account_id] = balances[account_id] + amount
        entries.append(
            (
                account_id,
                raw.time(fields.get("at", now)),
                str(kind),
                scaled(amount),
                scaled(balances[account_id]),
                fields.get("method"),
                fields.get("bill_id"),
                fields.get("reverses_id"),
                fields.get("operator_id"),
                fields.get("reason", ""),
                fields.get("idempotency_key"),
            )
        )
    raw.insert(
        LedgerEntry.__table__,
        (
            "account_id",
            "at",
            "kind",
            "amount",
            "balance_after",
            "method",
            "bill_id",
            "reverses_id",
            "operator_id",
            "reason",
            "idempotency_key",
        ),
        entries,
    )
    raw.update(Account.__table__, ("id", "balance"), [(a, scaled(b)) for a, b in balances.items()])
    # Account objects already in the session would show the old balance.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Account) and obj.id in balances:
            session.expire(obj, ["balance"])
    return len(entries)


def balances_off_ledger(session: Session) -> list[tuple[int, Decimal, Decimal]]:
    """Every account whose balance is not the sum of its ledger: (account id, balance, sum).
    Empty when the books agree. One grouped query, so a backup of 20,000 accounts is checked
    in a moment; only the columns every schema revision has are read."""
    total = func.sum(LedgerEntry.amount)
    rows = session.execute(
        select(Account.id, Account.balance, total)
        .outerjoin(LedgerEntry, LedgerEntry.account_id == Account.id)
        .group_by(Account.id, Account.balance)
        .order_by(Account.id)
    ).all()
    off = []
    for account_id, balance, summed in rows:
        summed = Decimal(0) if summed is None else Decimal(summed)
        if Decimal(balance) != summed:
            off.append((account_id, balance, summed))
    return off
