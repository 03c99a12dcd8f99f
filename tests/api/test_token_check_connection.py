"""A signed-in request's token check is its connection's ping (api/context.py Context.authenticate): the pool does not
ping the connection it takes, and a connection the server ended is replaced without the request noticing."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import GraphQL, Party, sign_up

ME = "query { me { id email } }"


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(database_url: str, pid: int) -> None:
    outside = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        assert await outside.fetchval("SELECT pg_terminate_backend($1)", pid)
        for _ in range(100):  # until the backend is gone
            if not await outside.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
                break
            await asyncio.sleep(0.02)
    finally:
        await outside.close()


async def test_a_signed_in_request_is_not_pinged_its_token_check_is_the_check(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine
) -> None:
    user: Party = await sign_up(gql, kind="BUYER")
    await small(ME, token=user.token)  # the pool's one connection is open
    async with one_connection.connect() as connection:
        driver: Any = (await connection.get_raw_connection()).driver_connection
    sent: list[str] = []
    driver.add_query_logger(lambda record: sent.append(" ".join(record.query.split())))

    data = await small(ME, token=user.token)

    assert data["me"]["email"] == user.email
    assert "SELECT 1" not in sent, sent
    assert len([q for q in sent if "FROM auth_token" in q]) == 1, sent


async def test_a_connection_the_server_ended_is_replaced_without_the_request_noticing(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine, database_url: str
) -> None:
    user = await sign_up(gql, kind="BUYER")
    await small(ME, token=user.token)
    ended = await _backend_pid(one_connection)
    # (the pid was read on a pinged checkout: the connection was alive, and it is the pool's only one)
    await _terminate(database_url, ended)

    body = await small.raw(ME, token=user.token)

    assert "errors" not in body, body
    assert body["data"]["me"] == {"id": body["data"]["me"]["id"], "email": user.email}
    assert await _backend_pid(one_connection) != ended
    assert one_connection.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_an_anonymous_read_on_a_connection_the_server_ended_gets_a_pinged_one(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine, database_url: str
) -> None:
    maker = await sign_up(gql, kind="MANUFACTURER", name="Anonymous Reads Ltd")
    await small("query { __typename }")
    ended = await _backend_pid(one_connection)
    await _terminate(database_url, ended)

    # no token check to serve as the ping: the pool pings the connection it gives (exchange/db.py)
    body = await small.raw("query($id: ID!) { organisation(id: $id) { name } }", {"id": maker.organisation_id})

    assert body == {"data": {"organisation": {"name": "Anonymous Reads Ltd"}}}
    assert await _backend_pid(one_connection) != ended
