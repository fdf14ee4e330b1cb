"""SQLAlchemy models. Importing this package registers every table on Base.metadata."""

from app.models import account, billing, change_feed, meter, monthly, shared_cost, site, tariff, user  # noqa: F401
from app.models.base import Base

__all__ = ["Base"]
