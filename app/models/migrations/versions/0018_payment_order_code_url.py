"""payment order keeps its QR code

Revision ID: 0018
Revises: 0017
A nullable column payment_order.code_url: the QR code's text of a WeChat Native / Alipay
precreate order, so its waiting page shows the code again after a reload. Existing orders
keep NULL (their page shows no QR, as before).
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_url', sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.drop_column('code_url')
