"""The worker forgets throttle windows older than a day (purge_throttle_counters): it deletes those and says how
many, and keeps the windows still counting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.identity.models import ThrottleCounter
from domain.identity.throttle import purge_throttle_counters
from domain.uow import SessionFactory
from tests.clock import FakeClock


async def test_windows_older_than_a_day_are_deleted_and_counted(
    session_factory: SessionFactory, clock: FakeClock
) -> None:
    now = clock.now()
    async with session_factory() as session:
        session.add_all(
            [
                ThrottleCounter(key="sign_in:account:a@example.com", window_start=now - timedelta(days=3), hits=4),
                ThrottleCounter(
                    key="sign_in:account:a@example.com", window_start=now - timedelta(days=1, seconds=1), hits=1
                ),
                ThrottleCounter(key="sign_in:account:a@example.com", window_start=now - timedelta(hours=23), hits=2),
                ThrottleCounter(key="sign_in:ip:203.0.113.7", window_start=now, hits=1),
            ]
        )
        await session.commit()

    purged = await purge_throttle_counters(session_factory, clock, older_than=timedelta(days=1))

    assert purged == 2
    async with session_factory() as session:
        kept = (
            await session.execute(
                select(ThrottleCounter.key, ThrottleCounter.hits).order_by(
                    ThrottleCounter.key, ThrottleCounter.window_start
                )
            )
        ).all()
    assert [tuple(row) for row in kept] == [("sign_in:account:a@example.com", 2), ("sign_in:ip:203.0.113.7", 1)]
    assert await purge_throttle_counters(session_factory, clock, older_than=timedelta(days=1)) == 0
