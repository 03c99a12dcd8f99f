"""The public supplier directory, `me`, members and operator verification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import GraphQL, make_manufacturer, sign_up
from tests.clock import FakeClock

MANUFACTURERS = """
query($filter: OrganisationFilterInput, $sort: OrganisationSort) {
  manufacturers(filter: $filter, sort: $sort) {
    edges { node { id name region verified manufacturerProfile { processes minQuantity }
                   certifications { standard valid } capacity { process machineHoursPerWeek } } }
  }
}
"""


def ids(data: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in data["manufacturers"]["edges"]]


async def test_manufacturers_are_browsable_anonymously_with_filters(gql: GraphQL, clock: FakeClock) -> None:
    milling = await make_manufacturer(gql, clock, processes=("CNC_MILLING",), certifications=("AS9100",))
    turning = await make_manufacturer(gql, clock, processes=("CNC_TURNING",), region="RU-TA")
    await sign_up(gql, kind="BUYER")

    everyone = await gql(MANUFACTURERS, {"sort": "NAME"})
    by_process = await gql(MANUFACTURERS, {"filter": {"processes": ["CNC_MILLING"]}})
    by_region = await gql(MANUFACTURERS, {"filter": {"regions": ["RU-TA"]}})
    by_certification = await gql(MANUFACTURERS, {"filter": {"certifications": ["AS9100"]}})

    assert sorted(ids(everyone)) == sorted([milling.organisation_id, turning.organisation_id])
    assert ids(by_process) == [milling.organisation_id]
    assert ids(by_region) == [turning.organisation_id]
    assert ids(by_certification) == [milling.organisation_id]
    node = everyone["manufacturers"]["edges"][0]["node"]
    assert node["manufacturerProfile"]["minQuantity"] == 1
    assert node["certifications"][0]["valid"] is True


async def test_expired_certifications_do_not_count(gql: GraphQL, clock: FakeClock) -> None:
    await make_manufacturer(gql, clock, certifications=("AS9100",))
    clock.advance(timedelta(days=4 * 365))

    data = await gql(MANUFACTURERS, {"filter": {"certifications": ["AS9100"]}})

    assert ids(data) == []


async def test_capacity_listings_show_on_the_profile(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    start = clock.now().date()

    data = await gql(
        """mutation($input: CapacityListingInput!) { addCapacityListing(input: $input) {
             __typename ... on CapacityListingSuccess { capacityListing { process machineHoursPerWeek
               hourlyRate { amount currency } } } } }""",
        {
            "input": {
                "organisationId": maker.organisation_id,
                "process": "CNC_MILLING",
                "machineHoursPerWeek": 60,
                "availableFrom": start.isoformat(),
                "availableTo": (start + timedelta(days=90)).isoformat(),
                "hourlyRate": {"amount": "4500", "currency": "RUB"},
            }
        },
        token=maker.token,
    )

    assert data["addCapacityListing"]["capacityListing"] == {
        "process": "CNC_MILLING",
        "machineHoursPerWeek": 60,
        "hourlyRate": {"amount": "4500.00", "currency": "RUB"},
    }
    listed = await gql(MANUFACTURERS)
    assert listed["manufacturers"]["edges"][0]["node"]["capacity"] == [
        {"process": "CNC_MILLING", "machineHoursPerWeek": 60}
    ]


async def test_me_shows_my_memberships_and_members_are_private(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    stranger = await sign_up(gql, kind="BUYER")
    query = """query { me { email memberships { role organisation { id members { user { email } role } } } } }"""

    mine = await gql(query, token=maker.token)
    members = await gql(
        "query($id: ID!) { organisation(id: $id) { name members { role } } }",
        {"id": maker.organisation_id},
        token=stranger.token,
    )

    assert mine["me"]["email"] == maker.email
    assert mine["me"]["memberships"] == [
        {
            "role": "ADMIN",
            "organisation": {
                "id": maker.organisation_id,
                "members": [{"user": {"email": maker.email}, "role": "ADMIN"}],
            },
        }
    ]
    assert members["organisation"]["members"] is None
    assert (await gql("{ me { id } }"))["me"] is None


async def test_an_operator_verifies_an_organisation(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    maker = await make_manufacturer(gql, clock)
    operator = await sign_up(gql, kind="BUYER")
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE app_user SET is_operator = true WHERE email = :e"), {"e": operator.email})
    mutation = """mutation($id: ID!) { verifyOrganisation(id: $id) {
        __typename ... on OrganisationSuccess { organisation { verified } } ... on UserError { code } } }"""

    refused = await gql(mutation, {"id": maker.organisation_id}, token=maker.token)
    verified = await gql(mutation, {"id": maker.organisation_id}, token=operator.token)

    assert refused["verifyOrganisation"] == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN"}
    assert verified["verifyOrganisation"] == {
        "__typename": "OrganisationSuccess",
        "organisation": {"verified": True},
    }
    only_verified = await gql(MANUFACTURERS, {"filter": {"verifiedOnly": True}})
    assert ids(only_verified) == [maker.organisation_id]
