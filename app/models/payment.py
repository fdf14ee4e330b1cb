"""Online payments (线上充值): a tenant's payment order and a market's provider settings.

An order is created when the tenant starts paying and is credited (through the counter's
recharge, so it gets a receipt, a ledger entry and an audit row) only from the provider's
verified notification or a query of the provider, exactly once: `receipt_id` is set then.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.site import enum_col


class PaymentProvider(enum.StrEnum):
    WECHAT = "wechat"  # 微信支付 API v3
    ALIPAY = "alipay"  # 支付宝 开放平台


class OrderState(enum.StrEnum):
    PENDING = "pending"  # created, no verified payment yet
    PAID = "paid"  # credited to the stall's account
    CLOSED = "closed"  # the provider says it was never paid (or it expired)


class PaymentOrder(Base):
    __tablename__ = "payment_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    # out_trade_no: ours, sent to the provider; 6-32 characters of [0-9A-Za-z_-] (WeChat v3)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"), index=True)
    amount: Mapped[Decimal]
    provider: Mapped[PaymentProvider] = mapped_column(enum_col(PaymentProvider))
    # how the tenant pays: jsapi / h5 / native (WeChat), wap / precreate (Alipay)
    method: Mapped[str] = mapped_column(String(20))
    state: Mapped[OrderState] = mapped_column(enum_col(OrderState), default=OrderState.PENDING)
    provider_txn_id: Mapped[str | None] = mapped_column(String(64))
    # the QR code's text of a Native / precreate order, so the waiting page shows it again on
    # a reload; None for the other ways
    code_url: Mapped[str | None] = mapped_column(String(512))
    # WeChat Pay's prepay_id of a JSAPI order (valid 2 hours), so a reload of its waiting page
    # signs WeixinJSBridge's parameters again; None for the other ways
    prepay_id: Mapped[str | None] = mapped_column(String(64))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipt.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    paid_at: Mapped[datetime | None]
    credited_at: Mapped[datetime | None]


class PaymentSetting(Base):
    """A market's merchant account with one provider; the keys are secrets, shown masked."""

    __tablename__ = "payment_setting"
    __table_args__ = (UniqueConstraint("site_id", "provider"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    provider: Mapped[PaymentProvider] = mapped_column(enum_col(PaymentProvider))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
