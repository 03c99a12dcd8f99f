"""Subscriptions over graphql-transport-ws: bid activity for the buyer, contract steps for its parties,
the connection_init handshake, the per-connection limit, and fan-out across two API instances."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.realtime import EventTopic
from domain.uow import SessionFactory
from exchange.db import create_engine, create_session_factory
from tests.api.contracts import awarded, operator, step
from tests.api.graphql import bid_terms, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, serve, socket
from tests.realtime.subscriptions import BID_ACTIVITY, CONTRACT_UPDATED, NOTIFICATION_ADDED

REVISE = """mutation($id: ID!, $terms: BidTermsInput!) { reviseBid(bidId: $id, terms: $terms) {
  __typename ... on BidSuccess { bid { id } } ... on UserError { code } } }"""
WITHDRAW = """mutation($id: ID!) { withdrawBid(bidId: $id) { __typename ... on UserError { code } } }"""


async def test_the_buyer_watches_bids_arrive_change_and_go(api: Instance, clock: FakeClock) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("1", BID_ACTIVITY, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity)

        bid_id = await place_bid(api.gql, maker, order_id, clock, unit_price="300.00")
        placed = (await ws.next("1"))["bidActivity"]
        revised_id = (
            await api.gql(REVISE, {"id": bid_id, "terms": bid_terms(clock, unit_price="280.00")}, token=maker.token)
        )["reviseBid"]["bid"]["id"]
        revised = (await ws.next("1"))["bidActivity"]
        await api.gql(WITHDRAW, {"id": revised_id}, token=maker.token)
        withdrawn = (await ws.next("1"))["bidActivity"]

    assert placed == {
        "__typename": "BidActivity",
        "kind": "PLACED",
        "bid": {
            "id": bid_id,
            "status": "ACTIVE",
            "revision": 1,
            "total": {"amount": "150000.00"},
            "order": {"id": order_id},
        },
    }
    assert (revised["kind"], revised["bid"]["id"], revised["bid"]["revision"]) == ("REVISED", revised_id, 2)
    assert revised["bid"]["total"] == {"amount": "140000.00"}
    assert (withdrawn["kind"], withdrawn["bid"]["id"], withdrawn["bid"]["status"]) == (
        "WITHDRAWN",
        revised_id,
        "WITHDRAWN",
    )


async def test_a_subscriber_on_one_instance_hears_a_mutation_made_on_another(
    api: Instance, make_deps: Callable[[Any], AppDeps], database_url: str, clock: FakeClock
) -> None:
    # A second API process: its own engine, its own listener, the same database.
    engine = create_engine(database_url, pool_size=2, max_overflow=2)
    try:
        async with serve(make_deps(create_session_factory(engine)), database_url) as other:
            buyer = await sign_up(api.gql, kind="BUYER")
            maker = await make_manufacturer(other.gql, clock)
            order_id = await create_order(api.gql, buyer, clock)
            async with socket(api, buyer.token) as ws:
                await ws.subscribe("a", BID_ACTIVITY, {"id": order_id})
                await api.wait_for_subscribers(EventTopic.bid_activity)

                bid_id = await place_bid(other.gql, maker, order_id, clock)
                event = (await ws.next("a"))["bidActivity"]

            assert other.hub.subscriber_count() == 0
    finally:
        await engine.dispose()
    assert (event["kind"], event["bid"]["id"]) == ("PLACED", bid_id)


async def test_both_parties_and_operators_follow_a_contract_and_strangers_are_refused(
    api: Instance, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(api.gql, clock)
    ops = await operator(api.gql, engine)
    stranger = await sign_up(api.gql, kind="BUYER")
    async with (
        socket(api, buyer.token) as buyer_ws,
        socket(api, maker.token) as maker_ws,
        socket(api, ops.token) as ops_ws,
        socket(api, stranger.token) as stranger_ws,
    ):
        await stranger_ws.subscribe("s", CONTRACT_UPDATED, {"id": contract_id})
        refused = (await stranger_ws.next("s"))["contractUpdated"]
        assert await stranger_ws.receive() == {"id": "s", "type": "complete"}

        for ws in (buyer_ws, maker_ws, ops_ws):
            await ws.subscribe("c", CONTRACT_UPDATED, {"id": contract_id})
        await api.wait_for_subscribers(EventTopic.contract, 3)
        result = await api.gql(
            step("cancelContract", ', reason: "changed our plans"'), {"id": contract_id}, token=buyer.token
        )
        assert result["cancelContract"]["__typename"] == "ContractSuccess", result
        heard = [(await ws.next("c"))["contractUpdated"] for ws in (buyer_ws, maker_ws, ops_ws)]

    assert refused == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
        "message": "contract not found",
        "field": "contractId",
    }
    assert (
        heard
        == [
            {
                "__typename": "ContractUpdate",
                "transition": "cancel",
                "contract": {"id": contract_id, "status": "CANCELLED"},
            }
        ]
        * 3
    )


async def test_only_the_orders_buyer_may_watch_its_bids(api: Instance, clock: FakeClock) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)
    other_buyer = await sign_up(api.gql, kind="BUYER")
    other_order = await create_order(api.gql, other_buyer, clock, publish=False)  # a draft: invisible to others
    async with socket(api, maker.token) as ws:
        await ws.subscribe("1", BID_ACTIVITY, {"id": order_id})
        bidder = (await ws.next("1"))["bidActivity"]
        assert await ws.receive() == {"id": "1", "type": "complete"}
        await ws.subscribe("2", BID_ACTIVITY, {"id": other_order})
        hidden = (await ws.next("2"))["bidActivity"]
        assert await ws.receive() == {"id": "2", "type": "complete"}
        await ws.subscribe("3", BID_ACTIVITY, {"id": "not-an-id"})
        malformed = (await ws.next("3"))["bidActivity"]

    assert (bidder["__typename"], bidder["code"]) == ("PermissionDeniedError", "FORBIDDEN")
    assert (hidden["__typename"], hidden["code"]) == ("NotFoundError", "NOT_FOUND")
    assert (malformed["__typename"], malformed["field"]) == ("NotFoundError", "orderId")
    assert api.hub.subscriber_count(EventTopic.bid_activity) == 0


async def test_connection_init_must_carry_a_valid_token(api: Instance, clock: FakeClock) -> None:
    async with socket(api) as ws:
        await ws.send_init(None)
        missing = await ws.closed()
    async with socket(api) as ws:
        await ws.send_init("not-a-token")
        invalid = await ws.closed()
    async with socket(api) as ws:
        await ws.subscribe("1", BID_ACTIVITY, {"id": "x"})  # before connection_init
        early = await ws.closed()

    assert missing == (4403, "Forbidden")
    assert invalid == (4403, "Forbidden")
    assert early == (4401, "Unauthorized")
    assert api.hub.subscriber_count() == 0


async def test_a_socket_that_never_sends_connection_init_is_closed(api: Instance) -> None:
    async with socket(api) as ws:
        code, reason = await ws.closed()  # EXCHANGE_WS_INIT_TIMEOUT_SECONDS is 0.5 here

    assert (code, reason) == (4408, "Connection initialisation timeout")


async def test_one_connection_runs_at_most_the_configured_number_of_subscriptions(
    api: Instance, clock: FakeClock
) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)
    async with socket(api, buyer.token) as ws:
        for op_id in ("1", "2", "3"):  # EXCHANGE_WS_MAX_SUBSCRIPTIONS is 3 here
            await ws.subscribe(op_id, BID_ACTIVITY, {"id": order_id})
        for op_id in ("1", "2", "3"):
            await ws.watching(op_id)
        await ws.subscribe("4", BID_ACTIVITY, {"id": order_id})
        refused = await ws.receive()

        bid_id = await place_bid(api.gql, maker, order_id, clock)
        frames = [await ws.receive() for _ in range(3)]  # every confirmation was taken above: these are events
        heard = sorted((frame["id"], frame["payload"]["data"]["bidActivity"]["bid"]["id"]) for frame in frames)

    assert refused == {"id": "4", "type": "error", "payload": [{"message": "Subscription limit reached"}]}
    assert heard == [("1", bid_id), ("2", bid_id), ("3", bid_id)]


async def test_nothing_is_announced_for_a_change_that_rolls_back(
    api: Instance, session_factory: SessionFactory, clock: FakeClock
) -> None:
    from domain.realtime import announce
    from domain.uow import UnitOfWork

    async with api.hub.subscribe(EventTopic.contract, "k") as events:
        async with UnitOfWork(session_factory, clock) as uow:
            announce(uow, EventTopic.contract, "k", transition="rolled_back")
            await uow.session.execute(select(func.now()))
        async with UnitOfWork(session_factory, clock) as uow:
            announce(uow, EventTopic.contract, "k", transition="committed")
            await uow.session.execute(text("SELECT 1"))
            await uow.commit()
        first = await anext(events)

    assert first.data == {"transition": "committed"}


async def test_a_user_hears_of_each_new_notification_and_nobody_elses(api: Instance, clock: FakeClock) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    other_buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock, title="Sprocket")
    other_order = await create_order(api.gql, other_buyer, clock)
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("n", NOTIFICATION_ADDED)
        await api.wait_for_subscribers(EventTopic.notification)
        await place_bid(api.gql, maker, other_order, clock)  # someone else's inbox
        await place_bid(api.gql, maker, order_id, clock)
        heard = (await ws.next("n"))["notificationAdded"]

    assert heard["__typename"] == "NotificationAdded"
    assert {k: v for k, v in heard["notification"].items() if k != "id"} == {
        "kind": "BID_RECEIVED",
        "title": "New bid on “Sprocket”",
        "read": False,
    }


async def test_the_hub_reconnects_when_its_listening_connection_is_killed(
    api: Instance, engine: AsyncEngine, session_factory: SessionFactory, clock: FakeClock
) -> None:
    from domain.realtime import announce
    from domain.uow import UnitOfWork

    connected = api.hub.connections
    async with engine.begin() as conn:
        killed = await conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'exchange-events' AND pid <> pg_backend_pid()"
            )
        )
    async with asyncio.timeout(10):
        while not (api.hub.listening and api.hub.connections > connected):  # noqa: ASYNC110  (its task reconnects)
            await asyncio.sleep(0.05)
    async with api.hub.subscribe(EventTopic.contract, "after-reconnect") as events:
        async with UnitOfWork(session_factory, clock) as uow:
            announce(uow, EventTopic.contract, "after-reconnect", transition="ship")
            await uow.commit()
        async with asyncio.timeout(10):
            heard = await anext(events)

    assert killed >= 1
    assert heard.data == {"transition": "ship"}
