"""An order's detail: under the compiled plans, the whole order written by PostgreSQL as one JSON text with its
buyer and first page of bids inside (domain/bids/service.py order_json) when its selection qualifies, else the
order, its buyer and that page in one statement (order_with_buyer_and_bids, the page as a lateral subquery); each
viewer's answer the one the server writes itself. Its statement count: tests/api/test_statement_counts.py."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.contracts import operator
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.orders import DETAIL
from tests.api.sql_json import raw_answer, whole_order_reads, without_json
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
    reads = whole_order_reads(monkeypatch)
    for viewer, token in tokens.items():
        variables = {"id": order_id, "first": first}
        answer = await raw_answer(client, DETAIL, variables, token)
        # the whole order read as one JSON text (nothing for the signed-out viewer, who may not see it)
        assert [found is not None for found in reads] == ([] if STOCK else [viewer != "signed out"]), viewer
        reads.clear()
        own = await without_json(monkeypatch, functools.partial(raw_answer, client, DETAIL, variables, token))
        assert reads == [], viewer
        assert answer == own, viewer
        order = orjson.loads(answer)["data"]["order"]
        if expected[viewer] is None:
            assert order is None, viewer
            continue
        assert [edge["node"]["id"] for edge in order["bids"]["edges"]] == expected[viewer], viewer
        seen = len(expected[viewer] or [])
        assert order["bids"]["pageInfo"]["hasNextPage"] is (viewer in ("buyer", "operator") and first < 3), viewer
        assert (order["bids"]["pageInfo"]["endCursor"] is None) is (seen == 0), viewer


WITHDRAW = "mutation($id: ID!) { withdrawBid(bidId: $id) { __typename } }"


async def _market(gql: GraphQL, clock: FakeClock) -> tuple[Party, str, list[str]]:
    """A buyer's open order with three bids, the cheapest withdrawn."""
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    bid_ids = [
        await place_bid(gql, maker, order_id, clock, unit_price=f"{100 + index}.00")
        for index, maker in enumerate(makers)
    ]
    withdrawn = await gql(WITHDRAW, {"id": bid_ids[0]}, token=makers[0].token)
    assert withdrawn["withdrawBid"]["__typename"] == "BidSuccess"
    return buyer, order_id, bid_ids


