"""capacity reservations: soft holds for active bids, firm holds for awarded ones

Revision ID: matching_0001
Revises: search_0001
Create Date: 2026-11-25 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0001"
down_revision: str | None = "search_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "capacity_reservation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("manufacturer_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("bid_id", sa.Uuid(), nullable=False),
        sa.Column("process", sa.String(length=64), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "soft",
                "firm",
                name="ck_kind_is_reservationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("hours > 0", name="ck_capacity_reservation_hours_positive"),
        sa.ForeignKeyConstraint(
            ["bid_id"], ["bid.id"], name=op.f("fk_capacity_reservation_bid_id_bid"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["manufacturer_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_capacity_reservation_manufacturer_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_reservation")),
        sa.UniqueConstraint("bid_id", "week_start", name="uq_capacity_reservation_bid_week"),
    )
    op.create_index(
        "ix_capacity_reservation_manufacturer_process_week",
        "capacity_reservation",
        ["manufacturer_organisation_id", "process", "week_start"],
    )


def downgrade() -> None:
    op.drop_index("ix_capacity_reservation_manufacturer_process_week", table_name="capacity_reservation")
    op.drop_table("capacity_reservation")
