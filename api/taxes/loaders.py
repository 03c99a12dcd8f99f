from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.taxes.models import VatRate
from domain.taxes.rates import rates


class VatRatesLoader(BatchLoader[None, list[VatRate]]):
    """The rates table (a few rows), read once per request: load(None)."""

    async def fetch(self, session: AsyncSession, keys: list[None]) -> Mapping[None, list[VatRate]]:
        return {None: await rates(session)}
