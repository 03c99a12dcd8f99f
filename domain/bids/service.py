"""Use cases for bids: place, revise, withdraw; and the sealed-bid reads.

Lock order, for every path that touches an order and its bids (here and in contracts/service.py's award):
the order row first (FOR SHARE to bid, revise or withdraw; FOR UPDATE to award), then the bid rows, then the
manufacturer's organisation row (capacity). Taken in this order only, two such transactions wait for each
other and never deadlock (tests/integration/test_lock_order.py).
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    Text,
    any_,
    bindparam,
    cast,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids import rules
from domain.bids.models import Bid, BidFeedback, BidStatus, RankedBidJsonRow, RankedBidRow
from domain.bids.price_split import split_bid_price
from domain.bids.rules import BidTerms, PricedBid
from domain.capacity.service import hold_for_bid, move_hold
from domain.columns import table_of
from domain.errors import DomainError, ErrorCode, NotFound
from domain.manufacturers.rules import Requirement, fit_problems
from domain.manufacturers.service import load_capability
from domain.money import Money
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.orders.models import OrderInvitation, OrderRow, ProductionOrder, Visibility
from domain.orders.rules import bidding_open, bids_withdrawable, can_see
from domain.orders.service import order_rows_with_buyers, orders_with_buyers_read
from domain.organisations.models import Organisation, OrganisationRow
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.ports.records import refresh_records
from domain.realtime import EventTopic, announce
from domain.rows import bound_uuids, fetch_record_pairs, fetch_records, uuid_array
from domain.sql_json import Parts, columns_of, connection_part, connection_text, json_text
from domain.taxes import rates as taxes
from domain.uow import UnitOfWork


async def _order_for_bidding(uow: UnitOfWork, actor: Actor, order_id: UUID, field: str = "orderId") -> ProductionOrder:
    """The order, share-locked so that an award cannot slip in between our checks and our insert."""
    order = await uow.session.get(ProductionOrder, order_id, with_for_update={"read": True})
    if order is None:
        raise NotFound("order", field)
    invited = set(
        await uow.session.scalars(
            select(OrderInvitation.manufacturer_organisation_id).where(OrderInvitation.order_id == order_id)
        )
    )
    if not can_see(set(actor.memberships), False, order, invited):
        raise NotFound("order", field)
    return order


async def _check_bidder(uow: UnitOfWork, manufacturer_id: UUID, order: ProductionOrder) -> Organisation:
    """The bidding organisation's row, once it may bid on the order."""
    if manufacturer_id == order.buyer_organisation_id:
        raise DomainError(ErrorCode.OWN_ORDER, "an organisation cannot bid on its own order", "orderId")
    organisation = await uow.session.get(Organisation, manufacturer_id)
    if organisation is None or not organisation.kind.manufactures:
        raise DomainError(
            ErrorCode.NOT_A_MANUFACTURER, "the organisation is registered as a buyer only", "organisationId"
        )
    problems = fit_problems(
        await load_capability(uow.session, manufacturer_id),
        Requirement(
            process=order.process,
            quantity=order.quantity,
            required_certifications=order.required_certifications,
            need_by=order.need_by,
        ),
    )
    if problems:
        raise DomainError(ErrorCode.CAPABILITY_MISMATCH, "; ".join(problems), "orderId")
    return organisation


async def _new_bid(
    order: ProductionOrder, bidder: Organisation, user_id: UUID, priced: PricedBid, uow: UnitOfWork
) -> Bid:
    now = uow.now()
    # The VAT the bidder's declared tax status gives its prices today (the reporting zone's day), fixed on the bid
    # (prices include it).
    treatment, rate = await taxes.seller_terms(uow.session, bidder, uow.tax_day())
    return Bid(
        order_id=order.id,
        manufacturer_organisation_id=bidder.id,
        placed_by_user_id=user_id,
        status=BidStatus.active,
        quantity=priced.quantity,
        unit_price_minor=priced.unit_price_minor,
        tooling_minor=priced.tooling_minor,
        total_minor=priced.total_minor,
        currency=priced.currency,
        vat_treatment=treatment,
        vat_rate=rate,
        vat_minor=split_bid_price(
            priced.unit_price_minor, priced.quantity, priced.tooling_minor, priced.currency, treatment, rate
        ).total.vat,
        lead_time_days=priced.lead_time_days,
        valid_until=priced.valid_until,
        notes=priced.notes,
        created_at=now,
        updated_at=now,
    )


