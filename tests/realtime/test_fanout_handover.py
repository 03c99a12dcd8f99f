"""Nothing lost, nothing twice, where a socket changes hands inside the fan-out: a socket moving to the group of its
new rights (into a brand-new group whose leader has not started, or into an existing group while its old group
still has events to execute), a socket's first subscription (an event while its permission check runs), and the
socket whose context a group's leader borrowed leaving. The interleavings are forced with hooks on the real code
(asyncio.Events), against the real hub and PostgreSQL; no sleeps-and-hope."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from api.realtime import fanout as fanout_module
from api.realtime import subscriptions as subscriptions_module
from api.realtime.closing import LAGGING_CODE, MISSED
from api.relay import decode_id
from domain.actor import Role
from domain.realtime import Event, EventTopic
from domain.uow import SessionFactory
from exchange import realtime as realtime_module
from exchange.realtime import asyncpg_dsn
from exchange.settings import Environment, Settings
from tests.api.graphql import Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import TIMEOUT, Instance, socket
from tests.realtime.fanout import RIGHTS_WATCH as WATCH
from tests.realtime.fanout import colleague, executions, notify
from tests.realtime.handover import (
    bid_of,
    groups_with,
    heard,
    hold_next_release,
    no_more,
    order_key,
    promote,
    token_of,
    until,
)


@pytest.fixture
def realtime_settings() -> Settings:
    # No periodic re-check in these tests: each re-check is asked for, at the moment the test needs it.
    return Settings(
        env=Environment.test, ws_init_timeout_seconds=0.5, ws_max_subscriptions=3, ws_auth_check_seconds=3600
    )


async def test_a_socket_moving_into_a_new_group_gets_the_event_heard_before_the_new_leader_watches(
    api: Instance,
    clock: FakeClock,
    session_factory: SessionFactory,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The gap issue 23 left: the member is alone in its group; promoted, it moves to a group of admins that does
    not exist yet. The new group's leader is held before it starts while a bid is committed and heard; then let go.
    The moved socket gets that bid (with its new rights: viewerCanAward), and every later one once."""
    buyer = await sign_up(api.gql, kind="BUYER")
    member = await colleague(api.gql, buyer, "MEMBER", 11)
    makers = [await make_manufacturer(api.gql, clock) for _ in range(3)]
    order_id = await create_order(api.gql, buyer, clock)

    leader_started, release = asyncio.Event(), asyncio.Event()
    lead = fanout_module.Group._lead

    async def held_lead(self: Any) -> None:
        if Role.admin in dict(self.key.audience[1]).values():
            leader_started.set()
            await release.wait()
        await lead(self)

    monkeypatch.setattr(fanout_module.Group, "_lead", held_lead)

    async with socket(api, member) as ws, heard(api, order_id) as next_heard:
        await ws.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity)
        first = await place_bid(api.gql, makers[0], order_id, clock)
        assert bid_of(await ws.next("w")) == (first, False)
        await next_heard()

        (group,) = groups_with(api, Role.member)
        await promote(session_factory, f"colleague11-{buyer.email}", database_url, token_of(group))
        async with asyncio.timeout(TIMEOUT):
            await leader_started.wait()  # the socket has moved; its new group's leader has not run yet
        second = await place_bid(api.gql, makers[1], order_id, clock)
        assert (await next_heard()).data["bid"] == str(decode_id(second, "Bid", "id"))  # this process heard it
        release.set()

        got_second = bid_of(await ws.next("w"))
        third = await place_bid(api.gql, makers[2], order_id, clock)
        got_third = bid_of(await ws.next("w"))
        await no_more(ws)
        groups = api.fanout.group_count()

    assert got_second == (second, True)
    assert got_third == (third, True)
    assert groups == 1


