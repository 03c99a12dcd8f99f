"""notification.params: what a notification tells as typed figures (JSONB with its shape), for clients to word

Rows written before keep params NULL: their English title and body are the fallback (no backfill: the figures
were never stored, only the English sentence).

Revision ID: notifications_0001
Revises: files_0004
Create Date: 2026-12-06 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "notifications_0001"
down_revision: str | None = "files_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notification", sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column("notification", "params")