async def place_bid(
    uow: UnitOfWork, *, actor: Actor, order_id: UUID, organisation_id: UUID | None, terms: BidTerms
) -> Bid:
    user_id = actor.require_user()
    manufacturer_id = actor.pick_organisation(organisation_id)
    order = await _order_for_bidding(uow, actor, order_id)
    bidding_open(order, uow.now())
    bidder = await _check_bidder(uow, manufacturer_id, order)
    priced = rules.price(terms, order, uow.now())
    existing = await uow.session.scalar(
        select(Bid.id).where(
            Bid.order_id == order_id,
            Bid.manufacturer_organisation_id == manufacturer_id,
            Bid.status == BidStatus.active,
        )
    )
    if existing is not None:
        raise DomainError(ErrorCode.DUPLICATE_BID, "you have an active bid on this order: revise it", "orderId")
    bid = await _new_bid(order, bidder, user_id, priced, uow)
    uow.session.add(bid)
    announce(uow, EventTopic.bid_activity, order.id, kind="placed", bid=bid.id)
    await notify(
        uow,
        kind=NotificationKind.bid_received,
        params=notice.BidReceived(order.title, Money(bid.total_minor, bid.currency), bid.lead_time_days),
        title=f"New bid on “{order.title}”",
        body=f"{Money(bid.total_minor, bid.currency).amount} {bid.currency}, lead time {bid.lead_time_days} days.",
        subject=Subject("Bid", bid.id),
        organisation_ids=[order.buyer_organisation_id],
    )
    try:
        await hold_for_bid(uow, bid, order)
        if order.visibility == Visibility.invited:
            await refresh_records(uow.session, [manufacturer_id], uow.now())  # an invitation answered
        await uow.commit()
    except IntegrityError:
        # A second tab placed the same bid a moment ago: the partial unique index decided.
        raise DomainError(
            ErrorCode.DUPLICATE_BID, "you have an active bid on this order: revise it", "orderId"
        ) from None
    return bid


async def _own_bid(uow: UnitOfWork, actor: Actor, bid_id: UUID) -> tuple[Bid, ProductionOrder]:
    """The actor's bid, locked, with its order share-locked. The order is locked before the bid: the lock order
    of every path that touches an order and its bids (awardBid takes the order, then the bids, then capacity),
    so that a revision and an award on one order wait for each other instead of deadlocking."""
    actor.require_user()
    found = await uow.session.get(Bid, bid_id)
    if found is None or not actor.is_member(found.manufacturer_organisation_id):
        raise NotFound("bid", "bidId")
    order = await _order_for_bidding(uow, actor, found.order_id, "bidId")
    bid = await uow.session.get(Bid, bid_id, with_for_update=True, populate_existing=True)
    assert bid is not None  # bids are never deleted
    return bid, order


async def revise_bid(uow: UnitOfWork, *, actor: Actor, bid_id: UUID, terms: BidTerms) -> Bid:
    """A revision is a new bid row; the old one is kept, superseded, so the history stays."""
    user_id = actor.require_user()
    old, order = await _own_bid(uow, actor, bid_id)
    old.status = rules.transition(old.status, "revise")
    bidding_open(order, uow.now(), "bidId")
    bidder = await _check_bidder(uow, old.manufacturer_organisation_id, order)
    priced = rules.price(terms, order, uow.now())
    old.updated_at = uow.now()
    await uow.session.flush()  # the old row leaves `active` before the new one arrives
    bid = await _new_bid(order, bidder, user_id, priced, uow)
    bid.revision = old.revision + 1
    bid.previous_bid_id = old.id
    uow.session.add(bid)
    await move_hold(uow, old.id, bid.id)
    announce(uow, EventTopic.bid_activity, order.id, kind="revised", bid=bid.id)
    await uow.commit()
    return bid


async def withdraw_bid(uow: UnitOfWork, *, actor: Actor, bid_id: UUID) -> Bid:
    bid, order = await _own_bid(uow, actor, bid_id)
    bid.status = rules.transition(bid.status, "withdraw")
    bids_withdrawable(order, uow.now())
    bid.updated_at = uow.now()
    announce(uow, EventTopic.bid_activity, order.id, kind="withdrawn", bid=bid.id)
    await uow.commit()
    return bid