async def test_a_socket_moving_while_its_old_group_is_behind_gets_every_event_once(
    api: Instance,
    clock: FakeClock,
    session_factory: SessionFactory,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The member's group is held after an event (its leader waits between two events) while the admins' group goes
    on. Two bids come: the member's group has the first still to execute when the member is promoted and moves into
    the admins' group, which has already executed it; the second bid comes while the move is under way. The member
    gets each bid once, in order: the one heard before its move with the rights it had (from its old group), the
    one after with its new rights (from its new group); then the old group is gone."""
    buyer = await sign_up(api.gql, kind="BUYER")
    member = await colleague(api.gql, buyer, "MEMBER", 12)
    makers = [await make_manufacturer(api.gql, clock) for _ in range(5)]
    order_id = await create_order(api.gql, buyer, clock)

    hold, held, release = hold_next_release(monkeypatch)  # `hold`: the context whose next release waits

    async with socket(api, buyer.token) as admin_ws, socket(api, member) as member_ws:
        await admin_ws.subscribe("w", WATCH, {"id": order_id})
        await member_ws.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity, 2)
        (old_group,) = groups_with(api, Role.member)
        hold.append(old_group._ctx)  # the member's group's leader stops after its next event

        first = await place_bid(api.gql, makers[0], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (first, True)
        assert bid_of(await member_ws.next("w")) == (first, False)
        async with asyncio.timeout(TIMEOUT):
            await held.wait()

        second = await place_bid(api.gql, makers[1], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (second, True)  # the admins' group executed it; the member's not

        before = executions()
        await promote(session_factory, f"colleague12-{buyer.email}", database_url, token_of(old_group))
        (admins,) = groups_with(api, Role.admin)
        await until(lambda: len(admins.members) == 2)  # the member's socket has moved in
        third = await place_bid(api.gql, makers[2], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (third, True)  # the admins' group handed it out (member: held)
        release.set()

        got = [bid_of(await member_ws.next("w")), bid_of(await member_ws.next("w"))]
        fourth = await place_bid(api.gql, makers[3], order_id, clock)
        got.append(bid_of(await member_ws.next("w")))
        assert bid_of(await admin_ws.next("w")) == (fourth, True)
        await no_more(member_ws)
        await no_more(admin_ws)
        moved_executions = executions() - before
        groups = api.fanout.group_count()

    assert got == [(second, False), (third, True), (fourth, True)]
    # The old group executed the second bid (then, empty, stopped); the admins' group the third and the fourth.
    assert moved_executions == 3
    assert groups == 1


@pytest.mark.parametrize("then", ["demoted", "removed"])
async def test_rights_changing_again_during_a_move_show_no_event_with_rights_already_gone(
    api: Instance,
    clock: FakeClock,
    session_factory: SessionFactory,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    then: str,
) -> None:
    """The member is promoted (its socket moves towards the admins' group while its old group, held, still has a bid
    to execute), then demoted again or removed from the buyer before the move is over. No event is shown with the
    admin rights that are already gone: the old group serves the bid heard before; after the demotion the old
    group serves the socket again as before, after the removal the socket sees nothing more of the order."""
    buyer = await sign_up(api.gql, kind="BUYER")
    member = await colleague(api.gql, buyer, "MEMBER", 14)
    email = f"colleague14-{buyer.email}"
    makers = [await make_manufacturer(api.gql, clock) for _ in range(4)]
    order_id = await create_order(api.gql, buyer, clock)

    hold, held, release = hold_next_release(monkeypatch)  # `hold`: the context whose next release waits

    async with socket(api, buyer.token) as admin_ws, socket(api, member) as member_ws:
        await admin_ws.subscribe("w", WATCH, {"id": order_id})
        await member_ws.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity, 2)
        (old_group,) = groups_with(api, Role.member)
        (moving,) = old_group.members
        token_id = token_of(old_group)
        hold.append(old_group._ctx)

        first = await place_bid(api.gql, makers[0], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (first, True)
        assert bid_of(await member_ws.next("w")) == (first, False)
        async with asyncio.timeout(TIMEOUT):
            await held.wait()
        second = await place_bid(api.gql, makers[1], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (second, True)

        await promote(session_factory, email, database_url, token_id)
        (admins,) = groups_with(api, Role.admin)
        await until(lambda: moving.group is admins)
        async with session_factory() as session:
            change = (
                "UPDATE membership SET role = 'member' FROM app_user"
                if then == "demoted"
                else "DELETE FROM membership USING app_user"
            )
            await session.execute(
                text(f"{change} WHERE app_user.id = membership.user_id AND app_user.email = :email"), {"email": email}
            )
            await session.commit()
        await notify(database_url, Event(EventTopic.session, str(token_id), {"changed": "memberships"}))
        await until(lambda: Role.admin not in moving.ctx.actor.memberships.values())
        third = await place_bid(api.gql, makers[2], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (third, True)
        release.set()

        got = [bid_of(await member_ws.next("w"))]
        fourth = await place_bid(api.gql, makers[3], order_id, clock)
        assert bid_of(await admin_ws.next("w")) == (fourth, True)
        if then == "demoted":
            got += [bid_of(await member_ws.next("w")), bid_of(await member_ws.next("w"))]
        await no_more(member_ws)
        audiences = sorted(sorted(dict(g.key.audience[1]).values()) for g in api.fanout.groups.values())

    if then == "demoted":  # back in its old group, which served it every bid with the member's rights
        assert got == [(second, False), (third, False), (fourth, False)]
        assert audiences == [[Role.admin], [Role.member]]
    else:  # the bid heard before the removal, with the rights it had then; nothing after
        assert got == [(second, False)]
        assert audiences == [[], [Role.admin]]


async def test_a_socket_whose_rights_changed_unnoticed_moves_as_its_event_is_handed_out_and_keeps_it(
    api: Instance,
    clock: FakeClock,
    session_factory: SessionFactory,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check as a result is handed out: the socket's context already has the new rights but the re-check's hook
    has not moved it (here it never does). The event being handed out moves it, and is still delivered to it (heard
    under the rights it had); the next comes from its new group, once."""
    buyer = await sign_up(api.gql, kind="BUYER")
    member = await colleague(api.gql, buyer, "MEMBER", 13)
    makers = [await make_manufacturer(api.gql, clock) for _ in range(3)]
    order_id = await create_order(api.gql, buyer, clock)
    monkeypatch.setattr(fanout_module.Member, "rights_checked", lambda self: None)

    async with socket(api, member) as ws:
        await ws.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity)
        first = await place_bid(api.gql, makers[0], order_id, clock)
        assert bid_of(await ws.next("w")) == (first, False)
        (group,) = groups_with(api, Role.member)
        (moving,) = group.members
        await promote(session_factory, f"colleague13-{buyer.email}", database_url, token_of(group))
        await until(lambda: Role.admin in moving.ctx.actor.memberships.values())
        assert api.fanout.groups.get(group.key) is group  # not moved yet
        second = await place_bid(api.gql, makers[1], order_id, clock)
        got = [bid_of(await ws.next("w"))]
        third = await place_bid(api.gql, makers[2], order_id, clock)
        got.append(bid_of(await ws.next("w")))
        await no_more(ws)
        groups = [dict(g.key.audience[1]) for g in api.fanout.groups.values()]

    assert got == [(second, False), (third, True)]
    assert [set(roles.values()) for roles in groups] == [{Role.admin}]


