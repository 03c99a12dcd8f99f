"""The currencies a money input may name: the API lists them (roubles first) for a client's select, and every one
listed is one the rules take, while any other code is refused with UNKNOWN_CURRENCY and nothing is created."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import GraphQL, Party, make_manufacturer
from tests.clock import FakeClock

ADD_LISTING = """
mutation($input: CapacityListingInput!) {
  addCapacityListing(input: $input) {
    __typename
    ... on CapacityListingSuccess { capacityListing { hourlyRate { amount currency } } }
    ... on UserError { code field }
  }
}
"""


def listing(maker: Party, currency: str, clock: FakeClock) -> dict[str, object]:
    start = clock.now().date() + timedelta(days=7)
    return {
        "input": {
            "organisationId": maker.organisation_id,
            "process": "CNC_MILLING",
            "machineHoursPerWeek": 40,
            "availableFrom": start.isoformat(),
            "availableTo": (start + timedelta(days=27)).isoformat(),
            "hourlyRate": {"amount": "2500", "currency": currency},
        }
    }


async def listings(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(text("SELECT count(*) FROM capacity_listing"))).scalar_one()


async def test_the_listed_currencies_are_the_accepted_ones_roubles_first(
    gql: GraphQL, engine: AsyncEngine, clock: FakeClock
) -> None:
    codes = (await gql("{ currencies }"))["currencies"]
    assert codes[0] == "RUB"
    assert {"USD", "EUR", "CNY", "KZT", "JPY"} <= set(codes)
    assert len(codes) == len(set(codes))

    maker = await make_manufacturer(gql, clock)
    before = await listings(engine)
    for code in codes:
        data = await gql(ADD_LISTING, listing(maker, code, clock), token=maker.token)
        assert data["addCapacityListing"]["__typename"] == "CapacityListingSuccess", (code, data)
        assert data["addCapacityListing"]["capacityListing"]["hourlyRate"]["currency"] == code
    assert await listings(engine) == before + len(codes)


async def test_a_code_not_listed_is_refused_and_nothing_is_listed(
    gql: GraphQL, engine: AsyncEngine, clock: FakeClock
) -> None:
    codes = (await gql("{ currencies }"))["currencies"]
    maker = await make_manufacturer(gql, clock)
    before = await listings(engine)
    for code in ("RUR", "XYZ", "рубль"):
        assert code not in codes
        data = await gql(ADD_LISTING, listing(maker, code, clock), token=maker.token)
        assert data["addCapacityListing"] == {
            "__typename": "ValidationError",
            "code": "UNKNOWN_CURRENCY",
            "field": "hourlyRate.currency",
        }
    assert await listings(engine) == before
