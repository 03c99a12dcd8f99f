"""The `tiny` seed profile, as the plan checks use it (tests/integration/test_generic_plans*.py)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.seed_scale import PROFILES, seed_profile


async def seed_tiny(database_url: str, engine: AsyncEngine) -> None:
    """The `tiny` profile (1,500 orders, ~11,000 bids), vacuumed and analysed.
    On tables as a fresh database has them: the tests before this one in the same process emptied theirs with DELETE,
    and their dead rows' pages would enter the planner's costs (in one full run two operator shapes' generic plans
    turned to a sequential scan of the orders that way)."""
    async with engine.connect() as conn:
        await conn.execute(
            text(
                "DO $$ BEGIN EXECUTE (SELECT 'TRUNCATE ' || string_agg(quote_ident(tablename), ', ') || ' CASCADE'"
                " FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('vat_rate', 'alembic_version'));"
                " END $$"
            )
        )
        await conn.commit()
    await seed_profile(database_url, profile=PROFILES["tiny"], random_seed=7, progress=False)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))
