from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.kpis.history import Month, monthly_records
from domain.kpis.service import Kpis, kpis_for
from domain.reviews.models import Review
from domain.reviews.service import reviews_by_contract_ids, reviews_of


class KpisByOrganisationIdLoader(BatchLoader[UUID, Kpis]):
    default = Kpis

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, Kpis]:
        return await kpis_for(session, keys, now=self.context.clock.now())


class KpiHistoryByOrganisationIdLoader(BatchLoader[tuple[UUID, int], list[Month]]):
    """(organisation id, months) -> its record month by month; one pair of statements per distinct `months`."""

    default = list

    async def fetch(
        self, session: AsyncSession, keys: list[tuple[UUID, int]]
    ) -> Mapping[tuple[UUID, int], list[Month]]:
        now = self.context.clock.now()
        found: dict[tuple[UUID, int], list[Month]] = {}
        for months in sorted({months for _, months in keys}):
            ids = [org for org, wanted in keys if wanted == months]
            for org, history in (await monthly_records(session, ids, now=now, months=months)).items():
                found[(org, months)] = history
        return found


class ReviewsByContractIdLoader(BatchLoader[UUID, list[Review]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[Review]]:
        return await reviews_by_contract_ids(session, actor=self.context.actor, ids=keys, now=self.context.clock.now())


class ReviewsBySubjectIdLoader(BatchLoader[tuple[UUID, int], tuple[list[Review], bool]]):
    """(organisation id, how many) -> its newest published reviews and whether more exist."""

    @staticmethod
    def default() -> tuple[list[Review], bool]:
        return [], False

    async def fetch(
        self, session: AsyncSession, keys: list[tuple[UUID, int]]
    ) -> Mapping[tuple[UUID, int], tuple[list[Review], bool]]:
        out: dict[tuple[UUID, int], tuple[list[Review], bool]] = {}
        for first in sorted({first for _, first in keys}):
            ids = [org for org, n in keys if n == first]
            found = await reviews_of(session, organisation_ids=ids, first=first, now=self.context.clock.now())
            out.update({(org, first): found[org] for org in ids if org in found})
        return out
