"""A region code ISO 3166-2 has withdrawn (Kazakhstan's letter codes, replaced by two-digit ones in November 2022) is
refused wherever a region is given — signing up, moving an organisation, an order's delivery region — with
REGION_WITHDRAWN naming the code that replaced it (`replacedBy`, and the message), and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.api.graphql import GraphQL, order_input, sign_up
from tests.clock import FakeClock

REFUSAL = "__typename ... on UserError { code field message } ... on ValidationError { replacedBy }"
SIGN_UP = f"mutation($input: SignUpInput!) {{ result: signUp(input: $input) {{ {REFUSAL} }} }}"
UPDATE = f"""mutation($id: ID!, $input: UpdateOrganisationInput!) {{ result: updateOrganisation(id: $id, input: $input)
  {{ {REFUSAL} ... on OrganisationSuccess {{ organisation {{ region }} }} }} }}"""
CREATE_ORDER = f"mutation($input: CreateOrderInput!) {{ result: createOrder(input: $input) {{ {REFUSAL} }} }}"
KASPI_BIN = "940140000385"  # a БИН that passes the check


async def _count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(f"SELECT count(*) FROM {table}")))


async def _region(engine: AsyncEngine, organisation_id: str) -> Any:
    async with engine.connect() as conn:
        return await conn.scalar(
            text("SELECT region FROM organisation WHERE id = :id"),
            {"id": relay.GlobalID.from_id(organisation_id).node_id},
        )


def _refused(field: str, new: str) -> dict[str, Any]:
    return {"__typename": "ValidationError", "code": "REGION_WITHDRAWN", "field": field, "replacedBy": new}


@pytest.mark.parametrize(("old", "new"), [("KZ-ALA", "KZ-75"), ("kz-ast", "KZ-71"), (" KZ-YUZ ", "KZ-61")])
async def test_signing_up_with_a_withdrawn_code_is_refused_with_the_new_one(
    gql: GraphQL, engine: AsyncEngine, old: str, new: str
) -> None:
    users, organisations = await _count(engine, "app_user"), await _count(engine, "organisation")
    variables = {
        "input": {
            "email": "aigerim@example.kz",
            "password": "correct horse battery",
            "fullName": "Aigerim Sadykova",
            "organisation": {"kind": "MANUFACTURER", "name": "Almaty Precision", "legalId": KASPI_BIN, "region": old},
        }
    }

    result = (await gql(SIGN_UP, variables))["result"]

    message = result.pop("message")
    assert result == _refused("organisation.region", new)
    assert old.strip().upper() in message and new in message
    assert (await _count(engine, "app_user"), await _count(engine, "organisation")) == (users, organisations)


async def test_moving_to_a_withdrawn_code_is_refused_and_names_the_region_split_off_from_it(
    gql: GraphQL, engine: AsyncEngine
) -> None:
    maker = await sign_up(gql, kind="MANUFACTURER")
    before = await _region(engine, maker.organisation_id)

    result = (
        await gql(
            UPDATE, {"id": maker.organisation_id, "input": {"region": "KZ-VOS", "legalId": KASPI_BIN}}, maker.token
        )
    )["result"]
    moved = (
        await gql(
            UPDATE, {"id": maker.organisation_id, "input": {"region": "KZ-63", "legalId": KASPI_BIN}}, maker.token
        )
    )["result"]

    message = result.pop("message")
    assert result == _refused("region", "KZ-63")
    # East Kazakhstan kept its name under KZ-63; Abai Region (Semey) was formed from part of it with KZ-10.
    assert "KZ-63" in message and "KZ-10" in message
    assert before == "RU-MOW"
    assert moved == {"__typename": "OrganisationSuccess", "organisation": {"region": "KZ-63"}}


async def test_an_order_delivered_to_a_withdrawn_code_is_refused_and_not_created(
    gql: GraphQL, engine: AsyncEngine, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    orders = await _count(engine, "production_order")

    result = (await gql(CREATE_ORDER, {"input": order_input(clock, deliveryRegion="KZ-KAR")}, buyer.token))["result"]

    message = result.pop("message")
    assert result == _refused("deliveryRegion", "KZ-35")
    assert "KZ-62" in message  # Ulytau Region, formed from part of Karaganda Region
    assert await _count(engine, "production_order") == orders


async def test_current_and_other_countries_codes_are_taken_as_before(gql: GraphQL, engine: AsyncEngine) -> None:
    """Only the withdrawn list is refused: a current Kazakh code, and a well-formed code of a country whose codes we
    do not list, are taken."""
    variables = {
        "input": {
            "email": "dana@example.kz",
            "password": "correct horse battery",
            "fullName": "Dana Nurlanovna",
            "organisation": {"kind": "BUYER", "name": "Shymkent Foundry", "legalId": KASPI_BIN, "region": "KZ-79"},
        }
    }
    assert (await gql(SIGN_UP, variables))["result"]["__typename"] == "AuthPayload"
    maker = await sign_up(gql, kind="MANUFACTURER")
    moved = (await gql(UPDATE, {"id": maker.organisation_id, "input": {"region": "UZ-TK"}}, maker.token))["result"]
    assert moved == {"__typename": "OrganisationSuccess", "organisation": {"region": "UZ-TK"}}


@pytest.mark.parametrize(
    "query",
    [
        "query($r: [String!]) { orders(filter: {regions: $r}) { edges { node { id } } } }",
        "query($r: [String!]) { manufacturers(filter: {regions: $r}) { edges { node { id } } } }",
    ],
    ids=["orders", "manufacturers"],
)
async def test_a_filter_naming_a_withdrawn_code_is_refused_as_a_malformed_one_is(gql: GraphQL, query: str) -> None:
    """A list's filter has no result union: its refusal is the request's error, with the code and field (as for a
    malformed code), and the message naming the current code — not an empty list that looks like no one is there."""
    buyer = await sign_up(gql, kind="BUYER")

    refused = await gql.raw(query, {"r": ["RU-MOW", "KZ-ALA"]}, token=buyer.token)

    [error] = refused["errors"]
    assert error["extensions"] == {"code": "REGION_WITHDRAWN", "field": "filter.regions"}
    assert "KZ-75" in error["message"]
