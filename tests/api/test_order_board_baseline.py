"""The overhead benchmark's yardstick answers exactly what GraphQL answers; it uses four statements, GraphQL three."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
import pytest

from bench.common import dsn, fetch, issue_tokens
from bench.order_board_baseline import OVERHEAD_QUERY, STATEMENTS_WITH_BIDS, order_board
from exchange.seed_scale import PROFILES, seed_profile
from tests.api.graphql import GraphQL
from tests.clock import FakeClock
from tests.conftest import StatementCounter


@pytest.fixture
async def tokens(database_url: str, engine: Any, clock: FakeClock) -> dict[str, str]:
    """Tokens for the operator, a buyer with open orders and a manufacturer with active bids, on `tiny` data."""
    await seed_profile(database_url, profile=PROFILES["tiny"], random_seed=3, progress=False)
    clock.set(datetime.now(UTC))
    operator = await fetch(database_url, "SELECT id FROM app_user WHERE is_operator")
    buyer = await fetch(
        database_url,
        "SELECT o.created_by_user_id AS id FROM production_order o WHERE o.status = 'open' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    maker = await fetch(
        database_url,
        "SELECT b.placed_by_user_id AS id FROM bid b WHERE b.status = 'active' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    users = [operator[0]["id"], buyer[0]["id"], maker[0]["id"]]
    issued = await issue_tokens(database_url, users, ttl=timedelta(days=3650))
    return dict(zip(("operator", "buyer", "manufacturer"), issued, strict=True))


async def _baseline(database_url: str, token: str, first: int, now: datetime) -> bytes:
    conn = await asyncpg.connect(dsn(database_url))
    try:
        return orjson.dumps({"data": await order_board(conn, token, first, now)})
    finally:
        await conn.close()


@pytest.mark.committed
@pytest.mark.parametrize("who", ["operator", "buyer", "manufacturer"])
async def test_the_hand_written_handler_returns_the_graphql_json_byte_for_byte(
    who: str, tokens: dict[str, str], gql: GraphQL, database_url: str, clock: FakeClock
) -> None:
    body = await gql.raw(OVERHEAD_QUERY, {"first": 100}, token=tokens[who])

    expected = await _baseline(database_url, tokens[who], 100, clock.now())

    assert "errors" not in body
    assert len(body["data"]["orders"]["edges"]) == 100
    assert orjson.dumps(body) == expected
    if who == "operator":
        assert sum(len(e["node"]["bids"]["edges"]) for e in body["data"]["orders"]["edges"]) > 300


@pytest.mark.committed
async def test_the_overhead_query_runs_three_statements_for_a_full_page(
    tokens: dict[str, str], gql: GraphQL, sql: StatementCounter
) -> None:
    with sql.counting():
        data = await gql(OVERHEAD_QUERY, {"first": 100}, token=tokens["operator"])

    assert len(data["orders"]["edges"]) == 100
    # token -> actor; orders; bids (a window per order) with their bidders (a join): one fewer than the yardstick
    assert sql.count == STATEMENTS_WITH_BIDS - 1, "\n".join(s[:100] for s in sql.statements)
