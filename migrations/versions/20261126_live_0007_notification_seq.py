"""notification.seq: the inbox's deterministic tie-break (insertion order) instead of the random id

Revision ID: live_0007
Revises: live_0006
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "live_0007"
down_revision: str | None = "live_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows are numbered by the identity as the column is added (in no particular order among rows
    # that share a created_at: what the old random tie-break gave them anyway).
    op.add_column(
        "notification",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
    )
    op.create_unique_constraint(op.f("uq_notification_seq"), "notification", ["seq"])
    op.create_index(
        "ix_notification_user_created_at_seq", "notification", ["user_id", "created_at", "seq"], unique=False
    )
    op.drop_index("ix_notification_user_created_at_id", table_name="notification")


def downgrade() -> None:
    op.create_index("ix_notification_user_created_at_id", "notification", ["user_id", "created_at", "id"], unique=False)
    op.drop_index("ix_notification_user_created_at_seq", table_name="notification")
    op.drop_constraint(op.f("uq_notification_seq"), "notification", type_="unique")
    op.drop_column("notification", "seq")
