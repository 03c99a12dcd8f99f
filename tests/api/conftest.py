from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.context import AppDeps
from exchange.db import create_engine, create_session_factory
from tests.api.graphql import GraphQL
from tests.clock import FakeClock


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)


@pytest.fixture(autouse=True)
async def every_connection_returned(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After every API test, each pooled connection the requests took is back in the pool: a response sent with
    a connection still out leaks it until the garbage collector finds it (and logs it)."""
    yield
    if "engine" not in request.fixturenames:
        return
    engine: AsyncEngine = request.getfixturevalue("engine")
    pool = engine.pool
    # A cancelled field's session closes in its own task, a moment after the response: give it that moment.
    for _ in range(50):
        if pool.checkedout() == 0:  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.01)
    assert pool.checkedout() == 0, f"{pool.checkedout()} pooled connection(s) still checked out: {pool.status()}"  # type: ignore[attr-defined]


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The application's own pool set-up (exchange/db.py: its checkout ping too), with one connection."""
    engine = create_engine(database_url, pool_size=1, pool_timeout=3)
    yield engine
    await engine.dispose()


@pytest.fixture
async def small(deps: AppDeps, clock: FakeClock, one_connection: AsyncEngine) -> AsyncIterator[GraphQL]:
    """The API on `one_connection`'s pool of one."""
    app = create_app(
        AppDeps(
            settings=deps.settings,
            session_factory=create_session_factory(one_connection),
            clock=clock,
            payments=deps.payments,
        )
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield GraphQL(client)
