"""A subscription re-reads what each event names, with the subscriber's own permissions. When the database is
away for that re-read, the subscription stays open: the re-read is tried again with backoff, and an event whose
re-read still fails after REREAD_DELAYS is skipped (logged) — the subscriber keeps its socket and hears the
next events once the database is back, instead of getting an error and `complete` that a `graphql-ws` client
would not recover from by itself. What was skipped, a client catches up on by reading current state (the
README's Realtime section says so)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from api.context import Context
from api.outage import database_unavailable

log = structlog.get_logger(__name__)

T = TypeVar("T")

# Seconds between attempts: about 8 s in all before an event is given up.
REREAD_DELAYS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)


async def reread(ctx: Context, read: Callable[[AsyncSession], Awaitable[T]], *, topic: str) -> T | None:
    """`read` on the subscription's session; None (skip the event) when the database stayed away through every
    attempt. Other errors are raised as before."""
    for delay in (*REREAD_DELAYS, None):
        try:
            async with ctx.db() as session:
                return await read(session)
        except Exception as error:
            if not database_unavailable(error):
                raise
            await ctx.release()  # a broken connection is not reused
            if delay is None:
                log.warning("subscription.event_skipped", topic=topic, error=repr(error))
                return None
            log.info("subscription.reread_retry", topic=topic, retry_in=delay, error=repr(error))
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
