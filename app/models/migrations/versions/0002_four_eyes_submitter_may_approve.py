"""four eyes on the monthly ledger: the site may let the submitter approve

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 02:12:04.466400
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing markets keep four eyes (the default): the submitter may not approve.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitter_may_approve', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('submitter_may_approve')

