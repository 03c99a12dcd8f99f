"""A refused or failing field keeps its failure to itself: its siblings read on a sound session, and every pooled
connection is back in the pool when the response is sent (tests/api/conftest.py checks that after every test)."""

from __future__ import annotations

import asyncio
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from strawberry import relay

from api.context import AppDeps, Context
from domain.actor import ANONYMOUS
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.reviews import completed, review, settings  # noqa: F401  (the long token lifetime)
from tests.clock import FakeClock


async def test_a_refused_page_size_beside_a_contract_leaves_the_contract_whole(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await completed(gql, clock, engine)
    order_id = await create_order(gql, buyer, clock)
    document = """query($c: ID!, $o: ID!) {
      a: order(id: $o) { questions(first: 2147483647) { id } invitedManufacturers { id } }
      contract(id: $c) { order { id } bid { id } buyer { id } manufacturer { id } }
      b: order(id: $o) { questions(first: 2147483647) { id } } }"""

    answers = [await gql.raw(document, {"c": contract_id, "o": order_id}, token=buyer.token) for _ in range(15)]

    for body in answers:
        contract = body["data"]["contract"]
        assert contract["buyer"] == {"id": buyer.organisation_id}
        assert contract["manufacturer"] == {"id": maker.organisation_id}
        assert contract["order"]["id"] and contract["bid"]["id"]
        assert {e["extensions"]["code"] for e in body["errors"]} == {"OUT_OF_RANGE"}
        assert all("transaction" not in e["message"] for e in body["errors"])


def request_context(deps: AppDeps) -> Context:
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []})
    return Context(request=request, response=None, deps=deps, actor=ANONYMOUS)


async def test_a_statement_that_fails_in_one_field_does_not_fail_the_next_reader(
    deps: AppDeps, engine: AsyncEngine
) -> None:
    ctx = request_context(deps)
    with pytest.raises(DBAPIError):
        async with ctx.db() as session:
            await session.execute(text("SELECT 1 / 0"))

    async with ctx.db() as session:
        after = await session.scalar(text("SELECT 41 + 1"))
    await ctx.close()

    assert after == 42
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_field_cancelled_mid_statement_leaves_a_sound_session_and_returns_its_connection(
    deps: AppDeps, engine: AsyncEngine
) -> None:
    ctx = request_context(deps)

    async def slow_field() -> None:
        async with ctx.db() as session:
            await session.execute(text("SELECT pg_sleep(5)"))

    task = asyncio.create_task(slow_field())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with ctx.db() as session:
        after = await session.scalar(text("SELECT 41 + 1"))
    await ctx.close()

    assert after == 42
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_board_pages_with_no_bids_asked_for_return_every_connection(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    for _ in range(3):
        await place_bid(gql, maker, await create_order(gql, buyer, clock), clock)
    documents = [
        "{ orders(first: 5) { edges { node { id bids(first: 0) { edges { node { id } } } } } } }",
        "{ orders(filter: {statuses: [OPEN, DRAFT]}) {"
        " edges { node { id bids(first: 1) { edges { node { id } } } } } } }",
    ]

    for document in documents:
        for token in (buyer.token, maker.token, None):
            body = await gql.raw(document, token=token)
            assert "data" in body
            assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_my_contracts_reviews_of_one_moment_come_in_id_order(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await completed(gql, clock, engine)
    await review(gql, maker, contract_id, 4, "Clear drawings")
    await review(gql, buyer, contract_id, 5, "On time")  # the same instant: the clock has not moved

    data = await gql("{ myContracts { edges { node { reviews { id createdAt } } } } }", token=buyer.token)

    reviews = data["myContracts"]["edges"][0]["node"]["reviews"]
    assert len(reviews) == 2 and reviews[0]["createdAt"] == reviews[1]["createdAt"]
    ids = [UUID(relay.GlobalID.from_id(r["id"]).node_id) for r in reviews]
    assert ids == sorted(ids, key=lambda u: u.bytes)
