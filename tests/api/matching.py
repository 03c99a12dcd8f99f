"""Matching as the API tests share it: the recommendation queries, spare capacity listed for a manufacturer, a
shop with a part envelope, and an award of part of a bid. Used across tests/api/ (a test module imports helpers
from here, not from another test)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.graphql import GraphQL, Party, make_manufacturer
from tests.clock import FakeClock

RECOMMENDED = """
query($id: ID!, $weights: MatchWeightsInput) {
  order(id: $id) {
    recommendedManufacturers(first: 10, weights: $weights) {
      fittingCount excludedCount
      matches { score manufacturer { id name } explanations { factor value weight contribution } }
      excluded {
        filter code reason process material quantity quantityLimit requiredStandard partMm largestPartMm
        partSource partModelName freeHours requiredHours manufacturer { id }
      }
    }
  }
}
"""


# An exclusion's parameters, all null: each code fills its own.
NO_PARAMETERS: dict[str, Any] = dict.fromkeys(
    ("process", "material", "quantity", "quantityLimit", "requiredStandard", "partMm", "largestPartMm", "partSource",
     "partModelName", "freeHours", "requiredHours")
)  # fmt: skip


RECOMMENDED_ORDERS = """
query { recommendedOrders(first: 10) { score order { id title } explanations { factor value } } }
"""


async def add_capacity(gql: GraphQL, maker: Party, clock: FakeClock, hours: int = 40) -> None:
    data = await gql(
        """mutation($input: CapacityListingInput!) { addCapacityListing(input: $input) {
             __typename ... on UserError { code message field } } }""",
        {
            "input": {
                "organisationId": maker.organisation_id,
                "process": "CNC_MILLING",
                "machineHoursPerWeek": hours,
                "availableFrom": clock.now().date().isoformat(),
                "availableTo": (clock.now() + timedelta(days=200)).date().isoformat(),
                "hourlyRate": {"amount": "1000.00", "currency": "RUB"},
            }
        },
        token=maker.token,
    )
    assert data["addCapacityListing"]["__typename"] == "CapacityListingSuccess", data


PROFILE = """mutation($org: ID!, $input: ManufacturerProfileInput!) { updateManufacturerProfile(organisationId: $org,
  input: $input) { __typename ... on UserError { code message field } } }"""


async def shop(gql: GraphQL, clock: FakeClock, name: str, sides: dict[str, int]) -> Party:
    maker = await make_manufacturer(gql, clock, processes=("CNC_MILLING",))
    profile = {"processes": ["CNC_MILLING"], "materials": ["Aluminium 6061"], "minQuantity": 1,
               "maxQuantity": 100_000, "description": name, **sides}  # fmt: skip
    result = await gql(PROFILE, {"org": maker.organisation_id, "input": profile}, token=maker.token)
    assert result["updateManufacturerProfile"]["__typename"] == "ManufacturerProfileSuccess", result
    await add_capacity(gql, maker, clock)
    return maker


AWARD = """
mutation($bid: ID!, $quantity: Int) {
  awardBid(bidId: $bid, quantity: $quantity) {
    __typename
    ... on AwardBidSuccess { contract { id status quantity total { amount } bid { id status } } }
    ... on UserError { code message field }
  }
}
"""
