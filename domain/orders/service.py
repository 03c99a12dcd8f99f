"""Use cases for production orders (RFQs)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Uuid,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.columns import table_of
from domain.errors import DomainError, ErrorCode, Forbidden, InvalidInput, NotFound
from domain.orders import rules
from domain.orders.models import (
    OrderInvitation,
    OrderJsonRow,
    OrderRow,
    OrderStatus,
    ProductionOrder,
    Visibility,
)
from domain.orders.rules import OrderDraft
from domain.organisations.models import Organisation, OrganisationKind, OrganisationRow
from domain.organisations.rules import check_region_filter
from domain.outbox import emit, emit_many
from domain.pagination import Page, PageRequest, SortKey, keyset, keyset_params, read_page
from domain.ports.records import refresh_records
from domain.ports.search import Topic
from domain.rows import fetch_record_pairs, uuid_array
from domain.sql_json import Parts, columns_of, json_text
from domain.text import check_text
from domain.uow import UnitOfWork

# The outbox topic of orders that just opened for bids: saved searches are matched against them
# (domain/saved_searches/service.py; the worker relays it).
ORDER_OPENED_TOPIC = "order_opened"


async def _check_invitees(uow: UnitOfWork, buyer_id: UUID, ids: Sequence[UUID]) -> None:
    if not ids:
        return
    if buyer_id in ids:
        raise InvalidInput("an organisation cannot invite itself", "invitedManufacturerIds")
    found = set(
        await uow.session.scalars(
            select(Organisation.id).where(
                Organisation.id.in_(list(ids)),
                Organisation.kind.in_([OrganisationKind.manufacturer, OrganisationKind.both]),
            )
        )
    )
    if missing := [i for i in ids if i not in found]:
        raise NotFound(f"manufacturer {missing[0]}", "invitedManufacturerIds")


async def _invited(session: AsyncSession, order_id: UUID) -> list[UUID]:
    return list(
        await session.scalars(
            select(OrderInvitation.manufacturer_organisation_id)
            .where(OrderInvitation.order_id == order_id)
            .order_by(OrderInvitation.manufacturer_organisation_id)
        )
    )


def _write(order: ProductionOrder, draft: OrderDraft) -> None:
    order.title = draft.title
    order.description = draft.description
    order.process = draft.process
    order.material = draft.material
    order.quantity = draft.quantity
    order.tolerance_class = draft.tolerance_class
    order.required_certifications = list(draft.required_certifications)
    order.need_by = draft.need_by
    order.delivery_region = draft.delivery_region
    order.budget_min_minor = draft.budget_min.minor_units
    order.budget_max_minor = draft.budget_max.minor_units
    order.currency = draft.budget_min.currency
    order.bidding_deadline = draft.bidding_deadline
    order.visibility = draft.visibility
    order.estimated_machine_hours = draft.estimated_machine_hours
    order.allow_split = draft.allow_split
    order.budget_includes_vat = draft.budget_includes_vat


async def _invite(uow: UnitOfWork, order_id: UUID, ids: Sequence[UUID], already: Sequence[UUID]) -> None:
    now = uow.now()
    for manufacturer_id in sorted(set(ids) - set(already)):
        uow.session.add(
            OrderInvitation(order_id=order_id, manufacturer_organisation_id=manufacturer_id, created_at=now)
        )
    if removed := set(already) - set(ids):
        await uow.session.execute(
            delete(OrderInvitation).where(
                OrderInvitation.order_id == order_id,
                OrderInvitation.manufacturer_organisation_id.in_(removed),
            )
        )


async def create_order(
    uow: UnitOfWork, *, actor: Actor, organisation_id: UUID | None, draft: OrderDraft, publish: bool = False
) -> ProductionOrder:
    buyer_id = actor.pick_organisation(organisation_id)
    buyer = await uow.session.get(Organisation, buyer_id)
    if buyer is None:
        raise NotFound("organisation", "organisationId")
    if not buyer.kind.buys:
        raise DomainError(
            ErrorCode.NOT_A_BUYER, "the organisation is registered as a manufacturer only", "organisationId"
        )
    now = uow.now()
    draft = draft.checked(now)
    await _check_invitees(uow, buyer_id, draft.invited_manufacturer_ids)
    # The draft's fields are written by _write, as an update writes them.
    order = ProductionOrder(  # type: ignore[call-arg]
        buyer_organisation_id=buyer_id,
        created_by_user_id=actor.require_user(),
        status=OrderStatus.draft,
        created_at=now,
        updated_at=now,
    )
    _write(order, draft)
    if publish:
        rules.check_publishable(draft, now)
        order.status = rules.transition(order.status, "publish")
        order.published_at = now
    uow.session.add(order)
    await uow.session.flush()
    await _invite(uow, order.id, draft.invited_manufacturer_ids, [])
    if order.published_at is not None:
        await refresh_records(uow.session, draft.invited_manufacturer_ids, now)
    emit(uow, Topic.order, order.id)
    if publish:
        emit(uow, ORDER_OPENED_TOPIC, order.id)
    await uow.commit()
    return order


async def load_for_buyer(uow: UnitOfWork, actor: Actor, order_id: UUID, field: str = "id") -> ProductionOrder:
    """The order, locked, if the actor's organisation owns it; otherwise Forbidden or NotFound."""
    actor.require_user()
    order = await uow.session.get(ProductionOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound("order", field)
    if not actor.is_member(order.buyer_organisation_id):
        invited = set(await _invited(uow.session, order_id))
        if rules.can_see(set(actor.memberships), actor.is_operator, order, invited):
            raise Forbidden("only the buyer's organisation may do this", field)
        raise NotFound("order", field)
    return order


async def require_buyer_view(session: AsyncSession, actor: Actor, order_id: UUID, field: str = "orderId") -> None:
    """The actor belongs to the order's buyer: may watch its bids. Otherwise NotFound, or Forbidden for a
    bidder or invitee who can see the order."""
    actor.require_user()
    order = (await orders_by_ids(session, actor=actor, ids=[order_id])).get(order_id)
    if order is None:
        raise NotFound("order", field)
    if not actor.is_member(order.buyer_organisation_id):
        raise Forbidden("only the buyer's organisation may watch its bids", field)


async def update_order(uow: UnitOfWork, *, actor: Actor, order_id: UUID, changes: dict[str, Any]) -> ProductionOrder:
    order = await load_for_buyer(uow, actor, order_id)
    invited = await _invited(uow.session, order_id)
    updated = rules.apply_changes(OrderDraft.of(order, invited), order.status, changes, uow.now())
    await _check_invitees(uow, order.buyer_organisation_id, updated.invited_manufacturer_ids)
    _write(order, updated)
    await _invite(uow, order.id, updated.invited_manufacturer_ids, invited)
    if order.published_at is not None and set(updated.invited_manufacturer_ids) != set(invited):
        await refresh_records(uow.session, {*updated.invited_manufacturer_ids, *invited}, uow.now())
    order.updated_at = uow.now()
    emit(uow, Topic.order, order.id)
    await uow.commit()
    return order


async def publish_order(uow: UnitOfWork, *, actor: Actor, order_id: UUID) -> ProductionOrder:
    order = await load_for_buyer(uow, actor, order_id)
    order.status = rules.transition(order.status, "publish")
    invited = await _invited(uow.session, order_id)
    rules.check_publishable(OrderDraft.of(order, invited), uow.now())
    order.published_at = order.updated_at = uow.now()
    await refresh_records(uow.session, invited, uow.now())
    emit(uow, Topic.order, order.id)
    emit(uow, ORDER_OPENED_TOPIC, order.id)
    await uow.commit()
    return order


async def cancel_order(uow: UnitOfWork, *, actor: Actor, order_id: UUID, reason: str) -> ProductionOrder:
    """Cancel a draft or an open order; its active bids are rejected (and their holders told, later)."""
    order = await load_for_buyer(uow, actor, order_id)
    reason = check_text(reason, "reason", max_length=1000, required=False)
    order.status = rules.transition(order.status, "cancel")
    now = uow.now()
    order.closed_at = order.updated_at = now
    order.cancel_reason = reason
    await uow.session.execute(
        update(Bid)
        .where(Bid.order_id == order_id, Bid.status == BidStatus.active)
        .values(status=BidStatus.rejected, updated_at=now)
    )
    emit(uow, Topic.order, order.id)
    await uow.commit()
    return order


async def expire_orders(uow: UnitOfWork, *, award_window: timedelta) -> int:
    """Open orders not awarded within `award_window` after their bidding deadline (or after a cancelled contract
    gave its quantity back) expire (a timer's job);
    a split order with parts awarded closes as awarded with what it has. Their active bids expire."""
    now = uow.now()
    expired: list[UUID] = []
    for partly_awarded, status in ((True, OrderStatus.awarded), (False, OrderStatus.expired)):
        expired += await uow.session.scalars(
            update(ProductionOrder)
            .where(
                ProductionOrder.status == OrderStatus.open,
                # The award window runs from the bidding deadline, or again from a cancelled contract's return.
                func.coalesce(ProductionOrder.award_reopened_at, ProductionOrder.bidding_deadline) < now - award_window,
                (ProductionOrder.awarded_quantity > 0) == partly_awarded,
            )
            .values(status=status, closed_at=now, updated_at=now)
            .returning(ProductionOrder.id)
        )
    if expired:
        await uow.session.execute(
            update(Bid)
            .where(Bid.order_id.in_(expired), Bid.status == BidStatus.active)
            .values(status=BidStatus.expired, updated_at=now)
        )
    emit_many(uow, Topic.order, expired)
    await uow.commit()
    return len(expired)


# Reads ----------------------------------------------------------------------------------------


class Viewer(Enum):
    """Who reads, as far as which orders they see depends on it (rules.can_see): a read's select is built once per
    kind (and number of organisations) and run with each viewer's values."""

    OPERATOR = "operator"  # every order
    ANONYMOUS = "anonymous"  # none
    SIGNED_IN = "signed in"  # their organisations' orders, and published orders public or inviting one of them

    @staticmethod
    def of(actor: Actor) -> Viewer:
        if actor.is_operator:
            return Viewer.OPERATOR
        return Viewer.SIGNED_IN if actor.authenticated else Viewer.ANONYMOUS


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """SQL twin of rules.can_see."""
    return visibility(Viewer.of(actor), list(actor.memberships))


def visibility(viewer: Viewer, organisations: Sequence[Any]) -> ColumnElement[bool]:
    """The orders a viewer of the kind sees (rules.can_see), `organisations` being the viewer's memberships: their
    ids (visible_to), or the parameters of a select built once (`_listed`)."""
    if viewer is Viewer.OPERATOR:
        return true()
    if viewer is Viewer.ANONYMOUS:
        return false()
    published = and_(
        ProductionOrder.status != OrderStatus.draft,
        or_(
            ProductionOrder.visibility == Visibility.public,
            exists().where(
                OrderInvitation.order_id == ProductionOrder.id,
                OrderInvitation.manufacturer_organisation_id.in_(organisations),
            ),
        ),
    )
    if not organisations:
        return published
    return or_(ProductionOrder.buyer_organisation_id.in_(organisations), published)


def _list_values(params: dict[str, Any], name: str, values: Iterable[Any]) -> int:
    """A list's values (duplicates dropped: `IN` finds the same) as the parameters `name__0`, `name__1`, ... of a
    select built once per length (`_listed`); how many."""
    unique = list(dict.fromkeys(values))
    for position, value in enumerate(unique):
        params[f"{name}__{position}"] = value
    return len(unique)


def _listed(name: str, count: int, type_: Any) -> list[BindParameter[Any]]:
    """The parameters `_list_values` fills: rendered `IN ($1, $2)` as a list of values is, with nothing for
    SQLAlchemy to expand on each run."""
    return [bindparam(f"{name}__{position}", type_=type_) for position in range(count)]


@dataclass(frozen=True, slots=True)
class OrderFilter:
    statuses: Sequence[OrderStatus] = ()
    processes: Sequence[str] = ()
    regions: Sequence[str] = ()
    certifications: Sequence[str] = ()  # orders requiring any of these
    buyer_organisation_id: UUID | None = None
    mine: bool = False
    deadline_after: datetime | None = None
    deadline_before: datetime | None = None
    need_by_before: date | None = None


ORDER_SORTS: dict[str, SortKey] = {
    "NEWEST": SortKey(ProductionOrder.created_at, ProductionOrder.id, descending=True),
    "DEADLINE": SortKey(ProductionOrder.bidding_deadline, ProductionOrder.id),
    "NEED_BY": SortKey(ProductionOrder.need_by, ProductionOrder.id),
}


async def list_orders(
    session: AsyncSession, *, actor: Actor, filter: OrderFilter, sort: str, page: PageRequest
) -> Page[OrderRow]:
    # A Core select: the board shows the rows, it changes none of them (read-only rows cost less than objects).
    stmt, params, page = _board_page(actor, filter, sort, page, with_buyers=False)
    return await read_page(session, stmt, ORDER_SORTS[sort], page, params, into=OrderRow)


async def list_orders_with_buyers(
    session: AsyncSession, *, actor: Actor, filter: OrderFilter, sort: str, page: PageRequest
) -> Page[tuple[OrderRow, OrganisationRow]]:
    """list_orders with each order's buyer, in the same statement (a join: one round trip, not two)."""
    stmt, params, page = _board_page(actor, filter, sort, page, with_buyers=True)
    return await read_page(session, stmt, ORDER_SORTS[sort], page, params, into=(OrderRow, OrganisationRow))


async def list_orders_json(
    session: AsyncSession, *, actor: Actor, filter: OrderFilter, sort: str, page: PageRequest, parts: Parts
) -> Page[OrderJsonRow]:
    """list_orders (the same orders, the same visibility, page and cursors: the same select) with each order as
    the JSON text of `parts` (domain/sql_json.py) instead of its columns; the relation "buyer" is the order's
    buyer organisation (joined as list_orders_with_buyers joins it)."""
    with_buyers = any(part.kind == "object" and part.column == "buyer" for part in parts)
    shape, params, page = _board_shape(actor, filter, sort, page, with_buyers=with_buyers)
    stmt = _board_json_select(shape, parts)
    found = await read_page(session, stmt, ORDER_SORTS[sort], page, params, into=OrderJsonRow)
    for row in found.items:
        if row.json is None:  # a value PostgreSQL could not write (domain/sql_json.py): not an answer to give
            raise ValueError(f"order {row.id}: its JSON could not be written")
    return found


@lru_cache(maxsize=256)
def _board_json_select(shape: _BoardShape, parts: Parts) -> Select[Any]:
    """The board's select of a shape with, instead of the table's columns, the order's id, the sort keys and its
    JSON: the same FROM, conditions, order and limit."""
    orders = table_of(ProductionOrder)
    tables: dict[str | None, Any] = {None: orders}
    if shape.with_buyers:
        tables["buyer"] = table_of(Organisation)
    columns = orders.c
    return _board_select(shape).with_only_columns(
        columns.id,
        columns.created_at,
        columns.bidding_deadline,
        columns.need_by,
        json_text(parts, columns_of(tables)).label("json"),
        maintain_column_froms=True,
    )


class _BoardShape(NamedTuple):
    """What the board's select depends on besides its values: built once per shape, run with each page's values
    (building and compiling it per request cost more than PostgreSQL's running it)."""

    viewer: Viewer
    organisations: int
    with_buyers: bool
    sort: str
    after: bool
    statuses: int
    processes: int
    regions: int
    certifications: bool
    buyer: bool
    mine: bool
    deadline_after: bool
    deadline_before: bool
    need_by_before: bool


def _board_page(
    actor: Actor, filter: OrderFilter, sort: str, page: PageRequest, *, with_buyers: bool
) -> tuple[Select[Any], dict[str, Any], PageRequest]:
    """The board's select for the actor, filter, sort and page, its parameters' values, and the page checked."""
    shape, params, page = _board_shape(actor, filter, sort, page, with_buyers=with_buyers)
    return _board_select(shape), params, page


def _board_shape(
    actor: Actor, filter: OrderFilter, sort: str, page: PageRequest, *, with_buyers: bool
) -> tuple[_BoardShape, dict[str, Any], PageRequest]:
    """The board's shape for the actor, filter, sort and page, its parameters' values, and the page checked."""
    params: dict[str, Any] = {}
    regions = _list_values(params, "region", check_region_filter(filter.regions)) if filter.regions else 0
    if filter.certifications:
        params["certifications"] = list(filter.certifications)
    if filter.buyer_organisation_id is not None:
        params["buyer_organisation_id"] = filter.buyer_organisation_id
    if filter.deadline_after is not None:
        params["deadline_after"] = filter.deadline_after
    if filter.deadline_before is not None:
        params["deadline_before"] = filter.deadline_before
    if filter.need_by_before is not None:
        params["need_by_before"] = filter.need_by_before
    page = page.checked()
    params.update(keyset_params(ORDER_SORTS[sort], page))
    shape = _BoardShape(
        viewer=Viewer.of(actor),
        organisations=_list_values(params, "organisation", actor.memberships),
        with_buyers=with_buyers,
        sort=sort,
        after=bool(page.after),
        statuses=_list_values(params, "status", filter.statuses),
        processes=_list_values(params, "process", filter.processes),
        regions=regions,
        certifications="certifications" in params,
        buyer="buyer_organisation_id" in params,
        mine=filter.mine,
        deadline_after="deadline_after" in params,
        deadline_before="deadline_before" in params,
        need_by_before="need_by_before" in params,
    )
    return shape, params, page


@lru_cache(maxsize=512)
def _board_select(shape: _BoardShape) -> Select[Any]:
    """The board's select of a shape: narrowed to what the viewer may see and the filter asks for, in the sort's
    order, one page; every value a named parameter (_board_page gives them)."""
    orders = table_of(ProductionOrder)
    columns = orders.c
    if shape.with_buyers:
        buyer = table_of(Organisation)
        stmt = select(orders, buyer).join(buyer, buyer.c.id == columns.buyer_organisation_id)
    else:
        stmt = select(orders)
    organisations = _listed("organisation", shape.organisations, columns.buyer_organisation_id.type)
    stmt = stmt.where(visibility(shape.viewer, organisations))
    if shape.statuses:
        stmt = stmt.where(columns.status.in_(_listed("status", shape.statuses, columns.status.type)))
    if shape.processes:
        stmt = stmt.where(columns.process.in_(_listed("process", shape.processes, columns.process.type)))
    if shape.regions:
        stmt = stmt.where(columns.delivery_region.in_(_listed("region", shape.regions, columns.delivery_region.type)))
    if shape.certifications:
        wanted = bindparam("certifications", type_=columns.required_certifications.type)
        stmt = stmt.where(columns.required_certifications.overlap(wanted))
    if shape.buyer:
        buyer_id = bindparam("buyer_organisation_id", type_=columns.buyer_organisation_id.type)
        stmt = stmt.where(columns.buyer_organisation_id == buyer_id)
    if shape.mine:
        stmt = stmt.where(columns.buyer_organisation_id.in_(organisations))
    if shape.deadline_after:
        stmt = stmt.where(columns.bidding_deadline >= bindparam("deadline_after", type_=columns.bidding_deadline.type))
    if shape.deadline_before:
        stmt = stmt.where(columns.bidding_deadline < bindparam("deadline_before", type_=columns.bidding_deadline.type))
    if shape.need_by_before:
        stmt = stmt.where(columns.need_by <= bindparam("need_by_before", type_=columns.need_by.type))
    return keyset(stmt, ORDER_SORTS[shape.sort], after=shape.after)


async def orders_by_ids(session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, ProductionOrder]:
    rows = await session.scalars(select(ProductionOrder).where(ProductionOrder.id.in_(list(ids)), visible_to(actor)))
    return {row.id: row for row in rows}


async def order_rows_with_buyers(
    session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]
) -> dict[UUID, tuple[OrderRow, OrganisationRow]]:
    """The orders the actor may see, each with its buyer, as read-only rows in one statement (a join)."""
    stmt, params = orders_with_buyers_read(actor, ids)
    pairs = await fetch_record_pairs(session, stmt, (OrderRow, OrganisationRow), params)
    return {order.id: (order, organisation) for order, organisation in pairs}