@pytest.mark.parametrize("joining", [False, True], ids=["new group", "existing group"])
async def test_an_event_while_a_first_subscription_is_checked_is_delivered_after_the_check(
    api: Instance, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, joining: bool
) -> None:
    """A socket's first subscription watches before its permission check reads the database, whether it makes its
    group or joins one that already watches: a bid committed while the check runs is delivered once the check
    passes (and once only), and the socket already there gets it without waiting for the check."""
    buyer = await sign_up(api.gql, kind="BUYER")
    makers = [await make_manufacturer(api.gql, clock) for _ in range(3)]
    order_id = await create_order(api.gql, buyer, clock)

    checking, release = asyncio.Event(), asyncio.Event()
    require = subscriptions_module.require_buyer_view

    async def held_check(*args: Any, **kwargs: Any) -> Any:
        checking.set()
        await release.wait()
        return await require(*args, **kwargs)

    async with socket(api, buyer.token) as there, socket(api, buyer.token) as ws, heard(api, order_id) as next_heard:
        if joining:  # a socket whose check has passed: it is being served by the group
            await there.subscribe("w", WATCH, {"id": order_id})
            await api.wait_for_subscribers(EventTopic.bid_activity)
            before = await place_bid(api.gql, makers[2], order_id, clock)
            assert bid_of(await there.next("w")) == (before, True)
            await next_heard()
        monkeypatch.setattr(subscriptions_module, "require_buyer_view", held_check)
        await ws.subscribe("w", WATCH, {"id": order_id})
        async with asyncio.timeout(TIMEOUT):
            await checking.wait()
        during = await place_bid(api.gql, makers[0], order_id, clock)
        await next_heard()
        if joining:
            assert bid_of(await there.next("w")) == (during, True)  # not held back by the other's check
        release.set()
        got = [bid_of(await ws.next("w"))]
        after = await place_bid(api.gql, makers[1], order_id, clock)
        got.append(bid_of(await ws.next("w")))
        await no_more(ws)
        groups = api.fanout.group_count()

    assert got == [(during, True), (after, True)]
    assert groups == 1


