"""Payment instructions keep the reference the operator's bank gave the transfer (the payment order's number)

Revision ID: payments_0006
Revises: organisations_legal_id
Create Date: 2026-12-06 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "payments_0006"
down_revision: str | None = "organisations_legal_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column without a default: a catalogue change, no table rewrite. Transfers confirmed before it stay
    # null until an operator confirms them again with their reference.
    op.add_column("payment_instruction", sa.Column("bank_reference", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("payment_instruction", "bank_reference")
