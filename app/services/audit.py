"""The audit log: one row for every change of money, tariff, meter state or role."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from app.models.user import AuditEvent
from app.services.context import Actor


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def audit(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None, **detail) -> None:
    if actor.origin:
        detail["origin"] = actor.origin
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            actor=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=_plain(detail),
        )
    )
