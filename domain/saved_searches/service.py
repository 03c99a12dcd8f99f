"""Saved searches: a manufacturer keeps an order search; when an order opens for bids, the worker asks the
search backend whether the order matches each candidate search (the same text and filters, narrowed to
that one order) and notifies the searching organisation's members once per order."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from sqlalchemy import any_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, Limits, LimitUnit, NotFound
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.orders.models import OrderInvitation, OrderStatus, ProductionOrder, Visibility
from domain.organisations.models import Organisation
from domain.ports.search import (
    IndexName,
    OrderSearchFilter,
    SearchIndex,
    SearchQuery,
    Viewer,
    check_order_filter,
    clean_text,
)
from domain.saved_searches.models import SavedSearch
from domain.text import check_text
from domain.uow import UnitOfWork

MAX_PER_ORGANISATION = 50


class DuplicateSavedSearch(DomainError):
    """The organisation already keeps a search with the same text and filters: `existing` names it."""

    def __init__(self, existing: SavedSearch) -> None:
        super().__init__(ErrorCode.ALREADY_EXISTS, f"already saved as “{existing.name}”", "filter")
        self.existing = existing


def _same_search(row: SavedSearch, text: str, checked: OrderSearchFilter) -> bool:
    """The same text (any case) and the same values in every filter (any order)."""
    return (
        row.query.casefold() == text.casefold()
        and sorted(row.processes) == sorted(checked.processes)
        and sorted(m.casefold() for m in row.materials) == sorted(m.casefold() for m in checked.materials)
        and sorted(row.certifications) == sorted(checked.certifications)
        and sorted(row.regions) == sorted(checked.regions)
    )


async def organisations_that_may_save(session: AsyncSession, *, actor: Actor) -> list[Organisation]:
    """The actor's organisations that may keep saved searches (those that manufacture), by name."""
    if not actor.authenticated or not actor.memberships:
        return []
    rows = await session.scalars(
        select(Organisation).where(Organisation.id.in_(list(actor.memberships))).order_by(Organisation.name)
    )
    return [row for row in rows if row.kind.manufactures]


async def save_search(
    uow: UnitOfWork,
    *,
    actor: Actor,
    organisation_id: UUID | None,
    name: str,
    query: str,
    filter: OrderSearchFilter,
) -> SavedSearch:
    user_id = actor.require_user()
    org_id = actor.pick_organisation(organisation_id)
    organisation = await uow.session.get(Organisation, org_id, with_for_update=True)
    if organisation is None or not organisation.kind.manufactures:
        raise DomainError(ErrorCode.NOT_A_MANUFACTURER, "saved searches look for orders to bid on", "organisationId")
    name = check_text(name, "name", max_length=100)
    text = clean_text(query)
    checked = check_order_filter(filter)
    kept = list(await uow.session.scalars(select(SavedSearch).where(SavedSearch.organisation_id == org_id)))
    for existing in kept:
        if _same_search(existing, text, checked):
            raise DuplicateSavedSearch(existing)
    if len(kept) >= MAX_PER_ORGANISATION:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE,
            f"at most {MAX_PER_ORGANISATION} saved searches",
            "name",
            limits=Limits(LimitUnit.ENTRIES, max=MAX_PER_ORGANISATION),
        )
    row = SavedSearch(
        organisation_id=org_id,
        created_by_user_id=user_id,
        name=name,
        query=text,
        processes=list(checked.processes),
        materials=list(checked.materials),
        certifications=list(checked.certifications),
        regions=list(checked.regions),
        created_at=uow.now(),
    )
    uow.session.add(row)
    await uow.commit()
    return row


async def saved_searches_matching(
    session: AsyncSession, *, actor: Actor, query: str, filter: OrderSearchFilter
) -> list[SavedSearch]:
    """The actor's organisations' saved searches that saveSearch would name as the duplicate of this text and
    these filters (the same normalisation and comparison): at most one per organisation, oldest first. None
    signed out, and none for text or filters a search could not keep (saveSearch would refuse them anyway)."""
    if not actor.authenticated or not actor.memberships:
        return []
    try:
        text = clean_text(query)
        checked = check_order_filter(filter)
    except DomainError:
        return []
    rows = await session.scalars(
        select(SavedSearch)
        .where(SavedSearch.organisation_id.in_(list(actor.memberships)))
        .order_by(SavedSearch.created_at, SavedSearch.id)
    )
    return [row for row in rows if _same_search(row, text, checked)]


