"""A websocket lives only as long as its sign-in: signed out (on any instance), revoked or expired, the socket
is closed with 4401 and a reason, its subscriptions end, and no further event reaches it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.exceptions import ConnectionClosed

from api.context import AppDeps
from api.realtime.closing import ENDED, EXPIRED
from domain.realtime import EventTopic
from exchange.db import create_engine, create_session_factory
from exchange.settings import Environment, Settings
from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, serve, socket
from tests.realtime.subscriptions import BID_ACTIVITY, NOTIFICATION_ADDED

SIGN_OUT = "mutation { signOut { __typename } }"


@pytest.fixture
def realtime_settings() -> Settings:
    # Re-checks every 0.2 s here (EXCHANGE_WS_AUTH_CHECK_SECONDS), so that the periodic check shows in a test.
    return Settings(
        env=Environment.test, ws_init_timeout_seconds=0.5, ws_max_subscriptions=3, ws_auth_check_seconds=0.2
    )


def watched(instance: Instance) -> int:
    return instance.hub.subscriber_count(EventTopic.bid_activity) + instance.hub.subscriber_count(
        EventTopic.notification
    )


async def no_subscribers(instance: Instance) -> None:
    async with asyncio.timeout(10):
        while watched(instance):  # noqa: ASYNC110  (the handler's shutdown runs in another task)
            await asyncio.sleep(0.01)


async def test_signing_out_on_another_instance_closes_the_socket_and_ends_its_subscriptions(
    api: Instance, make_deps: Callable[[Any], AppDeps], database_url: str, clock: FakeClock
) -> None:
    engine = create_engine(database_url, pool_size=2, max_overflow=2)
    try:
        # A long periodic check: the close comes from the sign-out announcement, not from polling.
        deps = make_deps(create_session_factory(engine))
        deps.settings = _settings(deps, ws_auth_check_seconds=600.0)
        async with serve(deps, database_url) as other:
            buyer = await sign_up(api.gql, kind="BUYER")
            order_id = await create_order(api.gql, buyer, clock)
            async with socket(other, buyer.token) as ws:
                await ws.subscribe("b", BID_ACTIVITY, {"id": order_id})
                await ws.subscribe("n", NOTIFICATION_ADDED)
                await other.wait_for_subscribers(EventTopic.notification)
                await other.wait_for_subscribers(EventTopic.bid_activity)

                signed_out = await api.gql(SIGN_OUT, token=buyer.token)
                closed = await ws.closed()
            await no_subscribers(other)
            assert other.hub.subscriber_count(EventTopic.session) == 0
    finally:
        await engine.dispose()

    assert signed_out["signOut"]["__typename"] == "SignOutSuccess", signed_out
    assert closed == (4401, ENDED)


async def test_a_token_revoked_without_an_announcement_is_caught_by_the_periodic_check(
    api: Instance, engine: AsyncEngine, clock: FakeClock
) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("n", NOTIFICATION_ADDED)
        await api.wait_for_subscribers(EventTopic.notification)
        async with engine.begin() as conn:  # e.g. an operator revoking sessions in SQL; nobody is told
            await conn.execute(
                text("UPDATE auth_token SET revoked_at = now() FROM app_user u WHERE u.id = user_id AND u.email = :e"),
                {"e": buyer.email},
            )
        closed = await ws.closed()
    await no_subscribers(api)

    assert closed == (4401, ENDED)


async def test_a_socket_is_closed_when_its_token_expires(api: Instance, clock: FakeClock) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("n", NOTIFICATION_ADDED)
        await api.wait_for_subscribers(EventTopic.notification)
        clock.advance(timedelta(days=15))  # EXCHANGE_TOKEN_TTL_HOURS: 14 days
        closed = await ws.closed()
    await no_subscribers(api)

    assert closed == (4401, EXPIRED)


async def test_an_expired_socket_gets_no_further_event_even_before_the_periodic_check(
    make_deps: Callable[[Any], AppDeps], session_factory: Any, database_url: str, clock: FakeClock
) -> None:
    deps = make_deps(session_factory)
    deps.settings = _settings(deps, ws_auth_check_seconds=600.0, token_ttl_hours=1)
    async with serve(deps, database_url) as api:
        buyer = await sign_up(api.gql, kind="BUYER")
        order_id = await create_order(api.gql, buyer, clock)
        async with socket(api, buyer.token) as ws:
            await ws.subscribe("b", BID_ACTIVITY, {"id": order_id})
            await ws.watching("b")  # confirmed while the sign-in held
            clock.advance(timedelta(hours=2))  # the buyer's token expired; the next check is minutes away
            maker = await make_manufacturer(api.gql, clock)
            await place_bid(api.gql, maker, order_id, clock)
            received = await until_closed(ws)
        await no_subscribers(api)

    assert received == ([], 4401, EXPIRED)  # the bid's event was not delivered: the socket closed instead


async def until_closed(ws: Any) -> tuple[list[Any], int | None, str]:
    """Every message the server sends until it closes the socket, and the close code and reason."""
    messages = []
    async with asyncio.timeout(10):
        try:
            while True:
                messages.append(json.loads(await ws.conn.recv()))
        except ConnectionClosed:
            pass
    frame = ws.conn.protocol.close_rcvd
    return messages, frame.code if frame else None, frame.reason if frame else ""


def _settings(deps: AppDeps, **changes: Any) -> Settings:
    """The application's settings (the exchange's Settings behind the API's protocol) with these changed."""
    assert isinstance(deps.settings, Settings)
    return deps.settings.model_copy(update=changes)
