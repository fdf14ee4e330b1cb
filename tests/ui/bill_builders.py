"""Bills written straight into the database, many at a time (a big market's month)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import insert, select

from app.models.account import Account
from app.models.billing import Bill, BillKind, BillStatus
from app.models.site import Stall

_keys = count()


def some_bills(db, stall_id: int, month: date, n: int, *, kind=BillKind.ELECTRIC, status=BillStatus.UNPROCESSED,
               amount: str = "1.00") -> None:
    """`n` hourly bills of one stall in period `month` (账期)."""
    with db.transaction() as s:
        site_id = s.scalar(select(Stall.site_id).where(Stall.id == stall_id))
        account_id = s.scalar(select(Account.id).where(Account.stall_id == stall_id))
        start = datetime(month.year, month.month, 1, tzinfo=UTC)
        s.execute(insert(Bill), [
            {"site_id": site_id, "stall_id": stall_id, "account_id": account_id, "kind": kind, "status": status,
             "period_start": start + timedelta(hours=i), "period_end": start + timedelta(hours=i + 1),
             "amount": Decimal(amount), "month": month, "dedupe_key": f"test:{next(_keys)}", "note": ""}
            for i in range(n)
        ])
