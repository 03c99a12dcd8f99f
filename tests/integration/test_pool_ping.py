"""The pool checks a connection at checkout (exchange/db.py ping_on_checkout): one the server ended is replaced
before anyone gets it, and a good one is checked with a single statement, outside any transaction."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import event, text

from exchange.db import create_engine


async def test_a_connection_the_server_ended_is_replaced_at_checkout(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            first = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        outside = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            assert await outside.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await outside.close()

        async with engine.connect() as connection:
            second = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()

        assert second != first
    finally:
        await engine.dispose()


async def test_the_checkout_ping_is_one_statement_outside_a_transaction(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    seen: list[str] = []
    try:
        async with engine.connect() as connection:  # opened (and given back) before we watch
            await connection.execute(text("SELECT 1"))
        raw: Any = None
        async with engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
        # asyncpg reports each statement it runs to a query logger: watch the next checkout's ping.
        raw.add_query_logger(lambda record: seen.append(record.query))
        pinged: list[bool] = []
        event.listen(engine.sync_engine.pool, "checkout", lambda *_: pinged.append(True))
        async with engine.connect() as connection:
            got = (await connection.execute(text("SELECT 2"))).scalar_one()
        assert got == 2 and pinged == [True]
        # SQLAlchemy's own pre-ping would have sent BEGIN; ";"; ROLLBACK here
        assert seen[:1] == ["SELECT 1"], seen
    finally:
        await engine.dispose()
