from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.capacity.service import Calendar, calendar_weeks, calendars
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.manufacturers.service import (
    capacity_by_organisation_ids,
    certifications_by_organisation_ids,
    profiles_by_organisation_ids,
)


class ProfileByOrganisationIdLoader(BatchLoader[UUID, ManufacturerProfile | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, ManufacturerProfile]:
        return await profiles_by_organisation_ids(session, keys)


class CertificationsByOrganisationIdLoader(BatchLoader[UUID, list[Certification]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[Certification]]:
        return await certifications_by_organisation_ids(session, keys)


class CapacityByOrganisationIdLoader(BatchLoader[UUID, list[CapacityListing]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[CapacityListing]]:
        return await capacity_by_organisation_ids(session, keys, today=self.context.clock.now().date())


class CapacityCalendarLoader(BatchLoader[tuple[UUID, date, int], Calendar]):
    """(organisation id, first week's Monday, how many weeks) -> its capacity calendar."""

    @staticmethod
    def default() -> Calendar:
        return Calendar(weeks=[], listings={})

    async def fetch(
        self, session: AsyncSession, keys: list[tuple[UUID, date, int]]
    ) -> Mapping[tuple[UUID, date, int], Calendar]:
        out: dict[tuple[UUID, date, int], Calendar] = {}
        for first, count in sorted({(first, count) for _, first, count in keys}):
            ids = [org for org, f, c in keys if (f, c) == (first, count)]
            found = await calendars(session, ids, calendar_weeks(first, count))
            out.update({(org, first, count): found[org] for org in ids if org in found})
        return out
