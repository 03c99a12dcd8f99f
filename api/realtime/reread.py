"""The one read a process makes for an event, shared by all its subscribers on that process (the hub's `watch`
runs it once per event). When the database is away for that read, it is tried again with backoff, and an event
whose read still fails after REREAD_DELAYS is skipped (logged) — every subscriber keeps its socket and hears the
next events once the database is back, instead of getting an error and `complete` that a `graphql-ws` client
would not recover from by itself. What was skipped, a client catches up on by reading current state (the
README's Realtime section says so)."""

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


async def read_shared(deps: AppDeps, read: Callable[[AsyncSession], Awaitable[T]], *, topic: str) -> T | None:
    """`read` in a session of its own, for no viewer in particular; None (skip the event) when the database
    stayed away through every attempt. Other errors are raised."""
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
                log.warning("subscription.event_skipped", topic=topic, error=repr(error))
                return None
            log.info("subscription.reread_retry", topic=topic, retry_in=delay, error=repr(error))
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
