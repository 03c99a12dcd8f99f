"""The operator's disputed queue and the directory sorted by name read their page off an index (no scan and sort of
every contract or organisation), and the overview's order count reads the small status index in status order:
migration datamend_0001 (bench/README.md, "2026-12-06, datamend: indexes", for the figures at seed scale). The
operators' tax-status queue reads its own partial index, in the generic plan too: migration vatzone_0001 ("2026-12-06,
vatzone: the tax-status queue"). The statements are the application's own, captured through the API on the `tiny`
profile with their values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from bench.common import dsn
from bench.plan_check import Captured, literal
from bench.plan_check import capture as capture_statements
from tests.clock import FakeClock
from tests.integration.tiny import seed_tiny

BIG_TABLES = ("SET enable_seqscan = off", "SET enable_bitmapscan = off")


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


async def _plan(url: str, item: Captured, *settings: str) -> list[dict[str, Any]]:
    """The plan PostgreSQL makes for the statement with its values (the custom plan), as a list of its nodes."""
    conn = await asyncpg.connect(dsn(url))
    try:
        for setting in settings:
            await conn.execute(setting)
        values = ", ".join(literal(arg) for arg in item.args)
        await conn.execute(f"PREPARE probe AS {item.sql}")
        plan = await conn.fetchval(
            "EXPLAIN (FORMAT JSON) EXECUTE probe" + (f"({values})" if item.args else ""),
        )
        return list(_nodes(orjson.loads(plan)[0]["Plan"]))
    finally:
        await conn.close()


def _read_off(nodes: list[dict[str, Any]], index: str) -> bool:
    return any(node.get("Index Name") == index for node in nodes) and not any(
        node["Node Type"] in ("Sort", "Incremental Sort") for node in nodes
    )


@pytest.mark.committed
async def test_queues_and_the_name_sort_read_pages_off_indexes_and_the_order_count_the_status_index(
    database_url: str, engine: AsyncEngine, deps: AppDeps, clock: FakeClock
) -> None:
    await seed_tiny(database_url, engine)
    clock.set(datetime.now(UTC))  # the tokens the capture issues are valid from now
    captured = await capture_statements(database_url, engine, deps)

    def statements(path: str, reads: str) -> list[Captured]:
        found = [item for item in captured if item.path == path and reads in item.sql]
        assert found, (path, reads)
        return found

    # At the `tiny` size a scan of the few rows and a sort is as cheap, and the planner rightly takes it; what is
    # asked is whether an index serves the statement as it would on big tables (the scans other than by index priced
    # out, as their size does at seed scale). Each page (the first, and the next from its cursor where the list has
    # one): an index scan in the page's order, no sort.
    for path, reads, index in (
        ("disputedContracts", "FROM contract", "ix_contract_status_updated_at_id"),
        ("organisations(NAME)", "FROM organisation", "ix_organisation_name_id"),
        ("organisations(buyers, NAME)", "FROM organisation", "ix_organisation_name_id"),
    ):
        for page in statements(path, reads):
            nodes = await _plan(database_url, page, *BIG_TABLES)
            assert _read_off(nodes, index), (path, [(n["Node Type"], n.get("Index Name")) for n in nodes])

    # The overview's order count: the small status index, read in status order, no hash table.
    [count] = [item for item in statements("exchangeOverview", "FROM production_order") if "GROUP BY" in item.sql]
    nodes = await _plan(database_url, count, *BIG_TABLES)
    assert [n.get("Index Name") for n in nodes if "Index Name" in n] == ["ix_order_status"]
    assert nodes[0].get("Strategy") == "Sorted", nodes[0]

    # The operators' tax-status queue (migration vatzone_0001): its partial index holds only the queue, and serves the
    # generic plan that every connection keeps (exchange/db.py) as well as the plan for the values — 'not_stated' is
    # in the statement's text, not a parameter the generic plan could not prove the index's predicate with.
    for page in statements("taxStatusesToCheck", "FROM organisation"):
        assert "tax_status != 'not_stated'" in page.sql, page.sql
        for mode in ("force_custom_plan", "force_generic_plan"):
            nodes = await _plan(database_url, page, *BIG_TABLES, f"SET plan_cache_mode = {mode}")
            queue = "ix_organisation_tax_status_to_check"
            assert _read_off(nodes, queue), (mode, [(n["Node Type"], n.get("Index Name")) for n in nodes])
