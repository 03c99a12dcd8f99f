"""The rates in force: read from the rates table (data, never literals), and the terms a seller charges.

The table holds a few rows that change by law, months ahead: each process keeps a copy per database for at most
RATES_TTL_SECONDS (a minute) instead of reading it for every bid, award and page that shows VAT. The copy holds the
whole table, periods included, and the rate is picked for the day asked when it is asked: a rate valid from tomorrow
applies tomorrow whatever the copy's age. A row added to the table is seen within the minute, or at once in a process
that calls `forget_rates()`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.organisations.models import Organisation
from domain.taxes.models import RateKind, TaxStatus, VatRate
from domain.taxes.rules import PLATFORM_FEE_RATE, VatTreatment, rate_on, treatment_on

RATES_TTL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Rate:
    """A row of the rates table, detached from any session (the cache outlives them)."""

    kind: RateKind
    percent: Decimal
    valid_from: date
    valid_until: date | None
    source: str


@dataclass
class RatesCache:
    """The rates table per database (by its URL), each copy read at most `ttl_seconds` ago."""

    ttl_seconds: float = RATES_TTL_SECONDS
    monotonic: Callable[[], float] = time.monotonic
    _copies: dict[str, tuple[float, tuple[Rate, ...]]] = field(default_factory=dict)

    async def get(self, session: AsyncSession) -> tuple[Rate, ...]:
        key = session.get_bind().engine.url.render_as_string(hide_password=True)
        now = self.monotonic()
        copy = self._copies.get(key)
        if copy is not None and now - copy[0] < self.ttl_seconds:
            return copy[1]
        rows = await session.scalars(select(VatRate).order_by(VatRate.kind, VatRate.valid_from))
        read = tuple(Rate(r.kind, r.percent, r.valid_from, r.valid_until, r.source) for r in rows)
        self._copies[key] = (now, read)
        return read

    def forget(self) -> None:
        self._copies.clear()


rates_cache = RatesCache()  # this process's copies


def forget_rates() -> None:
    """The next read of the rates goes to the table (after a change to it in this process)."""
    rates_cache.forget()


async def rates(session: AsyncSession) -> tuple[Rate, ...]:
    """The whole rates table (a few rows), oldest first: this process's copy, at most a minute old."""
    return await rates_cache.get(session)


async def seller_terms(
    session: AsyncSession, organisation: Organisation, day: date
) -> tuple[VatTreatment, Decimal | None]:
    """The treatment and rate a seller's prices carry on `day`, from its declared tax status (the row at hand)."""
    return treatment_on(await rates(session), TaxStatus(organisation.tax_status or TaxStatus.not_stated), day)


async def platform_fee_rate(session: AsyncSession, day: date) -> Decimal:
    return rate_on(await rates(session), PLATFORM_FEE_RATE, day)
