"""Provider payments name the card payment they draw on and the ledger line they belong to (a payout split across
several charges), and an operator may resolve a failed one by hand

Revision ID: payments_0005
Revises: documents_0001
Create Date: 2026-12-06 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.ops import create_index_concurrently

revision: str = "payments_0005"
down_revision: str | None = "documents_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS = "ck_status_is_providerpaymentstatus"


def upgrade() -> None:
    # Columns with constant defaults and a nullable one: no table rewrite. The backfill touches the few rows of
    # payments still in flight or made since payments_0004.
    op.add_column(
        "provider_payment", sa.Column("funding_reference", sa.String(length=200), server_default="", nullable=False)
    )
    op.add_column(
        "provider_payment", sa.Column("ledger_reference", sa.String(length=200), server_default="", nullable=False)
    )
    op.add_column("provider_payment", sa.Column("resolved_by_user_id", sa.Uuid(), nullable=True))
    op.add_column("provider_payment", sa.Column("resolved_at", sa.TIMESTAMP(timezone=True), nullable=True))
    op.add_column(
        "provider_payment", sa.Column("resolution_note", sa.String(length=500), server_default="", nullable=False)
    )
    op.create_foreign_key(
        "fk_provider_payment_resolved_by_user_id_app_user",
        "provider_payment",
        "app_user",
        ["resolved_by_user_id"],
        ["id"],
    )
    # Rows written before this revision get their references from `exchange backfill run provider-payment-references`
    # (exchange/backfill.py): a data backfill does not belong in a migration (tools/check_migrations.py).
    op.drop_constraint(STATUS, "provider_payment", type_="check")
    op.create_check_constraint(STATUS, "provider_payment", "status IN ('pending', 'made', 'failed', 'resolved')")
    # The operator's list of payments that need a look.
    create_index_concurrently(
        "ix_provider_payment_failed",
        "provider_payment",
        ["created_at"],
        postgresql_where=sa.text("status = 'failed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_provider_payment_failed", table_name="provider_payment")
    op.execute("UPDATE provider_payment SET status = 'failed' WHERE status = 'resolved'")
    op.drop_constraint(STATUS, "provider_payment", type_="check")
    op.create_check_constraint(STATUS, "provider_payment", "status IN ('pending', 'made', 'failed')")
    op.drop_constraint("fk_provider_payment_resolved_by_user_id_app_user", "provider_payment", type_="foreignkey")
    for column in ("resolution_note", "resolved_at", "resolved_by_user_id", "ledger_reference", "funding_reference"):
        op.drop_column("provider_payment", column)