async def confirm_bid(uow: UnitOfWork, *, actor: Actor, bid_id: UUID) -> Bid:
    """A bid put back after its order's contract was cancelled: its bidder says it still holds."""
    bid, order = await _own_bid(uow, actor, bid_id)
    if bid.status != BidStatus.active:
        raise DomainError(ErrorCode.BID_NOT_ACTIVE, f"the bid is {bid.status.value}", "bidId")
    if not rules.confirmable(bid.status, order):
        raise DomainError(ErrorCode.ORDER_NOT_OPEN, "the order is not open for award again", "bidId")
    bid.reconfirmed_at = bid.updated_at = uow.now()
    announce(uow, EventTopic.bid_activity, order.id, kind="confirmed", bid=bid.id)
    await uow.commit()
    return bid


async def may_take_part(
    session: AsyncSession, *, actor: Actor, orders: Sequence[ProductionOrder], now: datetime
) -> dict[UUID, tuple[bool, bool]]:
    """For each order: whether the actor may ask the buyer about it, and whether it may place a bid on it, now: for
    one of its manufacturing organisations other than the buyer, while bidding is open (a bid: an organisation
    without an active bid there; it revises that one instead). placeBid still checks the fit and says why it
    refuses. Two statements for any number of orders; orders not listed in the answer allow neither."""
    open_orders = [order for order in orders if rules.takes_bids(order, now)]
    if not actor.authenticated or not actor.memberships or not open_orders:
        return {}
    organisations = await session.scalars(select(Organisation).where(Organisation.id.in_(list(actor.memberships))))
    makers = {organisation.id for organisation in organisations if organisation.kind.manufactures}
    if not makers:
        return {}
    bidding: dict[UUID, set[UUID]] = {}
    for order_id, organisation_id in await session.execute(
        select(Bid.order_id, Bid.manufacturer_organisation_id).where(
            Bid.order_id.in_([order.id for order in open_orders]),
            Bid.status == BidStatus.active,
            Bid.manufacturer_organisation_id.in_(list(makers)),
        )
    ):
        bidding.setdefault(order_id, set()).add(organisation_id)
    answer: dict[UUID, tuple[bool, bool]] = {}
    for order in open_orders:
        candidates = makers - {order.buyer_organisation_id}
        if candidates:
            answer[order.id] = (True, bool(candidates - bidding.get(order.id, set())))
    return answer


async def expire_bids(uow: UnitOfWork) -> int:
    """Active bids past their valid-until date expire (a timer's job); the buyer can no longer award them."""
    now = uow.now()
    expired = await uow.session.execute(
        update(Bid)
        .where(Bid.status == BidStatus.active, Bid.valid_until < now.date())
        .values(status=BidStatus.expired, updated_at=now)
        .returning(Bid.id)
    )
    count = len(expired.all())
    await uow.commit()
    return count


# Reads: bids are sealed -------------------------------------------------------------------------


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The buyer sees every bid on its orders; a manufacturer sees only its own."""
    if actor.is_operator:
        return true()
    if not actor.memberships:
        return false()
    return _seen_by(bound_uuids(actor.memberships))


def _seen_by(organisations: BindParameter[Any]) -> ColumnElement[bool]:
    """The bids one of `organisations` (a `uuid[]` parameter) may see: its own, and every bid on its orders."""
    buyer_of_order = (
        select(ProductionOrder.id)
        .where(ProductionOrder.id == Bid.order_id, ProductionOrder.buyer_organisation_id == any_(organisations))
        .exists()
    )
    return or_(Bid.manufacturer_organisation_id == any_(organisations), buyer_of_order)


CURRENT = (BidStatus.active, BidStatus.accepted, BidStatus.rejected, BidStatus.withdrawn, BidStatus.expired)


def _bids_page(visible: ColumnElement[bool]) -> Select[Any]:
    """Up to `limit` visible bids per order of `order_ids` with one of `statuses`, cheapest first (a window per
    order): built once per kind of visibility, run with each page's values."""
    ranked = (
        select(
            Bid,
            func.row_number()
            .over(partition_by=Bid.order_id, order_by=(Bid.total_minor, Bid.created_at, Bid.id))
            .label("position"),
        )
        .where(
            Bid.order_id == any_(uuid_array("order_ids")),
            Bid.status == any_(bindparam("statuses", type_=ARRAY(String()))),
            visible,
        )
        .subquery()
    )
    return (
        select(ranked)
        .where(ranked.c.position <= bindparam("limit", type_=Integer()))
        .order_by(ranked.c.order_id, ranked.c.position)
    )


