"""Memory back to its baseline after sockets close: 200 subscriptions opened, each given an event, and closed
leave no room, execution group, queue, watcher, writer or task behind, and the process's traced memory no bigger
than a small bound. (The sockets of a crowd open 20 at a time: 41 s in all on a loaded machine, 189 s one by one
with an execution per socket.)"""

from __future__ import annotations

import asyncio
import gc
import inspect
import tracemalloc
from asyncio import selector_events
from collections import Counter
from contextlib import AsyncExitStack

import pytest

from exchange.settings import Environment, Settings
from tests.api.graphql import Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, Socket, socket
from tests.realtime.fanout import WATCH


@pytest.fixture
def realtime_settings() -> Settings:
    """As tests/realtime/conftest.py's, but a socket may take 10 s to send connection_init: 200 sockets opened in
    batches under tracemalloc, on a loaded machine, ran past the 0.5 s the other realtime tests keep (their own
    timeout test needs it short); this test is about what the sockets leave behind, not how fast they start."""
    return Settings(env=Environment.test, ws_init_timeout_seconds=10, ws_max_subscriptions=3)


# What a second crowd of 200 closed subscriptions may leave behind in all (measured: ~250 kB, nearly all of it
# containers resized at the crowd's peak: the selector's map of file descriptors, the loop's transports, the
# pool's finalizers; and per-connection caches of prepared statements). Per-socket state left behind is caught by
# the count of live objects: no kind of object may be 200 more (one a socket) after the crowd than before it.
GROWTH_BOUND_BYTES = 400_000


def _data_received_line() -> int:
    """The event loop's line that hands a socket's bytes to its protocol: what asyncpg's Cython protocol allocates
    there (rows, codecs) is traced to that line."""
    transport = selector_events._SelectorSocketTransport  # type: ignore[attr-defined]  # private: not in typeshed
    lines, start = inspect.getsourcelines(transport._read_ready__data_received)
    return start + next(n for n, line in enumerate(lines) if "self._protocol.data_received(data)" in line)


# asyncpg's caches (prepared statements and their codecs, per pooled connection: bounded, filled differently by each
# crowd depending on which connection served which statement) are not the sockets'; a per-socket leak in them would
# still show in the count of live objects.
NOT_ASYNCPG = [
    tracemalloc.Filter(False, "*/asyncpg/*"),
    tracemalloc.Filter(False, selector_events.__file__, lineno=_data_received_line()),
]
PER_SOCKET_KINDS = 200
BATCH = 20


async def open_watch_close(api: Instance, buyer: Party, order_id: str, maker: Party, clock: FakeClock, n: int) -> None:
    async with AsyncExitStack() as stack:

        async def one() -> Socket:
            ws = await stack.enter_async_context(socket(api, buyer.token))
            await ws.subscribe("b", WATCH, {"id": order_id})
            return ws

        sockets: list[Socket] = []
        for _ in range(0, n, BATCH):  # a batch at a time: their sign-ins and permission checks overlap
            sockets += await asyncio.gather(*(one() for _ in range(BATCH)))
        for ws in sockets:
            await ws.watching("b")
        await place_bid(api.gql, maker, order_id, clock)
        for ws in sockets:
            assert (await ws.next("b"))["bidActivity"]["kind"] == "PLACED"
    async with asyncio.timeout(10):
        while api.hub.subscriber_count() or api.hub.room_count() or api.fanout.group_count():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


def live_objects() -> Counter[str]:
    """The objects the garbage collector tracks, by type."""
    return Counter(type(item).__qualname__ for item in gc.get_objects())


def running() -> Counter[str]:
    """The tasks alive now, by what they run."""
    return Counter(getattr(task.get_coro(), "__qualname__", repr(task.get_coro())) for task in asyncio.all_tasks())


async def test_200_subscriptions_opened_and_closed_leave_nothing_behind(api: Instance, clock: FakeClock) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    makers = [await make_manufacturer(api.gql, clock) for _ in range(3)]
    orders = [await create_order(api.gql, buyer, clock, title=f"Part {n}") for n in range(3)]
    # The first crowd is the baseline: containers keep the size their peak gave them (the loop's set of tasks and
    # its selector's map of sockets grow to 400 entries and do not shrink; each pooled connection caches its
    # prepared statements), which a second crowd of the same size reuses. A leak grows with every crowd.
    await open_watch_close(api, buyer, orders[0], makers[0], clock, 200)
    gc.collect()
    objects_before = live_objects()
    tasks_before = running()
    tracemalloc.start(1)  # one frame: deeper tracing slows 200 sockets past their timeouts
    try:
        baseline = tracemalloc.take_snapshot()
        await open_watch_close(api, buyer, orders[1], makers[1], clock, 200)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    tasks_after = running()
    differences = after.filter_traces(NOT_ASYNCPG).compare_to(baseline.filter_traces(NOT_ASYNCPG), "lineno")
    growth = sum(stat.size_diff for stat in differences)
    biggest = "\n".join(str(stat) for stat in differences[:5])
    del baseline, after, differences  # their traces are tuples by the thousand: not the server's
    gc.collect()
    grown = {kind: n for kind, n in (live_objects() - objects_before).items() if n >= PER_SOCKET_KINDS}
    assert (api.hub.subscriber_count(), api.hub.room_count(), api.hub.running_tasks()) == (0, 0, 0)
    assert (api.fanout.group_count(), api.fanout.member_count()) == (0, 0)
    assert not tasks_after - tasks_before, tasks_after - tasks_before
    assert grown == {}
    print(f"traced growth {growth} bytes; the biggest:\n{biggest}")
    assert growth < GROWTH_BOUND_BYTES, f"{growth} bytes retained; the biggest:\n{biggest}"
