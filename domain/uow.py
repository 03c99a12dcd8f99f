"""The unit of work: one session, rolled back unless the use case commits it."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from types import TracebackType
from typing import Self, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import DEFAULT_ZONE, Clock, tax_day
from domain.realtime import CHANNEL, Event

SessionFactory = async_sessionmaker[AsyncSession]
T = TypeVar("T")

# PostgreSQL's "run it again" answers: deadlock_detected and serialization_failure. The transaction was rolled
# back whole, so running the use case again from the start is safe.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 4


def must_retry(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


async def run_in_transaction(
    make_uow: Callable[[], UnitOfWork], use_case: Callable[[UnitOfWork], Awaitable[T]], attempts: int = ATTEMPTS
) -> T:
    """Run a use case in a fresh unit of work, again (after a short random pause) when PostgreSQL rolled it back
    for a deadlock or a serialisation failure: the caller never sees those, unless every attempt hits one."""
    for attempt in range(1, attempts + 1):
        try:
            async with make_uow() as uow:
                return await use_case(uow)
        except DBAPIError as error:
            if attempt == attempts or not must_retry(error):
                raise
        await asyncio.sleep(random.uniform(0.005, 0.02) * attempt)
    raise AssertionError("unreachable")


class UnitOfWork:
    def __init__(self, session_factory: SessionFactory, clock: Clock, *, zone: ZoneInfo = DEFAULT_ZONE) -> None:
        self._session_factory = session_factory
        self.clock = clock
        # The exchange's reporting zone (EXCHANGE_REPORTING_TIMEZONE): the zone whose calendar days VAT rates are
        # chosen by and documents are dated in, as the fee report counts them.
        self.zone = zone
        self._session: AsyncSession | None = None
        # Realtime events announced by the use case; sent with the commit (domain/realtime.py).
        self.events: list[Event] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    def now(self) -> datetime:
        return self.clock.now()

    def tax_day(self) -> date:
        """Today in the reporting zone: the day a VAT rate is chosen by (domain/clock.tax_day)."""
        return tax_day(self.now(), self.zone)

    def another(self) -> UnitOfWork:
        """A separate unit of work on the same database, clock and zone (its own session), for work after this
        one's commit that must not touch the objects this one returns."""
        return UnitOfWork(self._session_factory, self.clock, zone=self.zone)

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self.events = []
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            await session.rollback()
        finally:
            await session.close()
            self._session = None

    async def commit(self) -> None:
        if self.events:
            # In the transaction: PostgreSQL delivers the notifications only if the commit succeeds.
            await self.session.execute(
                text("SELECT pg_notify(:channel, payload) FROM unnest(CAST(:payloads AS text[])) AS payload"),
                {"channel": CHANNEL, "payloads": [event.encode() for event in self.events]},
            )
            self.events = []
        await self.session.commit()