async def test_the_socket_whose_context_the_leader_borrowed_leaving_loses_nothing_for_the_others(
    api: Instance, clock: FakeClock
) -> None:
    """A group's leader reads as its first member's viewer, over that member's connection object. When that socket
    closes, the group goes on for the others: the next bid, committed right after the close, reaches them, executed
    once."""
    buyer: Party = await sign_up(api.gql, kind="BUYER")
    makers = [await make_manufacturer(api.gql, clock) for _ in range(2)]
    order_id = await create_order(api.gql, buyer, clock)
    async with socket(api, buyer.token) as second, socket(api, buyer.token) as third:
        async with socket(api, buyer.token) as first:
            await first.subscribe("w", WATCH, {"id": order_id})
            await api.wait_for_subscribers(EventTopic.bid_activity, 1)
            await second.subscribe("w", WATCH, {"id": order_id})
            await third.subscribe("w", WATCH, {"id": order_id})
            await api.wait_for_subscribers(EventTopic.bid_activity, 3)
            bid = await place_bid(api.gql, makers[0], order_id, clock)
            assert [bid_of(await ws.next("w")) for ws in (first, second, third)] == [(bid, True)] * 3
        await until(lambda: api.fanout.member_count() == 2)
        before = executions()
        bid = await place_bid(api.gql, makers[1], order_id, clock)
        got = [bid_of(await ws.next("w")) for ws in (second, third)]
        once = executions() - before
        groups = api.fanout.group_count()

    assert got == [(bid, True)] * 2
    assert (once, groups) == (1, 1)


ORDER_BIDS = "query($id: ID!) { node(id: $id) { ... on Order { bids(first: 50) { edges { node { id } } } } } }"


class HeldReconnect:
    """exchange.realtime's view of asyncpg, whose `connect` after the first waits for `release` (the hub's listener
    is away for as long as the test needs); the rest is asyncpg."""

    def __init__(self) -> None:
        self.calls = 0
        self.reconnecting, self.release = asyncio.Event(), asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncpg, name)

    async def connect(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls > 1:
            self.reconnecting.set()
            await self.release.wait()
        return await asyncpg.connect(*args, **kwargs)


async def test_events_missed_while_the_listener_reconnects_close_the_sockets_so_that_clients_re_read(
    api: Instance, clock: FakeClock, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process's LISTEN connection drops (its backend is terminated) and a bid is committed before it is back:
    nobody on this process heard it. Once LISTEN is in force again every subscription's socket is closed with 1013
    and a reason that says events may have been missed (a graphql-ws client reconnects by itself and the web app
    re-reads); the session watcher is woken. The re-read shows the bid, and a new subscription hears the next one."""
    buyer = await sign_up(api.gql, kind="BUYER")
    makers = [await make_manufacturer(api.gql, clock) for _ in range(3)]
    order_id = await create_order(api.gql, buyer, clock)
    held = HeldReconnect()
    await api.hub.stop()  # listen again through the held view of asyncpg
    monkeypatch.setattr(realtime_module, "asyncpg", held)
    await api.hub.start()

    async with socket(api, buyer.token) as ws, socket(api, buyer.token) as alone:
        await ws.subscribe("w", WATCH, {"id": order_id})
        await alone.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity, 2)
        first = await place_bid(api.gql, makers[0], order_id, clock)
        assert bid_of(await ws.next("w")) == (first, True)
        assert bid_of(await alone.next("w")) == (first, True)

        async with api.hub.subscribe(EventTopic.bid_activity, order_key(order_id)) as bare:
            control = await asyncpg.connect(asyncpg_dsn(database_url))
            try:
                await control.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'exchange-events'"
                )
            finally:
                await control.close()
            async with asyncio.timeout(TIMEOUT):
                await held.reconnecting.wait()
            missed = await place_bid(api.gql, makers[1], order_id, clock)  # committed while nobody listens here
            held.release.set()
            closes = [await ws.closed(), await alone.closed()]
            async with asyncio.timeout(TIMEOUT):
                woken = await anext(bare)

    reread = await api.gql(ORDER_BIDS, {"id": order_id}, token=buyer.token)
    async with socket(api, buyer.token) as again:
        await again.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity)
        after = await place_bid(api.gql, makers[2], order_id, clock)
        heard_after = bid_of(await again.next("w"))

    assert closes == [(LAGGING_CODE, MISSED)] * 2
    assert woken.data == {"missed": True}
    assert missed in {edge["node"]["id"] for edge in reread["node"]["bids"]["edges"]}
    assert heard_after == (after, True)
    assert held.calls == 2  # listening, then listening again once
