"""A stall's floor (楼层), and an index for the market's usage per day

Revision ID: 0015
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the overview sums a month of closing registers from this index alone (no row reads);
    # on a market with a year of readings it takes a while once
    op.create_index(
        "ix_meter_day_close", "meter_day", ["meter_id", "day", "close_total"], unique=False
    )
    # optional: "" for the stalls of markets that never said
    with op.batch_alter_table("stall", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("floor", sa.String(length=20), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("stall", schema=None) as batch_op:
        batch_op.drop_column("floor")
    op.drop_index("ix_meter_day_close", table_name="meter_day")
