"""dial-in identity, held readings kept, command retries

A 4G meter's SIM bound to its serial and the identity-conflict mark (meter); every reading
that came while one was held (reading_anomaly.later); when a failed automatic supply command
is sent again (meter_command.retry_at). Existing meters start unbound: their next
registration binds them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:25:24.216840
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dialin_identity', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('identity_offered', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('identity_conflict', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('meter_command', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('reading_anomaly', schema=None) as batch_op:
        batch_op.add_column(sa.Column('later', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('reading_anomaly', schema=None) as batch_op:
        batch_op.drop_column('later')

    with op.batch_alter_table('meter_command', schema=None) as batch_op:
        batch_op.drop_column('retry_at')

    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.drop_column('identity_conflict')
        batch_op.drop_column('identity_offered')
        batch_op.drop_column('dialin_identity')

