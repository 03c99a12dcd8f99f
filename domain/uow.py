"""The unit of work: one session, rolled back unless the use case commits it."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.realtime import CHANNEL, Event

SessionFactory = async_sessionmaker[AsyncSession]


class UnitOfWork:
    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self._session_factory = session_factory
        self.clock = clock
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
