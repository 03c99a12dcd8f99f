"""How often an anonymous caller may try costly or guessable things: sign in, sign up, ask for account e-mails,
redeem their tokens.

The counters live in PostgreSQL (table `throttle_counter`), not in each process's memory: behind a load balancer
with N API processes a per-process limit would allow N times as many guesses, and would forget everything on a
restart. Each check is one statement on its own short transaction (autocommit), committed whether or not the
request's own work is: a wrong password rolls its unit of work back, its counted failure stays. The window is the
sliding approximation of two fixed windows (the previous window's count weighted by how much of it still
overlaps), so that a burst across a window's edge is not let through twice; counters older than two windows are
deleted by the worker (`purge_throttle_counters`).

Python's `limits` was considered: its storages are memory, Redis, Memcached, MongoDB and etcd (none of which
this deployment runs), and its windows follow the wall clock rather than the injected Clock the tests drive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import CursorResult, delete, text

from domain.clock import Clock
from domain.errors import DomainError, ErrorCode
from domain.identity.models import ThrottleCounter
from domain.uow import SessionFactory

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `limit` attempts per `window`."""

    limit: int
    window: timedelta


class RateLimited(DomainError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(ErrorCode.RATE_LIMITED, f"too many attempts: try again in {retry_after} seconds", None)
        self.retry_after = retry_after


def window_start(now: datetime, window: timedelta) -> datetime:
    elapsed = (now - EPOCH) // window
    return EPOCH + elapsed * window


def weighted_count(current: int, previous: int, now: datetime, window: timedelta) -> float:
    """The attempts in the last `window`, estimated from the current fixed window's count and the previous one's."""
    into = (now - window_start(now, window)) / window
    return current + previous * (1.0 - into)


def retry_after(current: int, previous: int, now: datetime, rate: RateLimit) -> int:
    """Seconds until the estimate falls below the limit again (at least 1)."""
    start = window_start(now, rate.window)
    into = (now - start) / rate.window
    if previous and current < rate.limit:
        # The previous window's share must shrink until current + previous * (1 - x) < limit.
        needed = 1.0 - (rate.limit - current) / previous
        if needed > into:
            return max(1, math.ceil((needed - into) * rate.window.total_seconds() - 1e-6))
    # Otherwise it takes the next window, where this one's count weighs in as `previous`.
    next_start = start + rate.window
    wait = (next_start - now).total_seconds()
    if current >= rate.limit:
        # In the next window the estimate is current * (1 - x): below the limit once x > 1 - limit/current.
        wait += (1.0 - rate.limit / current) * rate.window.total_seconds()
    return max(1, math.ceil(wait - 1e-6))  # (float noise must not add a second)


_HIT = text(
    """
    WITH hit AS (
        INSERT INTO throttle_counter (key, window_start, hits) VALUES (:key, :current, :add)
        ON CONFLICT (key, window_start) DO UPDATE SET hits = throttle_counter.hits + :add
        RETURNING hits
    )
    SELECT (SELECT hits FROM hit),
           COALESCE((SELECT hits FROM throttle_counter WHERE key = :key AND window_start = :previous), 0)
    """
)
_PEEK = text(
    """
    SELECT COALESCE(SUM(hits) FILTER (WHERE window_start = :current), 0),
           COALESCE(SUM(hits) FILTER (WHERE window_start = :previous), 0)
    FROM throttle_counter WHERE key = :key AND window_start IN (:current, :previous)
    """
)


class Throttle:
    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    async def _counts(self, statement: object, key: str, rate: RateLimit, add: int) -> tuple[int, int, datetime]:
        now = self._clock.now()
        current = window_start(now, rate.window)
        params = {"key": key[:300], "current": current, "previous": current - rate.window, "add": add}
        async with self._session_factory() as session:
            connection = await session.connection()
            row = (await connection.execute(statement, params)).one()  # type: ignore[call-overload]
            await session.commit()
        return int(row[0]), int(row[1]), now

    async def hit(self, key: str, rate: RateLimit) -> None:
        """Count one attempt; refused (RateLimited, nothing else done) when this one goes over the limit."""
        current, previous, now = await self._counts(_HIT, key, rate, 1)
        if weighted_count(current, previous, now, rate.window) > rate.limit:
            raise RateLimited(retry_after(current, previous, now, rate))

    async def check(self, key: str, rate: RateLimit) -> None:
        """Refused when the limit is reached already; counts nothing (see `hit`)."""
        current, previous, now = await self._counts(_PEEK, key, rate, 0)
        if weighted_count(current, previous, now, rate.window) >= rate.limit:
            raise RateLimited(retry_after(current, previous, now, rate))


async def purge_throttle_counters(session_factory: SessionFactory, clock: Clock, *, older_than: timedelta) -> int:
    async with session_factory() as session:
        result = await session.execute(
            delete(ThrottleCounter).where(ThrottleCounter.window_start < clock.now() - older_than)
        )
        await session.commit()
    assert isinstance(result, CursorResult)  # a DELETE's result, which counts the rows (as the outbox relays')
    return result.rowcount
