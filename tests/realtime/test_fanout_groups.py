"""Sockets that must receive the same bytes share one execution of their subscription; sockets whose viewers have
different rights on what the payload shows do not, and each gets what its own rights give it."""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from api.realtime.closing import LAGGING, LAGGING_CODE
from api.realtime.fanout import SocketWriter, audience
from domain.actor import Actor, Role
from domain.realtime import EventTopic
from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, Socket, socket
from tests.realtime.fanout import RIGHTS_WATCH as WATCH
from tests.realtime.fanout import colleague, executions


async def test_same_rights_share_one_execution_and_different_rights_get_their_own(
    api: Instance, clock: FakeClock
) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    second_admin = await colleague(api.gql, buyer, "ADMIN", 1)
    member = await colleague(api.gql, buyer, "MEMBER", 2)
    maker = await make_manufacturer(api.gql, clock)
    other_maker = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)
    other_order = await create_order(api.gql, buyer, clock)
    viewers = {
        "admin": buyer.token,
        "admin again": buyer.token,
        "second admin": second_admin,
        "second admin again": second_admin,
        "member": member,
        "member again": member,
    }
    async with AsyncExitStack() as stack:
        sockets: dict[str, Socket] = {}
        for name, token in viewers.items():
            sockets[name] = await stack.enter_async_context(socket(api, token))
            await sockets[name].subscribe("w", WATCH, {"id": order_id})
        # The same document on another order: another group (the variables differ).
        elsewhere = await stack.enter_async_context(socket(api, buyer.token))
        await elsewhere.subscribe("w", WATCH, {"id": other_order})
        # A bidder may not watch the order: refused, alone, whatever group it would have joined.
        bidder = await stack.enter_async_context(socket(api, maker.token))
        await bidder.subscribe("w", WATCH, {"id": order_id})
        refused = await bidder.next("w")
        await api.wait_for_subscribers(EventTopic.bid_activity, len(viewers) + 1)

        before = executions()
        bid_id = await place_bid(api.gql, other_maker, order_id, clock)
        frames = {name: await ws.next("w") for name, ws in sockets.items()}
        executed = executions() - before

        groups = api_fanout_groups(api)

    assert refused == {"bidActivity": {"__typename": "PermissionDeniedError", "code": "FORBIDDEN"}}
    # Six sockets, three users, two kinds of rights on the order: two executions (the other order heard nothing).
    assert executed == 2
    assert groups == 3  # while they were open: admins, members, and the other order's admin
    admin_view = frames["admin"]["bidActivity"]
    member_view = frames["member"]["bidActivity"]
    assert admin_view["bid"]["id"] == member_view["bid"]["id"] == bid_id
    assert (admin_view["bid"]["viewerCanAward"], member_view["bid"]["viewerCanAward"]) == (True, False)
    assert admin_view["bid"]["viewerCanWithdraw"] is member_view["bid"]["viewerCanWithdraw"] is False
    assert all(frames[name]["bidActivity"] == admin_view for name in viewers if "admin" in name)
    assert frames["member again"]["bidActivity"] == member_view


def api_fanout_groups(api: Instance) -> int:
    """How many execution groups the instance's GraphQL view holds."""
    return api.fanout.group_count()


def test_the_audience_is_the_rights_not_the_user() -> None:
    org = uuid4()
    other = uuid4()
    admin = Actor(user_id=uuid4(), memberships={org: Role.admin})
    admin_too = Actor(user_id=uuid4(), memberships={org: Role.admin})
    member = Actor(user_id=uuid4(), memberships={org: Role.member})
    admin_elsewhere_too = Actor(user_id=uuid4(), memberships={org: Role.admin, other: Role.member})
    operator = Actor(user_id=uuid4(), is_operator=True, memberships={org: Role.admin})

    assert audience(admin) == audience(admin_too)
    assert len({audience(admin), audience(member), audience(admin_elsewhere_too), audience(operator)}) == 4


class Stalled:
    """A websocket as the writer sees it: `send_text` records, or never returns (a client that stopped reading)."""

    def __init__(self, *, reads: bool) -> None:
        self.reads = reads
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None

    async def send_text(self, frame: str) -> None:
        if not self.reads:
            await asyncio.Event().wait()
        self.sent.append(frame)


async def test_a_socket_that_stops_reading_is_closed_and_does_not_delay_the_others() -> None:
    fast_socket, slow_socket = Stalled(reads=True), Stalled(reads=False)
    closes: list[tuple[Stalled, str, int]] = []

    def context(ws: Stalled) -> Any:
        async def end_session(reason: str, *, code: int = 4401) -> None:
            closes.append((ws, reason, code))

        return SimpleNamespace(request=ws, actor=Actor(user_id=uuid4()), end_session=end_session)

    fast, slow = SocketWriter(context(fast_socket), limit=10), SocketWriter(context(slow_socket), limit=10)
    offered: list[tuple[bool, bool]] = []
    started = time.perf_counter()
    for n in range(25):  # as a group hands out 25 results: no await between the sockets
        offered.append((fast.offer(f"frame {n}"), slow.offer(f"frame {n}")))
        await asyncio.sleep(0)  # the loop runs the writers between two results
    handing_out = time.perf_counter() - started
    async with asyncio.timeout(5):
        while len(fast_socket.sent) < 25 or not closes:  # noqa: ASYNC110  (the writers' tasks)
            await asyncio.sleep(0.01)
    waiting_after = slow.waiting
    fast.stop()

    assert fast_socket.sent == [f"frame {n}" for n in range(25)]
    assert all(accepted for accepted, _ in offered)
    # The slow socket took its first frame into the stalled send, then 10 waited; the 12th found the queue full.
    assert [accepted for _, accepted in offered] == [True] * 11 + [False] * 14
    assert closes == [(slow_socket, LAGGING, LAGGING_CODE)]
    assert slow.closed and waiting_after == 0  # nothing more is kept for it
    assert handing_out < 1.0
