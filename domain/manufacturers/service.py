"""Use cases for what manufacturers offer: profile, certifications, spare capacity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput, NotFound
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.manufacturers.rules import Capability, ProfileDraft, check_capacity, check_certifications
from domain.money import Money
from domain.organisations.models import Organisation
from domain.outbox import emit
from domain.ports.records import refresh_candidates
from domain.ports.search import Topic
from domain.text import check_text
from domain.uow import UnitOfWork


async def _manufacturer(uow: UnitOfWork, actor: Actor, organisation_id: UUID) -> Organisation:
    actor.require_member(organisation_id, field="organisationId")
    organisation = await uow.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("organisation", "organisationId")
    if not organisation.kind.manufactures:
        raise DomainError(
            ErrorCode.NOT_A_MANUFACTURER, "the organisation is registered as a buyer only", "organisationId"
        )
    return organisation


async def upsert_profile(
    uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, draft: ProfileDraft
) -> ManufacturerProfile:
    await _manufacturer(uow, actor, organisation_id)
    draft = draft.checked()
    profile = await uow.session.get(ManufacturerProfile, organisation_id, with_for_update=True)
    if profile is None:
        profile = ManufacturerProfile(organisation_id=organisation_id, updated_at=uow.now())
        uow.session.add(profile)
    profile.processes = list(draft.processes)
    profile.materials = list(draft.materials)
    profile.max_part_x_mm = draft.max_part_x_mm
    profile.max_part_y_mm = draft.max_part_y_mm
    profile.max_part_z_mm = draft.max_part_z_mm
    profile.min_quantity = draft.min_quantity
    profile.max_quantity = draft.max_quantity
    profile.description = draft.description
    profile.updated_at = uow.now()
    emit(uow, Topic.manufacturer, organisation_id)
    await refresh_candidates(uow.session, [organisation_id])
    await uow.commit()
    return profile


async def set_certification(
    uow: UnitOfWork,
    *,
    actor: Actor,
    organisation_id: UUID,
    standard: str,
    certificate_number: str,
    issued_by: str,
    valid_until: date,
) -> Certification:
    """Add a certificate, or replace the one held for the same standard (renewal)."""
    await _manufacturer(uow, actor, organisation_id)
    (standard,) = check_certifications([standard], "standard")
    certificate_number = check_text(certificate_number, "certificateNumber", max_length=100)
    issued_by = check_text(issued_by, "issuedBy", max_length=200, required=False)
    if valid_until < uow.now().date():
        raise InvalidInput("the certificate has expired", "validUntil", ErrorCode.DEADLINE_IN_PAST)
    certification = await uow.session.scalar(
        select(Certification)
        .where(Certification.organisation_id == organisation_id, Certification.standard == standard)
        .with_for_update()
    )
    if certification is None:
        certification = Certification(
            organisation_id=organisation_id,
            standard=standard,
            certificate_number=certificate_number,
            valid_until=valid_until,
            created_at=uow.now(),
        )
        uow.session.add(certification)
    if (certification.certificate_number, certification.issued_by, certification.valid_until) != (
        certificate_number,
        issued_by,
        valid_until,
    ):
        # Another certificate than the one an operator checked: it waits for a check again.
        certification.verified_at = None
        certification.verified_by_user_id = None
    certification.certificate_number = certificate_number
    certification.issued_by = issued_by
    certification.valid_until = valid_until
    emit(uow, Topic.manufacturer, organisation_id)
    await refresh_candidates(uow.session, [organisation_id])
    await uow.commit()
    return certification


async def remove_certification(uow: UnitOfWork, *, actor: Actor, certification_id: UUID) -> UUID:
    certification = await uow.session.get(Certification, certification_id)
    if certification is None or not actor.is_member(certification.organisation_id):
        raise NotFound("certification", "id")
    await uow.session.execute(delete(Certification).where(Certification.id == certification_id))
    emit(uow, Topic.manufacturer, certification.organisation_id)
    await refresh_candidates(uow.session, [certification.organisation_id])
    await uow.commit()
    return certification_id


async def add_capacity_listing(
    uow: UnitOfWork,
    *,
    actor: Actor,
    organisation_id: UUID,
    process: str,
    machine_hours_per_week: int,
    available_from: date,
    available_to: date,
    hourly_rate: Money,
) -> CapacityListing:
    await _manufacturer(uow, actor, organisation_id)
    check_capacity(
        process=process,
        machine_hours_per_week=machine_hours_per_week,
        available_from=available_from,
        available_to=available_to,
        hourly_rate=hourly_rate,
        today=uow.now().date(),
    )
    listing = CapacityListing(
        organisation_id=organisation_id,
        process=process,
        machine_hours_per_week=machine_hours_per_week,
        available_from=available_from,
        available_to=available_to,
        hourly_rate_minor=hourly_rate.minor_units,
        currency=hourly_rate.currency,
        created_at=uow.now(),
    )
    uow.session.add(listing)
    emit(uow, Topic.manufacturer, organisation_id)
    await uow.commit()
    return listing


async def remove_capacity_listing(uow: UnitOfWork, *, actor: Actor, listing_id: UUID) -> UUID:
    listing = await uow.session.get(CapacityListing, listing_id)
    if listing is None or not actor.is_member(listing.organisation_id):
        raise NotFound("capacity listing", "id")
    await uow.session.execute(delete(CapacityListing).where(CapacityListing.id == listing_id))
    emit(uow, Topic.manufacturer, listing.organisation_id)
    await uow.commit()
    return listing_id


# Reads ----------------------------------------------------------------------------------------


async def load_capability(session: AsyncSession, organisation_id: UUID) -> Capability | None:
    profile = await session.get(ManufacturerProfile, organisation_id)
    if profile is None:
        return None
    certifications = await session.execute(
        select(Certification.standard, Certification.valid_until).where(
            Certification.organisation_id == organisation_id
        )
    )
    return Capability(
        processes=profile.processes,
        min_quantity=profile.min_quantity,
        max_quantity=profile.max_quantity,
        certifications={standard: valid_until for standard, valid_until in certifications},
    )


async def profiles_by_organisation_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, ManufacturerProfile]:
    rows = await session.scalars(select(ManufacturerProfile).where(ManufacturerProfile.organisation_id.in_(list(ids))))
    return {row.organisation_id: row for row in rows}


async def certifications_by_organisation_ids(
    session: AsyncSession, ids: Sequence[UUID]
) -> dict[UUID, list[Certification]]:
    rows = await session.scalars(
        select(Certification).where(Certification.organisation_id.in_(list(ids))).order_by(Certification.standard)
    )
    grouped: dict[UUID, list[Certification]] = defaultdict(list)
    for row in rows:
        grouped[row.organisation_id].append(row)
    return grouped


async def capacity_by_organisation_ids(
    session: AsyncSession, ids: Sequence[UUID], *, today: date
) -> dict[UUID, list[CapacityListing]]:
    """Current and future listings only: past capacity is of no use to a buyer."""
    rows = await session.scalars(
        select(CapacityListing)
        .where(CapacityListing.organisation_id.in_(list(ids)), CapacityListing.available_to >= today)
        .order_by(CapacityListing.available_from, CapacityListing.id)
    )
    grouped: dict[UUID, list[CapacityListing]] = defaultdict(list)
    for row in rows:
        grouped[row.organisation_id].append(row)
    return grouped
