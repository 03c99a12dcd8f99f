from __future__ import annotations

from enum import Enum

import strawberry
from strawberry import relay

from api.context import Info
from api.enums import CertificationStandard, OrganisationKind, Process
from api.organisations.loaders import OrganisationByIdLoader, UserByIdLoader
from api.organisations.types import LegalDetails, Organisation, OrganisationConnection, User
from api.relay import connection, decode_id
from domain.errors import DomainError
from domain.organisations.legal_service import legal_details_to_check
from domain.organisations.models import OrganisationKind as DomainOrganisationKind
from domain.organisations.service import OrganisationFilter, list_organisations
from domain.pagination import PageRequest


@strawberry.enum
class OrganisationSort(Enum):
    NEWEST = "NEWEST"
    NAME = "NAME"


@strawberry.input(description="Narrow the directory; every given condition must hold.")
class OrganisationFilterInput:
    kinds: list[OrganisationKind] | None = None
    regions: list[str] | None = strawberry.field(default=None, description="ISO 3166-2 codes.")
    processes: list[Process] | None = strawberry.field(
        default=None, description="Manufacturers offering all of these processes."
    )
    certifications: list[CertificationStandard] | None = strawberry.field(
        default=None, description="Manufacturers holding all of these, valid today."
    )
    verified_only: bool = False


def _filter(value: OrganisationFilterInput | None, *, manufacturers_only: bool) -> OrganisationFilter:
    value = value or OrganisationFilterInput()
    return OrganisationFilter(
        kinds=[DomainOrganisationKind(k) for k in value.kinds or []],
        regions=value.regions or [],
        processes=[str(p) for p in value.processes or []],
        certifications=[str(c) for c in value.certifications or []],
        verified_only=value.verified_only,
        manufacturers_only=manufacturers_only,
    )


async def _list(
    info: Info,
    value: OrganisationFilterInput | None,
    sort: OrganisationSort,
    first: int,
    after: str | None,
    *,
    manufacturers_only: bool,
) -> OrganisationConnection:
    async with info.context.db() as session:
        page = await list_organisations(
            session,
            filter=_filter(value, manufacturers_only=manufacturers_only),
            sort=sort.value,
            page=PageRequest(first, after).checked(info.context.settings.max_page_size),
            today=info.context.clock.now().date(),
        )
    return connection(OrganisationConnection, page, Organisation.from_row)  # type: ignore[return-value]


@strawberry.type
class LegalDetailsConnection(relay.Connection[LegalDetails]):  # type: ignore[type-var]  # not a Node (api/relay.py)
    """A page of organisations' legal details."""


@strawberry.type
class OrganisationQuery:
    @strawberry.field(description="The signed-in user; null when anonymous.")
    async def me(self, info: Info) -> User | None:
        user_id = info.context.actor.user_id
        if user_id is None:
            return None
        row = await info.context.loader(UserByIdLoader).load(user_id)
        return User.from_row(row) if row else None

    @strawberry.field
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation | None:
        try:
            organisation_id = decode_id(id, "Organisation", "id")
        except DomainError:
            return None
        row = await info.context.loader(OrganisationByIdLoader).load(organisation_id)
        return Organisation.from_row(row) if row else None

    @strawberry.field(description="The public directory of organisations.")
    async def organisations(
        self,
        info: Info,
        filter: OrganisationFilterInput | None = None,
        sort: OrganisationSort = OrganisationSort.NEWEST,
        first: int = 20,
        after: str | None = None,
    ) -> OrganisationConnection:
        return await _list(info, filter, sort, first, after, manufacturers_only=False)

    @strawberry.field(description="Manufacturers only: filter by process, certification, region.")
    async def manufacturers(
        self,
        info: Info,
        filter: OrganisationFilterInput | None = None,
        sort: OrganisationSort = OrganisationSort.NEWEST,
        first: int = 20,
        after: str | None = None,
    ) -> OrganisationConnection:
        return await _list(info, filter, sort, first, after, manufacturers_only=True)

    @strawberry.field(
        description="Operators: legal details nobody has checked since they were stated or changed, latest first. "
        "Null for anyone else."
    )
    async def legal_details_to_check(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> LegalDetailsConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await legal_details_to_check(
                session, actor=ctx.actor, page=PageRequest(first, after).checked(ctx.settings.max_page_size)
            )
        return connection(LegalDetailsConnection, page, LegalDetails.from_row)  # type: ignore[return-value]
