"""Customer actions as ops (the stalls service keeps customers and their stall roles)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services import stalls
from app.services.context import Changes
from app.ui.client import Client
from app.ui.ops import DbOp, QueryOp

# A customer's name and phone show in the stalls list and on the stall card.
CUSTOMER_CHANGES = Changes.STALLS


def list_customers_op(parent: QWidget, client: Client) -> QueryOp:
    return QueryOp(parent, lambda s: stalls.list_customers(s, client.site_id))


def delete_customer_op(parent: QWidget, client: Client, customer_id: int) -> DbOp:
    return DbOp(parent, lambda s: stalls.delete_customer(s, client.actor, customer_id), changes=CUSTOMER_CHANGES)

