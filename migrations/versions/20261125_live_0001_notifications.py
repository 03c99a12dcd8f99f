"""notifications and notification preferences

Revision ID: live_0001
Revises: matching_0003
Create Date: 2026-11-25 12:05:18.706755
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "live_0001"
down_revision: str | None = "matching_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "order_matched",
                "bid_received",
                "bid_awarded",
                "bid_lost",
                "contract_updated",
                "deadline_soon",
                "question_asked",
                "question_answered",
                "message_received",
                "review_received",
                name="ck_kind_is_notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_user_created_at_id", "notification", ["user_id", "created_at", "id"], unique=False)
    op.create_index(
        "ix_notification_user_unread",
        "notification",
        ["user_id"],
        unique=False,
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.create_index(
        "uq_notification_user_dedupe_key",
        "notification",
        ["user_id", "dedupe_key"],
        unique=True,
        postgresql_where=sa.text("dedupe_key IS NOT NULL"),
    )
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "order_matched",
                "bid_received",
                "bid_awarded",
                "bid_lost",
                "contract_updated",
                "deadline_soon",
                "question_asked",
                "question_answered",
                "message_received",
                "review_received",
                name="ck_kind_is_notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_preference_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preference")),
    )


def downgrade() -> None:
    op.drop_table("notification_preference")
    op.drop_index(
        "uq_notification_user_dedupe_key", table_name="notification", postgresql_where=sa.text("dedupe_key IS NOT NULL")
    )
    op.drop_index("ix_notification_user_unread", table_name="notification", postgresql_where=sa.text("read_at IS NULL"))
    op.drop_index("ix_notification_user_created_at_id", table_name="notification")
    op.drop_table("notification")