def orders_with_buyers_read(actor: Actor, ids: Sequence[UUID]) -> tuple[Select[Any], dict[str, Any]]:
    """order_rows_with_buyers' select (built once per kind of viewer) and its parameters' values: for a read that
    adds to it (domain/bids/service.py order_with_buyer_and_bids)."""
    params: dict[str, Any] = {"ids": list(ids)}
    stmt = _orders_with_buyers(Viewer.of(actor), _list_values(params, "organisation", actor.memberships))
    return stmt, params


@lru_cache(maxsize=64)
def _orders_with_buyers(viewer: Viewer, organisations: int) -> Select[Any]:
    """The orders of the `ids` parameter a viewer of the kind may see, with their buyers: built once per kind."""
    buyer = table_of(Organisation)
    return (
        select(table_of(ProductionOrder), buyer)
        .join(buyer, buyer.c.id == ProductionOrder.buyer_organisation_id)
        .where(
            ProductionOrder.id == any_(uuid_array("ids")),
            visibility(viewer, _listed("organisation", organisations, Uuid())),
        )
    )


async def invitations_by_order_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    rows = await session.execute(
        select(OrderInvitation.order_id, OrderInvitation.manufacturer_organisation_id)
        .where(OrderInvitation.order_id.in_(list(ids)))
        .order_by(OrderInvitation.created_at)
    )
    grouped: dict[UUID, list[UUID]] = defaultdict(list)
    for order_id, manufacturer_id in rows:
        grouped[order_id].append(manufacturer_id)
    return grouped
