"""Provider payments (Stripe transfers and refunds) recorded under the contract's lock, made after the commit

Revision ID: payments_0004
Revises: payments_0003
Create Date: 2026-12-06 00:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "payments_0004"
down_revision: str | None = "payments_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new, empty table: its indexes are built with it.
    op.create_table(
        "provider_payment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("request", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "made",
                "failed",
                name="ck_status_is_providerpaymentstatus",
                native_enum=False,
                length=16,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("provider_reference", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("claimed_until", sa.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("created_at", sa.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("made_at", sa.TIMESTAMP(timezone=True), nullable=True),
        sa.CheckConstraint("amount_minor > 0", name="ck_provider_payment_positive"),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index("ix_provider_payment_contract_id", "provider_payment", ["contract_id"])
    op.create_index(
        "ix_provider_payment_pending",
        "provider_payment",
        ["created_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_provider_payment_pending", table_name="provider_payment")
    op.drop_index("ix_provider_payment_contract_id", table_name="provider_payment")
    op.drop_table("provider_payment")
