"""The envelope hard filter: match_candidate keeps the sides of the profile's largest part, sorted

Revision ID: files_0002
Revises: files_0001
Create Date: 2026-12-05 23:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "files_0002"
down_revision: str | None = "files_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "match_candidate",
        sa.Column("max_part_mm", postgresql.ARRAY(sa.Integer()), server_default="{}", nullable=False),
    )
    op.execute(
        """
        UPDATE match_candidate AS mc
        SET max_part_mm = ARRAY(
            SELECT side FROM unnest(ARRAY[mp.max_part_x_mm, mp.max_part_y_mm, mp.max_part_z_mm]) AS side
            WHERE side IS NOT NULL ORDER BY side)
        FROM manufacturer_profile AS mp
        WHERE mp.organisation_id = mc.organisation_id
        """
    )


def downgrade() -> None:
    op.drop_column("match_candidate", "max_part_mm")
