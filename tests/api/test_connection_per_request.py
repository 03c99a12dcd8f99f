"""A request holds at most one pooled connection at a time, so a small pool serves it without starving."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from api.app import create_app
from api.context import AppDeps
from exchange.db import create_session_factory
from search.postgres import PostgresSearchIndex
from tests.api.graphql import GraphQL, make_manufacturer, sign_up
from tests.clock import FakeClock

SEARCH = 'query { searchManufacturers(query: "") { __typename ... on ManufacturerSearch { total } } }'


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=3)
    yield engine
    await engine.dispose()


async def test_a_signed_in_search_runs_on_a_pool_of_one_connection(
    gql: GraphQL, clock: FakeClock, deps: AppDeps, one_connection: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    await make_manufacturer(gql, clock)
    session_factory = create_session_factory(one_connection)
    small = AppDeps(
        settings=deps.settings,
        session_factory=session_factory,
        clock=clock,
        payments=deps.payments,
        search=PostgresSearchIndex(session_factory, clock),
    )
    transport = httpx.ASGITransport(app=create_app(small))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        data = await GraphQL(client)(SEARCH, token=buyer.token)

    assert data["searchManufacturers"]["__typename"] == "ManufacturerSearch"
