"""Refused sign-ups and sign-ins, and tokens that no longer (or never did) identify anyone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.settings import Settings
from tests.api.graphql import GraphQL, order_input, sign_up
from tests.clock import FakeClock
from tests.legal_samples import inn, legal_id

SIGN_UP = """
mutation($input: SignUpInput!) {
  result: signUp(input: $input) { __typename ... on UserError { code field } }
}
"""

SIGN_IN = """
mutation($email: String!, $password: String!) {
  result: signIn(email: $email, password: $password) {
    __typename
    ... on AuthPayload { token }
    ... on UserError { code field message }
  }
}
"""

SIGN_OUT = "mutation { result: signOut { __typename ... on UserError { code field } } }"

ME = "{ me { id email } }"

CREATE_ORDER = """
mutation($input: CreateOrderInput!) {
  result: createOrder(input: $input) { __typename ... on UserError { code field } }
}
"""

PASSWORD = "correct horse battery"
VALID_INN = legal_id("77", 1_234_567)
WRONG_CHECK_DIGIT = VALID_INN[:9] + str((int(VALID_INN[9]) + 1) % 10)


async def count_rows(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(f"select count(*) from {table}")))


def sign_up_input(email: str, password: str = PASSWORD, **organisation: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"email": email, "password": password, "fullName": "Irina Petrova"}
    if organisation:
        values["organisation"] = {"kind": "BUYER", "region": "RU-MOW", **organisation}
    return {"input": values}


# Signing up -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["{email}", "{upper}", "  {upper}  "])
async def test_an_email_that_is_taken_is_refused_whatever_its_case(
    gql: GraphQL, engine: AsyncEngine, spelling: str
) -> None:
    existing = await sign_up(gql, kind="BUYER")
    email = spelling.format(email=existing.email, upper=existing.email.upper())

    data = await gql(SIGN_UP, sign_up_input(email, name="Second Org", legalId=legal_id("77", 9_000_999)))

    assert data["result"] == {"__typename": "ConflictError", "code": "EMAIL_TAKEN", "field": "email"}
    assert await count_rows(engine, "app_user") == 1
    assert await count_rows(engine, "organisation") == 1
    assert await count_rows(engine, "membership") == 1
    assert await count_rows(engine, "auth_token") == 1


@pytest.mark.parametrize("password", ["", "short", "123456789"])
async def test_a_weak_password_is_refused(gql: GraphQL, engine: AsyncEngine, password: str) -> None:
    data = await gql(SIGN_UP, sign_up_input("irina@example.com", password))

    assert data["result"] == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "password"}
    assert await count_rows(engine, "app_user") == 0
    assert await count_rows(engine, "auth_token") == 0


@pytest.mark.parametrize("email", ["", "irina", "irina@", "@example.com", "irina@example", "ir ina@example.com"])
async def test_a_malformed_email_is_refused(gql: GraphQL, engine: AsyncEngine, email: str) -> None:
    data = await gql(SIGN_UP, sign_up_input(email))

    assert data["result"] == {"__typename": "ValidationError", "code": "INVALID", "field": "email"}
    assert await count_rows(engine, "app_user") == 0


async def test_a_blank_full_name_is_refused(gql: GraphQL, engine: AsyncEngine) -> None:
    variables = sign_up_input("irina@example.com")
    variables["input"]["fullName"] = "   "

    data = await gql(SIGN_UP, variables)

    assert data["result"] == {"__typename": "ValidationError", "code": "REQUIRED", "field": "fullName"}
    assert await count_rows(engine, "app_user") == 0


@pytest.mark.parametrize(
    ("organisation", "code", "field"),
    [
        ({"name": "Acme", "legalId": VALID_INN, "region": "Moscow"}, "INVALID", "organisation.region"),
        ({"name": " ", "legalId": VALID_INN}, "REQUIRED", "organisation.name"),
        ({"name": "Acme", "legalId": "?"}, "INVALID", "organisation.legalId"),
        # In Russia the legal id is the ИНН: 10 digits (a company) or 12 (a sole proprietor), check digits right.
        ({"name": "Acme", "legalId": WRONG_CHECK_DIGIT}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": VALID_INN[:9]}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": VALID_INN + "0"}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": "OGRN-1027700132195"}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": inn(5, sole_proprietor=True)[:11] + "X"}, "INVALID", "organisation.legalId"),
        # In Kazakhstan the БИН (12 digits, a check digit), in Belarus the УНП (9 digits, a check digit).
        ({"name": "Acme", "legalId": "940140000386", "region": "KZ-75"}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": VALID_INN, "region": "KZ-75"}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": "100325913", "region": "BY-MI"}, "INVALID", "organisation.legalId"),
        ({"name": "Acme", "legalId": "10032591", "region": "BY-MI"}, "INVALID", "organisation.legalId"),
    ],
)
async def test_an_invalid_organisation_at_sign_up_creates_no_account(
    gql: GraphQL, engine: AsyncEngine, organisation: dict[str, str], code: str, field: str
) -> None:
    data = await gql(SIGN_UP, sign_up_input("irina@example.com", **organisation))

    assert data["result"] == {"__typename": "ValidationError", "code": code, "field": field}
    assert await count_rows(engine, "app_user") == 0
    assert await count_rows(engine, "organisation") == 0


@pytest.mark.parametrize(
    ("legal_id", "region", "stored"),
    [
        (f"{VALID_INN[:5]} {VALID_INN[5:]}", "RU-MOW", VALID_INN),  # spaces as a person types them
        (inn(7, sole_proprietor=True), "RU-SVE", inn(7, sole_proprietor=True)),
        ("940140000385", "KZ-75", "940140000385"),  # Kazakhstan: the БИН (Halyk Bank's)
        ("100 325 912", "BY-MI", "100325912"),  # Belarus: the УНП (Belarusbank's)
        ("uz-301234567", "UZ-TK", "UZ-301234567"),  # elsewhere: the country's own registration number
    ],
)
async def test_a_well_formed_legal_id_signs_up(
    gql: GraphQL, engine: AsyncEngine, legal_id: str, region: str, stored: str
) -> None:
    data = await gql(SIGN_UP, sign_up_input("irina@example.com", name="Acme", legalId=legal_id, region=region))

    assert data["result"]["__typename"] == "AuthPayload", data
    async with engine.connect() as conn:
        assert await conn.scalar(text("select legal_id from organisation")) == stored


async def test_a_registered_legal_id_at_sign_up_creates_no_account(gql: GraphQL, engine: AsyncEngine) -> None:
    await sign_up(gql, kind="BUYER", name="Acme")
    async with engine.connect() as conn:
        legal_id = await conn.scalar(text("select legal_id from organisation"))

    data = await gql(SIGN_UP, sign_up_input("irina@example.com", name="Acme Two", legalId=legal_id))

    assert data["result"] == {"__typename": "ConflictError", "code": "ALREADY_EXISTS", "field": "organisation.legalId"}
    assert await count_rows(engine, "app_user") == 1
    assert await count_rows(engine, "organisation") == 1
    assert await count_rows(engine, "auth_token") == 1


# Signing in -------------------------------------------------------------------------------------


async def test_a_wrong_password_and_an_unknown_email_are_refused_alike(gql: GraphQL, engine: AsyncEngine) -> None:
    existing = await sign_up(gql, kind="BUYER")
    tokens_before = await count_rows(engine, "auth_token")

    wrong_password = await gql(SIGN_IN, {"email": existing.email, "password": "not the password"})
    unknown_email = await gql(SIGN_IN, {"email": "nobody@example.com", "password": PASSWORD})

    refusal = {
        "__typename": "InvalidCredentialsError",
        "code": "INVALID_CREDENTIALS",
        "field": None,
        "message": "wrong email or password",
    }
    assert wrong_password["result"] == refusal
    assert unknown_email["result"] == refusal
    assert await count_rows(engine, "auth_token") == tokens_before


async def test_a_malformed_email_at_sign_in_is_just_wrong_credentials(gql: GraphQL, engine: AsyncEngine) -> None:
    data = await gql(SIGN_IN, {"email": "not an email", "password": PASSWORD})

    assert data["result"] == {
        "__typename": "InvalidCredentialsError",
        "code": "INVALID_CREDENTIALS",
        "field": None,
        "message": "wrong email or password",
    }
    assert await count_rows(engine, "auth_token") == 0


# Tokens -----------------------------------------------------------------------------------------


async def test_a_token_revoked_by_sign_out_is_anonymous(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    user = await sign_up(gql, kind="BUYER")
    signed_out = await gql(SIGN_OUT, token=user.token)
    assert signed_out["result"] == {"__typename": "SignOutSuccess"}

    me = await gql(ME, token=user.token)
    again = await gql(SIGN_OUT, token=user.token)
    create = await gql(CREATE_ORDER, {"input": order_input(clock)}, token=user.token)

    assert me == {"me": None}
    assert again["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert create["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await count_rows(engine, "production_order") == 0


async def test_signing_out_revokes_only_the_token_used(gql: GraphQL) -> None:
    user = await sign_up(gql, kind="BUYER")
    other_session = await gql(SIGN_IN, {"email": user.email, "password": PASSWORD})
    other_token = other_session["result"]["token"]

    signed_out = await gql(SIGN_OUT, token=other_token)

    assert signed_out["result"] == {"__typename": "SignOutSuccess"}
    assert await gql(ME, token=other_token) == {"me": None}
    assert await gql(ME, token=user.token) == {"me": {"id": user.user_id, "email": user.email}}


async def test_an_expired_token_is_anonymous(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, settings: Settings
) -> None:
    user = await sign_up(gql, kind="BUYER")
    ttl = timedelta(hours=settings.token_ttl_hours)
    clock.advance(ttl - timedelta(minutes=1))
    assert await gql(ME, token=user.token) == {"me": {"id": user.user_id, "email": user.email}}
    clock.advance(timedelta(minutes=1))

    me = await gql(ME, token=user.token)
    create = await gql(CREATE_ORDER, {"input": order_input(clock)}, token=user.token)
    sign_out = await gql(SIGN_OUT, token=user.token)

    assert me == {"me": None}
    assert create["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert sign_out["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await count_rows(engine, "production_order") == 0


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer garbage",
        "Bearer " + "x" * 5000,
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "garbage",
    ],
)
async def test_a_garbage_authorization_header_is_anonymous(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, authorization: str
) -> None:
    await sign_up(gql, kind="BUYER")

    me = await gql.client.post("/graphql", json={"query": ME}, headers={"Authorization": authorization})
    create = await gql.client.post(
        "/graphql",
        json={"query": CREATE_ORDER, "variables": {"input": order_input(clock)}},
        headers={"Authorization": authorization},
    )

    assert me.status_code == 200
    assert me.json() == {"data": {"me": None}}
    assert create.json() == {
        "data": {"result": {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}}
    }
    assert await count_rows(engine, "production_order") == 0


async def test_the_token_of_one_user_with_a_character_changed_is_anonymous(gql: GraphQL) -> None:
    user = await sign_up(gql, kind="BUYER")
    tampered = user.token[:-1] + ("A" if user.token[-1] != "A" else "B")

    me = await gql(ME, token=tampered)

    assert me == {"me": None}
