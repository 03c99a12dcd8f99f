"""Migrations at start-up: DDL gives up on a lock it cannot get soon (lock_timeout) instead of stalling the API,
indexes on tables with rows are built CONCURRENTLY, and backfills stay out of migrations (tools/check_migrations.py)."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from alembic import command
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError

import migrations
from exchange.migrate import alembic_config, upgrade

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import check_migrations

BLOCKED_MIGRATION = """
import sqlalchemy as sa
from alembic import op

from migrations.ops import create_index_concurrently

revision = "zz_test_0001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organisation", sa.Column("probe", sa.Integer(), nullable=True))
    create_index_concurrently("ix_organisation_probe", "organisation", ["probe"])


def downgrade() -> None:
    pass
"""


def test_the_migrations_pass_the_lint() -> None:
    assert check_migrations.check() == []


def test_the_lint_refuses_a_plain_index_on_an_existing_table_and_a_backfill(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        "from alembic import op\n"
        "import sqlalchemy as sa\n"
        "FILL = 'UPDATE bid SET quantity = 1'\n"
        "def upgrade() -> None:\n"
        "    op.create_table('fresh', sa.Column('id', sa.Integer()))\n"
        "    op.create_index('ix_fresh_id', 'fresh', ['id'])\n"
        "    op.create_index('ix_bid_x', 'bid', ['x'])\n"
        "    op.execute(FILL)\n"
        "    op.execute('CREATE INDEX ix_y ON production_order (y)')\n"
        "    op.execute('CREATE INDEX CONCURRENTLY ix_z ON production_order (z)')\n"
    )
    (tmp_path / "good.py").write_text(
        "from migrations.ops import create_index_concurrently\n"
        "def upgrade() -> None:\n"
        "    create_index_concurrently('ix_bid_x', 'bid', ['x'])\n"
    )

    assert check_migrations.check(tmp_path, exempt=frozenset()) == [
        "bad.py:7: an index on bid, which may hold rows: use migrations.ops.create_index_concurrently",
        "bad.py:8: a data backfill in a migration: register it in exchange/backfill.py (`exchange backfill run`) "
        "instead",
        "bad.py:9: CREATE INDEX without CONCURRENTLY: use migrations.ops.create_index_concurrently",
    ]


@pytest.fixture
async def fresh_database(database_url: str) -> AsyncIterator[str]:
    """An empty database of its own on the test server (this test changes its schema)."""
    url = make_url(database_url)
    name = f"exchange_migrations_{uuid.uuid4().hex[:8]}"

    async def admin(statement: str) -> None:
        conn = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password, database="postgres"
        )
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    await admin(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin(f'DROP DATABASE "{name}" WITH (FORCE)')


async def test_ddl_blocked_by_a_long_transaction_gives_up_at_lock_timeout_and_runs_when_it_ends(
    fresh_database: str, tmp_path: Path
) -> None:
    # Alembic's env runs its own event loop: in a thread, so that the tests' loop stays current.
    await asyncio.to_thread(upgrade, fresh_database)
    head = alembic_config(fresh_database)
    from alembic.script import ScriptDirectory

    current_head = ScriptDirectory.from_config(head).get_current_head()
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(migrations.__file__).parent, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "zz_test_0001.py").write_text(BLOCKED_MIGRATION.format(head=current_head))
    config = alembic_config(fresh_database)
    config.set_main_option("script_location", str(scripts))
    config.attributes["lock_timeout_seconds"] = 0.3
    config.attributes["statement_timeout_seconds"] = 30

    url = make_url(fresh_database)

    async def state(conn: asyncpg.Connection) -> tuple[str, bool, bool | None]:
        version = await conn.fetchval("SELECT version_num FROM alembic_version")
        column = await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'organisation' AND column_name = 'probe')"
        )
        valid = await conn.fetchval(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = 'ix_organisation_probe'"
        )
        return version, column, valid

    reader = await asyncpg.connect(host=url.host, port=url.port, user=url.username, database=url.database)
    try:
        # A long report holding the table (ACCESS SHARE): ADD COLUMN needs ACCESS EXCLUSIVE.
        transaction = reader.transaction()
        await transaction.start()
        await reader.fetch("SELECT * FROM organisation LIMIT 1")
        started = time.monotonic()
        with pytest.raises(DBAPIError, match="lock timeout"):
            await asyncio.to_thread(command.upgrade, config, "head")
        waited = time.monotonic() - started
        blocked = await state(reader)
        await transaction.rollback()
        await asyncio.to_thread(command.upgrade, config, "head")
        done = await state(reader)
    finally:
        await reader.close()

    assert waited < 5  # gave up at lock_timeout instead of queueing every query on the table behind it
    assert blocked == (current_head, False, None)  # nothing of the migration stayed
    assert done == ("zz_test_0001", True, True)  # the next start ran it; the concurrent index is valid
