"""Stall actions as ops (services/market/stalls.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.models.site import StallRoleKind
from app.services.market import stalls
from app.services.market.stalls import StallCard, StallRow, building_rows
from app.services.money import accounts
from app.services.office.plates_render import render_plates_pdf
from app.services.platform.context import Changes
from app.services.portal import access
from app.ui.client import Client
from app.ui.customers.customer_ops import put_person
from app.ui.ops import DbOp, QueryOp

_ACCOUNT_FIELDS = ("alarm1", "alarm2", "overdraft_limit")


def list_stalls_op(parent: QWidget, client: Client) -> QueryOp:
    return QueryOp(
        parent,
        lambda s: (stalls.list_stalls(s, site_id=client.site_id), building_rows(s, client.site_id)),
    )


def stall_rows_op(parent: QWidget, client: Client, stall_ids: list[int]) -> QueryOp:
    return QueryOp(parent, lambda s: stalls.stall_rows_by_id(s, stall_ids, client.site_id))


STALL_CHANGES = Changes.STALLS | Changes.BALANCES


def save_stall(client: Client, card: StallCard | None, values: dict) -> Callable[..., StallRow]:
    """The body of one transaction that creates (card None) or updates the stall, its alarm
    levels, its tenant and its owner. `values` as StallDialog.values(): tenant and owner
    are PersonChoices."""
    values = dict(values)
    people = (
        (StallRoleKind.TENANT, values.pop("tenant"), card.tenant_id if card else None),
        (StallRoleKind.OWNER, values.pop("owner"), card.owner_id if card else None),
    )

    def body(s):
        if card is None:
            row = stalls.create_stall(
                s,
                client.actor,
                values["building_id"],
                values["code"],
                values["name"],
                area_m2=values["area_m2"],
                note=values["note"],
                floor=values.get("floor", ""),
            )
            rest = {k: values[k] for k in ("status", *_ACCOUNT_FIELDS)}
            row = stalls.update_stall(s, client.actor, row.id, **rest)
        else:
            row = stalls.update_stall(s, client.actor, card.id, **values)
        created: dict[tuple[str, str], int] = {}
        for role, choice, current_id in people:
            put_person(s, client.actor, row.id, role, choice, current_id, created)
        return row

    return body


def renew_qr_op(parent: QWidget, client: Client, stall_id: int) -> DbOp:
    """A new portal QR token for the stall (its printed QR codes stop working); the address."""

    def body(s):
        access.renew_stall_token(s, client.actor, stall_id)
        return access.stall_qr_url(s, client.site_id, stall_id)

    return DbOp(parent, body, changes=Changes.STALLS)


def stall_plate_op(parent: QWidget, client: Client, stall_id: int, path: str) -> DbOp:
    """The stall's plate (档位牌) with its QR code, written as a PDF to `path`."""

    def body(s):
        Path(path).write_bytes(render_plates_pdf(access.stall_plates(s, client.actor, [stall_id])))
        return path

    return DbOp(parent, body, changes=Changes.NONE)


def delete_stall_op(parent: QWidget, client: Client, stall_id: int) -> DbOp:
    return DbOp(
        parent, lambda s: stalls.delete_stall(s, client.actor, stall_id), changes=Changes.STALLS
    )


def close_preview_op(parent: QWidget, client: Client, stall_id: int) -> QueryOp:
    return QueryOp(parent, lambda s: accounts.close_preview(s, client.actor, stall_id))


def reopen_account_op(parent: QWidget, client: Client, stall_id: int) -> DbOp:
    return DbOp(
        parent,
        lambda s: accounts.reopen_account(s, client.actor, stall_id),
        changes=Changes.STALLS | Changes.BALANCES | Changes.METERS,
    )
