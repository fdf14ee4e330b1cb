"""Customer actions as ops (the stalls service keeps customers and their stall roles)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from app.models.site import StallRoleKind
from app.services.market import stalls
from app.services.market.stalls import CustomerRow
from app.services.platform.context import Actor, Changes
from app.ui.client import Client
from app.ui.ops import DbOp, QueryOp

# A customer's name and phone show in the stalls list and on the stall card.
CUSTOMER_CHANGES = Changes.STALLS


def list_customers_op(parent: QWidget, client: Client) -> QueryOp:
    return QueryOp(parent, lambda s: stalls.list_customers(s, client.site_id))


def delete_customer_op(parent: QWidget, client: Client, customer_id: int) -> DbOp:
    return DbOp(
        parent,
        lambda s: stalls.delete_customer(s, client.actor, customer_id),
        changes=CUSTOMER_CHANGES,
    )


@dataclass(frozen=True)
class PersonChoice:
    """Who the clerk put in a stall's role (租户 / 业主): an existing `customer` (the phone as
    typed: it may correct theirs), or a new person (customer None), or nobody (name "")."""

    customer: CustomerRow | None
    name: str
    phone: str

    @property
    def is_nobody(self) -> bool:
        return not self.name

    @property
    def changes_phone(self) -> bool:
        return self.customer is not None and self.phone != self.customer.phone


def put_person(
    s,
    actor: Actor,
    stall_id: int,
    role: StallRoleKind,
    choice: PersonChoice,
    current_id: int | None,
    created: dict[tuple[str, str], int],
) -> None:
    """Inside an op's body: make the choice the stall's `role`. A chosen customer stays one
    customer (their phone corrected if it was changed); a new person becomes a customer once,
    even when typed as both tenant and owner (`created`, shared by the calls of one op)."""
    if choice.is_nobody:
        if current_id is not None:
            stalls.set_stall_role(s, actor, stall_id, role, None)
        return
    if choice.customer is not None:
        customer_id = choice.customer.id
        if choice.changes_phone:
            stalls.update_customer(s, actor, customer_id, phone=choice.phone)
    else:
        key = (choice.name, choice.phone)
        if key not in created:
            created[key] = stalls.create_customer(s, actor, choice.name, choice.phone).id
        customer_id = created[key]
    if customer_id != current_id:
        stalls.set_stall_role(s, actor, stall_id, role, customer_id)
