"""reviews

Revision ID: live_0005
Revises: live_0004
Create Date: 2026-11-25 12:23:57.250392
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "live_0005"
down_revision: str | None = "live_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("author_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("subject_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("author_user_id", sa.Uuid(), nullable=False),
        sa.Column("by_buyer", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visible_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_review_rating_1_to_5"),
        sa.ForeignKeyConstraint(
            ["author_organisation_id"], ["organisation.id"], name=op.f("fk_review_author_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["author_user_id"], ["app_user.id"], name=op.f("fk_review_author_user_id_app_user")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_review_contract_id_contract"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subject_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_review_subject_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("contract_id", "author_organisation_id", name="uq_review_contract_author"),
    )
    op.create_index(
        "ix_review_subject_visible_from", "review", ["subject_organisation_id", "visible_from"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_review_subject_visible_from", table_name="review")
    op.drop_table("review")
