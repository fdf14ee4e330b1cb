"""online payment orders and merchant settings

Revision ID: 0014
Revises: 0012
Two new tables: nothing existing changes.
"""

from alembic import op
import sqlalchemy as sa


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payment_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.Enum('wechat', 'alipay', name='paymentprovider', native_enum=False, length=20), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_payment_setting_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_setting')),
    sa.UniqueConstraint('site_id', 'provider', name=op.f('uq_payment_setting_site_id_provider'))
    )
    op.create_table('payment_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('stall_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('provider', sa.Enum('wechat', 'alipay', name='paymentprovider', native_enum=False, length=20), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('state', sa.Enum('pending', 'paid', 'closed', name='orderstate', native_enum=False, length=20), nullable=False),
    sa.Column('provider_txn_id', sa.String(length=64), nullable=True),
    sa.Column('receipt_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('credited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_payment_order_receipt_id_receipt')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_payment_order_site_id_site')),
    sa.ForeignKeyConstraint(['stall_id'], ['stall.id'], name=op.f('fk_payment_order_stall_id_stall')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_order')),
    sa.UniqueConstraint('order_no', name=op.f('uq_payment_order_order_no')),
    sa.UniqueConstraint('receipt_id', name=op.f('uq_payment_order_receipt_id'))
    )
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_order_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_order_stall_id'), ['stall_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_order_stall_id'))
        batch_op.drop_index(batch_op.f('ix_payment_order_created_at'))

    op.drop_table('payment_order')
    op.drop_table('payment_setting')
