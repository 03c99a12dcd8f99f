"""search: name vectors and browse-order indexes for broad searches, certifications index

Revision ID: search_0002
Revises: matching_0002
Create Date: 2026-11-25 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "search_0002"
down_revision: str | None = "matching_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table, name in (("search_manufacturer", "name"), ("search_order", "title")):
        op.add_column(table, sa.Column("tsv_name", postgresql.TSVECTOR(), nullable=True))
        # As the backend writes it (lower case, vocabulary values made words); a reindex writes it again.
        op.execute(f"UPDATE {table} SET tsv_name = to_tsvector('simple', lower(replace({name}, '_', ' ')))")
        op.alter_column(table, "tsv_name", nullable=False)
        op.create_index(f"ix_{table}_tsv_name", table, ["tsv_name"], postgresql_using="gin")
    op.create_index(
        "ix_search_manufacturer_certifications", "search_manufacturer", ["certifications"], postgresql_using="gin"
    )
    op.create_index("ix_search_manufacturer_browse", "search_manufacturer", [sa.text("verified DESC"), "name", "id"])
    op.create_index("ix_search_order_browse", "search_order", ["bidding_deadline", "id"])


def downgrade() -> None:
    op.drop_index("ix_search_order_browse", table_name="search_order")
    op.drop_index("ix_search_manufacturer_browse", table_name="search_manufacturer")
    op.drop_index("ix_search_manufacturer_certifications", table_name="search_manufacturer")
    for table in ("search_manufacturer", "search_order"):
        op.drop_index(f"ix_{table}_tsv_name", table_name=table)
        op.drop_column(table, "tsv_name")