def _with_bidders(page: Select[Any]) -> Select[Any]:
    """A bids page with each bid's bidder (the manufacturer's organisation row) in the same statement."""
    ranked = page.subquery()
    organisation = table_of(Organisation)
    # A lateral lookup by primary key per bid, kept from being flattened into a join (OFFSET): a plain join let the
    # planner hash the whole organisation table for a page of bids (EXPLAIN: 30 ms for the big page, not 2).
    bidder = (
        select(organisation)
        .where(organisation.c.id == ranked.c.manufacturer_organisation_id)
        .offset(0)
        .subquery()
        .lateral("bidder")
    )
    return select(ranked, bidder).join(bidder, true()).order_by(ranked.c.order_id, ranked.c.position)


_BIDS_PAGE_FOR_OPERATORS = _bids_page(true())
_BIDS_PAGE_FOR_MEMBERS = _bids_page(_seen_by(uuid_array("organisation_ids")))
_BIDS_WITH_BIDDERS_FOR_OPERATORS = _with_bidders(_BIDS_PAGE_FOR_OPERATORS)
_BIDS_WITH_BIDDERS_FOR_MEMBERS = _with_bidders(_BIDS_PAGE_FOR_MEMBERS)


async def bids_for_orders(
    session: AsyncSession,
    *,
    actor: Actor,
    order_ids: Sequence[UUID],
    first: int,
    statuses: Sequence[BidStatus] = CURRENT,
) -> dict[UUID, tuple[list[RankedBidRow], bool]]:
    """Up to `first` visible bids per order, cheapest first, in one statement (a window per order), and whether
    the order has more.

    Read-only rows (RankedBidRow, domain/rows.py), not ORM objects: a page of the board reads many bids and changes
    none; and the select is built once (building it cost more than running it)."""
    params = bids_page_params(actor, order_ids, first, statuses)
    if params is None:
        return defaultdict(lambda: ([], False))
    page = _BIDS_PAGE_FOR_OPERATORS if actor.is_operator else _BIDS_PAGE_FOR_MEMBERS
    return _by_order(await fetch_records(session, page, RankedBidRow, params), first, paired=False)


async def bids_with_bidders_for_orders(
    session: AsyncSession,
    *,
    actor: Actor,
    order_ids: Sequence[UUID],
    first: int,
    statuses: Sequence[BidStatus] = CURRENT,
) -> dict[UUID, tuple[list[tuple[RankedBidRow, OrganisationRow]], bool]]:
    """bids_for_orders with each bid's bidder, in the same statement (a join: one round trip, not two)."""
    params = bids_page_params(actor, order_ids, first, statuses)
    if params is None:
        return defaultdict(lambda: ([], False))
    page = _BIDS_WITH_BIDDERS_FOR_OPERATORS if actor.is_operator else _BIDS_WITH_BIDDERS_FOR_MEMBERS
    pairs = await fetch_record_pairs(session, page, (RankedBidRow, OrganisationRow), params)
    return _by_order(pairs, first, paired=True)


async def bids_json_for_orders(
    session: AsyncSession,
    *,
    actor: Actor,
    order_ids: Sequence[UUID],
    first: int,
    statuses: Sequence[BidStatus] = CURRENT,
    parts: Parts,
) -> dict[UUID, tuple[list[RankedBidJsonRow], bool]]:
    """bids_for_orders (the same bids, the same visibility) with each bid as the JSON text of `parts`
    (domain/sql_json.py) instead of its columns; the relation "bidder" is the bid's manufacturer's organisation."""
    params = bids_page_params(actor, order_ids, first, statuses)
    if params is None:
        return defaultdict(lambda: ([], False))
    rows = await fetch_records(session, _bids_json_page(actor.is_operator, parts), RankedBidJsonRow, params)
    for row in rows:
        if row.json is None:  # a value PostgreSQL could not write (domain/sql_json.py): not an answer to give
            raise ValueError(f"bid {row.id}: its JSON could not be written")
    return _by_order(rows, first, paired=False)


@lru_cache(maxsize=64)
def _bids_json_page(operators: bool, parts: Parts) -> Select[Any]:
    """The page select of bids_json_for_orders, built once per visibility and parts."""
    page = (_BIDS_PAGE_FOR_OPERATORS if operators else _BIDS_PAGE_FOR_MEMBERS).subquery()
    return _json_of_page(page, parts).order_by(page.c.order_id, page.c.position)