async def _answer(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None) -> bytes:
    """The response body, errors or not."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.content


# Aliases and __typename at every level, the fields in an unusual order, the page's statuses and size as literals
SHAPES = {
    "aliases and __typename everywhere": """query($id: ID!) { o: order(id: $id) {
        __typename b: bids(first: 2, statuses: [ACTIVE, WITHDRAWN]) {
          pageInfo { __typename hasPreviousPage endCursor e2: endCursor hasNextPage startCursor }
          __typename
          edges { n: node { __typename id t: total { amount } } __typename c: cursor cursor }
        }
        title kind: __typename budget { __typename max { currency amount } } buyer { verified __typename id } i: id
      } }""",
    "pageInfo only": """query($id: ID!) { order(id: $id) { id bids(first: 1) { pageInfo { hasNextPage } } } }""",
    "cursors only": """query($id: ID!) { order(id: $id) { bids { edges { cursor } __typename } } }""",
    "a connection of __typename": """query($id: ID!) { order(id: $id) { bids { __typename } } }""",
    "no bids": """query($id: ID!) { order(id: $id) { id title status buyer { name } } }""",
    "statuses from a variable": """query($id: ID!, $s: [BidStatus!], $n: Int!) { order(id: $id) {
        bids(first: $n, statuses: $s) { edges { node { id status } } pageInfo { hasNextPage endCursor } } } }""",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
async def test_every_qualifying_shape_is_one_json_text_as_the_server_writes_it(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    shape: str,
) -> None:
    buyer, order_id, _bids = await _market(gql, clock)
    query = SHAPES[shape]
    reads = whole_order_reads(monkeypatch)
    variables_list: list[dict[str, Any]] = [{"id": order_id}]
    if "$s" in query:  # the same document with other values: the parts are the operation's, the page the request's
        variables_list = [
            {"id": order_id, "n": 1, "s": None},
            {"id": order_id, "n": 5, "s": ["WITHDRAWN"]},
            {"id": order_id, "n": 2, "s": ["ACTIVE", "WITHDRAWN"]},
            {"id": order_id, "n": 1, "s": []},
        ]
    for variables in variables_list:
        answer = await raw_answer(client, query, variables, buyer.token)
        assert len(reads) == (0 if STOCK else 1), variables
        reads.clear()
        assert answer == await without_json(
            monkeypatch, functools.partial(raw_answer, client, query, variables, buyer.token)
        )
    if shape == "aliases and __typename everywhere":
        order = orjson.loads(answer)["data"]["o"]
        assert list(order) == ["__typename", "b", "title", "kind", "budget", "buyer", "i"]
        assert list(order["b"]) == ["pageInfo", "__typename", "edges"]
        assert order["b"]["pageInfo"]["hasNextPage"] is True  # 3 bids, 2 asked
        assert order["b"]["pageInfo"]["e2"] == order["b"]["edges"][-1]["c"] == order["b"]["edges"][-1]["cursor"]
        assert [list(edge) for edge in order["b"]["edges"]] == [["n", "__typename", "c", "cursor"]] * 2


# Selections that do not qualify (and one refused argument): the server's own path, as before
_ORDER = "query($id: ID!) { order(id: $id) { "
FALLBACKS = {
    "a computed order field": _ORDER + "id biddingOpen bids { edges { node { id } } } } }",
    "a viewer-dependent bid field": _ORDER + "id bids { edges { node { viewerCanRevise } } } } }",
    "two pages of bids": _ORDER + "a: bids(first: 1) { edges { cursor } } b: bids { edges { cursor } } } }",
    "another root field": "query($id: ID!) { __typename order(id: $id) { id bids { edges { node { id } } } } }",
    "a page size refused": _ORDER + "id title bids(first: 500) { edges { node { id } } } } }",
    "a bidder's private field": _ORDER + "bids { edges { node { manufacturer { legalDetails { __typename } } } } } } }",
}


@pytest.mark.parametrize("shape", sorted(FALLBACKS))
async def test_a_selection_that_does_not_qualify_is_answered_by_the_server(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    shape: str,
) -> None:
    buyer, order_id, _bids = await _market(gql, clock)
    query = FALLBACKS[shape]
    reads = whole_order_reads(monkeypatch)
    answer = await _answer(client, query, {"id": order_id}, buyer.token)
    assert reads == []
    assert answer == await without_json(
        monkeypatch, functools.partial(_answer, client, query, {"id": order_id}, buyer.token)
    )
    body = orjson.loads(answer)
    if shape == "a page size refused":  # the field's own error, the order null (bids is non-null)
        assert body["data"]["order"] is None
        assert [error["path"] for error in body["errors"]] == [["order", "bids"]]
    else:
        assert "errors" not in body, body
        assert body["data"]["order"] is not None


async def test_viewers_without_an_organisation_and_orders_not_to_be_seen(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A signed-in user without an organisation sees the public order and no bid; a draft is no one's but its
    buyer's; an id of another type or of no order is null. Each the server's own answer."""
    buyer, order_id, _bids = await _market(gql, clock)
    draft_id = await create_order(gql, buyer, clock, publish=False)
    loner = await sign_up(gql, kind="MANUFACTURER")
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM membership WHERE user_id = :id"), {"id": _uuid(loner.user_id)})
    outsider = await make_manufacturer(gql, clock)
    reads = whole_order_reads(monkeypatch)
    cases = [
        (loner.token, order_id, True),
        (outsider.token, draft_id, False),
        (buyer.token, draft_id, True),
        (buyer.token, buyer.organisation_id, False),  # an Organisation's id
        (buyer.token, "T3JkZXI6bm90LWEtdXVpZA==", False),  # "Order:not-a-uuid"
    ]
    for token, asked, seen in cases:
        variables = {"id": asked, "first": 5}
        answer = await raw_answer(client, DETAIL, variables, token)
        assert answer == await without_json(
            monkeypatch, functools.partial(raw_answer, client, DETAIL, variables, token)
        )
        order = orjson.loads(answer)["data"]["order"]
        assert (order is not None) is seen, asked
        if token == loner.token:
            assert order["bids"] == {
                "edges": [],
                "pageInfo": {"hasNextPage": False, "startCursor": None, "endCursor": None},
            }
    # read as JSON for each real order id (null for the outsider's draft), never for an id that names no order
    assert [found is not None for found in reads] == ([] if STOCK else [True, False, True])


