"""A long statement is prepared once per connection, like a short one (exchange/db.py MAX_CACHEABLE_STATEMENT): asyncpg
keeps only statements up to 15 KiB by default, and one over it — the order detail's JSON read with the token check
riding in it — was parsed and planned again on every request."""

from __future__ import annotations

from typing import Any

from exchange.db import MAX_CACHEABLE_STATEMENT, create_engine


def long_select(marker: str, size: int) -> str:
    """A select of `size` characters or more (a long column list, as the JSON reads have), marked to be found again."""
    columns = ", ".join(f"$1::int + {n} AS long_column_number_{n:05d}" for n in range(size // 40))
    return f"SELECT {columns}, true AS {marker}"


async def named_statements(raw: Any, marker: str) -> int:
    """Statements prepared on this connection under a name (asyncpg's cache) whose text has the marker; a statement
    asyncpg does not keep is prepared unnamed, and PostgreSQL lists only named ones."""
    count: int = await raw.fetchval(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%'", marker
    )
    return count


async def test_a_statement_over_asyncpgs_default_limit_is_kept_and_prepared_once(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            raw: Any = (await connection.get_raw_connection()).driver_connection
            sql = long_select("long_statement_marker", 40 * 1024)
            assert 15 * 1024 < len(sql) < MAX_CACHEABLE_STATEMENT
            first = await raw.fetchrow(sql, 1)
            second = await raw.fetchrow(sql, 2)
            assert (first["long_column_number_00007"], second["long_column_number_00007"]) == (8, 9)
            assert await named_statements(raw, "long_statement_marker") == 1
    finally:
        await engine.dispose()


async def test_asyncpgs_default_would_prepare_it_unnamed_every_time(database_url: str) -> None:
    import asyncpg

    raw = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        sql = long_select("default_limit_marker", 40 * 1024)
        await raw.fetchrow(sql, 1)
        await raw.fetchrow(sql, 2)
        assert await named_statements(raw, "default_limit_marker") == 0
    finally:
        await raw.close()