async def delete_saved_search(uow: UnitOfWork, *, actor: Actor, saved_search_id: UUID) -> UUID:
    actor.require_user()
    row = await uow.session.get(SavedSearch, saved_search_id, with_for_update=True)
    if row is None or not actor.is_member(row.organisation_id):
        raise NotFound("saved search", "id")
    await uow.session.delete(row)
    await uow.commit()
    return saved_search_id


async def my_saved_searches(session: AsyncSession, *, actor: Actor) -> list[SavedSearch]:
    actor.require_user()
    return list(
        await session.scalars(
            select(SavedSearch)
            .where(SavedSearch.organisation_id.in_(list(actor.memberships)))
            .order_by(SavedSearch.created_at, SavedSearch.id)
        )
    )


# Matching a newly opened order ------------------------------------------------------------------


def _filter_of(row: SavedSearch) -> OrderSearchFilter:
    return OrderSearchFilter(
        processes=row.processes, materials=row.materials, certifications=row.certifications, regions=row.regions
    )


async def candidates(session: AsyncSession, order: ProductionOrder) -> list[SavedSearch]:
    """The saved searches whose filters this order can meet and whose organisation may see it. The backend
    still decides (text included); this only spares it the searches that cannot match."""
    invited = select(OrderInvitation.manufacturer_organisation_id).where(OrderInvitation.order_id == order.id)
    stmt = select(SavedSearch).where(
        SavedSearch.organisation_id != order.buyer_organisation_id,
        or_(func.cardinality(SavedSearch.processes) == 0, literal(order.process) == any_(SavedSearch.processes)),
        or_(func.cardinality(SavedSearch.regions) == 0, literal(order.delivery_region) == any_(SavedSearch.regions)),
        or_(
            func.cardinality(SavedSearch.materials) == 0, literal(order.material.lower()) == any_(SavedSearch.materials)
        ),
        or_(
            func.cardinality(SavedSearch.certifications) == 0,
            SavedSearch.certifications.overlap(list(order.required_certifications)),
        ),
    )
    if order.visibility != Visibility.public:
        stmt = stmt.where(SavedSearch.organisation_id.in_(invited))
    return list(
        await session.scalars(stmt.order_by(SavedSearch.organisation_id, SavedSearch.created_at, SavedSearch.id))
    )


async def notify_matches(uow: UnitOfWork, *, order_id: UUID, search: SearchIndex) -> int:
    """Tell the organisations whose saved searches match the order (still open); returns how many."""
    order = await uow.session.get(ProductionOrder, order_id)
    if order is None or order.status != OrderStatus.open:
        return 0
    matched: dict[UUID, SavedSearch] = {}  # organisation -> its oldest matching search (names the notice)
    for saved in await candidates(uow.session, order):
        if saved.organisation_id in matched:
            continue
        query = SearchQuery(
            text=saved.query,
            order_filter=replace(_filter_of(saved), ids=[str(order.id)]),
            first=1,
            viewer=Viewer(organisation_ids=frozenset({str(saved.organisation_id)})),
        )
        if (await search.search(IndexName.orders, query)).total:
            matched[saved.organisation_id] = saved
    for organisation_id, saved in matched.items():
        await notify(
            uow,
            kind=NotificationKind.order_matched,
            params=notice.OrderMatched(
                order.title, saved.name, order.quantity, order.material, order.delivery_region, order.bidding_deadline
            ),
            title=f"New order matching “{saved.name}”: {order.title}",
            body=f"{order.quantity} pcs, {order.material}, delivery to {order.delivery_region}; "
            f"bidding closes {order.bidding_deadline.isoformat()}.",
            subject=Subject("Order", order.id),
            organisation_ids=[organisation_id],
            dedupe_key=f"order_matched:{order.id}",
        )
    return len(matched)
