"""match_candidate: one narrow row per manufacturer and listed process for the fit ranking; capacity listings'
process index covers what the ranking sums

Revision ID: matching_0004
Revises: live_0007
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "matching_0004"
down_revision: str | None = "live_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The rows of domain.matching.records.CANDIDATE_ROWS for every organisation.
BACKFILL = """
INSERT INTO match_candidate (process, organisation_id, region, materials, min_quantity, max_quantity, certificates,
    delivered, delivered_on_time, disputed, invitations, invitations_bid)
SELECT p.process, mp.organisation_id, o.region,
       CAST(ARRAY(SELECT DISTINCT lower(m) FROM unnest(mp.materials) AS m ORDER BY 1) AS varchar(64)[]),
       mp.min_quantity, mp.max_quantity,
       (SELECT jsonb_object_agg(c.standard, c.valid_until) FROM certification AS c
        WHERE c.organisation_id = mp.organisation_id),
       coalesce(r.delivered, 0), coalesce(r.delivered_on_time, 0), coalesce(r.disputed, 0),
       coalesce(r.invitations, 0), coalesce(r.invitations_bid, 0)
FROM manufacturer_profile AS mp
JOIN organisation AS o ON o.id = mp.organisation_id
CROSS JOIN LATERAL (SELECT DISTINCT unnest(mp.processes) AS process) AS p
LEFT JOIN manufacturer_record AS r ON r.organisation_id = mp.organisation_id
WHERE o.kind IN ('manufacturer', 'both')
ORDER BY 1, 2
"""


def upgrade() -> None:
    op.create_table(
        "match_candidate",
        sa.Column("process", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("materials", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("max_quantity", sa.Integer(), nullable=True),
        sa.Column("certificates", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("delivered_on_time", sa.Integer(), nullable=False),
        sa.Column("disputed", sa.Integer(), nullable=False),
        sa.Column("invitations", sa.Integer(), nullable=False),
        sa.Column("invitations_bid", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_match_candidate_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("process", "organisation_id", name=op.f("pk_match_candidate")),
    )
    op.create_index("ix_match_candidate_organisation_id", "match_candidate", ["organisation_id"])
    op.execute(BACKFILL)
    op.drop_index("ix_capacity_listing_process_period", table_name="capacity_listing")
    op.create_index(
        "ix_capacity_listing_process_period",
        "capacity_listing",
        ["process", "available_to", "available_from"],
        postgresql_include=["organisation_id", "machine_hours_per_week", "hourly_rate_minor", "currency"],
    )


def downgrade() -> None:
    op.drop_index("ix_capacity_listing_process_period", table_name="capacity_listing")
    op.create_index(
        "ix_capacity_listing_process_period", "capacity_listing", ["process", "available_to", "available_from"]
    )
    op.drop_table("match_candidate")
