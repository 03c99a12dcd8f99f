from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.enums import CertificationStandard, Process
from api.errors import ACTION_ERRORS, NotEligibleError, result_union
from api.manufacturers.types import CapacityListing, Certification, ManufacturerProfile
from api.money import MoneyInput
from api.relay import decode_id
from domain.manufacturers import service
from domain.manufacturers.rules import ProfileDraft
from domain.uow import UnitOfWork


@strawberry.input(description="The whole profile: it replaces the previous one.")
class ManufacturerProfileInput:
    processes: list[Process]
    materials: list[str] = strawberry.field(default_factory=list)
    max_part_x_mm: int | None = None
    max_part_y_mm: int | None = None
    max_part_z_mm: int | None = None
    min_quantity: int = 1
    max_quantity: int | None = None
    description: str = ""


@strawberry.input
class CertificationInput:
    organisation_id: strawberry.ID
    standard: CertificationStandard
    certificate_number: str
    issued_by: str = ""
    valid_until: date


@strawberry.input
class CapacityListingInput:
    organisation_id: strawberry.ID
    process: Process
    machine_hours_per_week: int
    available_from: date
    available_to: date
    hourly_rate: MoneyInput


@strawberry.type
class ManufacturerProfileSuccess:
    profile: ManufacturerProfile


@strawberry.type
class CertificationSuccess:
    certification: Certification


@strawberry.type
class CapacityListingSuccess:
    capacity_listing: CapacityListing


@strawberry.type
class RemoveSuccess:
    removed_id: strawberry.ID


UpdateManufacturerProfileResult = result_union(
    "UpdateManufacturerProfileResult", ManufacturerProfileSuccess, *ACTION_ERRORS, NotEligibleError
)
SetCertificationResult = result_union("SetCertificationResult", CertificationSuccess, *ACTION_ERRORS, NotEligibleError)
RemoveCertificationResult = result_union("RemoveCertificationResult", RemoveSuccess, *ACTION_ERRORS)
AddCapacityListingResult = result_union(
    "AddCapacityListingResult", CapacityListingSuccess, *ACTION_ERRORS, NotEligibleError
)
RemoveCapacityListingResult = result_union("RemoveCapacityListingResult", RemoveSuccess, *ACTION_ERRORS)


@strawberry.type
class ManufacturerMutation:
    @strawberry.mutation(description="Create or replace what your organisation can make.")
    async def update_manufacturer_profile(
        self, info: Info, organisation_id: strawberry.ID, input: ManufacturerProfileInput
    ) -> UpdateManufacturerProfileResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ManufacturerProfileSuccess:
            draft = ProfileDraft(
                processes=[str(p) for p in input.processes],
                materials=input.materials,
                max_part_x_mm=input.max_part_x_mm,
                max_part_y_mm=input.max_part_y_mm,
                max_part_z_mm=input.max_part_z_mm,
                min_quantity=input.min_quantity,
                max_quantity=input.max_quantity,
                description=input.description,
            )
            row = await service.upsert_profile(
                uow,
                actor=ctx.actor,
                organisation_id=decode_id(organisation_id, "Organisation", "organisationId"),
                draft=draft,
            )
            return ManufacturerProfileSuccess(profile=ManufacturerProfile.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Add a certificate, or renew the one held for the same standard.")
    async def set_certification(self, info: Info, input: CertificationInput) -> SetCertificationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> CertificationSuccess:
            row = await service.set_certification(
                uow,
                actor=ctx.actor,
                organisation_id=decode_id(input.organisation_id, "Organisation", "organisationId"),
                standard=str(input.standard),
                certificate_number=input.certificate_number,
                issued_by=input.issued_by,
                valid_until=input.valid_until,
            )
            return CertificationSuccess(certification=Certification.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation
    async def remove_certification(self, info: Info, id: strawberry.ID) -> RemoveCertificationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> RemoveSuccess:
            await service.remove_certification(
                uow, actor=ctx.actor, certification_id=decode_id(id, "Certification", "id")
            )
            return RemoveSuccess(removed_id=id)

        return await ctx.run(use_case)

    @strawberry.mutation(description="Offer spare machine-hours for one process over a period.")
    async def add_capacity_listing(self, info: Info, input: CapacityListingInput) -> AddCapacityListingResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> CapacityListingSuccess:
            row = await service.add_capacity_listing(
                uow,
                actor=ctx.actor,
                organisation_id=decode_id(input.organisation_id, "Organisation", "organisationId"),
                process=str(input.process),
                machine_hours_per_week=input.machine_hours_per_week,
                available_from=input.available_from,
                available_to=input.available_to,
                hourly_rate=input.hourly_rate.to_domain("hourlyRate", positive=True),
            )
            return CapacityListingSuccess(capacity_listing=CapacityListing.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation
    async def remove_capacity_listing(self, info: Info, id: strawberry.ID) -> RemoveCapacityListingResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> RemoveSuccess:
            await service.remove_capacity_listing(
                uow, actor=ctx.actor, listing_id=decode_id(id, "CapacityListing", "id")
            )
            return RemoveSuccess(removed_id=id)

        return await ctx.run(use_case)
