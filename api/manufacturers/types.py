from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.enums import CertificationStandard, Process
from api.money import Money
from api.relay import encode_id
from domain.capacity.rules import CalendarWeek
from domain.manufacturers.models import CapacityListing as CapacityListingRow
from domain.manufacturers.models import Certification as CertificationRow
from domain.manufacturers.models import ManufacturerProfile as ProfileRow


@strawberry.type(description="What a manufacturer can make.")
class ManufacturerProfile:
    processes: list[Process]
    materials: list[str]
    max_part_x_mm: int | None
    max_part_y_mm: int | None
    max_part_z_mm: int | None
    min_quantity: int
    max_quantity: int | None
    description: str
    updated_at: datetime

    @classmethod
    def from_row(cls, row: ProfileRow) -> ManufacturerProfile:
        return cls(
            processes=list(row.processes),
            materials=list(row.materials),
            max_part_x_mm=row.max_part_x_mm,
            max_part_y_mm=row.max_part_y_mm,
            max_part_z_mm=row.max_part_z_mm,
            min_quantity=row.min_quantity,
            max_quantity=row.max_quantity,
            description=row.description,
            updated_at=row.updated_at,
        )


@strawberry.type(description="A certificate a manufacturer holds.")
class Certification:
    id: strawberry.ID = strawberry.field(description="Global ID, for removeCertification.")
    standard: CertificationStandard
    certificate_number: str
    issued_by: str
    valid_until: date
    verified: bool = strawberry.field(description="An operator checked it against the issuer's register.")
    verified_at: datetime | None

    @classmethod
    def from_row(cls, row: CertificationRow) -> Certification:
        return cls(
            id=encode_id("Certification", row.id),
            standard=row.standard,
            certificate_number=row.certificate_number,
            issued_by=row.issued_by,
            valid_until=row.valid_until,
            verified=row.verified_at is not None,
            verified_at=row.verified_at,
        )

    @strawberry.field(description="Still valid today.")
    def valid(self, info: Info) -> bool:
        return self.valid_until >= info.context.clock.now().date()


@strawberry.type(description="Spare machine-hours per week for one process over a period.")
class CapacityListing:
    id: strawberry.ID = strawberry.field(description="Global ID, for removeCapacityListing.")
    process: Process
    machine_hours_per_week: int
    available_from: date
    available_to: date
    hourly_rate: Money

    @classmethod
    def from_row(cls, row: CapacityListingRow) -> CapacityListing:
        return cls(
            id=encode_id("CapacityListing", row.id),
            process=row.process,
            machine_hours_per_week=row.machine_hours_per_week,
            available_from=row.available_from,
            available_to=row.available_to,
            hourly_rate=Money.of(row.hourly_rate_minor, row.currency),
        )


@strawberry.type(
    description="One process's machine-hours in one ISO week: listed, held for contracts and bids, and free."
)
class CapacityWeek:
    week_start: date = strawberry.field(description="The Monday of the ISO week.")
    process: Process
    listed_hours: int = strawberry.field(description="Listed for the process in the week, all listings together.")
    firm_hours: int = strawberry.field(
        description="Held firm for awarded contracts (released if a contract is cancelled)."
    )
    soft_hours: int = strawberry.field(
        description="Held softly for active bids (released when a bid is withdrawn, loses or expires); an award "
        "makes its bid's hold firm."
    )
    free_hours: int = strawberry.field(
        description="Listed less firm hours, never below 0: what an award can still take."
    )
    listings: list[CapacityListing] = strawberry.field(
        description="The listings covering the week (their hours add up to listedHours)."
    )

    @classmethod
    def of(cls, week: CalendarWeek, listings: Mapping[UUID, CapacityListingRow]) -> CapacityWeek:
        return cls(
            week_start=week.week_start,
            process=week.process,
            listed_hours=week.listed,
            firm_hours=week.firm,
            soft_hours=week.soft,
            free_hours=week.free,
            listings=[CapacityListing.from_row(listings[id_]) for id_ in week.listing_ids],
        )