def _uuid(relay_id: str) -> str:
    import base64

    return base64.b64decode(relay_id).decode().split(":", 1)[1]


# Control characters, quotes, backslashes, the JSON-in-HTML separators, emoji, Cyrillic, DEL, BOM
HOSTILE = [
    'Quote " and \\ backslash </script> / slash',
    "\x01\x02\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1b\x1f end",
    "Line\u2028separator\u2029paragraph",
    "Эмодзи 🛠️🔩 и ё \u00a0nbsp \u00ad shy",
    "DEL\x7f and \u0301 combining and \ufeff BOM",
]

HOSTILE_QUERY = """query($id: ID!) { order(id: $id) {
    id title description material deliveryRegion quantity createdAt publishedAt closedAt cancelReason
    budget { includesVat min { amount currency } max { amount currency } }
    buyer { id name region verified createdAt }
    bids(first: 10) { edges { cursor node { id notes createdAt reconfirmedAt total { amount currency }
      manufacturer { name } } } pageInfo { hasNextPage startCursor endCursor } }
  } }"""


async def test_hostile_values_are_written_as_the_server_writes_them(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buyer, order_id, _bids = await _market(gql, clock)
    moment = datetime(2027, 1, 2, 3, 4, 5, 100000, tzinfo=UTC)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE production_order SET title = :a, description = :b, material = :c, currency = 'JPY', "
                "budget_min_minor = 0, budget_max_minor = 2147483647000, created_at = :moment, cancel_reason = :d "
                "WHERE id = :id"
            ),
            {"a": HOSTILE[0], "b": HOSTILE[1], "c": HOSTILE[2], "d": HOSTILE[3], "moment": moment}
            | {"id": _uuid(order_id)},
        )
        await conn.execute(
            text("UPDATE organisation SET name = :name WHERE id = :id"),
            {"name": HOSTILE[4], "id": _uuid(buyer.organisation_id)},
        )
        await conn.execute(
            text("UPDATE bid SET notes = :notes, created_at = :moment WHERE order_id = :id"),
            {"notes": HOSTILE[1] + HOSTILE[3], "moment": moment, "id": _uuid(order_id)},
        )
    reads = whole_order_reads(monkeypatch)
    answer = await raw_answer(client, HOSTILE_QUERY, {"id": order_id}, buyer.token)
    assert len(reads) == (0 if STOCK else 1)
    assert answer == await without_json(
        monkeypatch, functools.partial(raw_answer, client, HOSTILE_QUERY, {"id": order_id}, buyer.token)
    )
    order = orjson.loads(answer)["data"]["order"]
    assert (order["title"], order["description"], order["material"]) == tuple(HOSTILE[:3])
    assert order["buyer"]["name"] == HOSTILE[4]
    assert order["budget"]["max"] == {"amount": "2147483647000", "currency": "JPY"}
    assert order["createdAt"] == "2027-01-02T03:04:05.100000+00:00"
    assert {edge["node"]["notes"] for edge in order["bids"]["edges"]} == {HOSTILE[1] + HOSTILE[3]}
    assert b"\\u0001\\u0002\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001b\\u001f end" in answer
