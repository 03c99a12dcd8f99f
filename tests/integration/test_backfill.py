"""Backfills run batch by batch, resume where they stopped, and do nothing twice."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.organisations.models import OrganisationKind
from exchange.backfill import UnknownBackfill, run_backfill, statuses
from exchange.cli import main
from tests.integration.factories import Market


async def candidate_orgs(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT DISTINCT organisation_id::text FROM match_candidate"))
        return {row[0] for row in rows}


async def test_a_stopped_backfill_resumes_after_its_last_batch_and_then_is_done(
    market: Market, engine: AsyncEngine
) -> None:
    makers = [await market.manufacturer() for _ in range(3)]
    await market.organisation(OrganisationKind.buyer)
    maker_orgs = {str(next(iter(maker.memberships))) for maker in makers}
    assert await candidate_orgs(engine) == maker_orgs
    async with engine.begin() as conn:  # as if what match_candidate holds had changed its definition
        await conn.execute(text("DELETE FROM match_candidate"))
    async with engine.connect() as conn:
        ordered = [row[0] for row in await conn.execute(text("SELECT id::text FROM organisation ORDER BY id"))]

    first = await run_backfill(market.session_factory, market.clock, "matching-records", batch_size=2, max_batches=1)

    assert (first.rows_done, first.last_key, first.finished_at) == (2, ordered[1], None)
    assert await candidate_orgs(engine) == maker_orgs & set(ordered[:2])
    assert [(s.name, s.state, s.rows_done) for s in await statuses(market.session_factory)] == [
        ("matching-records", "in progress", 2),
        ("milestone-shares", "not started", 0),
        ("provider-payment-references", "not started", 0),
        ("search-terms", "not started", 0),
    ]

    resumed = await run_backfill(market.session_factory, market.clock, "matching-records", batch_size=2)

    assert resumed.rows_done == 4 and resumed.last_key == ordered[3] and resumed.finished_at is not None
    assert await candidate_orgs(engine) == maker_orgs

    again = await run_backfill(market.session_factory, market.clock, "matching-records", batch_size=2)
    assert (again.rows_done, again.finished_at) == (4, resumed.finished_at)  # done: nothing ran

    restarted = await run_backfill(market.session_factory, market.clock, "matching-records", restart=True)
    assert restarted.rows_done == 4 and restarted.finished_at is not None


async def test_an_unknown_backfill_is_refused_and_records_nothing(market: Market, engine: AsyncEngine) -> None:
    with pytest.raises(UnknownBackfill, match="no backfill named 'nope'"):
        await run_backfill(market.session_factory, market.clock, "nope")

    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM backfill_progress"))).scalar_one() == 0


async def test_the_cli_lists_runs_and_refuses_an_unknown_backfill(
    market: Market, engine: AsyncEngine, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    await market.manufacturer()
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", database_url)

    before = await asyncio.to_thread(main, ["backfill", "list"])
    listed_before = capsys.readouterr().out
    ran = await asyncio.to_thread(main, ["backfill", "run", "matching-records", "--batch", "1"])
    ran_out = capsys.readouterr().out
    after = await asyncio.to_thread(main, ["backfill", "list"])
    listed_after = capsys.readouterr().out
    unknown = await asyncio.to_thread(main, ["backfill", "run", "nope"])
    refused = capsys.readouterr().err

    assert (before, ran, after, unknown) == (0, 0, 0, 2)
    assert listed_before.startswith("matching-records: not started, 0 rows — recompute")
    assert ran_out.splitlines()[-1] == "matching-records: done, 1 rows"
    assert listed_after.startswith("matching-records: done, 1 rows — ")
    assert refused.splitlines()[-1] == "refused: no backfill named 'nope'; `exchange backfill list` names them"
