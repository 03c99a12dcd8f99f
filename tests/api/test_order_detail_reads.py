"""An order's detail: the order, its buyer and its first page of bids in one statement (domain/bids/service.py
order_with_buyer_and_bids, the page as a lateral subquery) under the compiled plans, with each viewer's answer the
one the server writes itself. Its statement count: tests/api/test_statement_counts.py."""

from __future__ import annotations

import functools

import httpx
import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.contracts import operator
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.orders import DETAIL
from tests.api.sql_json import raw_answer, without_json
from tests.clock import FakeClock


@pytest.mark.parametrize("first", [2, 20])
async def test_the_detail_answers_each_viewer_as_the_server_writes_it(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    first: int,
) -> None:
    """Sealed bids stay sealed in the order's own statement: the buyer sees every bid, a bidder only its own, another
    manufacturer none, an operator all; signed out, no order. Byte for byte the answer without the JSON reads."""
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    bid_ids = [
        await place_bid(gql, maker, order_id, clock, unit_price=f"{100 + index}.00")
        for index, maker in enumerate(makers)
    ]
    outsider = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    expected = {
        "buyer": bid_ids[:first],
        "bidder": [bid_ids[1]],
        "other manufacturer": [],
        "operator": bid_ids[:first],
        "signed out": None,
    }
    tokens = {
        "buyer": buyer.token,
        "bidder": makers[1].token,
        "other manufacturer": outsider.token,
        "operator": ops.token,
        "signed out": None,
    }
    for viewer, token in tokens.items():
        variables = {"id": order_id, "first": first}
        answer = await raw_answer(client, DETAIL, variables, token)
        own = await without_json(monkeypatch, functools.partial(raw_answer, client, DETAIL, variables, token))
        assert answer == own, viewer
        order = orjson.loads(answer)["data"]["order"]
        if expected[viewer] is None:
            assert order is None, viewer
            continue
        assert [edge["node"]["id"] for edge in order["bids"]["edges"]] == expected[viewer], viewer
        seen = len(expected[viewer] or [])
        assert order["bids"]["pageInfo"]["hasNextPage"] is (viewer in ("buyer", "operator") and first < 3), viewer
        assert (order["bids"]["pageInfo"]["endCursor"] is None) is (seen == 0), viewer
