"""Milestones say what happened to their money: released and refunded amounts, and `partly_released` when a
dispute's settlement paid out part of one and refunded the rest (settled rows: `exchange backfill run milestone-shares`)

Revision ID: contracts_0001
Revises: operator_0001
Create Date: 2026-12-06 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "contracts_0001"
down_revision: str | None = "operator_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "'pending', 'released', 'refunded', 'partly_released'"


def upgrade() -> None:
    op.add_column(
        "contract_milestone", sa.Column("released_minor", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.add_column(
        "contract_milestone", sa.Column("refunded_minor", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.drop_constraint("ck_status_is_milestonestatus", "contract_milestone", type_="check")
    op.create_check_constraint("ck_status_is_milestonestatus", "contract_milestone", f"status IN ({STATUSES})")


def downgrade() -> None:
    op.execute("UPDATE contract_milestone SET status = 'refunded' WHERE status = 'partly_released'")
    op.drop_constraint("ck_status_is_milestonestatus", "contract_milestone", type_="check")
    op.create_check_constraint(
        "ck_status_is_milestonestatus", "contract_milestone", "status IN ('pending', 'released', 'refunded')"
    )
    op.drop_column("contract_milestone", "refunded_minor")
    op.drop_column("contract_milestone", "released_minor")
