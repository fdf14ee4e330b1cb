"""Alembic environment: the engine is handed in by app.models.db.upgrade()."""

from alembic import context
from sqlalchemy.types import TypeDecorator

import app.models
from app.models.db import make_engine

config = context.config
engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url"))



def render_item(type_, obj, autogen_context):
    """Migrations name the plain database type, not the app's Python-side wrapper."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=app.models.Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
