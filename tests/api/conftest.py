from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import GraphQL


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
