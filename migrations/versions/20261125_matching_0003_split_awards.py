"""split awards: orders that allow them, bids for a part of the quantity, the quantity awarded so far

Revision ID: matching_0003
Revises: search_0002
Create Date: 2026-11-25 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0003"
down_revision: str | None = "search_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("production_order", sa.Column("allow_split", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("production_order", sa.Column("awarded_quantity", sa.Integer(), nullable=False, server_default="0"))
    # Orders awarded before split awards existed were awarded whole.
    op.execute("UPDATE production_order SET awarded_quantity = quantity WHERE status = 'awarded'")
    op.alter_column("production_order", "allow_split", server_default=None)
    op.alter_column("production_order", "awarded_quantity", server_default=None)
    op.create_check_constraint(
        "ck_order_awarded_quantity", "production_order", "awarded_quantity BETWEEN 0 AND quantity"
    )
    op.add_column("bid", sa.Column("quantity", sa.Integer(), nullable=True))
    op.execute("UPDATE bid SET quantity = o.quantity FROM production_order o WHERE o.id = bid.order_id")
    op.alter_column("bid", "quantity", nullable=False)
    op.create_check_constraint("ck_bid_quantity_positive", "bid", "quantity > 0")


def downgrade() -> None:
    op.drop_constraint("ck_bid_quantity_positive", "bid", type_="check")
    op.drop_column("bid", "quantity")
    op.drop_constraint("ck_order_awarded_quantity", "production_order", type_="check")
    op.drop_column("production_order", "awarded_quantity")
    op.drop_column("production_order", "allow_split")
