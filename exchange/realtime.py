"""The per-process event hub: one dedicated asyncpg connection LISTENs on the events channel and hands
each notification to this process's subscribers through bounded in-process queues.

Two ways to subscribe. `subscribe` hands over the bare events (the socket's sign-in watcher needs no more).
`watch` is for subscriptions that show a subscriber something read from the database: the watchers of one
(topic, key) share a room, and the room runs the read (`prepare`, given by the first watcher) ONCE per event
and gives every watcher the same result — one database read per event per process, whatever the number of
sockets, instead of one session per subscriber per event. Each watcher decides from that result what its
viewer may see. Delivering never waits on a watcher: each has a bounded queue, and a watcher whose queue is
full has fallen behind (its socket is not reading): it is told so once (`SubscriberLagging` from its next
read; the subscription closes the socket with 1013 so the client reconnects and re-reads), its queue is
emptied, and it gets nothing more; the others go on.

Any number of API processes on one database each run one hub, so every process hears every event and
delivers it to its own websocket subscribers. Started and stopped with the app's lifespan. If the
listening connection drops — closed, or silently gone (a dropped network path sends nothing: a trivial query
every KEEPALIVE_SECONDS must come back) — the hub reconnects with backoff. Events sent while it was away were heard
by nobody on this process: once LISTEN is in force again, every watcher is told so (EventsMissed; the subscription
closes its socket with 1013, and the client reconnects and re-reads current state, after the listener is back),
and every bare subscriber is woken. Likewise for an event whose read (`prepare`) fails: its watchers missed it.

Every event offered to watchers gets a position (`Shared.seq`, increasing on this process), and `open_watch`
opens a watch without an await: the fan-out (api/realtime/fanout.py) uses both to hand a socket from one watch to
another without losing or repeating an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

import asyncpg
import structlog

from api.observability import prometheus as metrics
from domain.realtime import CHANNEL, Event, EventsMissed, EventTopic, Shared, SubscriberLagging

log = structlog.get_logger(__name__)

T = TypeVar("T")

QUEUE_SIZE = 100
MAX_BACKOFF_SECONDS = 30.0
KEEPALIVE_SECONDS = 30.0


def asyncpg_dsn(url: str) -> str:
    """postgresql+asyncpg://… (SQLAlchemy's spelling) -> postgresql://… (asyncpg's)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


