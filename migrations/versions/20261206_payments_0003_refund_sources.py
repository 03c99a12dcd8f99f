"""Which payment a refund came out of: ledger_transaction.source_reference (a PaymentIntent or a bank transaction)

Revision ID: payments_0003
Revises: identity_0001
Create Date: 2026-12-06 00:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payments_0003"
down_revision: str | None = "identity_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting the table. Refunds made before this
    # migration keep '' (not attributed); the refund split counts them against the newest payments first.
    op.add_column(
        "ledger_transaction",
        sa.Column("source_reference", sa.String(length=200), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("ledger_transaction", "source_reference")
