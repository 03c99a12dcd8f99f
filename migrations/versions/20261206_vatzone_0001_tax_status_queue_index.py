"""A partial index for the operators' queue of tax statuses to check (taxStatusesToCheck): the organisations that
declared a status nobody has checked yet, newest first, read a page off the index instead of scanning and sorting
every organisation. The index holds only the queue (none at all in the seed-scale data, where nobody declared a
status), so it costs nothing to the other writes to the table.

Measured on a copy of /tmp/perf-data (bench/README.md, "2026-12-06, vatzone: the tax-status queue").

Revision ID: vatzone_0001
Revises: datamend_0001
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

from sqlalchemy import text

from migrations.ops import create_index_concurrently, drop_index_concurrently

revision: str = "vatzone_0001"
down_revision: str | None = "datamend_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_organisation_tax_status_to_check"


def upgrade() -> None:
    create_index_concurrently(
        NAME,
        "organisation",
        ["updated_at", "id"],
        postgresql_where=text("tax_status <> 'not_stated' AND tax_status_checked_at IS NULL"),
    )


def downgrade() -> None:
    drop_index_concurrently(NAME, "organisation")
