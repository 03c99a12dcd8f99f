"""Every allowed subscription says `Watching` first, once its watch is in force, and a client that re-reads on it
misses nothing: the event committed in the old window (after a re-read made at connect, before the server's watch
started) is in the re-read made after `Watching`. The windows are forced with hooks on the real code (asyncio
Events), against the real hub and PostgreSQL; no sleeps-and-hope."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.realtime import subscriptions as subscriptions_module
from api.realtime.session import SessionBoundTransportWSHandler
from domain.actor import Role
from domain.uow import SessionFactory
from exchange.settings import Environment, Settings
from tests.api.contracts import awarded
from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, socket
from tests.realtime.fanout import RIGHTS_WATCH as WATCH
from tests.realtime.fanout import colleague
from tests.realtime.handover import bid_of, groups_with, heard, no_more, promote, token_of, until
from tests.realtime.subscriptions import CONTRACT_UPDATED, NOTIFICATION_ADDED, POST

# What the buyer's screen re-reads: the order's bids.
BIDS = """query($id: ID!) { order(id: $id) { bids(first: 50) { edges { node { id } } } } }"""
WATCHING = """subscription($id: ID!) { bidActivity(orderId: $id) {
  __typename
  ... on Watching { since }
  ... on BidActivity { kind bid { id } }
  ... on UserError { code }
} }"""


@pytest.fixture
def realtime_settings() -> Settings:
    # No periodic re-check: a rights change is asked for when the test needs it.
    return Settings(
        env=Environment.test, ws_init_timeout_seconds=0.5, ws_max_subscriptions=3, ws_auth_check_seconds=3600
    )


async def bids_read(api: Instance, token: str, order_id: str) -> list[str]:
    data = await api.gql(BIDS, {"id": order_id}, token=token)
    return [edge["node"]["id"] for edge in data["order"]["bids"]["edges"]]


def hold_before_watch(monkeypatch: pytest.MonkeyPatch) -> tuple[asyncio.Event, asyncio.Event]:
    """The server has the `subscribe` message but its watch is not in place yet: the grouped subscription is held
    before it joins its group (whose watch starts with it). Returns (held, release)."""
    held, release = asyncio.Event(), asyncio.Event()
    serve_grouped = subscriptions_module.serve_grouped

    async def held_serve(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        held.set()
        await release.wait()
        async for value in serve_grouped(*args, **kwargs):
            yield value

    monkeypatch.setattr(subscriptions_module, "serve_grouped", held_serve)
    return held, release


async def test_a_bid_committed_before_the_watch_is_in_the_re_read_made_on_watching(
    api: Instance, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old window, forced: the socket is connected and its subscription sent, the client's re-read at connect
    has run, and a bid is committed (and heard by the process) before the server's watch starts. The stream never
    carries it and the connect-time re-read does not have it: only a re-read after Watching does."""
    buyer = await sign_up(api.gql, kind="BUYER")
    makers = [await make_manufacturer(api.gql, clock) for _ in range(2)]
    order_id = await create_order(api.gql, buyer, clock)
    held, release = hold_before_watch(monkeypatch)

    async with socket(api, buyer.token) as ws, heard(api, order_id) as next_heard:
        await ws.subscribe("w", WATCHING, {"id": order_id})
        async with asyncio.timeout(10):
            await held.wait()
        at_connect = await bids_read(api, buyer.token, order_id)  # what re-reading on `connected` saw
        early = await place_bid(api.gql, makers[0], order_id, clock)
        await next_heard()  # the process heard it: no room watched it
        assert api.fanout.member_count() == 0
        release.set()
        since = await ws.watching("w")
        on_watching = await bids_read(api, buyer.token, order_id)
        await no_more(ws)  # the early bid never comes as an event
        later = await place_bid(api.gql, makers[1], order_id, clock)
        event = await ws.next("w")

    assert at_connect == []
    assert on_watching == [early]
    assert event == {"bidActivity": {"__typename": "BidActivity", "kind": "PLACED", "bid": {"id": later}}}
    assert since >= 0


async def test_watching_comes_after_the_watch_is_registered_and_anything_after_it_is_delivered(
    api: Instance, clock: FakeClock
) -> None:
    """At the moment the client has Watching, the socket is in its group and the room is open: a bid committed
    the instant after it arrives comes as an event; its position is above `since`."""
    buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)

    async with socket(api, buyer.token) as ws:
        await ws.subscribe("w", WATCHING, {"id": order_id})
        since = await ws.watching("w")
        members, rooms = api.fanout.member_count(), api.hub.room_count()
        bid = await place_bid(api.gql, maker, order_id, clock)
        event = await ws.next("w")
        group = next(iter(api.fanout.groups.values()))

    assert (members, rooms) == (1, 1)
    assert event["bidActivity"]["bid"]["id"] == bid
    assert group.seq > since  # the position the group delivered the bid at


