"""order questions

Revision ID: live_0002
Revises: live_0001
Create Date: 2026-11-25 12:13:20.825557
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "live_0002"
down_revision: str | None = "live_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_question",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("asked_by_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("asked_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"], ["app_user.id"], name=op.f("fk_order_question_answered_by_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_order_question_asked_by_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_user_id"], ["app_user.id"], name=op.f("fk_order_question_asked_by_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["production_order.id"],
            name=op.f("fk_order_question_order_id_production_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_question")),
    )
    op.create_index("ix_order_question_order_created_at", "order_question", ["order_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_order_question_order_created_at", table_name="order_question")
    op.drop_table("order_question")
