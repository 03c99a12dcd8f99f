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
# the database at head.
MIGRATION_LOCK_ID = 0x45584348  # "EXCH"


def _configure(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


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
