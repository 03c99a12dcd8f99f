"""The rates in force: read from the rates table (data, never literals), and the terms a seller charges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.organisations.models import Organisation
from domain.taxes.models import TaxStatus, VatRate
from domain.taxes.rules import PLATFORM_FEE_RATE, VatTreatment, rate_on, treatment_on


async def rates(session: AsyncSession) -> list[VatRate]:
    """The whole rates table (a few rows), oldest first."""
    return list(await session.scalars(select(VatRate).order_by(VatRate.kind, VatRate.valid_from)))


async def seller_terms(session: AsyncSession, organisation_id: UUID, day: date) -> tuple[VatTreatment, Decimal | None]:
    """The treatment and rate a seller's prices carry on `day`, from its declared tax status."""
    status = await session.scalar(select(Organisation.tax_status).where(Organisation.id == organisation_id))
    return treatment_on(await rates(session), TaxStatus(status or TaxStatus.not_stated), day)


async def platform_fee_rate(session: AsyncSession, day: date) -> Decimal:
    return rate_on(await rates(session), PLATFORM_FEE_RATE, day)
