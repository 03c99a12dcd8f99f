"""One rule each for amounts, blank-looking text and region filters, over GraphQL: refused with a typed error at
the field, nothing stored; the directory and the order board read region codes alike."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import CREATE_ORDER, GraphQL, create_order, make_manufacturer, order_input, sign_up
from tests.api.orders import count_rows
from tests.clock import FakeClock

AMOUNTS_REFUSED = [" 12", "12 ", "1E+2", "1e2", "\u0661\u0662", "\uff11\uff12", "1_000", "+12", "NaN", "0x10", ""]


@pytest.mark.parametrize("amount", AMOUNTS_REFUSED)
async def test_an_amount_written_any_other_way_than_digits_and_a_point_is_refused_at_its_field(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    budget = {"amount": amount, "currency": "RUB"}

    data = await gql(CREATE_ORDER, {"input": order_input(clock, budgetMin=budget)}, token=buyer.token)

    assert data["createOrder"] == {
        "__typename": "ValidationError",
        "code": "INVALID",
        "field": "budgetMin.amount",
        "message": 'write the amount as digits with an optional decimal point, e.g. "1250.50"',
    }
    assert await count_rows(engine, "production_order") == 0


async def test_an_amount_in_a_literal_and_a_json_number_follow_the_same_rule(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid = """mutation($order: ID!, $until: Date!) { placeBid(input: {orderId: $order, terms: {
               unitPrice: {amount: "1E+2", currency: "RUB"}, leadTimeDays: 10, validUntil: $until}}) {
               __typename ... on UserError { code field } } }"""
    until = order_input(clock)["needBy"]

    refused = await gql(bid, {"order": order_id, "until": until}, token=maker.token)
    placed = await gql(
        CREATE_ORDER,
        {"input": order_input(clock, budgetMin={"amount": 100000, "currency": "RUB"})},
        token=buyer.token,
    )

    assert refused["placeBid"] == {"__typename": "ValidationError", "code": "INVALID", "field": "unitPrice.amount"}
    assert placed["createOrder"]["__typename"] == "OrderSuccess"


@pytest.mark.parametrize("title", ["\u202e", "\u200f\u200b", "\u200b \u2060\ufeff", "\u3164", "\u2800\u00a0"])
async def test_a_title_of_only_invisible_marks_is_refused_like_a_blank_one(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, title: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    blank = await gql(CREATE_ORDER, {"input": order_input(clock, title="  ")}, token=buyer.token)
    invisible = await gql(CREATE_ORDER, {"input": order_input(clock, title=title)}, token=buyer.token)

    assert invisible["createOrder"]["__typename"] == blank["createOrder"]["__typename"] == "ValidationError"
    assert (invisible["createOrder"]["code"], invisible["createOrder"]["field"]) == ("REQUIRED", "title")
    assert (blank["createOrder"]["code"], blank["createOrder"]["field"]) == ("REQUIRED", "title")
    assert await count_rows(engine, "production_order") == 0


async def test_invisible_marks_around_a_title_are_trimmed_and_combining_accents_kept(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    data = await gql(
        CREATE_ORDER, {"input": order_input(clock, title="\u200b Cafe\u0301 bracket\u202e\u200f ")}, token=buyer.token
    )

    assert data["createOrder"]["order"]["title"] == "Cafe\u0301 bracket"


ORDERS = "query($r: [String!]) { orders(filter: {regions: $r}) { edges { node { id } } } }"
MANUFACTURERS = "query($r: [String!]) { manufacturers(filter: {regions: $r}) { edges { node { id } } } }"


@pytest.mark.parametrize("query", [ORDERS, MANUFACTURERS], ids=["orders", "manufacturers"])
async def test_region_filters_refuse_malformed_and_too_many_codes_and_match_nothing_for_unused_ones(
    gql: GraphQL, clock: FakeClock, query: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER", region="RU-MOW")
    await make_manufacturer(gql, clock, region="RU-MOW")
    await create_order(gql, buyer, clock, deliveryRegion="RU-MOW")

    malformed = await gql.raw(query, {"r": ["RU-MOW", "Moscow"]}, token=buyer.token)
    too_many = await gql.raw(query, {"r": [f"RU-{n:03d}" for n in range(101)]}, token=buyer.token)
    unused = await gql(query, {"r": ["ZZ-ZZZ"]}, token=buyer.token)
    matching = await gql(query, {"r": ["ru-mow", "RU-MOW"]}, token=buyer.token)

    assert [e["extensions"] for e in malformed["errors"]] == [{"code": "INVALID", "field": "filter.regions"}]
    assert [e["extensions"] for e in too_many["errors"]] == [{"code": "OUT_OF_RANGE", "field": "filter.regions"}]
    assert next(iter(unused.values()))["edges"] == []
    assert len(next(iter(matching.values()))["edges"]) == 1
