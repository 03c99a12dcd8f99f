"""What gets indexed: one builder per document type, reading the current state of the database.

Builders take many ids at once (a constant number of statements per batch) and return, per id, the
document or None when nothing should be indexed (gone, not a manufacturer, order no longer open).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.orders.models import OrderInvitation, OrderStatus, ProductionOrder, Visibility
from domain.organisations.models import Organisation, OrganisationKind
from domain.ports.search import Document, IndexName

MANUFACTURER_KINDS = (OrganisationKind.manufacturer, OrganisationKind.both)
HORIZONS = {"free_hours_4w": 28, "free_hours_12w": 84}


def free_hours(listings: Sequence[CapacityListing], today: date, days: int) -> dict[str, int]:
    """Machine-hours per process listed over [today, today + days). Nothing is reserved yet: free = listed."""
    end = today + timedelta(days=days)
    hours: dict[str, float] = defaultdict(float)
    for listing in listings:
        start = max(listing.available_from, today)
        stop = min(listing.available_to + timedelta(days=1), end)  # available_to is inclusive
        if stop > start:
            hours[listing.process] += listing.machine_hours_per_week * (stop - start).days / 7
    return {process: int(total) for process, total in sorted(hours.items()) if int(total) > 0}


def budget_band(max_minor: int) -> str:
    """A coarse band of the buyer's budget ceiling (in major units of its currency) for filter chips."""
    major = max_minor // 100
    if major < 100_000:
        return "under_100k"
    if major < 1_000_000:
        return "100k_1m"
    if major < 10_000_000:
        return "1m_10m"
    return "over_10m"


async def manufacturer_documents(
    session: AsyncSession, ids: Sequence[UUID], *, today: date
) -> dict[UUID, Document | None]:
    organisations = {
        row.id: row
        for row in await session.scalars(
            select(Organisation).where(Organisation.id.in_(list(ids)), Organisation.kind.in_(MANUFACTURER_KINDS))
        )
    }
    found = list(organisations)
    profiles = {
        row.organisation_id: row
        for row in await session.scalars(
            select(ManufacturerProfile).where(ManufacturerProfile.organisation_id.in_(found))
        )
    }
    certifications: dict[UUID, list[str]] = defaultdict(list)
    for organisation_id, standard in await session.execute(
        select(Certification.organisation_id, Certification.standard)
        .where(Certification.organisation_id.in_(found), Certification.valid_until >= today)
        .order_by(Certification.standard)
    ):
        certifications[organisation_id].append(standard)
    listings: dict[UUID, list[CapacityListing]] = defaultdict(list)
    for listing in await session.scalars(
        select(CapacityListing).where(CapacityListing.organisation_id.in_(found), CapacityListing.available_to >= today)
    ):
        listings[listing.organisation_id].append(listing)

    documents: dict[UUID, Document | None] = dict.fromkeys(ids)
    for organisation_id, organisation in organisations.items():
        profile = profiles.get(organisation_id)
        documents[organisation_id] = {
            "id": str(organisation_id),
            "name": organisation.name,
            "description": profile.description if profile else "",
            "region": organisation.region,
            "membership": organisation.membership.value,
            "verified": organisation.verified,
            "processes": sorted(profile.processes) if profile else [],
            "materials": list(profile.materials) if profile else [],
            "certifications": certifications[organisation_id],
            **{name: free_hours(listings[organisation_id], today, days) for name, days in HORIZONS.items()},
            "rating": None,  # no ratings yet
        }
    return documents


async def order_documents(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, Document | None]:
    orders = list(
        await session.scalars(
            select(ProductionOrder).where(ProductionOrder.id.in_(list(ids)), ProductionOrder.status == OrderStatus.open)
        )
    )
    invited: dict[UUID, list[str]] = defaultdict(list)
    for order_id, manufacturer_id in await session.execute(
        select(OrderInvitation.order_id, OrderInvitation.manufacturer_organisation_id)
        .where(OrderInvitation.order_id.in_([o.id for o in orders]))
        .order_by(OrderInvitation.manufacturer_organisation_id)
    ):
        invited[order_id].append(str(manufacturer_id))
    documents: dict[UUID, Document | None] = dict.fromkeys(ids)
    for order in orders:
        documents[order.id] = {
            "id": str(order.id),
            "title": order.title,
            "description": order.description,
            "process": order.process,
            "material": order.material,
            "quantity": order.quantity,
            "required_certifications": sorted(order.required_certifications),
            "region": order.delivery_region,
            "bidding_deadline": order.bidding_deadline.isoformat(),
            "need_by": order.need_by.isoformat(),
            "budget": {"min": order.budget_min_minor, "max": order.budget_max_minor, "currency": order.currency},
            "budget_band": budget_band(order.budget_max_minor),
            "public": order.visibility == Visibility.public,
            "buyer_organisation_id": str(order.buyer_organisation_id),
            "invited": invited[order.id],
        }
    return documents


async def build(
    session: AsyncSession, index: IndexName, ids: Sequence[UUID], *, today: date
) -> dict[UUID, Document | None]:
    if index is IndexName.manufacturers:
        return await manufacturer_documents(session, ids, today=today)
    return await order_documents(session, ids)


async def all_ids(session: AsyncSession, index: IndexName, batch_size: int = 1000) -> AsyncIterator[list[UUID]]:
    """Every id that may have a document, in batches (keyset over the primary key)."""
    column = Organisation.id if index is IndexName.manufacturers else ProductionOrder.id
    condition = (
        Organisation.kind.in_(MANUFACTURER_KINDS)
        if index is IndexName.manufacturers
        else ProductionOrder.status == OrderStatus.open
    )
    last: UUID | None = None
    while True:
        stmt = select(column).where(condition).order_by(column).limit(batch_size)
        if last is not None:
            stmt = stmt.where(column > last)
        batch = list(await session.scalars(stmt))
        if not batch:
            return
        yield batch
        last = batch[-1]


async def count(session: AsyncSession, index: IndexName) -> int:
    from sqlalchemy import func

    if index is IndexName.manufacturers:
        stmt = select(func.count()).select_from(Organisation).where(Organisation.kind.in_(MANUFACTURER_KINDS))
    else:
        stmt = select(func.count()).select_from(ProductionOrder).where(ProductionOrder.status == OrderStatus.open)
    return int(await session.scalar(stmt) or 0)
