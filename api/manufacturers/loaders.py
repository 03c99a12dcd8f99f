from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
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
