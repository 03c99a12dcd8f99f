from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.enums import CertificationStandard, Process
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.relay import encode_id
from domain.saved_searches.models import SavedSearch as SavedSearchRow
from domain.vocabulary import CertificationStandard as DomainCertificationStandard
from domain.vocabulary import Process as DomainProcess


@strawberry.type(description="The filters of a saved search, as searchOrders takes them.")
class SavedOrderFilter:
    processes: list[Process]
    materials: list[str]
    certifications: list[CertificationStandard]
    regions: list[str]


@strawberry.type(description="An order search your organisation keeps: new open orders it matches are notified.")
class SavedSearch:
    id: strawberry.ID
    name: str
    query: str
    filter: SavedOrderFilter
    created_at: datetime
    organisation_id: strawberry.Private[UUID]

    @strawberry.field(description="The organisation that keeps it (whose members are notified).")
    async def organisation(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None  # a foreign key: the search is deleted with its organisation
        return Organisation.from_row(row)

    @classmethod
    def from_row(cls, row: SavedSearchRow) -> SavedSearch:
        return cls(
            id=encode_id("SavedSearch", row.id),
            name=row.name,
            query=row.query,
            filter=SavedOrderFilter(
                processes=[DomainProcess(p).value for p in row.processes],
                materials=list(row.materials),
                certifications=[DomainCertificationStandard(c).value for c in row.certifications],
                regions=list(row.regions),
            ),
            created_at=row.created_at,
            organisation_id=row.organisation_id,
        )
