"""matching: the ranking reads a process's candidates from one contiguous index range (index-only)

The fit ranking's first step reads every match_candidate row of the order's process. The table's rows lie in
the order they were written (by organisation, as shops sign up or as the seed writes them), so one process's
~50,000 rows at 200k manufacturers were spread over ~21,000 of the table's ~30,000 pages: a ranking read most of
a 241 MB table, more than the default shared_buffers, and p95 went from 78 ms (a database whose rows had been
backfilled in process order) to 148-180 ms on a fresh seed. This index holds, in (process, organisation) order,
every column the ranking reads, so the step is an index-only scan of that process's range whatever the heap's
order (EXPLAIN on 10x data: 21,444 heap blocks -> the range's leaf pages).

Revision ID: matching_0005
Revises: payments_0005
Create Date: 2026-12-06 02:20:00
"""

from collections.abc import Sequence

from alembic import op

from migrations.ops import create_index_concurrently

revision: str = "matching_0005"
down_revision: str | None = "payments_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column of match_candidate that domain.matching.queries.fit_ranking reads
# (tests/integration/test_match_candidate_index.py checks the ranking's plan reads no heap for them).
COLUMNS = (
    "region",
    "materials",
    "min_quantity",
    "max_quantity",
    "certificates",
    "max_part_mm",
    "delivered",
    "delivered_on_time",
    "disputed",
    "invitations",
    "invitations_bid",
)


def upgrade() -> None:
    create_index_concurrently(
        "ix_match_candidate_process_covering",
        "match_candidate",
        ["process", "organisation_id"],
        postgresql_include=list(COLUMNS),
    )


def downgrade() -> None:
    op.drop_index("ix_match_candidate_process_covering", table_name="match_candidate")
