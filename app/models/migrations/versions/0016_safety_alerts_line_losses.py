"""Safety alerts; line losses: a building's master meter and loss threshold; a stall's
contracted power; the market's closed hours and alert levels

Revision ID: 0016
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "usage_while_off",
                "overload",
                "night_load",
                "stuck",
                "reverse_energy",
                "cover_open",
                name="alertkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.Column("stall_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open", "acknowledged", "resolved", name="alertstate", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["app_user.id"], name=op.f("fk_alert_acknowledged_by_app_user")
        ),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"], name=op.f("fk_alert_meter_id_meter")),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["app_user.id"], name=op.f("fk_alert_resolved_by_app_user")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_alert_site_id_site")),
        sa.ForeignKeyConstraint(["stall_id"], ["stall.id"], name=op.f("fk_alert_stall_id_stall")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index("ix_alert_site_state", ["site_id", "state"], unique=False)
        batch_op.create_index(
            "uq_alert_live",
            ["meter_id", "kind"],
            unique=True,
            sqlite_where=sa.text("state IN ('open', 'acknowledged')"),
            postgresql_where=sa.text("state IN ('open', 'acknowledged')"),
        )

    with op.batch_alter_table("building", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("loss_threshold_pct", sa.BigInteger(), server_default="500", nullable=False)
        )

    with op.batch_alter_table("meter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("master_of_building_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("moved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_reverse_total", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("last_cover_opens", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_meter_master_of_building_id_building"),
            "building",
            ["master_of_building_id"],
            ["id"],
        )

    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_from", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("closed_until", sa.Time(), nullable=True))
        batch_op.add_column(
            sa.Column("night_load_kw", sa.BigInteger(), server_default="500", nullable=False)
        )
        batch_op.add_column(
            sa.Column("off_usage_tolerance", sa.BigInteger(), server_default="50", nullable=False)
        )
        batch_op.add_column(
            sa.Column("stuck_after_days", sa.Integer(), server_default="3", nullable=False)
        )

    with op.batch_alter_table("stall", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contracted_power_kw", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stall", schema=None) as batch_op:
        batch_op.drop_column("contracted_power_kw")

    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("stuck_after_days")
        batch_op.drop_column("off_usage_tolerance")
        batch_op.drop_column("night_load_kw")
        batch_op.drop_column("closed_until")
        batch_op.drop_column("closed_from")

    with op.batch_alter_table("meter", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_meter_master_of_building_id_building"), type_="foreignkey"
        )
        batch_op.drop_column("last_cover_opens")
        batch_op.drop_column("last_reverse_total")
        batch_op.drop_column("moved_at")
        batch_op.drop_column("master_of_building_id")

    with op.batch_alter_table("building", schema=None) as batch_op:
        batch_op.drop_column("loss_threshold_pct")

    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_alert_live",
            sqlite_where=sa.text("state IN ('open', 'acknowledged')"),
            postgresql_where=sa.text("state IN ('open', 'acknowledged')"),
        )
        batch_op.drop_index("ix_alert_site_state")

    op.drop_table("alert")
