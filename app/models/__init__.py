"""SQLAlchemy models. Importing this package registers every table on Base.metadata."""

from app.models import (  # noqa: F401
    account,
    billing,
    change_feed,
    meter,
    monthly,
    payment,
    portal,
    shared_cost,
    site,
    tariff,
    user,
)
from app.models.base import Base

__all__ = ["Base"]
