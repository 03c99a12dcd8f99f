"""bid feedback

Revision ID: live_0004
Revises: live_0003
Create Date: 2026-11-25 12:17:50.698826
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "live_0004"
down_revision: str | None = "live_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bid_feedback",
        sa.Column("bid_id", sa.Uuid(), nullable=False),
        sa.Column(
            "rank_band",
            sa.Enum(
                "top_3",
                "top_half",
                "lower_half",
                name="ck_rank_band_is_rankband",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "price_band",
            sa.Enum(
                "below_winner",
                "within_5_pct",
                "within_15_pct",
                "within_30_pct",
                "over_30_pct",
                name="ck_price_band_is_priceband",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum(
                "price",
                "lead_time",
                "track_record",
                "capability",
                "certifications",
                "location",
                "terms",
                "other",
                name="ck_reason_is_lostreason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"], name=op.f("fk_bid_feedback_bid_id_bid"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("bid_id", name=op.f("pk_bid_feedback")),
    )


def downgrade() -> None:
    op.drop_table("bid_feedback")