class PgEventHub:
    def __init__(self, database_url: str, *, keepalive_seconds: float = KEEPALIVE_SECONDS) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._keepalive_seconds = keepalive_seconds
        self._subscribers: dict[tuple[EventTopic, str], set[asyncio.Queue[Event]]] = defaultdict(set)
        self._rooms: dict[tuple[EventTopic, str], _Room[Any]] = {}
        # Subscriptions served by another's watch (api/realtime/fanout.py: the sockets of one execution group).
        self._attached: dict[tuple[EventTopic, str], int] = defaultdict(int)
        self.queue_size = QUEUE_SIZE
        self.prepared = 0  # shared reads run (one per event per room): the fan-out's database cost
        self._seq = 0  # the last position given to an event offered to watchers (Shared.seq), this process
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._stopping = asyncio.Event()
        self.connections = 0  # how many times LISTEN was set up (reconnects show here)

    # Lifecycle ---------------------------------------------------------------------------------

    async def start(self, *, wait_seconds: float = 10.0) -> None:
        """Start listening; returns once LISTEN is in force (events committed after this are heard), or after
        `wait_seconds` if the database cannot be reached yet: the app still starts, and the hub keeps trying."""
        if self._task is not None:
            return
        self._stopping.clear()
        self._listening.clear()
        self._task = asyncio.create_task(self._run(), name="event-hub")
        waiter = asyncio.ensure_future(self._listening.wait())
        done, _ = await asyncio.wait({waiter, self._task}, timeout=wait_seconds, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if self._task in done:
                self._task.result()  # raises what stopped it
            log.warning("events.not_listening_yet", waited_seconds=wait_seconds)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stopping.set()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            lost = asyncio.Event()
            try:
                conn: Any = await asyncpg.connect(self._dsn, server_settings={"application_name": "exchange-events"})
            except (OSError, asyncpg.PostgresError) as error:
                attempt += 1
                delay = min(2.0**attempt / 4, MAX_BACKOFF_SECONDS)
                log.warning("events.connect_failed", error=repr(error), retry_in=delay)
                await asyncio.sleep(delay)
                continue
            try:
                conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, self._on_notify)
                attempt = 0
                self.connections += 1
                self._listening.set()
                log.info("events.listening", channel=CHANNEL)
                if self.connections > 1:
                    self._missed()
                await self._until_lost(conn, lost)
                log.warning("events.connection_lost")
            finally:
                self._listening.clear()
                with contextlib.suppress(Exception):
                    await asyncio.shield(conn.close(timeout=2))

    async def _until_lost(self, conn: Any, lost: asyncio.Event) -> None:
        """Returns once the listening connection is gone: closed (its termination listener fired), or silent —
        a trivial query did not come back within the keepalive interval."""
        while True:
            try:
                await asyncio.wait_for(lost.wait(), timeout=self._keepalive_seconds)
                return
            except TimeoutError:
                pass
            try:
                await conn.fetchval("SELECT 1", timeout=self._keepalive_seconds)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                log.warning("events.keepalive_failed", error=repr(error))
                return

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            event = Event.decode(payload)
        except (ValueError, KeyError) as error:
            log.warning("events.bad_payload", error=repr(error))
            return
        slot = (event.topic, event.key)
        for queue in list(self._subscribers.get(slot, ())):
            if queue.full():
                # A subscriber this far behind has stalled: it loses the oldest event, not the newest.
                queue.get_nowait()
                log.warning("events.subscriber_lagging", topic=event.topic.value)
            queue.put_nowait(event)
        room = self._rooms.get(slot)
        if room is not None:
            metrics.REALTIME_EVENTS.labels(event.topic.value).inc()
            room.hear(event)

    def _missed(self) -> None:
        """LISTEN is in force again after the connection was lost: whatever was committed in between was not heard.
        Every watcher is told (EventsMissed from its next read: its socket is closed with 1013, its client
        reconnects and re-reads, after this point, so that nothing is lost to it); every bare subscriber is woken
        with a `missed` event (the socket's sign-in watcher re-checks at once: a sign-out may have been missed)."""
        watchers = 0
        for (topic, _), room in list(self._rooms.items()):
            for watcher in list(room.watchers):
                if not watcher.lagging:
                    watcher.lag(missed=True)
                    watchers += 1
                    metrics.REALTIME_LAGGING.labels(topic.value).inc()
        for (topic, key), queues in list(self._subscribers.items()):
            for queue in list(queues):
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(Event(topic, key, {"missed": True}))
        log.warning("events.missed_while_reconnecting", watchers=watchers, connections=self.connections)

    # Subscribing -------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: EventTopic, key: UUID | str) -> AsyncIterator[AsyncIterator[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        slot = (topic, str(key))
        self._subscribers[slot].add(queue)

        async def events() -> AsyncIterator[Event]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            self._subscribers[slot].discard(queue)
            if not self._subscribers[slot]:
                del self._subscribers[slot]

    @contextlib.asynccontextmanager
    async def watch(
        self, topic: EventTopic, key: UUID | str, prepare: Callable[[Event], Awaitable[T | None]]
    ) -> AsyncIterator[AsyncIterator[Shared[T]]]:
        """Events on (`topic`, `key`) from now on, each with what `prepare` made of it — run once per event for
        all the watchers of (`topic`, `key`) on this process (the first watcher's `prepare` serves the room; an
        event it makes None of, e.g. a read skipped through an outage, is not delivered). Iterating raises
        SubscriberLagging once this watcher has fallen QUEUE_SIZE events behind."""
        opened = self.open_watch(topic, key, prepare)
        try:
            yield opened.events()
        finally:
            opened.close()

    def open_watch(
        self, topic: EventTopic, key: UUID | str, prepare: Callable[[Event], Awaitable[T | None]]
    ) -> Watch[T]:
        """`watch` without a block, and without waiting: the watch is in force when this returns (no await comes
        between the call and the room's next offer), so that a caller can start one watch before ending another
        and lose no event between them (api/realtime/fanout.py moves a socket between groups so). Close it."""
        slot = (topic, str(key))
        room = self._rooms.get(slot)
        if room is None:
            room = self._rooms[slot] = _Room(self, topic, prepare, last_seq=self._seq)
        watcher = _Watcher[T](self.queue_size)
        room.watchers.add(watcher)
        return Watch(self, slot, room, watcher)

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @contextlib.contextmanager
    def attach(self, topic: EventTopic, key: UUID | str) -> Iterator[None]:
        """Count a subscription on (`topic`, `key`) that hears events through a watch it shares (one execution
        for a group of sockets, api/realtime/fanout.py): subscriber_count includes it while the block runs."""
        slot = (topic, str(key))
        self._attached[slot] += 1
        try:
            yield
        finally:
            self._attached[slot] -= 1
            if not self._attached[slot]:
                del self._attached[slot]

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    async def until_listening(self) -> None:
        """Returns once LISTEN is in force (at once, mostly): a watch opened now hears every event committed from
        now on only then. A subscription says `Watching` after this (api/realtime/subscriptions.py)."""
        if not self._listening.is_set():
            await self._listening.wait()

    def subscriber_count(self, topic: EventTopic | None = None) -> int:
        bare = sum(len(queues) for (t, _), queues in self._subscribers.items() if topic is None or t == topic)
        watching = sum(len(room.watchers) for (t, _), room in self._rooms.items() if topic is None or t == topic)
        attached = sum(n for (t, _), n in self._attached.items() if topic is None or t == topic)
        return bare + watching + attached

    def room_count(self) -> int:
        return len(self._rooms)

    def running_tasks(self) -> int:
        """Room tasks alive (none once every watcher has gone: what a leak would show)."""
        return sum(1 for room in self._rooms.values() if room.task is not None and not room.task.done())


