"""sms notices to tenants

Revision ID: 0017
Revises: 0014
Two new tables (which notices a market sends, what each stall was last told) and three
nullable or defaulted columns of sms_message (a queued notice's stall, due time and tries):
existing rows keep their meaning.
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sms_notice_setting',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('alarm1', sa.Boolean(), nullable=False),
    sa.Column('alarm2', sa.Boolean(), nullable=False),
    sa.Column('supply_cut', sa.Boolean(), nullable=False),
    sa.Column('recharge', sa.Boolean(), nullable=False),
    sa.Column('quiet_start', sa.Time(), nullable=True),
    sa.Column('quiet_end', sa.Time(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_sms_notice_setting_site_id_site')),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_sms_notice_setting'))
    )
    op.create_table('sms_notice_state',
    sa.Column('stall_id', sa.Integer(), nullable=False),
    sa.Column('alarm_level', sa.Integer(), nullable=False),
    sa.Column('supply_cut', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['stall_id'], ['stall.id'], name=op.f('fk_sms_notice_state_stall_id_stall')),
    sa.PrimaryKeyConstraint('stall_id', name=op.f('pk_sms_notice_state'))
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stall_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.create_index('ix_sms_message_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sms_message_stall_id_stall'), 'stall', ['stall_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sms_message_stall_id_stall'), type_='foreignkey')
        batch_op.drop_index('ix_sms_message_status_due')
        batch_op.drop_column('attempts')
        batch_op.drop_column('due_at')
        batch_op.drop_column('stall_id')

    op.drop_table('sms_notice_state')
    op.drop_table('sms_notice_setting')
