"""A market's default alarm 1, alarm 2 and overdraft limit, given to stalls added later

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in fen, as every amount is stored; until set, the levels accounts always opened with
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("default_alarm1", sa.BigInteger(), server_default="5000", nullable=False)
        )
        batch_op.add_column(
            sa.Column("default_alarm2", sa.BigInteger(), server_default="2000", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "default_overdraft_limit", sa.BigInteger(), server_default="0", nullable=False
            )
        )
    # A market that already set its levels for all stalls (setup step 7) keeps them for the
    # stalls it adds: the levels most of its accounts have.
    conn = op.get_bind()
    counts = conn.execute(
        sa.text(
            "SELECT stall.site_id, account.alarm1, account.alarm2, account.overdraft_limit, "
            "COUNT(*) FROM account JOIN stall ON stall.id = account.stall_id "
            "GROUP BY stall.site_id, account.alarm1, account.alarm2, account.overdraft_limit "
            "ORDER BY stall.site_id, COUNT(*) DESC, account.alarm1, account.alarm2, "
            "account.overdraft_limit"
        )
    ).all()
    chosen = {}
    for site_id, alarm1, alarm2, limit, _count in counts:
        chosen.setdefault(site_id, (alarm1, alarm2, limit))
    for site_id, (alarm1, alarm2, limit) in chosen.items():
        conn.execute(
            sa.text(
                "UPDATE site SET default_alarm1 = :a1, default_alarm2 = :a2, "
                "default_overdraft_limit = :limit WHERE id = :site_id"
            ),
            {"a1": alarm1, "a2": alarm2, "limit": limit, "site_id": site_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("default_overdraft_limit")
        batch_op.drop_column("default_alarm2")
        batch_op.drop_column("default_alarm1")
