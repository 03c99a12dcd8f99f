"""saved searches

Revision ID: live_0006
Revises: live_0005
Create Date: 2026-11-25 12:28:20.683973
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "live_0006"
down_revision: str | None = "live_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("processes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("materials", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("certifications", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("regions", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["app_user.id"], name=op.f("fk_saved_search_created_by_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_saved_search_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
    )
    op.create_index(op.f("ix_saved_search_organisation_id"), "saved_search", ["organisation_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_search_organisation_id"), table_name="saved_search")
    op.drop_table("saved_search")
