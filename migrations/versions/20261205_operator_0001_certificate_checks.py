"""Certificates an operator checked: when, and by whom; unchecked ones form the operator's queue

Revision ID: operator_0001
Revises: orders_0002
Create Date: 2026-12-05 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.ops import create_index_concurrently

revision: str = "operator_0001"
down_revision: str | None = "orders_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("certification", sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "certification",
        sa.Column("verified_by_user_id", sa.Uuid(), sa.ForeignKey("app_user.id"), nullable=True),
    )
    create_index_concurrently(
        "ix_certification_unchecked",
        "certification",
        ["created_at", "id"],
        postgresql_where=sa.text("verified_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_certification_unchecked", table_name="certification")
    op.drop_column("certification", "verified_by_user_id")
    op.drop_column("certification", "verified_at")
