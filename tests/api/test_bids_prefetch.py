"""The order board loads its orders' bids in one batch from the `orders` resolver (api/orders/bids.py
prefetch_bids), so that each order's `bids` field finds its page at hand (the compiled plans complete it without
awaiting); what it cannot foresee still works."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry import relay

from api.execution import compiled
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter


@pytest.fixture
def awaited(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the orders whose `bids` field had to wait for its load (the page's bids were not at hand): its
    coroutine suspended when the compiled plans stepped it."""
    if STOCK:
        pytest.skip("EXCHANGE_EXECUTION_ENGINE=stock: graphql-core awaits every async field, at hand or not")
    calls: list[int] = []
    original = compiled._step

    def spy(coroutine: Any) -> Any:
        is_bids = coroutine.cr_code.co_name == "bids"
        stepped = original(coroutine)
        if is_bids and isinstance(stepped, compiled._Resumed) and stepped.failure is None:
            calls.append(1)
        return stepped

    monkeypatch.setattr(compiled, "_step", spy)
    return calls


async def _market(gql: GraphQL, clock: FakeClock) -> tuple[Party, list[str], list[str]]:
    buyer = await sign_up(gql, kind="BUYER")
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    order_ids = []
    for n in range(3):
        order_id = await create_order(gql, buyer, clock, title=f"Part {n}")
        for i, maker in enumerate(makers):
            await place_bid(gql, maker, order_id, clock, unit_price=f"{300 - 100 * i}.00")
        order_ids.append(order_id)
    return buyer, order_ids, [maker.organisation_id for maker in makers]


def _totals(data: Any, field: str = "bids") -> list[list[str]]:
    return [[e["node"]["total"]["amount"] for e in edge["node"][field]["edges"]] for edge in data["orders"]["edges"]]


async def test_the_boards_bids_are_at_hand_for_every_order(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter, awaited: list[int]
) -> None:
    buyer, _, makers = await _market(gql, clock)
    query = """query($n: Int!, $s: [BidStatus!]) { orders(first: 10) { edges { node { title
      cheapest: bids(first: 1) { edges { node { total { amount } } } pageInfo { hasNextPage } }
      ...All } } } }
      fragment All on Order {
        bids(first: $n, statuses: $s) { edges { node { total { amount } manufacturer { id } } } }
      }"""

    with sql.counting():
        data = await gql(query, {"n": 5, "s": ["ACTIVE"]}, token=buyer.token)

    assert awaited == []
    assert _totals(data) == [["50000.00", "100000.00", "150000.00"]] * 3  # cheapest first (500 units)
    assert _totals(data, "cheapest") == [["50000.00"]] * 3
    assert all(edge["node"]["cheapest"]["pageInfo"]["hasNextPage"] for edge in data["orders"]["edges"])
    edges = [e for edge in data["orders"]["edges"] for e in edge["node"]["bids"]["edges"]]
    bidders = {e["node"]["manufacturer"]["id"] for e in edges}
    assert bidders == set(makers)
    # token; orders; the two pages of bids (one statement each; the page that selects the bidders reads them with
    # its bids)
    assert sql.count == 4, sql.statements


async def test_a_skipped_bids_field_is_not_loaded(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter, awaited: list[int]
) -> None:
    buyer, _, _ = await _market(gql, clock)
    query = """query($skip: Boolean!) { orders(first: 10) { edges { node { title
      bids @skip(if: $skip) { edges { node { id } } } } } } }"""

    with sql.counting():
        data = await gql(query, {"skip": True}, token=buyer.token)

    assert sorted(edge["node"]["title"] for edge in data["orders"]["edges"]) == ["Part 0", "Part 1", "Part 2"]
    assert all(set(edge["node"]) == {"title"} for edge in data["orders"]["edges"])
    assert sql.count == 2  # token; orders
    assert awaited == []


async def test_a_refused_page_size_is_reported_by_each_orders_field(
    gql: GraphQL, clock: FakeClock, awaited: list[int]
) -> None:
    buyer, _, _ = await _market(gql, clock)

    query = "{ orders(first: 10) { edges { node { title bids(first: 500) { edges { node { id } } } } } } }"
    body = await gql.raw(query, token=buyer.token)

    assert {error["message"] for error in body["errors"]} == {"first must be between 1 and 100"}
    assert body["data"] is None  # `bids` is non-null: the refusal nulls the page, as before the prefetch
    assert awaited == []  # refused before any load


async def test_bids_outside_the_board_still_load_in_one_batch(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter, awaited: list[int]
) -> None:
    buyer, order_ids, _ = await _market(gql, clock)
    query = """query($a: ID!, $b: ID!, $c: ID!) { a: order(id: $a) { ...B } b: order(id: $b) { ...B }
      c: order(id: $c) { ...B } } fragment B on Order { bids(first: 2) { edges { node { total { amount } } } } }"""

    with sql.counting():
        data = await gql(query, dict(zip("abc", order_ids, strict=True)), token=buyer.token)

    assert [[e["node"]["total"]["amount"] for e in data[key]["bids"]["edges"]] for key in "abc"] == [
        ["50000.00", "100000.00"]
    ] * 3
    assert len(awaited) == 3  # no list resolver foresaw them: each waited, on the same batch
    assert sum("FROM bid" in " ".join(statement.split()) for statement in sql.statements) == 1


async def test_a_bids_page_gives_each_bids_id_as_its_cursor_when_asked(gql: GraphQL, clock: FakeClock) -> None:
    # api/relay.py IdCursorEdge / IdCursorPageInfo write the cursors only when read: the same text as before.
    buyer, order_ids, _ = await _market(gql, clock)
    query = """query($id: ID!) { order(id: $id) { bids(first: 2) {
      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""

    data = await gql(query, {"id": order_ids[0]}, token=buyer.token)

    page = data["order"]["bids"]
    ids = [relay.GlobalID.from_id(edge["node"]["id"]).node_id for edge in page["edges"]]
    assert len(ids) == 2
    assert [edge["cursor"] for edge in page["edges"]] == ids
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": ids[0],
        "endCursor": ids[1],
    }
    empty = await gql(
        query.replace("first: 2", "first: 2, statuses: [WITHDRAWN]"), {"id": order_ids[0]}, token=buyer.token
    )
    assert empty["order"]["bids"] == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
    }
