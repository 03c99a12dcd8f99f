"""The per-process event hub: one dedicated asyncpg connection LISTENs on the events channel and hands
each notification to this process's subscribers through bounded in-process queues.

Any number of API processes on one database each run one hub, so every process hears every event and
delivers it to its own websocket subscribers. Started and stopped with the app's lifespan. If the
listening connection drops — closed, or silently gone (a dropped network path sends nothing: a trivial query
every KEEPALIVE_SECONDS must come back) — the hub reconnects with backoff; events sent while it was away are lost
to the live stream (subscribers re-read state on their next event; the notification inbox keeps them).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from domain.realtime import CHANNEL, Event, EventTopic

log = structlog.get_logger(__name__)

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
        for queue in list(self._subscribers.get((event.topic, event.key), ())):
            if queue.full():
                # A subscriber this far behind has stalled: it loses the oldest event, not the newest.
                queue.get_nowait()
                log.warning("events.subscriber_lagging", topic=event.topic.value)
            queue.put_nowait(event)

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

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def subscriber_count(self, topic: EventTopic | None = None) -> int:
        return sum(len(queues) for (t, _), queues in self._subscribers.items() if topic is None or t == topic)
