"""The one read a process makes for an event, shared by all its subscribers on that process (the hub's `watch`
runs it once per event). When the database is away for that read, it is tried again with backoff (REREAD_DELAYS,
about 8 s), so that a short outage only delays the event. A read that still fails is raised: the hub tells every
watcher of that thing that it missed an event (exchange/realtime.py, EventsMissed), and each subscription closes
its socket with 1013 — a `graphql-ws` client reconnects by itself and re-reads current state (the README's
Realtime section says so) — rather than the event being dropped while the socket stays open and silent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from api.context import AppDeps
from api.observability import prometheus as metrics
from api.outage import database_unavailable

log = structlog.get_logger(__name__)

T = TypeVar("T")

# Seconds between attempts: about 8 s in all before an event is given up.
REREAD_DELAYS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)


async def read_shared(deps: AppDeps, read: Callable[[AsyncSession], Awaitable[T]], *, topic: str) -> T:
    """`read` in a session of its own, for no viewer in particular, tried again while the database is away;
    the error is raised when it stayed away through every attempt (and at once for any other error)."""
    for delay in (*REREAD_DELAYS, None):
        try:
            async with deps.session_factory() as session:
                # One statement, so no transaction: autocommit spares a BEGIN and a ROLLBACK (two round trips).
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                metrics.REALTIME_READS.labels(topic).inc()
                return await read(session)
        except Exception as error:
            if not database_unavailable(error):
                raise
            if delay is None:
                log.warning("subscription.event_missed", topic=topic, error=repr(error))
                raise
            log.info("subscription.reread_retry", topic=topic, retry_in=delay, error=repr(error))
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
