from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.taxes.rates import Rate, rates


class VatRatesLoader(BatchLoader[None, tuple[Rate, ...]]):
    """The rates table (a few rows), once per request: load(None). The process's copy, at most a minute old
    (domain/taxes/rates.py), the same the services price with."""

    async def fetch(self, session: AsyncSession, keys: list[None]) -> Mapping[None, tuple[Rate, ...]]:
        return {None: await rates(session)}
