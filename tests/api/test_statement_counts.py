"""A list query runs a constant, small number of SQL statements, whatever its length."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.orders import DETAIL
from tests.clock import FakeClock
from tests.conftest import StatementCounter

ORDER_BOARD = """
query($first: Int!) {
  orders(first: $first, filter: {statuses: [OPEN]}) {
    edges {
      node {
        id title status budget { min { amount } max { amount } }
        buyer { id name region }
        bids(first: 10) {
          edges { node { id status total { amount currency } manufacturer { id name region verified } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def _market(gql: GraphQL, clock: FakeClock, orders: int) -> tuple[Party, list[str]]:
    buyer = await sign_up(gql, kind="BUYER")
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    order_ids = []
    for n in range(orders):
        order_id = await create_order(gql, buyer, clock, title=f"Part {n}")
        for i, maker in enumerate(makers[: 1 + n % 3]):
            await place_bid(gql, maker, order_id, clock, unit_price=f"{100 + i}.00")
        order_ids.append(order_id)
    return buyer, order_ids


async def _count(gql: GraphQL, sql: StatementCounter, token: str, first: int) -> tuple[int, Any]:
    with sql.counting():
        data = await gql(ORDER_BOARD, {"first": first}, token=token)
    return sql.count, data


@pytest.mark.parametrize("orders", [100])
async def test_order_board_runs_the_same_few_statements_for_10_and_100_orders(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter, orders: int
) -> None:
    buyer, _ = await _market(gql, clock, orders)
    await _count(gql, sql, buyer.token, 1)  # each read has run once (then on the driver), the token checked once

    count_10, data_10 = await _count(gql, sql, buyer.token, 10)
    count_100, data_100 = await _count(gql, sql, buyer.token, 100)

    assert len(data_10["orders"]["edges"]) == 10
    assert len(data_100["orders"]["edges"]) == 100
    bids_seen = sum(len(edge["node"]["bids"]["edges"]) for edge in data_100["orders"]["edges"])
    assert bids_seen == sum(1 + n % 3 for n in range(orders))
    # orders with their buyers (a join), the token check riding in front (api/auth_guess.py); bids (a window per
    # order) with their bidders (a join)
    summary = [" ".join(s.split())[:60] + " ... " + " ".join(s.split())[-60:] for s in sql.statements]
    assert (count_10, count_100) == (2, 2), "\n".join(summary)
    assert "FROM auth_token" in sql.statements[0] and "FROM auth_token" not in sql.statements[1], "\n".join(summary)


async def test_the_detail_reads_the_order_its_buyer_and_its_bids_in_one_statement(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    for index, maker in enumerate(makers):
        await place_bid(gql, maker, order_id, clock, unit_price=f"{300 - index}.00")

    await gql(DETAIL, {"id": order_id, "first": 2}, token=buyer.token)  # the read has run once, the token checked
    with sql.counting():
        data = await gql(DETAIL, {"id": order_id, "first": 2}, token=buyer.token)
    order = data["order"]
    assert order["buyer"]["id"] == buyer.organisation_id
    totals = [edge["node"]["total"]["amount"] for edge in order["bids"]["edges"]]
    assert len(totals) == 2 and totals == sorted(totals, key=float)  # the cheapest two, cheapest first
    assert order["bids"]["pageInfo"]["hasNextPage"] is True
    # the order with its buyer and its page of bids, the token check riding in front (api/auth_guess.py); the stock
    # executor reads the bids apart
    summary = "\n".join(" ".join(s.split())[:100] for s in sql.statements)
    assert sql.count == (2 if STOCK else 1), summary
    assert "FROM auth_token" in sql.statements[0], summary
