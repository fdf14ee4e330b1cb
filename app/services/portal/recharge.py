"""A tenant's online recharge in the portal (线上充值): what the recharge page offers for a stall
the phone may see, and an order's state as its tenant follows it. Placing the order and
crediting it are app/services/money/online_payments.py's; here only who may see what."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.payment import OrderState, PaymentOrder, PaymentProvider
from app.services.money.online_payments import enabled_providers, jsapi_again
from app.services.platform.context import NotFound
from app.services.portal.access import NO_SUCH_STALL, MyStall, visible_stall


@dataclass(frozen=True, slots=True)
class RechargeOffer:
    stall: MyStall
    providers: tuple[PaymentProvider, ...]  # set up by the market; empty: pay at the counter


@dataclass(frozen=True, slots=True)
class OrderSeen:
    order_no: str
    stall_id: int
    stall_code: str
    amount: Decimal
    provider: PaymentProvider
    method: str
    state: OrderState
    receipt_id: int | None  # once credited
    balance: Decimal  # the stall's balance now
    code_url: str  # the QR code to scan (Native / precreate); "" for the other ways
    jsapi: dict | None = None  # a pending JSAPI order's parameters, signed anew (sign_jsapi)

    @property
    def is_paid(self) -> bool:
        return self.state is OrderState.PAID


def recharge_offer(session: Session, site_id: int, phone: str, stall_id: int) -> RechargeOffer:
    """The stall and the platforms its tenant may pay with. NotFound when the phone may not
    see the stall. Reads only."""
    stall = visible_stall(session, site_id, phone, stall_id)
    return RechargeOffer(stall, tuple(enabled_providers(session, site_id)))


def recharge_order(
    session: Session,
    site_id: int,
    phone: str,
    stall_id: int,
    order_no: str,
    *,
    sign_jsapi: bool = False,
) -> OrderSeen:
    """One online order of a stall the phone may see. NotFound, alike, for an order that does
    not exist, one of another stall and a stall the phone may not see. `sign_jsapi`: a
    pending JSAPI order comes with WeixinJSBridge's parameters signed again (its page
    reloaded inside WeChat). Reads only."""
    stall = visible_stall(session, site_id, phone, stall_id)
    order = session.scalar(select(PaymentOrder).where(PaymentOrder.order_no == order_no))
    if order is None or order.stall_id != stall.id or order.site_id != site_id:
        raise NotFound(NO_SUCH_STALL)
    balance = session.scalar(select(Account.balance).where(Account.stall_id == stall.id))
    return OrderSeen(
        order.order_no,
        stall.id,
        stall.code,
        order.amount,
        order.provider,
        order.method,
        order.state,
        order.receipt_id,
        balance if balance is not None else Decimal("0.00"),
        order.code_url or "",
        jsapi_again(session, order) if sign_jsapi else None,
    )
