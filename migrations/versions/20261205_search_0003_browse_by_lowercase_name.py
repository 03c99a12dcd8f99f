"""search: manufacturers browse by name as Meilisearch sorts it (as if lower case)

Meilisearch sorts strings "as if they were lowercase", by their byte values; the PostgreSQL backend sorted
by name as it is (with C.UTF-8, "Beta" before "alpha" and "Гамма" before "альфа"). The browse order becomes
`verified DESC, lower(name), id`, and its index with it. (Under the C.UTF-8 collation the embedded database
is created with, that is Meilisearch's order; a database created with a linguistic collation orders the
lower-cased names by its rules.)

Revision ID: search_0003
Revises: contracts_0001
Create Date: 2026-12-05 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.ops import create_index_concurrently

revision: str = "search_0003"
down_revision: str | None = "contracts_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rebuilt under the same name (the helper drops the old one first), without blocking writes to the table.
    create_index_concurrently(
        "ix_search_manufacturer_browse",
        "search_manufacturer",
        [sa.text("verified DESC"), sa.text("lower(name)"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_search_manufacturer_browse", table_name="search_manufacturer")
    op.create_index("ix_search_manufacturer_browse", "search_manufacturer", [sa.text("verified DESC"), "name", "id"])