class Watch(Generic[T]):
    """One watcher's place in a room (`PgEventHub.open_watch`): the events it will be offered are those with a
    `seq` above `start`, in order; `offered` is the position of the last event its room offered anyone."""

    __slots__ = ("_hub", "_room", "_slot", "_watcher", "start")

    def __init__(self, hub: PgEventHub, slot: tuple[EventTopic, str], room: _Room[T], watcher: _Watcher[T]) -> None:
        self._hub = hub
        self._slot = slot
        self._room: _Room[T] | None = room
        self._watcher = watcher
        self.start = room.last_seq

    @property
    def offered(self) -> int:
        """The last position this watch's room offered (its watchers have been given every event up to it)."""
        return self._room.last_seq if self._room is not None else self.start

    @property
    def closed(self) -> bool:
        return self._room is None

    def events(self) -> AsyncIterator[Shared[T]]:
        return self._watcher.events()

    def close(self) -> None:
        room = self._room
        if room is None:
            return
        self._room = None
        room.watchers.discard(self._watcher)
        self._watcher.drop()
        current = self._hub._rooms.get(self._slot)
        if not room.watchers and current is not None and current is room:
            del self._hub._rooms[self._slot]
            current.close()


class _Watcher(Generic[T]):
    """One subscription's bounded queue in a room."""

    __slots__ = ("lagging", "missed", "queue")

    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[Shared[T]] = asyncio.Queue(size)
        self.lagging = False
        self.missed = False  # lagging because the listener was away, not because this watcher was slow

    def offer(self, item: Shared[T]) -> bool:
        """Queue `item` without waiting; False when the queue was full: the watcher is lagging from now on."""
        if self.lagging:
            return True
        try:
            self.queue.put_nowait(item)
            return True
        except asyncio.QueueFull:
            self.lag()
            return False

    def lag(self, *, missed: bool = False) -> None:
        """Nothing more for this watcher: its queue is emptied (the memory is let go at once) and its reader
        learns it is behind at its next read (EventsMissed when `missed`: the listener was away)."""
        self.lagging = True
        self.missed = missed
        self.drop()
        self.queue.put_nowait(_LAGGING)

    def drop(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()

    async def events(self) -> AsyncIterator[Shared[T]]:
        while True:
            item = await self.queue.get()
            if item is _LAGGING or self.lagging:
                raise EventsMissed() if self.missed else SubscriberLagging()
            yield item


_LAGGING: Any = object()


@dataclass(eq=False)
class _Room(Generic[T]):
    """The watchers of one (topic, key) and the one task that prepares each event for all of them."""

    hub: PgEventHub
    topic: EventTopic
    prepare: Callable[[Event], Awaitable[T | None]]
    last_seq: int = 0  # the position of the last event offered to the watchers

    def __post_init__(self) -> None:
        self.watchers: set[_Watcher[T]] = set()
        self.pending: asyncio.Queue[tuple[Event, float]] = asyncio.Queue(self.hub.queue_size)
        self.task: asyncio.Task[None] | None = None

    def hear(self, event: Event) -> None:
        if self.pending.full():
            # The process cannot read as fast as events come: every watcher has missed one, and is told so.
            log.warning("events.room_lagging", topic=self.topic.value)
            self.pending.get_nowait()
            for watcher in list(self.watchers):
                self._lag(watcher)
        self.pending.put_nowait((event, time.perf_counter()))
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run(), name=f"event-room-{self.topic.value}")

    def _lag(self, watcher: _Watcher[T]) -> None:
        if not watcher.lagging:
            watcher.lag()
            metrics.REALTIME_LAGGING.labels(self.topic.value).inc()

    async def _run(self) -> None:
        while True:
            event, heard_at = await self.pending.get()
            try:
                shared = await self.prepare(event)
            except Exception:
                # The event could not be read (the database stayed away through the retries, or a fault): every
                # watcher missed it and is told so (its socket closes with 1013, its client re-reads); the room
                # goes on for later watchers.
                log.exception("events.prepare_failed", topic=self.topic.value)
                for watcher in list(self.watchers):
                    if not watcher.lagging:
                        watcher.lag(missed=True)
                        metrics.REALTIME_LAGGING.labels(self.topic.value).inc()
                continue
            finally:
                self.hub.prepared += 1
            if shared is None:
                continue
            self.last_seq = self.hub.next_seq()
            item = Shared(event, shared, heard_at, self.last_seq)
            metrics.REALTIME_DELIVERY.labels("read").observe(time.perf_counter() - heard_at)
            for watcher in list(self.watchers):
                if not watcher.offer(item):
                    metrics.REALTIME_LAGGING.labels(self.topic.value).inc()
                    log.warning("events.watcher_lagging", topic=self.topic.value)

    def close(self) -> None:
        # Cancelled, not awaited: the last watcher may be leaving because its own task is being cancelled.
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
