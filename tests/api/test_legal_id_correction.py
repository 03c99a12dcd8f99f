"""An admin corrects the organisation's legal id (signed up before the ИНН check, or moved to another country): the
number is checked for the region's country, a new number takes the operator's verification back, a refused one
changes nothing; once legal details are stated the ИНН changes there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.api.graphql import GraphQL, Party, sign_up
from tests.legal_samples import SET_LEGAL_DETAILS, legal_details, legal_id

UPDATE = """mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) {
  __typename ... on OrganisationSuccess { organisation { legalId legalIdKind legalIdValid verified region } }
  ... on UserError { code field } } }"""


async def _stored(engine: AsyncEngine, party: Party) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT legal_id, region, verified FROM organisation WHERE id = :id"),
                {"id": relay.GlobalID.from_id(party.organisation_id).node_id},
            )
        ).one()
    return dict(row._mapping)


async def _signed_up_before_the_check(engine: AsyncEngine, party: Party) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE organisation SET legal_id = '7700000001', verified = true, verified_at = now() WHERE id = :id"
            ),
            {"id": relay.GlobalID.from_id(party.organisation_id).node_id},
        )


async def test_an_admin_corrects_an_invalid_inn_and_the_verification_waits_again(
    gql: GraphQL, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    await _signed_up_before_the_check(engine, buyer)
    correct = legal_id("50", 4242)

    data = await gql(UPDATE, {"id": buyer.organisation_id, "input": {"legalId": correct}}, buyer.token)

    assert data["updateOrganisation"] == {
        "__typename": "OrganisationSuccess",
        "organisation": {
            "legalId": correct,
            "legalIdKind": "INN",
            "legalIdValid": True,
            "verified": False,
            "region": "RU-MOW",
        },
    }


async def test_a_move_to_kazakhstan_takes_a_bin(gql: GraphQL, engine: AsyncEngine) -> None:
    maker = await sign_up(gql, kind="MANUFACTURER")

    data = await gql(
        UPDATE, {"id": maker.organisation_id, "input": {"region": "KZ-75", "legalId": "940140000385"}}, maker.token
    )

    assert data["updateOrganisation"]["organisation"] == {
        "legalId": "940140000385",
        "legalIdKind": "BIN",
        "legalIdValid": True,
        "verified": False,
        "region": "KZ-75",
    }


async def test_a_wrong_taken_or_foreign_number_is_refused_and_changes_nothing(
    gql: GraphQL, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other = await sign_up(gql, kind="BUYER")
    await _signed_up_before_the_check(engine, buyer)
    before = await _stored(engine, buyer)
    other_id = (await _stored(engine, other))["legal_id"]

    wrong = await gql(UPDATE, {"id": buyer.organisation_id, "input": {"legalId": "7700000002"}}, buyer.token)
    taken = await gql(UPDATE, {"id": buyer.organisation_id, "input": {"legalId": other_id}}, buyer.token)
    a_bin_in_russia = await gql(
        UPDATE, {"id": buyer.organisation_id, "input": {"legalId": "940140000385"}}, buyer.token
    )
    not_admin = await gql(UPDATE, {"id": buyer.organisation_id, "input": {"legalId": legal_id("50", 1)}}, other.token)

    assert wrong["updateOrganisation"] == {"__typename": "ValidationError", "code": "INVALID", "field": "legalId"}
    assert taken["updateOrganisation"] == {"__typename": "ConflictError", "code": "ALREADY_EXISTS", "field": "legalId"}
    assert a_bin_in_russia["updateOrganisation"]["code"] == "INVALID"
    assert not_admin["updateOrganisation"]["__typename"] == "PermissionDeniedError"
    assert await _stored(engine, buyer) == before


async def test_once_legal_details_are_stated_the_inn_changes_there(gql: GraphQL, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    stated = await gql(SET_LEGAL_DETAILS, {"id": buyer.organisation_id, "input": legal_details()}, buyer.token)
    assert stated["setLegalDetails"]["__typename"] == "LegalDetailsSuccess", stated
    before = await _stored(engine, buyer)

    data = await gql(UPDATE, {"id": buyer.organisation_id, "input": {"legalId": legal_id("50", 77)}}, buyer.token)

    assert data["updateOrganisation"] == {"__typename": "ValidationError", "code": "INVALID", "field": "legalId"}
    assert await _stored(engine, buyer) == before
