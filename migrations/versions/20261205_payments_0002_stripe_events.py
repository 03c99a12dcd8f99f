"""Stripe's other events: whether a Connect account may receive payouts, and a card chargeback open on a contract

Revision ID: payments_0002
Revises: orders_0001
Create Date: 2026-12-05 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payments_0002"
down_revision: str | None = "orders_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Constant defaults: PostgreSQL adds these columns without rewriting the tables.
    op.add_column(
        "organisation",
        sa.Column("stripe_payouts_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("contract", sa.Column("chargeback_open", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("contract", "chargeback_open")
    op.drop_column("organisation", "stripe_payouts_enabled")
