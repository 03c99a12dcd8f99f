"""Accounts: sign-in throttling counters, e-mailed single-use tokens (verification, password reset), verified e-mail

Revision ID: identity_0001
Revises: files_0002
Create Date: 2026-12-05 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_0001"
down_revision: str | None = "files_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("email_verified_at", sa.TIMESTAMP(timezone=True), nullable=True))
    op.create_table(
        "account_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("pending_secret", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("expires_at", sa.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("used_at", sa.TIMESTAMP(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_account_token_user_purpose", "account_token", ["user_id", "purpose"])
    op.create_table(
        "throttle_counter",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("window_start", sa.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start"),
    )
    op.create_index("ix_throttle_counter_window_start", "throttle_counter", ["window_start"])


def downgrade() -> None:
    op.drop_index("ix_throttle_counter_window_start", table_name="throttle_counter")
    op.drop_table("throttle_counter")
    op.drop_index("ix_account_token_user_purpose", table_name="account_token")
    op.drop_table("account_token")
    op.drop_column("app_user", "email_verified_at")
