"""A cancelled contract gives its quantity back to the order: when the award window reopened, and when a bid put
back was confirmed by its bidder

Revision ID: orders_0002
Revises: payments_0002
Create Date: 2026-12-05 23:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "orders_0002"
down_revision: str | None = "payments_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: metadata-only changes, no table rewrite.
    op.add_column("production_order", sa.Column("award_reopened_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("bid", sa.Column("reconfirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("bid", "reconfirmed_at")
    op.drop_column("production_order", "award_reopened_at")
