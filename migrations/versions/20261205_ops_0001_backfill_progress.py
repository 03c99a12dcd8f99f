"""backfill_progress: where each resumable data backfill (`exchange backfill run`) stands

Revision ID: ops_0001
Revises: search_0003
Create Date: 2026-12-05 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ops_0001"
down_revision: str | None = "search_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "backfill_progress",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last_key", sa.String(length=128), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_backfill_progress")),
    )


def downgrade() -> None:
    op.drop_table("backfill_progress")
