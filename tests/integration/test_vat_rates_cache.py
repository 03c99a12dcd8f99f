"""The process's copy of the VAT rates (domain/taxes/rates.py): read once a minute at most, the rate picked for the
day asked (a rate in force from tomorrow applies tomorrow, from the same copy), a new row seen once the copy is a
minute old or forgotten."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import CursorResult, delete, event, update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.taxes.models import RateKind, VatRate
from domain.taxes.rates import RATES_TTL_SECONDS, RatesCache, forget_rates
from domain.taxes.rules import rate_on
from domain.uow import SessionFactory

TODAY = date(2031, 3, 1)


@pytest.fixture
async def reads(engine: AsyncEngine) -> AsyncIterator[list[str]]:
    seen: list[str] = []

    def before(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "FROM vat_rate" in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", before)


@pytest.fixture
async def zero_rates(session_factory: SessionFactory) -> AsyncIterator[None]:
    """The zero rate in force up to TODAY, as before a change of law; the rates are reference data the suite keeps,
    so the test's rows go and the seeded row is reopened afterwards."""
    seeded = (VatRate.kind == RateKind.zero) & (VatRate.valid_from < TODAY) & VatRate.valid_until.is_(None)
    async with session_factory() as session:
        reopened = await session.execute(update(VatRate).where(seeded).values(valid_until=TODAY))
        assert isinstance(reopened, CursorResult) and reopened.rowcount == 1
        await session.commit()
    yield
    async with session_factory() as session:
        await session.execute(delete(VatRate).where(VatRate.kind == RateKind.zero, VatRate.valid_from >= TODAY))
        await session.execute(update(VatRate).where(VatRate.kind == RateKind.zero).values(valid_until=None))
        await session.commit()
    forget_rates()


async def test_a_copy_serves_a_minute_and_a_new_rate_applies_from_its_day(
    session_factory: SessionFactory, reads: list[str], zero_rates: None
) -> None:
    clock = [1000.0]
    cache = RatesCache(monotonic=lambda: clock[0])
    async with session_factory() as session:
        before = rate_on(await cache.get(session), RateKind.general, TODAY)
        session.add(
            VatRate(kind=RateKind.zero, percent=Decimal("0.00"), valid_from=TODAY, valid_until=TODAY + timedelta(1))
        )
        session.add(VatRate(kind=RateKind.zero, percent=Decimal("3.00"), valid_from=TODAY + timedelta(1)))
        await session.commit()

        clock[0] += RATES_TTL_SECONDS - 1
        within_the_minute = await cache.get(session)
        clock[0] += 1
        after_the_minute = await cache.get(session)
        again = await cache.get(session)

    assert len(reads) == 2  # the first read and the one after the minute
    assert before == rate_on(after_the_minute, RateKind.general, TODAY)
    assert not [rate for rate in within_the_minute if rate.kind == RateKind.zero and rate.valid_from >= TODAY]
    assert again is after_the_minute
    # One copy, two days: today's rate today, tomorrow's from tomorrow.
    assert rate_on(after_the_minute, RateKind.zero, TODAY) == Decimal("0.00")
    assert rate_on(after_the_minute, RateKind.zero, TODAY + timedelta(1)) == Decimal("3.00")
    assert rate_on(after_the_minute, RateKind.zero, TODAY + timedelta(400)) == Decimal("3.00")


async def test_a_forgotten_copy_is_read_again_at_once(
    session_factory: SessionFactory, reads: list[str], zero_rates: None
) -> None:
    cache = RatesCache(monotonic=lambda: 0.0)
    async with session_factory() as session:
        first = await cache.get(session)
        session.add(VatRate(kind=RateKind.zero, percent=Decimal("1.00"), valid_from=TODAY))
        await session.commit()
        stale = await cache.get(session)
        cache.forget()
        fresh = await cache.get(session)

    assert (len(reads), stale) == (2, first)
    assert rate_on(fresh, RateKind.zero, TODAY) == Decimal("1.00")
