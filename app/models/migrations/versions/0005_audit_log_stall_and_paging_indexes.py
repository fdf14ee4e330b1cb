"""audit log: the market and the stall of each row, and indexes for paging it by (at, id) per filter

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 02:22:02.860327
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stall_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.create_index('ix_audit_event_action_at', ['action', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_event_actor_at', ['actor', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_event_site_at', ['site_id', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_event_stall_at', ['stall_id', 'at', 'id'], unique=False)
    # The rows written before: their stall from what they changed, or the code in their detail.
    op.execute("UPDATE audit_event SET stall_id = entity_id WHERE entity = 'stall'")
    for entity, table in (("meter", "meter"), ("account", "account"), ("bill", "bill")):
        op.execute(f"UPDATE audit_event SET stall_id = (SELECT t.stall_id FROM {table} t WHERE t.id = audit_event.entity_id) "
                   f"WHERE entity = '{entity}' AND stall_id IS NULL")
    code = "detail->>'stall'" if op.get_bind().dialect.name == "postgresql" else "json_extract(detail, '$.stall')"
    # A code names a stall only when one stall has it: in a chain each market has its own A001.
    op.execute(f"UPDATE audit_event SET stall_id = (SELECT MIN(s.id) FROM stall s WHERE s.code = {code}) "
               f"WHERE stall_id IS NULL AND {code} IS NOT NULL "
               f"AND (SELECT COUNT(*) FROM stall s WHERE s.code = {code}) = 1")
    # The market of each row: its stall's, else its user's, else the only market when the
    # database holds one.
    op.execute("UPDATE audit_event SET site_id = (SELECT s.site_id FROM stall s WHERE s.id = audit_event.stall_id) "
               "WHERE stall_id IS NOT NULL")
    op.execute("UPDATE audit_event SET site_id = (SELECT u.site_id FROM app_user u WHERE u.id = audit_event.user_id) "
               "WHERE site_id IS NULL AND user_id IS NOT NULL")
    op.execute("UPDATE audit_event SET site_id = (SELECT MIN(id) FROM site) "
               "WHERE site_id IS NULL AND (SELECT COUNT(*) FROM site) = 1")


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_stall_at')
        batch_op.drop_index('ix_audit_event_site_at')
        batch_op.drop_index('ix_audit_event_actor_at')
        batch_op.drop_index('ix_audit_event_action_at')
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.drop_column('stall_id')
        batch_op.drop_column('site_id')
