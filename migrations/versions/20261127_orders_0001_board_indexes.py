"""The order board's process filters read their page off an index (by newest or by deadline; with a region)

Revision ID: orders_0001
Revises: matching_0004
Create Date: 2026-11-27 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "orders_0001"
down_revision: str | None = "matching_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_order_process_status_created_at_id", "production_order", ["process", "status", "created_at", "id"]
    )
    op.drop_index("ix_order_process_status_created_at", table_name="production_order")
    op.create_index(
        "ix_order_process_status_deadline_id", "production_order", ["process", "status", "bidding_deadline", "id"]
    )
    op.create_index("ix_order_process_region_status", "production_order", ["process", "delivery_region", "status"])


def downgrade() -> None:
    op.drop_index("ix_order_process_region_status", table_name="production_order")
    op.drop_index("ix_order_process_status_deadline_id", table_name="production_order")
    op.create_index("ix_order_process_status_created_at", "production_order", ["process", "status", "created_at"])
    op.drop_index("ix_order_process_status_created_at_id", table_name="production_order")