async def test_watching_waits_for_the_listener(api: Instance, clock: FakeClock) -> None:
    """While the process's LISTEN is not in force, the watch is registered but the confirmation waits: it would
    promise events nobody hears. It comes once LISTEN is back."""
    buyer = await sign_up(api.gql, kind="BUYER")
    order_id = await create_order(api.gql, buyer, clock)
    listening = api.hub._listening  # the hub's own flag, as its listener task sets and clears it
    listening.clear()
    try:
        async with socket(api, buyer.token) as ws:
            await ws.subscribe("w", WATCHING, {"id": order_id})
            await until(lambda: api.fanout.member_count() == 1)
            await no_more(ws)
            listening.set()
            since = await ws.watching("w")
    finally:
        listening.set()

    assert since >= 0


async def test_each_subscription_is_confirmed_once_before_its_events_and_a_refused_one_never(
    api: Instance, clock: FakeClock, session_factory: SessionFactory, database_url: str
) -> None:
    """Two subscriptions on one socket: one Watching each, each before that subscription's events; the socket's
    viewer is promoted (it moves to the group of its new rights): no second Watching. A bidder's subscription on
    the order is refused: its error, `complete`, no Watching."""
    buyer = await sign_up(api.gql, kind="BUYER")
    member = await colleague(api.gql, buyer, "MEMBER", 31)
    makers = [await make_manufacturer(api.gql, clock) for _ in range(3)]
    orders = [await create_order(api.gql, buyer, clock, title=f"Part {n}") for n in range(2)]

    async with socket(api, member) as ws, socket(api, makers[0].token) as bidder:
        await ws.subscribe("a", WATCH, {"id": orders[0]})
        await ws.subscribe("b", WATCH, {"id": orders[1]})
        confirmations = [ws.took_watching(await ws.receive()) for _ in range(2)]
        first = await place_bid(api.gql, makers[1], orders[0], clock)
        before_move = await ws.next("a")
        await promote(
            session_factory, f"colleague31-{buyer.email}", database_url, token_of(groups_with(api, Role.member)[0])
        )
        await until(lambda: len(groups_with(api, Role.admin)) == 2)  # both subscriptions moved
        second = await place_bid(api.gql, makers[2], orders[0], clock)
        after_move = await ws.next("a")
        await no_more(ws)

        await bidder.subscribe("r", WATCH, {"id": orders[0]})
        refused = [await bidder.receive(), await bidder.receive()]
        await no_more(bidder)

    assert confirmations == [True, True]
    assert sorted(ws.confirmed) == ["a", "b"]
    assert bid_of(before_move) == (first, False)
    assert bid_of(after_move) == (second, True)  # served by the admins' group now, and not confirmed again
    assert refused[0]["payload"]["data"]["bidActivity"]["__typename"] == "PermissionDeniedError"
    assert refused[1] == {"id": "r", "type": "complete"}
    assert bidder.confirmed == {}


async def test_the_direct_path_says_watching_first_too(
    api: Instance, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subscription that runs its own loop (no execution group: `realtime_events`' last way) confirms the same:
    Watching once, after its watch is open, then its events."""
    monkeypatch.setattr(SessionBoundTransportWSHandler, "fanout", property(lambda _self: None))
    buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)

    async with socket(api, buyer.token) as ws:
        await ws.subscribe("w", WATCHING, {"id": order_id})
        since = await ws.watching("w")
        rooms = api.hub.room_count()
        bid = await place_bid(api.gql, maker, order_id, clock)
        event = await ws.next("w")
        await no_more(ws)

    assert rooms == 1 and api.fanout.group_count() == 0
    assert event["bidActivity"]["bid"]["id"] == bid
    assert since >= 0


async def test_every_subscription_field_confirms_before_its_first_event(api: Instance, clock: FakeClock) -> None:
    """contractUpdated and notificationAdded say Watching first too: the contract room's message, and the buyer's
    notification of it, come after."""
    buyer, maker, contract_id = await awarded(api.gql, clock)
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("c", CONTRACT_UPDATED, {"id": contract_id})
        await ws.watching("c")  # these documents select only its __typename
        await ws.subscribe("n", NOTIFICATION_ADDED)
        await ws.watching("n")
        posted = await api.gql(POST, {"id": contract_id, "body": "Допуск ±0,05 по отверстию?"}, token=maker.token)
        frames = {frame["id"]: frame["payload"]["data"] for frame in [await ws.receive(), await ws.receive()]}
        update, added = frames["c"], frames["n"]

    assert posted["postContractMessage"]["__typename"] == "ContractMessageSuccess"
    assert update["contractUpdated"]["transition"] == "message"
    assert added["notificationAdded"]["__typename"] == "NotificationAdded"
    assert sorted(ws.confirmed) == ["c", "n"]
