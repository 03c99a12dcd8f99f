"""While the database refuses connections: every HTTP request, signed in or not, gets a 503 with a coded GraphQL
error and Retry-After; a subscription whose re-read of an event meets the outage keeps its socket and delivers
once the database is back; an outage longer than the re-read's retries closes the socket with 1013 (events
missed: reconnect and re-read) instead of dropping the event silently. The outage is real: PostgreSQL is told to
refuse connections to the database (ALLOW_CONNECTIONS false) and its sessions are ended, all but the event hub's
listener and the test's own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest

from api.realtime import reread
from api.realtime.closing import LAGGING_CODE, MISSED
from api.relay import decode_id
from domain.realtime import CHANNEL, Event, EventTopic
from exchange.realtime import asyncpg_dsn
from tests.api.contracts import awarded, step
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, socket
from tests.realtime.subscriptions import CONTRACT_UPDATED

ME = "{ me { id } }"
DIRECTORY = "{ manufacturers(first: 1) { edges { node { id } } } }"


@asynccontextmanager
async def outage(database_url: str) -> AsyncIterator[Any]:
    """The database refuses new connections and loses its sessions until the block ends. Yields a connection to
    it opened before (spared, like the hub's listener), which can still send notifications."""
    dsn = asyncpg_dsn(database_url)
    spared = {"application_name": "outage-control"}
    inside = await asyncpg.connect(dsn, server_settings=spared)
    # ALTER DATABASE ... ALLOW_CONNECTIONS is refused from inside the database: the maintenance database does it.
    admin = await asyncpg.connect(dsn, database="postgres", server_settings=spared)
    try:
        if not await admin.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            pytest.skip("needs a superuser to make the database refuse connections (EXCHANGE_DATABASE_URL is not one)")
        database = await inside.fetchval("SELECT current_database()")
        await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        try:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1"
                " AND application_name NOT IN ('exchange-events', 'outage-control')",
                database,
            )
            yield inside
        finally:
            await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    finally:
        await inside.close()
        await admin.close()


async def post(api: Instance, query: str, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.gql.client.post("/graphql", json={"query": query}, headers=headers)


async def test_every_request_gets_a_503_with_retry_after_while_the_database_is_away(
    api: Instance, clock: FakeClock, database_url: str
) -> None:
    buyer, _, _ = await awarded(api.gql, clock)
    async with outage(database_url):
        signed_in = await post(api, ME, buyer.token)  # fails while the token is checked
        anonymous = await post(api, DIRECTORY)  # fails inside a resolver
    after = await post(api, ME, buyer.token)

    for response in (signed_in, anonymous):
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.headers["content-type"] == "application/json"
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "SELECT" not in error["message"] and "Traceback" not in error["message"]
    assert after.status_code == 200
    assert after.json()["data"]["me"]["id"]


async def test_a_subscription_keeps_its_socket_through_an_outage_and_delivers_after_it(
    api: Instance, clock: FakeClock, database_url: str
) -> None:
    buyer, _, contract_id = await awarded(api.gql, clock)
    key = str(decode_id(contract_id, "Contract", "id"))
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("c", CONTRACT_UPDATED, {"id": contract_id})
        await api.wait_for_subscribers(EventTopic.contract)
        async with outage(database_url) as control:
            # An event arrives while the subscriber cannot re-read it.
            await control.execute("SELECT pg_notify($1, $2)", CHANNEL, Event(EventTopic.contract, key, {}).encode())
            await asyncio.sleep(0.6)  # the first re-reads fail
        during = (await ws.next("c"))["contractUpdated"]  # the retry after the outage delivers it
        cancelled = await api.gql(
            step("cancelContract", ', reason: "plans changed"'), {"id": contract_id}, token=buyer.token
        )
        after = (await ws.next("c"))["contractUpdated"]

    assert during == {
        "__typename": "ContractUpdate",
        "transition": "",
        "contract": {"id": contract_id, "status": "PENDING_FUNDING"},
    }
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess"
    assert after == {
        "__typename": "ContractUpdate",
        "transition": "cancel",
        "contract": {"id": contract_id, "status": "CANCELLED"},
    }


async def test_an_event_whose_read_outlasts_the_retries_closes_the_socket_so_that_the_client_re_reads(
    api: Instance, clock: FakeClock, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-read is given up while the database is still away (the retries shortened to 0.05 s): the event is
    not dropped in silence — the socket is closed with 1013 and the reason that events may have been missed; a
    client that reconnects after the outage re-reads the contract and hears its next step."""
    monkeypatch.setattr(reread, "REREAD_DELAYS", (0.05,))
    buyer, _, contract_id = await awarded(api.gql, clock)
    key = str(decode_id(contract_id, "Contract", "id"))
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("c", CONTRACT_UPDATED, {"id": contract_id})
        await api.wait_for_subscribers(EventTopic.contract)
        async with outage(database_url) as control:
            await control.execute("SELECT pg_notify($1, $2)", CHANNEL, Event(EventTopic.contract, key, {}).encode())
            closed = await ws.closed()  # within the outage: the read was given up
        rooms_after = api.hub.room_count()
    async with socket(api, buyer.token) as again:
        await again.subscribe("c", CONTRACT_UPDATED, {"id": contract_id})
        await api.wait_for_subscribers(EventTopic.contract)
        cancelled = await api.gql(
            step("cancelContract", ', reason: "plans changed"'), {"id": contract_id}, token=buyer.token
        )
        after = (await again.next("c"))["contractUpdated"]

    assert closed == (LAGGING_CODE, MISSED)
    assert rooms_after == 0
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess"
    assert after["contract"] == {"id": contract_id, "status": "CANCELLED"}
