"""An organisation's legal details over GraphQL: its admin states them (every number checked), its members and
operators see them, operators check them, and a change to checked details waits for the check again. Refused input
changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.organisations.models import OrganisationLegalDetails
from tests.api.contracts import operator
from tests.api.graphql import GraphQL, Party, sign_up
from tests.clock import FakeClock
from tests.legal_samples import SET_LEGAL_DETAILS, legal_details

DETAILS = """query($id: ID!) { node(id: $id) { ... on Organisation { legalId
  legalDetails { inn kpp ogrn entityKind legalAddress postalAddress signatoryName signatoryPosition signatoryBasis
    powerOfAttorneyNumber powerOfAttorneyDate bankName bik settlementAccount correspondentAccount checkedAt } } } }"""
TO_CHECK = """query { legalDetailsToCheck(first: 50) { edges { node { inn organisation { id } } } } }"""
CHECK = """mutation($id: ID!, $checked: Boolean!) { checkLegalDetails(id: $id, checked: $checked) {
  __typename ... on LegalDetailsSuccess { legalDetails { checkedAt } } ... on UserError { code field } } }"""


async def state(gql: GraphQL, party: Party, details: dict[str, Any]) -> Any:
    return (await gql(SET_LEGAL_DETAILS, {"id": party.organisation_id, "input": details}, token=party.token))[
        "setLegalDetails"
    ]


async def seen(gql: GraphQL, party: Party, token: str) -> Any:
    return (await gql(DETAILS, {"id": party.organisation_id}, token=token))["node"]


async def queue(gql: GraphQL, ops: Party) -> list[str]:
    data = await gql(TO_CHECK, token=ops.token)
    return [edge["node"]["organisation"]["id"] for edge in data["legalDetailsToCheck"]["edges"]]


async def rows(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(OrganisationLegalDetails)) or 0)


async def test_an_admin_states_the_details_and_an_operator_checks_them(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    ops = await operator(gql, engine)
    details = legal_details(postalAddress="101000, г. Москва, а/я 15")

    stated = await state(gql, buyer, details)

    assert stated["__typename"] == "LegalDetailsSuccess", stated
    assert stated["legalDetails"] == {
        "inn": details["inn"],
        "kpp": "772801001",
        "ogrn": details["ogrn"],
        "entityKind": "LEGAL_ENTITY",
        "checkedAt": None,
    }
    assert stated["organisation"]["legalId"] == details["inn"]  # the ИНН is the legal id
    mine = (await seen(gql, buyer, buyer.token))["legalDetails"]
    assert mine["postalAddress"] == "101000, г. Москва, а/я 15" and mine["signatoryBasis"] == "CHARTER"
    assert mine["settlementAccount"] == details["settlementAccount"] and mine["bik"] == "044525974"
    stranger = await sign_up(gql, kind="MANUFACTURER")
    assert (await seen(gql, buyer, stranger.token))["legalDetails"] is None  # bank details are not public
    assert (await seen(gql, buyer, ops.token))["legalDetails"]["inn"] == details["inn"]
    assert buyer.organisation_id in await queue(gql, ops)
    assert (await gql(TO_CHECK, token=buyer.token))["legalDetailsToCheck"] is None

    checked = (await gql(CHECK, {"id": buyer.organisation_id, "checked": True}, token=ops.token))["checkLegalDetails"]

    assert checked["legalDetails"]["checkedAt"] == clock.now().isoformat()
    assert buyer.organisation_id not in await queue(gql, ops)
    again = await state(gql, buyer, details)  # the same details: still checked
    assert again["legalDetails"]["checkedAt"] == clock.now().isoformat()

    moved = await state(gql, buyer, {**details, "legalAddress": "190000, г. Санкт-Петербург, Невский пр., д. 1"})

    assert moved["legalDetails"]["checkedAt"] is None  # changed details wait for the check again
    assert buyer.organisation_id in await queue(gql, ops)
    assert await rows(engine) == 1


async def test_a_sole_proprietor_states_an_ogrnip_and_no_kpp(gql: GraphQL) -> None:
    maker = await sign_up(gql, kind="MANUFACTURER")
    stated = await state(gql, maker, legal_details(sole_proprietor=True))
    assert stated["__typename"] == "LegalDetailsSuccess", stated
    assert (stated["legalDetails"]["entityKind"], stated["legalDetails"]["kpp"]) == ("SOLE_PROPRIETOR", None)
    assert len(stated["legalDetails"]["ogrn"]) == 15


async def test_wrong_details_are_refused_at_their_field_and_change_nothing(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other = await sign_up(gql, kind="BUYER")
    ops = await operator(gql, engine)
    good = legal_details()
    assert (await state(gql, other, good))["__typename"] == "LegalDetailsSuccess"
    before = (await seen(gql, buyer, buyer.token), await rows(engine))
    inn = good["inn"]
    slipped_inn = inn[:-1] + str((int(inn[-1]) + 1) % 10)
    account = good["settlementAccount"]
    slipped_account = account[:12] + str((int(account[12]) + 1) % 10) + account[13:]

    answers = [
        await state(gql, buyer, legal_details(inn=slipped_inn)),
        await state(gql, buyer, legal_details(kpp=None)),
        await state(gql, buyer, legal_details(ogrn="1027700132196")),
        await state(gql, buyer, legal_details(settlementAccount=slipped_account)),
        await state(gql, buyer, legal_details(correspondentAccount="30101810400000000225")),  # another bank's
        await state(gql, buyer, legal_details(bik="12345678")),
        await state(gql, buyer, legal_details(signatoryBasis="POWER_OF_ATTORNEY", powerOfAttorneyNumber="5")),
        await state(gql, buyer, legal_details(sole_proprietor=True, kpp="772801001")),
        await state(gql, buyer, {**good, "legalAddress": "улица"}),  # another organisation's ИНН
        await state(gql, buyer, legal_details(signatoryName="")),
    ]

    assert [(a["__typename"], a["code"], a["field"]) for a in answers] == [
        ("ValidationError", "INVALID", "inn"),
        ("ValidationError", "REQUIRED", "kpp"),
        ("ValidationError", "INVALID", "ogrn"),
        ("ValidationError", "INVALID", "settlementAccount"),
        ("ValidationError", "INVALID", "correspondentAccount"),
        ("ValidationError", "INVALID", "bik"),
        ("ValidationError", "REQUIRED", "powerOfAttorneyDate"),
        ("ValidationError", "INVALID", "kpp"),
        ("ConflictError", "ALREADY_EXISTS", "inn"),
        ("ValidationError", "REQUIRED", "signatoryName"),
    ]
    not_admin = await gql(SET_LEGAL_DETAILS, {"id": buyer.organisation_id, "input": legal_details()}, token=other.token)
    assert not_admin["setLegalDetails"]["code"] == "FORBIDDEN"
    not_operator = (await gql(CHECK, {"id": other.organisation_id, "checked": True}, token=other.token))[
        "checkLegalDetails"
    ]
    nothing_to_check = (await gql(CHECK, {"id": buyer.organisation_id, "checked": True}, token=ops.token))[
        "checkLegalDetails"
    ]
    assert not_operator["code"] == "FORBIDDEN"
    assert (nothing_to_check["code"], nothing_to_check["field"]) == ("NOT_FOUND", "id")
    assert (await seen(gql, buyer, buyer.token), await rows(engine)) == before
    assert (await seen(gql, other, other.token))["legalDetails"]["checkedAt"] is None


VERIFY_ORG = """mutation($id: ID!) { verifyOrganisation(id: $id) {
  __typename ... on OrganisationSuccess { organisation { verified } } } }"""
VERIFIED = """query($id: ID!) { node(id: $id) { ... on Organisation { legalId verified verifiedAt } } }"""


async def test_another_inn_withdraws_the_organisations_verification(gql: GraphQL, engine: AsyncEngine) -> None:
    maker = await sign_up(gql, kind="MANUFACTURER")
    ops = await operator(gql, engine)
    first = legal_details()
    await state(gql, maker, first)
    verified = await gql(VERIFY_ORG, {"id": maker.organisation_id}, token=ops.token)
    assert verified["verifyOrganisation"]["organisation"]["verified"] is True

    await state(gql, maker, {**first, "legalAddress": "620014, г. Екатеринбург, ул. Малышева, д. 51"})
    same_inn = (await gql(VERIFIED, {"id": maker.organisation_id}, token=maker.token))["node"]
    other = legal_details()
    await state(gql, maker, other)
    other_inn = (await gql(VERIFIED, {"id": maker.organisation_id}, token=maker.token))["node"]

    assert (same_inn["legalId"], same_inn["verified"]) == (first["inn"], True)  # the same registration
    assert (other_inn["legalId"], other_inn["verified"], other_inn["verifiedAt"]) == (other["inn"], False, None)
