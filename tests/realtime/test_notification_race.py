"""The bell's contract with the server, raced for real: a bid's notification committed at any moment around a
`notificationAdded` subscribe reaches the buyer either in a read made after `Watching` or as an event after it —
never neither. The bid is started together with the subscribe (no hooks, no sleeps), round after round, so that its
commit falls before, during and after the server's watch in different rounds; whichever it was, the notification
is accounted for. (web/tests/notifications.e2e.ts once found the bell empty after a bid; the cause was the web
client's dropped re-reads — web/src/client/freshReads.ts — and this test shows the server's side of the contract
holds under the same race.)"""

from __future__ import annotations

import asyncio

from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, socket

ROUNDS = 12

SUBSCRIPTION = """subscription { notificationAdded {
  __typename
  ... on Watching { since }
  ... on NotificationAdded { notification { id kind } }
  ... on UserError { code }
} }"""
INBOX = """query { unreadNotificationCount notifications(first: 100) { edges { node { id kind } } } }"""
# How long an event committed after Watching may take to arrive (the hub hears it, reads it once, writes it).
ARRIVAL_SECONDS = 5.0


async def test_a_notification_committed_around_the_subscribe_is_read_or_delivered(
    api: Instance, clock: FakeClock
) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    maker = await make_manufacturer(api.gql, clock)
    orders = [await create_order(api.gql, buyer, clock) for _ in range(ROUNDS)]

    for round_no, order_id in enumerate(orders):
        async with socket(api, buyer.token) as ws:
            bid = asyncio.create_task(place_bid(api.gql, maker, order_id, clock))
            await ws.subscribe("n", SUBSCRIPTION)
            await ws.watching("n")
            after_watching = await api.gql(INBOX, token=buyer.token)
            await bid
            read = {edge["node"]["id"] for edge in after_watching["notifications"]["edges"]}
            delivered: set[str] = set()
            total = round_no + 1
            # Every notification of the buyer's so far is in the read, or comes as an event.
            async with asyncio.timeout(ARRIVAL_SECONDS):
                while len(read | delivered) < total:
                    data = await ws.next("n")
                    added = data["notificationAdded"]
                    assert added["__typename"] == "NotificationAdded", added
                    delivered.add(added["notification"]["id"])

        everything = await api.gql(INBOX, token=buyer.token)
        ids = {edge["node"]["id"] for edge in everything["notifications"]["edges"]}
        assert len(ids) == total
        assert read | delivered == ids
        assert everything["unreadNotificationCount"] == total
