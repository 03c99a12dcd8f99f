"""Helpers for migrations that touch big tables (tests/deploy/test_migration_safety.py checks they are used).

An index on a table that already holds rows is built CONCURRENTLY: a plain CREATE INDEX blocks every write to the
table for as long as the build takes (minutes on bid or production_order at scale). CONCURRENTLY cannot run in a
transaction, so the helper leaves Alembic's for an autocommit block; the migration lock is a session lock
(migrations/env.py) and holds across it. A concurrent build does not block writers, so it may run longer than
EXCHANGE_MIGRATION_STATEMENT_TIMEOUT_SECONDS; and since one that failed half-way leaves an INVALID index behind,
it first drops any index of that name: running the migration again resumes cleanly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alembic import op
from sqlalchemy import text


def create_index_concurrently(name: str, table: str, columns: Sequence[Any], **kwargs: Any) -> None:
    with op.get_context().autocommit_block():
        bind = op.get_bind()
        op.execute(text(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"'))
        previous = bind.execute(text("SHOW statement_timeout")).scalar_one()
        op.execute(text("SET statement_timeout = 0"))
        try:
            op.create_index(name, table, list(columns), postgresql_concurrently=True, **kwargs)
        finally:
            bind.execute(text("SELECT set_config('statement_timeout', :value, false)"), {"value": previous})


def drop_index_concurrently(name: str, table: str) -> None:
    with op.get_context().autocommit_block():
        op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)
