"""payment order keeps JSAPI's prepay_id; a portal code keeps the address that asked

Revision ID: 0020
Revises: 0019
A nullable column payment_order.prepay_id: WeChat Pay's prepay_id of a JSAPI order, so its
waiting page, reloaded inside WeChat, signs WeixinJSBridge's parameters again and shows the
pay button. Existing orders keep NULL (their reloaded page shows no button, as before).
A nullable column portal_code.client_ip, indexed with `at`: SMS codes are limited per asking
network address. Existing codes keep NULL (counted for no address).
"""

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prepay_id', sa.String(length=64), nullable=True))
    with op.batch_alter_table('portal_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_ip', sa.String(length=45), nullable=True))
        batch_op.create_index('ix_portal_code_client_ip_at', ['client_ip', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('portal_code', schema=None) as batch_op:
        batch_op.drop_index('ix_portal_code_client_ip_at')
        batch_op.drop_column('client_ip')
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.drop_column('prepay_id')
