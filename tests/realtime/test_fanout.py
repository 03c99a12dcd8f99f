"""Fan-out at scale: an event costs each API process one database read, whatever the number of its subscribers;
what each subscriber sees is decided from that shared read by the same rule as the SQL filters; a subscriber that
falls behind is cut loose without holding back the others."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from api.relay import decode_id
from domain.actor import Actor, Role
from domain.bids.service import bids_by_ids
from domain.contracts.service import contracts_by_ids
from domain.fanout.service import read_bids, read_contracts
from domain.realtime import Event, EventTopic, Shared, SubscriberLagging
from domain.uow import SessionFactory
from exchange.db import create_engine, create_session_factory
from exchange.realtime import PgEventHub
from tests.api.contracts import awarded
from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, Socket, serve, socket
from tests.realtime.fanout import WATCH, notify


@dataclass
class Usage:
    """What one API process's engine did while counting: statements sent and connections taken from its pool."""

    statements: list[str] = field(default_factory=list)
    checkouts: int = 0
    active: bool = False


@contextmanager
def usage(engine: AsyncEngine) -> Iterator[Usage]:
    counted = Usage()

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if counted.active:
            counted.statements.append(sql)

    def checkout(*_args: Any) -> None:
        if counted.active:
            counted.checkouts += 1

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine.pool, "checkout", checkout)
    try:
        yield counted
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", statement)
        event.remove(engine.sync_engine.pool, "checkout", checkout)


async def test_an_event_costs_each_process_one_read_whatever_its_number_of_subscribers(
    api: Instance, engine: AsyncEngine, make_deps: Callable[[Any], AppDeps], database_url: str, clock: FakeClock
) -> None:
    per_process = 6
    other_engine = create_engine(database_url, pool_size=2, max_overflow=2)
    try:
        async with serve(make_deps(create_session_factory(other_engine)), database_url) as other, AsyncExitStack() as s:
            buyer = await sign_up(api.gql, kind="BUYER")
            maker = await make_manufacturer(api.gql, clock)
            second = await make_manufacturer(api.gql, clock)
            order_id = await create_order(api.gql, buyer, clock, title="Flange")
            bid_id = await place_bid(api.gql, maker, order_id, clock, unit_price="120.00")
            sockets: list[Socket] = []
            for instance in (api, other):
                for _ in range(per_process):
                    ws = await s.enter_async_context(socket(instance, buyer.token))
                    await ws.subscribe("b", WATCH, {"id": order_id})
                    sockets.append(ws)
                await instance.wait_for_subscribers(EventTopic.bid_activity, per_process)
            # A first event through the API: every subscription is past its permission check after it.
            await place_bid(api.gql, second, order_id, clock)
            for ws in sockets:
                assert (await ws.next("b"))["bidActivity"]["kind"] == "PLACED"
            prepared_before = (api.hub.prepared, other.hub.prepared)

            order_key = str(decode_id(order_id, "Order", "id"))
            bid_key = str(decode_id(bid_id, "Bid", "id"))
            with usage(engine) as mine, usage(other_engine) as theirs:
                mine.active = theirs.active = True
                await notify(
                    database_url, Event(EventTopic.bid_activity, order_key, {"kind": "revised", "bid": bid_key})
                )
                heard = [(await ws.next("b"))["bidActivity"] for ws in sockets]
                mine.active = theirs.active = False
            prepared = (api.hub.prepared - prepared_before[0], other.hub.prepared - prepared_before[1])
    finally:
        await other_engine.dispose()

    assert prepared == (1, 1)
    assert (len(mine.statements), len(theirs.statements)) == (1, 1), (mine.statements, theirs.statements)
    assert all("FROM bid JOIN production_order" in sql for sql in mine.statements + theirs.statements)
    assert (mine.checkouts, theirs.checkouts) == (1, 1)
    assert len(heard) == 2 * per_process
    assert all(item == heard[0] for item in heard)
    assert heard[0]["kind"] == "REVISED"
    assert heard[0]["bid"]["id"] == bid_id
    assert heard[0]["bid"]["total"]["amount"] == "60000.00"
    assert heard[0]["bid"]["manufacturer"]["id"] == maker.organisation_id
    assert heard[0]["bid"]["order"] == {"id": order_id, "title": "Flange"}


async def test_what_a_viewer_sees_of_a_shared_read_is_what_the_sql_filter_gives_it(
    api: Instance, session_factory: SessionFactory, clock: FakeClock
) -> None:
    buyer, maker, contract_id = await awarded(api.gql, clock)
    rival = await make_manufacturer(api.gql, clock)
    order_id = await create_order(api.gql, buyer, clock)
    bid_id = UUID(str(decode_id(await place_bid(api.gql, rival, order_id, clock), "Bid", "id")))
    contract = UUID(str(decode_id(contract_id, "Contract", "id")))

    def member(party: Any, role: Role = Role.member) -> Actor:
        return Actor(
            user_id=uuid4(), memberships={UUID(str(decode_id(party.organisation_id, "Organisation", "id"))): role}
        )

    viewers = {
        "buyer": member(buyer),
        "bidder": member(rival),
        "winner of another order": member(maker),
        "operator": Actor(user_id=uuid4(), is_operator=True),
        "stranger": Actor(user_id=uuid4()),
        "of both": Actor(user_id=uuid4(), memberships={**member(maker).memberships, **member(rival).memberships}),
    }
    async with session_factory() as session:
        shared_bid = (await read_bids(session, [bid_id]))[bid_id]
        shared_contract = (await read_contracts(session, [contract]))[contract]
        answers = {}
        for name, actor in viewers.items():
            by_sql = (
                bid_id in await bids_by_ids(session, actor=actor, ids=[bid_id]),
                contract in await contracts_by_ids(session, actor=actor, ids=[contract]),
            )
            shared = shared_bid.seen_by(actor) is not None, shared_contract.seen_by(actor) is not None
            answers[name] = (by_sql, shared)

    assert all(by_sql == shared for by_sql, shared in answers.values()), answers
    assert {name: shared for name, (_, shared) in answers.items()} == {
        "buyer": (True, True),
        "bidder": (True, False),
        "winner of another order": (False, True),
        "operator": (True, True),
        "stranger": (False, False),
        "of both": (True, True),
    }


async def test_a_watcher_that_falls_behind_is_cut_loose_and_the_others_get_every_event(database_url: str) -> None:
    hub = PgEventHub(database_url)
    hub.queue_size = 3
    reads = 0

    async def prepare(item: Event) -> str:
        nonlocal reads
        reads += 1
        return item.data["n"]

    await hub.start()
    try:
        async with (
            hub.watch(EventTopic.contract, "k", prepare) as fast,
            hub.watch(EventTopic.contract, "k", prepare) as stalled,
        ):
            for n in range(8):
                await notify(database_url, Event(EventTopic.contract, "k", {"n": str(n)}))
                async with asyncio.timeout(10):
                    got: Shared[str] = await anext(fast)
                assert got.value == str(n)
            lagging = None
            try:
                async with asyncio.timeout(10):
                    await anext(stalled)
            except SubscriberLagging as error:
                lagging = error
            rooms_while_watching = hub.room_count()
        after = (hub.room_count(), hub.subscriber_count(), hub.running_tasks())
    finally:
        await hub.stop()

    assert reads == 8  # one per event for both watchers
    assert isinstance(lagging, SubscriberLagging)
    assert rooms_while_watching == 1
    assert after == (0, 0, 0)
