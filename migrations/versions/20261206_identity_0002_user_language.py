"""Each user's language (ru | en): the web app takes it after sign-in, the e-mails are written in it

Revision ID: identity_0002
Revises: notifications_0001
Create Date: 2026-12-06 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "identity_0002"
down_revision: str | None = "notifications_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting the table, and every existing user reads
    # Russian, as every e-mail so far has been.
    op.add_column("app_user", sa.Column("language", sa.String(2), nullable=False, server_default="ru"))
    op.create_check_constraint("ck_app_user_language", "app_user", "language IN ('ru', 'en')")


def downgrade() -> None:
    op.drop_constraint("ck_app_user_language", "app_user", type_="check")
    op.drop_column("app_user", "language")
