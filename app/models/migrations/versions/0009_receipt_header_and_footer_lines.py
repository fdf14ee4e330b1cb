"""A market's receipt header and footer lines (typed in the first-run setup)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing markets get empty lines: their receipts print as before
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt_header", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("receipt_footer", sa.Text(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("receipt_footer")
        batch_op.drop_column("receipt_header")