def _json_of_page(page: Any, parts: Parts) -> Select[Any]:
    """A page of bids (a relation of bid rows with their `position`) as each bid's id, order, position and the JSON
    text of `parts`; the relation "bidder" is the bid's manufacturer's organisation, looked up by primary key."""
    tables: dict[str | None, Any] = {None: page}
    if any(part.kind == "object" and part.column == "bidder" for part in parts):
        organisation = table_of(Organisation)
        tables["bidder"] = (
            select(organisation)
            .where(organisation.c.id == page.c.manufacturer_organisation_id)
            .offset(literal_column("0"))  # kept from being flattened into a join (_with_bidders); no Limit node
            .subquery()
            .lateral("bidder")
        )
    selected = select(page.c.id, page.c.order_id, page.c.position, json_text(parts, columns_of(tables)).label("json"))
    if "bidder" in tables:
        selected = selected.join(tables["bidder"], true())
    return selected


@lru_cache(maxsize=4)
def _one_order_page(operators: bool) -> Any:
    """bids_json_for_orders' page of ONE order — the order of an enclosing select of `production_order` — as a
    lateral subquery: the same bids (`statuses`, the same visibility), in the same order with the same positions,
    up to `limit` rows; read as one order's page is read best: its bids sorted once and cut at `limit` (the batched
    page numbers each order's bids in a window partitioned by order, filters the positions, and sorts again by
    order), and a buyer's sight of every bid judged on the enclosing order's row (the batched page looks the order
    up again for each bid). PostgreSQL's CPU for the order detail's statement: bench/README.md, `pgcost`."""
    orders = table_of(ProductionOrder)
    ordering = (Bid.total_minor, Bid.created_at, Bid.id)
    conditions = [Bid.order_id == orders.c.id, Bid.status == any_(bindparam("statuses", type_=ARRAY(String())))]
    if not operators:
        organisations = uuid_array("organisation_ids")
        conditions.append(
            or_(
                Bid.manufacturer_organisation_id == any_(organisations),
                orders.c.buyer_organisation_id == any_(organisations),
            )
        )
    return (
        select(Bid, func.row_number().over(order_by=ordering).label("position"))
        .where(*conditions)
        .order_by(*ordering)
        .limit(bindparam("limit", type_=Integer()))
        .correlate(orders)  # from two levels up: the page is inside the subquery that writes the bids' JSON
        .lateral("page")
    )


@lru_cache(maxsize=64)
def bids_json_lateral(operators: bool, parts: Parts) -> Any:
    """bids_json_for_orders' page (the same bids, visibility and order: _one_order_page) of the order of an
    enclosing select of `production_order`, as a lateral subquery of one row: `bid_ids` and `bid_jsons`, arrays in
    the page's order (NULL for no bid). An order's read then brings its first page of bids in its own statement.
    Run with bids_page_params(actor, [the order's id], ...) (its `order_ids` unused: the order is the enclosing
    row)."""
    page = _json_of_page(_one_order_page(operators), parts).subquery()
    return (
        select(
            func.array_agg(aggregate_order_by(page.c.id, page.c.position)).label("bid_ids"),
            func.array_agg(aggregate_order_by(page.c.json, page.c.position)).label("bid_jsons"),
        )
        .select_from(page)
        .lateral("bids")
    )


@dataclass(frozen=True, slots=True)
class BidsPageAsked:
    """An order's first page of bids as bids_json_for_orders reads it (the `first` cheapest of `statuses`, each bid
    as the JSON text of `parts`), asked for with the order itself."""

    first: int
    statuses: tuple[BidStatus, ...]
    parts: Parts


