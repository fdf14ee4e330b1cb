"""shared pool additional reason: a pool marked 追加公摊 (with why) may overlap its scope's other pools

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 02:32:07.296790
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shared_pool', schema=None) as batch_op:
        batch_op.add_column(sa.Column('additional_reason', sa.String(length=200), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('shared_pool', schema=None) as batch_op:
        batch_op.drop_column('additional_reason')

