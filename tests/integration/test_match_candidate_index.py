"""The fit ranking reads match_candidate from its covering index alone (migration matching_0005).

A process's candidate rows lie wherever they were written (by organisation), so reading them through the table
visits most of its pages at scale (10x: 21,444 heap blocks for one order, more than shared_buffers). The covering
index holds every column the ranking reads, in (process, organisation) order. This test plans the ranking of
varied orders and checks that each read of match_candidate can be an index-only scan of that index: a column added
to the ranking but not to the index fails here.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import asyncpg
from sqlalchemy import event

from domain.matching.queries import fit_ranking
from domain.matching.rules import DEFAULT_WEIGHTS
from domain.matching.service import need_of
from domain.organisations.models import OrganisationKind
from tests.integration.factories import Market
from tests.integration.ranking import random_makers, random_order

INDEX = "ix_match_candidate_process_covering"


def _walk(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _walk(child))]


def _scans(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan] if plan.get("Relation Name") == "match_candidate" else []
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


async def test_the_ranking_reads_candidates_index_only(market: Market, database_url: str) -> None:
    rng = random.Random(20261206)
    await random_makers(market, rng, 60)
    # As autovacuum leaves a table at rest: its pages all-visible, so that an index-only scan needs no heap.
    vacuum = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await vacuum.execute("VACUUM ANALYZE match_candidate")
    finally:
        await vacuum.close()
    buyer = await market.organisation(OrganisationKind.buyer)
    today = market.clock.now().date()
    checked = 0
    for _ in range(8):
        order = await market.open_order(
            buyer, bidding_deadline=market.clock.now() + timedelta(days=2), **random_order(rng, today)
        )
        async with market.uow() as uow:
            conn = await uow.session.connection()
            captured: list[tuple[str, Any]] = []

            def capture(*args: Any, captured: list[tuple[str, Any]] = captured) -> None:
                captured.append((args[2], args[3]))  # statement, parameters

            event.listen(conn.sync_connection, "before_cursor_execute", capture)
            rows = (await uow.session.execute(*fit_ranking(order, need_of(order), today, DEFAULT_WEIGHTS, 20))).all()
            event.remove(conn.sync_connection, "before_cursor_execute", capture)
            assert rows, "the ranking returns its counts on every row"
            statement, parameters = captured[-1]
            # On a table this small the planner would rather read the primary key and the heap; without that index
            # (dropped in this transaction, rolled back) and with sequential and bitmap scans priced out, the
            # covering index is read index-only exactly when it holds every column the statement reads.
            await conn.exec_driver_sql("ALTER TABLE match_candidate DROP CONSTRAINT pk_match_candidate")
            for method in ("seqscan", "bitmapscan"):
                await conn.exec_driver_sql(f"SET LOCAL enable_{method} = off")
            result = await conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            plan = result.scalar_one()
            await uow.session.rollback()
        root = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
        # The step that reads the whole process range: the CTE of the candidates whose profile fits. (The excluded
        # walk reads the first few rows by id, through any index, and stops.)
        profile = [p for p in _walk(root) if p.get("Subplan Name") == "CTE profile_fits"]
        assert len(profile) == 1
        scans = _scans(profile[0])
        assert len(scans) == 1, scans
        assert scans[0]["Node Type"] == "Index Only Scan", (scans[0].get("Index Name"), scans[0].get("Filter"))
        assert scans[0]["Index Name"] == INDEX
        checked += 1
    assert checked >= 8