async def order_with_buyer_and_bids(
    session: AsyncSession, *, actor: Actor, order_id: UUID, bids: BidsPageAsked | None = None
) -> tuple[OrderRow, OrganisationRow, tuple[list[RankedBidJsonRow], bool] | None] | None:
    """The order if the actor may see it, with its buyer (domain/orders/service.py order_rows_with_buyers) and,
    when `bids` asks, its first page of bids (the actor's view of them: bids_json_for_orders' select, as a lateral
    subquery), in one statement: an order's detail in one round trip. The page is None when not asked, or when the
    actor can see no bid at all."""
    page_params = bids_page_params(actor, [order_id], bids.first, bids.statuses) if bids else None
    if bids is None or page_params is None:
        pair = (await order_rows_with_buyers(session, actor=actor, ids=[order_id])).get(order_id)
        return None if pair is None else (*pair, None)
    stmt, params = orders_with_buyers_read(actor, [order_id])
    params.update(page_params)
    rows = await fetch_record_pairs(
        session, _with_bids_page(stmt, actor.is_operator, bids.parts), (OrderRow, _BuyerAndBidsRow), params
    )
    if not rows:
        return None
    order, buyer_and_bids = rows[0]
    buyer = OrganisationRow(*buyer_and_bids[:_BUYER_WIDTH])
    bid_ids: list[UUID] | None = buyer_and_bids[_BUYER_WIDTH]
    bid_jsons: list[str | None] | None = buyer_and_bids[_BUYER_WIDTH + 1]
    page = json_page_of(order.id, bid_ids, bid_jsons, bids.first)
    return order, buyer, page


# The buyer's columns then the order's page of bids (bids_json_lateral): the second read type of the rows of
# _with_bids_page.
_BUYER_WIDTH = len(OrganisationRow._fields)
_BuyerAndBidsRow = namedtuple("_BuyerAndBidsRow", [*OrganisationRow._fields, "bid_ids", "bid_jsons"])  # type: ignore[misc]


@lru_cache(maxsize=64)
def _with_bids_page(orders_with_buyers: Select[Any], operators: bool, parts: Parts) -> Select[Any]:
    """A select of orders with their buyers (built once per kind of viewer), with each order's page of bids
    (bids_json_lateral) as two more columns."""
    page = bids_json_lateral(operators, parts)
    return orders_with_buyers.add_columns(page.c.bid_ids, page.c.bid_jsons).join(page, true())


async def order_json(
    session: AsyncSession,
    *,
    actor: Actor,
    order_id: UUID,
    parts: Parts,
    first: int = 20,
    statuses: Sequence[BidStatus] = CURRENT,
) -> str | None:
    """The order if the actor may see it, as the JSON text of `parts` (domain/sql_json.py): its columns, its buyer
    (the relation "buyer") and, when the parts hold the connection "bids", its first page of bids (`first` of
    `statuses`, cheapest first, as bids_json_for_orders reads them: the same select, so the same visibility — the
    buyer sees every bid, a manufacturer only its own), all written by PostgreSQL in one statement. None when the
    actor may not see the order."""
    stmt, params = orders_with_buyers_read(actor, [order_id])
    if connection_part(parts) is not None:
        params.update(_connection_params(actor, order_id, first, statuses))
    rows = await fetch_records(session, _order_json_select(stmt, actor.is_operator, parts), _OrderJson, params)
    if not rows:
        return None
    if rows[0].json is None:  # a value PostgreSQL could not write (domain/sql_json.py): not an answer to give
        raise ValueError(f"order {order_id}: its JSON could not be written")
    return rows[0].json


class _OrderJson(NamedTuple):
    id: UUID
    json: str | None


def _connection_params(actor: Actor, order_id: UUID, first: int, statuses: Sequence[BidStatus]) -> dict[str, Any]:
    """bids_page_params for one order, for every viewer: one who sees no bid at all (no organisation) reads the
    members' select with no organisation, which finds none."""
    params = bids_page_params(actor, [order_id], first, statuses)
    if params is None:
        params = {"order_ids": [order_id], "statuses": [status.value for status in statuses], "limit": first + 1}
        params["organisation_ids"] = []
    return params


@lru_cache(maxsize=64)
def _order_json_select(orders_with_buyers: Select[Any], operators: bool, parts: Parts) -> Select[Any]:
    """order_json's select: a select of orders with their buyers (built once per kind of viewer) narrowed to the
    order's id and its JSON, with the page of bids as a lateral subquery when the parts ask for it."""
    orders = table_of(ProductionOrder)
    tables: dict[str | None, Any] = {None: orders, "buyer": table_of(Organisation)}
    connection = connection_part(parts)
    if connection is not None:
        if connection.column != "bids":
            raise ValueError(f"an order has no connection {connection.column!r}")
        tables["bids"] = bids_connection_lateral(operators, connection.arg)
    stmt = orders_with_buyers.with_only_columns(
        orders.c.id, json_text(parts, columns_of(tables)).label("json"), maintain_column_froms=True
    )
    return stmt.join(tables["bids"], true()) if connection is not None else stmt


