"""Request limits, production hardening and the health check."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from api.app import create_app
from api.context import AppDeps
from exchange.settings import Environment, Settings
from tests.api.graphql import GraphQL, sign_up
from tests.legal_samples import PRODUCTION_ESCROW


@pytest.fixture
async def production(deps: AppDeps) -> AsyncIterator[GraphQL]:
    app = create_app(
        AppDeps(
            Settings(env=Environment.production, **PRODUCTION_ESCROW), deps.session_factory, deps.clock, deps.payments
        )
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://prod") as client:
        yield GraphQL(client)


async def test_introspection_is_off_in_production_and_on_in_development(production: GraphQL, gql: GraphQL) -> None:
    query = "{ __schema { queryType { name } } }"

    refused = await production.raw(query)
    allowed = await gql.raw(query)

    assert refused["data"] is None
    assert "introspection" in refused["errors"][0]["message"].lower()
    assert allowed["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_graphiql_is_served_in_development_only(client: httpx.AsyncClient, production: GraphQL) -> None:
    dev = await client.get("/graphql", headers={"Accept": "text/html"})
    prod = await production.client.get("/graphql", headers={"Accept": "text/html"})

    assert dev.status_code == 200 and "graphiql" in dev.text.lower()
    assert prod.status_code == 404


async def test_too_deep_a_query_is_refused(gql: GraphQL) -> None:
    nested = "{ me { memberships { organisation { members { user { memberships { organisation { members "
    nested += "{ user { memberships { organisation { members { user { id } } } } } } } } } } } } } }"

    body = await gql.raw(nested)

    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(gql: GraphQL) -> None:
    query = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(31)) + " }"

    body = await gql.raw(query)

    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"]


async def test_an_oversized_query_is_refused(gql: GraphQL) -> None:
    query = "{ me { " + " ".join(["id"] * 5000) + " } }"

    body = await gql.raw(query)

    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()


async def test_page_size_over_the_limit_is_a_coded_error(gql: GraphQL) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    body = await gql.raw("{ orders(first: 101) { edges { node { id } } } }", token=buyer.token)

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "OUT_OF_RANGE", "field": "first"}


async def test_a_forged_cursor_is_a_coded_error(gql: GraphQL) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    body = await gql.raw('{ orders(first: 5, after: "bm90IGEgY3Vyc29y") { edges { node { id } } } }', token=buyer.token)

    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "after"}


async def test_unexpected_errors_are_masked_in_production(deps: AppDeps, database_url: str) -> None:
    broken_engine = create_async_engine(database_url.replace("/exchange", "/no_such_database"))
    broken = AppDeps(
        Settings(env=Environment.production, **PRODUCTION_ESCROW),
        async_sessionmaker(broken_engine),
        deps.clock,
        deps.payments,
    )
    app = create_app(broken)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://prod") as client:
            body = await GraphQL(client).raw("{ organisations(first: 1) { edges { node { id } } } }")
    finally:
        await broken_engine.dispose()

    assert body["errors"][0]["message"] == "Unexpected error."
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "no_such_database" not in str(body)


async def test_health_reports_the_database(client: httpx.AsyncClient, deps: AppDeps, database_url: str) -> None:
    up = await client.get("/health")
    broken_engine = create_async_engine(database_url.replace("/exchange", "/no_such_database"))
    app = create_app(AppDeps(deps.settings, async_sessionmaker(broken_engine), deps.clock, deps.payments))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as other:
            down = await other.get("/health")
    finally:
        await broken_engine.dispose()

    assert (up.status_code, up.json()) == (200, {"status": "ok", "database": "up"})
    assert (down.status_code, down.json()) == (503, {"status": "unavailable", "database": "down"})
