from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.identity.models import User
from domain.organisations.legal_service import legal_details_by_organisation_ids
from domain.organisations.models import Membership, OrganisationLegalDetails, OrganisationRow
from domain.organisations.service import (
    memberships_by_organisation_ids,
    memberships_by_user_ids,
    organisations_by_ids,
    users_by_ids,
)


class OrganisationByIdLoader(BatchLoader[UUID, OrganisationRow | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, OrganisationRow]:
        return await organisations_by_ids(session, keys)


class MembershipsByUserIdLoader(BatchLoader[UUID, list[Membership]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[Membership]]:
        return await memberships_by_user_ids(session, keys)


class MembershipsByOrganisationIdLoader(BatchLoader[UUID, list[Membership]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[Membership]]:
        return await memberships_by_organisation_ids(session, keys)


class UserByIdLoader(BatchLoader[UUID, User | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, User]:
        return await users_by_ids(session, keys)


class LegalDetailsByOrganisationIdLoader(BatchLoader[UUID, OrganisationLegalDetails | None]):
    """Legal details by organisation (the caller decides who may see them)."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, OrganisationLegalDetails]:
        return await legal_details_by_organisation_ids(session, keys)
