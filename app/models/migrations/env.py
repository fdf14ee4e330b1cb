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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration changes a column by copying its table; the rows of other tables
        # that point at it would fail the key check half-way. SQLite's way: keys off (only
        # outside a transaction, so on the driver's connection), checked as a whole before
        # the migration commits.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=app.models.Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
            if (
                sqlite
                and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None
            ):
                raise RuntimeError("the migration left rows pointing at rows that are not there")
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
