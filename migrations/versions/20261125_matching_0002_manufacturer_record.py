"""manufacturer_record: each manufacturer's contract and invitation record, kept for matching

Revision ID: matching_0002
Revises: matching_0001
Create Date: 2026-11-25 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0002"
down_revision: str | None = "matching_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same totals as domain.matching.queries.history_totals, for the rows that exist already.
BACKFILL = """
INSERT INTO manufacturer_record
    (organisation_id, delivered, delivered_on_time, disputed, invitations, invitations_bid, updated_at)
SELECT org, sum(delivered), sum(on_time), sum(disputed), sum(invitations), sum(invitations_bid), now()
FROM (
    SELECT c.manufacturer_organisation_id AS org,
           count(*) FILTER (WHERE s.at IS NOT NULL) AS delivered,
           count(*) FILTER (WHERE s.at IS NOT NULL AND CAST(s.at AS date) <= o.need_by) AS on_time,
           count(*) FILTER (WHERE s.at IS NOT NULL AND EXISTS (
               SELECT 1 FROM contract_event e WHERE e.contract_id = c.id AND e.transition = 'dispute')) AS disputed,
           0 AS invitations, 0 AS invitations_bid
    FROM contract c
    JOIN production_order o ON o.id = c.order_id
    CROSS JOIN LATERAL (
        SELECT min(e.created_at) AS at FROM contract_event e WHERE e.contract_id = c.id AND e.transition = 'ship'
    ) s
    GROUP BY c.manufacturer_organisation_id
    UNION ALL
    SELECT i.manufacturer_organisation_id, 0, 0, 0, count(*), count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM bid b
               WHERE b.order_id = i.order_id AND b.manufacturer_organisation_id = i.manufacturer_organisation_id))
    FROM order_invitation i
    JOIN production_order o ON o.id = i.order_id
    WHERE o.published_at IS NOT NULL
    GROUP BY i.manufacturer_organisation_id
) totals
GROUP BY org
"""


def upgrade() -> None:
    op.create_table(
        "manufacturer_record",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("delivered_on_time", sa.Integer(), nullable=False),
        sa.Column("disputed", sa.Integer(), nullable=False),
        sa.Column("invitations", sa.Integer(), nullable=False),
        sa.Column("invitations_bid", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_manufacturer_record_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_manufacturer_record")),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("manufacturer_record")