@lru_cache(maxsize=64)
def bids_connection_lateral(operators: bool, connection: Parts) -> Any:
    """An order's first page of bids as the JSON text of a connection (`connection`: a connection part's parts,
    domain/sql_json.py connection_text), over bids_json_for_orders' page (the same bids, visibility and order,
    `limit` = first + 1 rows: _one_order_page) of the order of an enclosing select of `production_order`: a lateral
    subquery of one row, its column `json`. Run with bids_page_params(actor, [the order's id], ...)."""
    edges = next((part.arg for part in connection if part.kind == "edges"), ())
    node = next((part.arg for part in edges if part.kind == "node"), ())
    page = _json_of_page(_one_order_page(operators), node).subquery()
    text = connection_text(
        connection, page.c.json, cast(page.c.id, Text), page.c.position, bindparam("limit", type_=Integer())
    )
    return select(text.label("json")).select_from(page).lateral("bids")  # the page even when no column is read


def json_page_of(
    order_id: UUID, ids: Sequence[UUID] | None, texts: Sequence[str | None] | None, first: int
) -> tuple[list[RankedBidJsonRow], bool]:
    """An order's page of bids read through bids_json_lateral (up to `first` + 1 in the page's order) as
    bids_json_for_orders gives it: the first `first` bids and whether there are more."""
    if not ids or not texts:
        return [], False
    rows = []
    for position, (bid_id, text) in enumerate(zip(ids, texts, strict=True), start=1):
        if text is None:  # a value PostgreSQL could not write (domain/sql_json.py): not an answer to give
            raise ValueError(f"bid {bid_id}: its JSON could not be written")
        if position <= first:
            rows.append(RankedBidJsonRow(bid_id, order_id, position, text))
    return rows, len(ids) > first


def bids_page_params(
    actor: Actor, order_ids: Sequence[UUID], first: int, statuses: Sequence[BidStatus]
) -> dict[str, Any] | None:
    """The page select's parameters; None when the actor can see no bid of these orders."""
    if not order_ids or not (actor.is_operator or actor.memberships):
        return None
    params: dict[str, Any] = {
        "order_ids": list(order_ids),
        "statuses": [status.value for status in statuses],
        "limit": first + 1,
    }
    if not actor.is_operator:
        params["organisation_ids"] = list(actor.memberships)
    return params


def _by_order(items: Sequence[Any], first: int, *, paired: bool) -> dict[UUID, tuple[list[Any], bool]]:
    """Bids (or, `paired`, (bid, bidder) pairs) in the select's order (by order, then position) -> each order's
    first `first` of them and whether it has more (the select reads one more than `first`)."""
    grouped: dict[UUID, tuple[list[Any], bool]] = defaultdict(lambda: ([], False))
    order_id: UUID | None = None
    kept: list[Any] = []
    for item in items:
        bid = item[0] if paired else item
        if bid.order_id != order_id:
            order_id, kept = bid.order_id, []
            grouped[bid.order_id] = (kept, False)
        if bid.position <= first:
            kept.append(item)
        else:
            grouped[bid.order_id] = (kept, True)
    return grouped


async def bids_by_ids(session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Bid]:
    rows = await session.scalars(select(Bid).where(Bid.id.in_(list(ids)), visible_to(actor)))
    return {row.id: row for row in rows}


BID_SORTS: dict[str, SortKey] = {"NEWEST": SortKey(Bid.created_at, Bid.id, descending=True)}


async def list_my_bids(
    session: AsyncSession, *, actor: Actor, statuses: Sequence[BidStatus], page: PageRequest
) -> Page[Bid]:
    actor.require_user()
    stmt = select(Bid).where(Bid.manufacturer_organisation_id.in_(list(actor.memberships)))
    if statuses:
        stmt = stmt.where(Bid.status.in_(list(statuses)))
    return await paginate(session, stmt, BID_SORTS["NEWEST"], page)


async def feedback_by_bid_ids(session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, BidFeedback]:
    """Feedback on the bids `ids` that belong to the actor's organisations (operators: all)."""
    stmt = select(BidFeedback).join(Bid, Bid.id == BidFeedback.bid_id).where(BidFeedback.bid_id.in_(list(ids)))
    if not actor.is_operator:
        stmt = stmt.where(Bid.manufacturer_organisation_id.in_(list(actor.memberships)))
    return {row.bid_id: row for row in await session.scalars(stmt)}
