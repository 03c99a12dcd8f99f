"""Alembic environment, async (asyncpg). The URL comes from the caller or from Settings."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import search.tables  # noqa: F401  (the postgres search backend's tables)
from domain.tables import metadata

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from exchange.settings import Settings

        url = Settings().database_url
    if not url:
        raise RuntimeError("no database URL: set EXCHANGE_DATABASE_URL or run `exchange migrate`")
    return url


# Several API processes may start at once and each migrates first: one at a time, the rest then find
# the database at head. A session lock (not a transaction's): a migration that builds an index CONCURRENTLY
# commits in the middle (migrations/ops.py) and must keep it.
MIGRATION_LOCK_ID = 0x45584348  # "EXCH"


def _timeouts() -> tuple[float, float]:
    lock = config.attributes.get("lock_timeout_seconds")
    statement = config.attributes.get("statement_timeout_seconds")
    if lock is None or statement is None:
        from exchange.settings import Settings

        settings = Settings()
        lock = settings.migration_lock_timeout_seconds if lock is None else lock
        statement = settings.migration_statement_timeout_seconds if statement is None else statement
    return float(lock), float(statement)


def _configure(connection: Connection) -> None:
    """DDL takes an ACCESS EXCLUSIVE lock, and while it waits for one every query on that table queues behind it:
    lock_timeout makes a blocked migration fail fast (the next start retries it) instead of stalling the API, and
    statement_timeout bounds a statement that runs too long. Both for this session only."""
    lock_timeout, statement_timeout = _timeouts()
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    try:
        # After the advisory lock: waiting for another process's migration is not what lock_timeout is for.
        connection.execute(text(f"SET lock_timeout = '{int(lock_timeout * 1000)}ms'"))
        connection.execute(text(f"SET statement_timeout = '{int(statement_timeout * 1000)}ms'"))
        connection.commit()
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.rollback()
        connection.execute(text("RESET lock_timeout"))
        connection.execute(text("RESET statement_timeout"))
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()


async def _run_online() -> None:
    engine = create_async_engine(_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
    else:
        asyncio.run(_run_online())
