"""The envelope hard filter: match_candidate keeps the sides of the profile's largest part, sorted

Rows that exist start empty (no envelope limit: nobody is excluded) until `exchange backfill run matching-records
--restart` recomputes them from the profiles; new and changed profiles fill it at once.

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


def downgrade() -> None:
    op.drop_column("match_candidate", "max_part_mm")
