"""Reviews as the API tests share them: a completed contract, a review submitted on it, and tokens that outlive
the review period. Used across tests/api/ (a test module imports helpers from here, not from another test)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.settings import Environment, Settings
from tests.api.contracts import fund, operator, step
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock


@pytest.fixture
def settings() -> Settings:
    """Tokens outlive the review period and the production times these tests wait through."""
    return Settings(env=Environment.test, token_ttl_hours=24 * 120)


REVIEW = """mutation($id: ID!, $rating: Int!, $text: String!) {
  submitReview(contractId: $id, rating: $rating, text: $text) {
    __typename ... on ReviewSuccess { review { rating text published byBuyer } } ... on UserError { code field } } }"""
AWARD = "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }"
SHIP = step("ship", ", trackingReference: $t", ", $t: String!")


async def award(gql: GraphQL, buyer: Party, maker: Party, clock: FakeClock, **order: Any) -> tuple[str, str]:
    """(order id, contract id): a 150,000.00 RUB contract pending funding."""
    order_id = await create_order(gql, buyer, clock, **order)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    contract_id = (await gql(AWARD, {"id": bid_id}, token=buyer.token))["awardBid"]["contract"]["id"]
    return order_id, contract_id


async def run(gql: GraphQL, token: str, name: str, contract_id: str, query: str | None = None, **more: Any) -> None:
    result = (await gql(query or step(name), {"id": contract_id, **more}, token=token))[name]
    assert result["__typename"] == "ContractSuccess", result


async def reference(gql: GraphQL, contract_id: str, token: str) -> str:
    query = "query($id: ID!) { node(id: $id) { ... on Contract { fundingInstructions { paymentReference } } } }"
    return (await gql(query, {"id": contract_id}, token=token))["node"]["fundingInstructions"]["paymentReference"]


async def produce(gql: GraphQL, ops: Party, buyer: Party, maker: Party, clock: FakeClock, contract_id: str) -> None:
    """Fund and start production."""
    ref = await reference(gql, contract_id, buyer.token)
    assert (await fund(gql, ops, ref, clock, "150000", f"BANK-{contract_id[-8:]}"))["__typename"] == "ContractSuccess"
    await run(gql, maker.token, "startProduction", contract_id)


async def deliver(gql: GraphQL, buyer: Party, maker: Party, contract_id: str) -> None:
    await run(gql, maker.token, "ship", contract_id, SHIP, t="CDEK 1")
    await run(gql, buyer.token, "confirmDelivery", contract_id)


async def completed(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> tuple[Party, Party, str]:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    _, contract_id = await award(gql, buyer, maker, clock)
    await produce(gql, ops, buyer, maker, clock, contract_id)
    await deliver(gql, buyer, maker, contract_id)
    await run(gql, buyer.token, "acceptDelivery", contract_id)
    return buyer, maker, contract_id


async def review(gql: GraphQL, party: Party, contract_id: str, rating: int, text: str = "") -> Any:
    variables = {"id": contract_id, "rating": rating, "text": text}
    return (await gql(REVIEW, variables, token=party.token))["submitReview"]
