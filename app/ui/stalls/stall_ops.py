"""Stall actions as ops (core-money's stalls service)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.models.site import StallRoleKind
from app.services import stalls
from app.services import views as view_queries
from app.services.context import Changes
from app.ui.client import Client
from app.ui.ops import DbOp, QueryOp

_ACCOUNT_FIELDS = ("alarm1", "alarm2", "overdraft_limit")


def list_stalls_op(parent: QWidget, client: Client) -> QueryOp:
    return QueryOp(parent, lambda s: (stalls.list_stalls(s, site_id=client.site_id), view_queries.building_rows(s, client.site_id)))


def save_stall_op(parent: QWidget, client: Client, stall_id: int | None, values: dict, old_tenant: tuple[str, str]) -> DbOp:
    """Create or update the stall, its alarm levels and its tenant, in one transaction."""
    values = dict(values)
    tenant, phone = values.pop("tenant"), values.pop("phone")

    def body(s):
        if stall_id is None:
            row = stalls.create_stall(s, client.actor, values["building_id"], values["code"], values["name"],
                                      area_m2=values["area_m2"], note=values["note"])
            rest = {k: values[k] for k in ("status", *_ACCOUNT_FIELDS)}
            row = stalls.update_stall(s, client.actor, row.id, **rest)
        else:
            row = stalls.update_stall(s, client.actor, stall_id, **values)
        if (tenant, phone) != old_tenant:
            if tenant:
                customer = stalls.create_customer(s, client.actor, tenant, phone)
                stalls.set_stall_role(s, client.actor, row.id, StallRoleKind.TENANT, customer.id)
            else:
                stalls.set_stall_role(s, client.actor, row.id, StallRoleKind.TENANT, None)
        return row

    return DbOp(parent, body, changes=Changes.STALLS | Changes.BALANCES)


def delete_stall_op(parent: QWidget, client: Client, stall_id: int) -> DbOp:
    return DbOp(parent, lambda s: stalls.delete_stall(s, client.actor, stall_id), changes=Changes.STALLS)
