"""Organisation.kpiHistory: a manufacturer's record month by month (shipped, on time, disputed, rating), for
the charts on its public page; the same definitions as its KPIs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.settings import Environment, Settings
from tests.api.contracts import contract, fund, operator, step
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

HISTORY = """query($id: ID!, $months: Int!) { node(id: $id) { ... on Organisation {
  kpis { onTimeDeliveryRate { successes total } disputeRate { successes total } }
  kpiHistory(months: $months) { month delivered deliveredOnTime disputed ratingAverage ratingCount }
} } }"""


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 365)


async def ok(
    gql: GraphQL, party: Party, contract_id: str, name: str, args: str = "", params: str = "", **v: str
) -> None:
    result = (await gql(step(name, args, params), {"id": contract_id, **v}, token=party.token))[name]
    assert result["__typename"] == "ContractSuccess", result


async def shipped_contract(gql: GraphQL, clock: FakeClock, ops: Party, buyer: Party, maker: Party, n: int) -> str:
    order_id = await create_order(gql, buyer, clock, title=f"Flange {n}")
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    awarded = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
        {"id": bid_id},
        token=buyer.token,
    )
    contract_id = awarded["awardBid"]["contract"]["id"]
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", f"BANK-{n}")
    await ok(gql, maker, contract_id, "startProduction")
    return contract_id


async def history(gql: GraphQL, org_id: str, months: int = 3) -> Any:
    return (await gql(HISTORY, {"id": org_id, "months": months}))["node"]


async def test_the_record_is_counted_by_the_month_it_happened(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    clock.set(clock.now().replace(month=1, day=10))
    late = await shipped_contract(gql, clock, ops, buyer, maker, 1)
    early = await shipped_contract(gql, clock, ops, buyer, maker, 2)
    await ok(gql, maker, early, "ship", ", trackingReference: $t", ", $t: String!", t="CDEK 1")
    await ok(gql, buyer, early, "confirmDelivery")
    await ok(gql, buyer, early, "openDispute", ', reason: "scratched"')
    clock.advance(timedelta(days=70))  # March 21st: after the order's need-by date (60 days)
    await ok(gql, maker, late, "ship", ", trackingReference: $t", ", $t: String!", t="CDEK 2")
    await ok(gql, buyer, late, "confirmDelivery")
    await ok(gql, buyer, late, "acceptDelivery")
    review = await gql(
        "mutation($id: ID!) { submitReview(contractId: $id, rating: 4) { __typename } }",
        {"id": late},
        token=buyer.token,
    )
    assert review["submitReview"]["__typename"] == "ReviewSuccess"
    clock.advance(timedelta(days=15))  # the review period is over: the review is published (April 5th)

    data = await history(gql, maker.organisation_id, months=4)

    assert data["kpiHistory"] == [
        {"month": f"{clock.now().year}-01-01", "delivered": 1, "deliveredOnTime": 1, "disputed": 1,
         "ratingAverage": None, "ratingCount": 0},
        {"month": f"{clock.now().year}-02-01", "delivered": 0, "deliveredOnTime": 0, "disputed": 0,
         "ratingAverage": None, "ratingCount": 0},
        {"month": f"{clock.now().year}-03-01", "delivered": 1, "deliveredOnTime": 0, "disputed": 0,
         "ratingAverage": 4.0, "ratingCount": 1},
        {"month": f"{clock.now().year}-04-01", "delivered": 0, "deliveredOnTime": 0, "disputed": 0,
         "ratingAverage": None, "ratingCount": 0},
    ]  # fmt: skip
    # The months add up to the KPIs.
    assert data["kpis"]["onTimeDeliveryRate"] == {"successes": 1, "total": 2}
    assert data["kpis"]["disputeRate"] == {"successes": 1, "total": 2}


async def test_months_out_of_range_are_refused(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    response = await gql.raw(HISTORY, {"id": maker.organisation_id, "months": 37})
    assert response["data"] is None or response["data"]["node"] is None
    assert "months must be between 1 and 36" in str(response["errors"])


async def test_a_page_of_organisations_reads_its_history_in_constant_statements(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    for _ in range(4):
        await make_manufacturer(gql, clock)
    query = """query($first: Int!) { organisations(first: $first) { edges { node { id
      kpiHistory(months: 6) { month delivered } } } } }"""
    with sql.counting():
        two = await gql(query, {"first": 2})
    count_2 = sql.count
    with sql.counting():
        four = await gql(query, {"first": 4})
    assert len(four["organisations"]["edges"]) == 4 and len(two["organisations"]["edges"]) == 2
    assert all(len(edge["node"]["kpiHistory"]) == 6 for edge in four["organisations"]["edges"])
    assert sql.count == count_2
