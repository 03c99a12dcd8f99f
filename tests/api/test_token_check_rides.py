"""A query's token check rides in its first read (api/auth_guess.py, api/context.py Context.ride_guess,
domain/driver.py Rider): the query starts on the viewer its token's last check found, the check goes in the same
statement as its first read on the driver, and the operation runs again from the start — its first answer
discarded — when the check finds another viewer or none. A signed-out, expired or changed sign-in answers as
today, in one request, with nothing of the old viewer in it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.actor import ANONYMOUS, Role
from domain.identity.rules import hash_token
from tests.api.contracts import operator
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.orders import DETAIL
from tests.clock import FakeClock
from tests.conftest import StatementCounter

BOARD = """
query($first: Int!) {
  orders(first: $first, filter: {statuses: [OPEN]}) {
    edges { node { id title status budget { min { amount currency } } buyer { id name region }
      bids(first: 5) { edges { node { id status total { amount currency } manufacturer { id name } } } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ME = "query { me { id email } }"
SIGN_OUT = "mutation { signOut { __typename } }"
SET_LANGUAGE = """mutation($language: Language!) { setMyLanguage(language: $language) {
  __typename ... on UserError { code } } }"""


async def _body(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.content


def _guessed(deps: AppDeps, party: Party, clock: FakeClock) -> Any:
    return deps.guesses.guess(hash_token(party.token), clock.now())


def _checks(sql: StatementCounter) -> list[str]:
    return [statement for statement in sql.statements if "FROM auth_token" in statement]


def _rides(statement: str) -> bool:
    return statement.startswith("SELECT rider.*, read.*")


async def _market(gql: GraphQL, clock: FakeClock) -> tuple[Party, list[Party], str]:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    for n in range(3):  # more open orders, so that the board's order is a real order of several rows
        await create_order(gql, buyer, clock, title=f"Part {n}")
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    for index, maker in enumerate(makers):
        await place_bid(gql, maker, order_id, clock, unit_price=f"{300 - index}.00")
    return buyer, makers, order_id


async def test_the_riding_check_answers_byte_for_byte_as_the_check_alone(
    gql: GraphQL,
    client: httpx.AsyncClient,
    deps: AppDeps,
    clock: FakeClock,
    engine: AsyncEngine,
    sql: StatementCounter,
) -> None:
    """The board and the detail for the buyer, a bidder, another manufacturer and an operator: with the check riding
    in the first read, the same bytes as with the check alone — rows in the same order — in one statement fewer."""
    buyer, makers, order_id = await _market(gql, clock)
    outsider = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    pages: list[tuple[str, dict[str, Any]]] = [
        (BOARD, {"first": 20}),
        (DETAIL, {"id": order_id, "first": 2}),
        (DETAIL, {"id": order_id, "first": 20}),
    ]
    for viewer in (buyer, makers[1], outsider, ops):
        for query, variables in pages:
            await _body(client, query, variables, viewer.token)  # each read run once; the token checked once
            assert _guessed(deps, viewer, clock) is not None

            with sql.counting():
                riding = await _body(client, query, variables, viewer.token)
            riding_count = sql.count
            assert _rides(sql.statements[0]), sql.statements[0]
            assert len(_checks(sql)) == 1, sql.statements

            deps.guesses.learn(hash_token(viewer.token), ANONYMOUS)  # forgotten: the check runs alone
            with sql.counting():
                alone = await _body(client, query, variables, viewer.token)
            assert not _rides(sql.statements[0]) and "FROM auth_token" in sql.statements[0], sql.statements[0]
            assert sql.count == riding_count + 1, sql.statements

            assert riding == alone, (viewer.email, query)
            assert b'"errors"' not in riding
    board = orjson.loads(await _body(client, BOARD, {"first": 20}, buyer.token))
    assert len(board["data"]["orders"]["edges"]) == 4  # several rows, in the order compared above byte for byte


async def test_a_token_signed_out_between_two_queries_answers_signed_out_at_once(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer, _, order_id = await _market(gql, clock)
    variables = {"id": order_id, "first": 20}
    seen = orjson.loads(await _body(client, DETAIL, variables, buyer.token))
    assert seen["data"]["order"]["id"] == order_id and len(seen["data"]["order"]["bids"]["edges"]) == 3
    assert (await gql(SIGN_OUT, token=buyer.token))["signOut"]["__typename"] == "SignOutSuccess"
    assert _guessed(deps, buyer, clock) is not None  # the guess outlives the sign-out: only the check decides

    with sql.counting():
        after = await _body(client, DETAIL, variables, buyer.token)

    assert after == await _body(client, DETAIL, variables, None)  # exactly the signed-out answer
    assert orjson.loads(after) == {"data": {"order": None}}
    assert _rides(sql.statements[0])  # the read that carried the check, its rows discarded
    assert _guessed(deps, buyer, clock) is None  # forgotten: the next request checks alone
    with sql.counting():
        assert await _body(client, DETAIL, variables, buyer.token) == after
    assert not _rides(sql.statements[0]) and "FROM auth_token" in sql.statements[0]


async def test_a_query_whose_first_statement_cannot_carry_the_check_runs_it_alone_first(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, sql: StatementCounter
) -> None:
    """`me` reads through the ORM: the check runs alone just before, and a signed-out token gets `me: null`."""
    user = await sign_up(gql, kind="BUYER")
    assert (await gql(ME, token=user.token))["me"]["email"] == user.email
    with sql.counting():
        assert (await gql(ME, token=user.token))["me"]["email"] == user.email
    assert "FROM auth_token" in sql.statements[0] and not _rides(sql.statements[0]), sql.statements
    assert len(_checks(sql)) == 1

    await gql(SIGN_OUT, token=user.token)
    with sql.counting():
        assert await gql(ME, token=user.token) == {"me": None}
    assert len(sql.statements) == 1 and _checks(sql) == sql.statements  # the check alone; the user is not read


async def test_an_operator_flag_or_a_membership_changed_between_two_queries_answers_as_the_new_viewer(
    gql: GraphQL,
    client: httpx.AsyncClient,
    deps: AppDeps,
    clock: FakeClock,
    engine: AsyncEngine,
    sql: StatementCounter,
) -> None:
    buyer, makers, order_id = await _market(gql, clock)
    bidder = makers[1]
    variables = {"id": order_id, "first": 20}

    def bids(body: bytes) -> int:
        return len(orjson.loads(body)["data"]["order"]["bids"]["edges"])

    assert bids(await _body(client, DETAIL, variables, bidder.token)) == 1  # sealed: its own bid only
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE app_user SET is_operator = true WHERE email = :e"), {"e": bidder.email})
    with sql.counting():
        as_operator = await _body(client, DETAIL, variables, bidder.token)
    assert _rides(sql.statements[0])
    assert bids(as_operator) == 3  # the new viewer's answer, not the guess's
    assert _guessed(deps, bidder, clock).is_operator is True  # the guess refreshed by the check

    assert bids(await _body(client, DETAIL, variables, buyer.token)) == 3
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE membership SET role = 'member' WHERE user_id = (SELECT id FROM app_user WHERE email = :e)"),
            {"e": buyer.email},
        )
    await _body(client, DETAIL, variables, buyer.token)
    assert set(_guessed(deps, buyer, clock).memberships.values()) == {Role.member}
    async with engine.begin() as conn:
        await conn.execute(
            text("DELETE FROM membership WHERE user_id = (SELECT id FROM app_user WHERE email = :e)"),
            {"e": buyer.email},
        )
    no_longer_buyer = await _body(client, DETAIL, variables, buyer.token)
    assert bids(no_longer_buyer) == 0  # bids are sealed from anyone but the buyer's members
    deps.guesses.learn(hash_token(buyer.token), ANONYMOUS)
    assert await _body(client, DETAIL, variables, buyer.token) == no_longer_buyer  # as the check alone answers


async def test_an_expired_token_answers_signed_out(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _, order_id = await _market(gql, clock)
    variables = {"id": order_id, "first": 20}
    signed_out = await _body(client, DETAIL, variables, None)
    assert await _body(client, DETAIL, variables, buyer.token) != signed_out

    # Expired in the database only (the guess still thinks it valid): the riding check finds nobody.
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE auth_token SET expires_at = :t WHERE user_id = (SELECT id FROM app_user WHERE email = :e)"),
            {"t": clock.now() - timedelta(seconds=1), "e": buyer.email},
        )
    assert _guessed(deps, buyer, clock) is not None
    assert await _body(client, DETAIL, variables, buyer.token) == signed_out
    assert _guessed(deps, buyer, clock) is None

    # Past the expiry the guess knows: no guess, the check alone, signed out.
    other = await sign_up(gql, kind="BUYER")
    await gql(ME, token=other.token)
    assert _guessed(deps, other, clock) is not None
    clock.advance(timedelta(days=400))
    assert _guessed(deps, other, clock) is None
    assert await gql(ME, token=other.token) == {"me": None}


async def test_typename_alone_checks_the_token_before_answering(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, sql: StatementCounter
) -> None:
    user = await sign_up(gql, kind="BUYER")
    await gql(ME, token=user.token)
    with sql.counting():
        assert await gql("{ __typename }", token=user.token) == {"__typename": "Query"}
    assert len(sql.statements) == 1 and "FROM auth_token" in sql.statements[0]

    await gql(SIGN_OUT, token=user.token)
    with sql.counting():
        assert await gql("{ __typename }", token=user.token) == {"__typename": "Query"}
    assert len(sql.statements) == 1
    assert _guessed(deps, user, clock) is None  # it ran, and found the token signed out


async def test_a_mutation_never_runs_on_a_guess(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    user = await sign_up(gql, kind="BUYER")
    await gql(ME, token=user.token)
    assert _guessed(deps, user, clock) is not None
    with sql.counting():
        ok = await gql(SET_LANGUAGE, {"language": "EN"}, token=user.token)
    assert ok["setMyLanguage"]["__typename"] != "NotAuthenticatedError", ok
    assert "FROM auth_token" in sql.statements[0] and not any(_rides(s) for s in sql.statements), sql.statements

    await gql(SIGN_OUT, token=user.token)
    assert _guessed(deps, user, clock) is not None
    with sql.counting():
        refused = await gql(SET_LANGUAGE, {"language": "RU"}, token=user.token)
    assert refused["setMyLanguage"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED"}
    assert "FROM auth_token" in sql.statements[0] and not any(_rides(s) for s in sql.statements)
    assert len(sql.statements) == 1  # the check alone, then nothing
    async with engine.connect() as conn:
        language = await conn.scalar(text("SELECT language FROM app_user WHERE email = :e"), {"e": user.email})
    assert language == "en"  # unchanged by the refused mutation
