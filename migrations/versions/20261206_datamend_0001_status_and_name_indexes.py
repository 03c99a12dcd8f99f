"""Indexes for the operator's queues and counts and the directory's name sort: contracts by status (disputed, the
longest waiting first), organisations by name, orders by status (the overview's count)

Measured on a copy of /tmp/perf-data (bench/README.md, "2026-12-06, datamend: indexes"): the disputed queue and the
name-sorted directory read a page off the index instead of scanning and sorting every contract or organisation; the
overview's order count reads a small deduplicated index in status order instead of hashing a wide index's rows.

Revision ID: datamend_0001
Revises: payments_0006
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

from migrations.ops import create_index_concurrently, drop_index_concurrently

revision: str = "datamend_0001"
down_revision: str | None = "payments_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_contract_status_updated_at_id", "contract", ["status", "updated_at", "id"]),
    ("ix_organisation_name_id", "organisation", ["name", "id"]),
    ("ix_order_status", "production_order", ["status"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        create_index_concurrently(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        drop_index_concurrently(name, table)
