"""Matching reads: load candidates (SQL only narrows them down), then the pure rules rank and explain.

Constant statement counts: one statement each for the order, the candidates, their certifications, their
capacity listings and their history, whatever the number of candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Date, Select, cast, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.capacity.service import firm_by_week
from domain.contracts.models import Contract, ContractEvent
from domain.errors import Forbidden, NotFound
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.matching.rules import (
    BidFactor,
    BidOffer,
    Candidate,
    Exclusion,
    Factor,
    History,
    Listing,
    Need,
    Scored,
    ScoredBid,
    exclusion,
    explain,
    factor_values,
    rank,
    rank_bids,
)
from domain.orders.models import OrderInvitation, OrderStatus, ProductionOrder
from domain.orders.service import visible_to as order_visible_to
from domain.organisations.models import Organisation, OrganisationKind

MANUFACTURING_KINDS = (OrganisationKind.manufacturer, OrganisationKind.both)
# recommendedOrders looks at this many open orders of the manufacturer's processes, soonest deadline first.
ORDER_CANDIDATE_LIMIT = 500
ZERO = literal(0, BigInteger)


def need_of(order: ProductionOrder) -> Need:
    return Need(
        process=order.process,
        material=order.material,
        quantity=order.quantity,
        required_certifications=list(order.required_certifications),
        need_by=order.need_by,
        delivery_region=order.delivery_region,
        budget_min_minor=order.budget_min_minor,
        budget_max_minor=order.budget_max_minor,
        currency=order.currency,
        estimated_machine_hours=order.estimated_machine_hours,
    )


async def histories(session: AsyncSession, ids: Any) -> dict[UUID, History]:
    """Contract record and invitation response of the manufacturers `ids` (a list or a subquery), in one
    statement. A contract counts as delivered once shipped, on time when shipped by the order's need-by date,
    disputed when its buyer opened a dispute."""
    shipped_at = (
        select(func.min(ContractEvent.created_at))
        .where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == "ship")
        .scalar_subquery()
    )
    disputed = exists().where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == "dispute")
    per_contract = (
        select(
            Contract.manufacturer_organisation_id.label("org"),
            shipped_at.label("shipped_at"),
            disputed.label("disputed"),
            ProductionOrder.need_by.label("need_by"),
        )
        .join(ProductionOrder, ProductionOrder.id == Contract.order_id)
        .where(Contract.manufacturer_organisation_id.in_(ids))
        .subquery()
    )
    delivered = per_contract.c.shipped_at.is_not(None)
    contracts = select(
        per_contract.c.org,
        func.count().filter(delivered).label("delivered"),
        func.count().filter(delivered, cast(per_contract.c.shipped_at, Date) <= per_contract.c.need_by),
        func.count().filter(delivered, per_contract.c.disputed),
        ZERO,
        ZERO,
    ).group_by(per_contract.c.org)
    answered = exists().where(
        Bid.order_id == OrderInvitation.order_id,
        Bid.manufacturer_organisation_id == OrderInvitation.manufacturer_organisation_id,
    )
    invitations = (
        select(
            OrderInvitation.manufacturer_organisation_id,
            ZERO,
            ZERO,
            ZERO,
            func.count(),
            func.count().filter(answered),
        )
        .join(ProductionOrder, ProductionOrder.id == OrderInvitation.order_id)
        .where(ProductionOrder.status != OrderStatus.draft, OrderInvitation.manufacturer_organisation_id.in_(ids))
        .group_by(OrderInvitation.manufacturer_organisation_id)
    )
    totals: dict[UUID, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for org, d, on_time, dis, inv, bid in await session.execute(contracts.union_all(invitations)):
        row = totals[org]
        for i, value in enumerate((d, on_time, dis, inv, bid)):
            row[i] += int(value)
    return {
        org: History(
            delivered=d, delivered_on_time=on_time, contracts=d, disputed=dis, invitations=inv, invitations_bid=bid
        )
        for org, (d, on_time, dis, inv, bid) in totals.items()
    }


async def candidates(
    session: AsyncSession, stmt: Select[Any], *, processes: Sequence[str] | None, today: date
) -> list[Candidate]:
    """Candidates for the profiles that `stmt` selects (ManufacturerProfile, Organisation.region), with their
    certifications, current capacity listings (of `processes`, or all), history and, for one process, the
    firm capacity holds to subtract: five statements."""
    rows = (await session.execute(stmt)).all()
    ids = [profile.organisation_id for profile, _ in rows]
    if not ids:
        return []
    certifications: dict[UUID, dict[str, date]] = defaultdict(dict)
    for org, standard, valid_until in await session.execute(
        select(Certification.organisation_id, Certification.standard, Certification.valid_until).where(
            Certification.organisation_id.in_(ids)
        )
    ):
        certifications[org][standard] = valid_until
    listings: dict[UUID, list[Listing]] = defaultdict(list)
    listing_stmt = select(CapacityListing).where(
        CapacityListing.organisation_id.in_(ids), CapacityListing.available_to >= today
    )
    if processes is not None:
        listing_stmt = listing_stmt.where(CapacityListing.process.in_(list(processes)))
    for row in await session.scalars(listing_stmt):
        listings[row.organisation_id].append(
            Listing(
                process=row.process,
                hours_per_week=row.machine_hours_per_week,
                available_from=row.available_from,
                available_to=row.available_to,
                hourly_rate_minor=row.hourly_rate_minor,
                currency=row.currency,
            )
        )
    history = await histories(session, ids)
    firm: dict[UUID, dict[date, int]] = {}
    if processes is not None and len(processes) == 1:
        firm = await firm_by_week(session, ids, processes[0], today)
    return [
        Candidate(
            organisation_id=profile.organisation_id,
            region=region,
            processes=list(profile.processes),
            materials=list(profile.materials),
            min_quantity=profile.min_quantity,
            max_quantity=profile.max_quantity,
            certifications=certifications.get(profile.organisation_id, {}),
            listings=listings.get(profile.organisation_id, []),
            reserved=firm.get(profile.organisation_id, {}),
            history=history.get(profile.organisation_id, History()),
        )
        for profile, region in rows
    ]


def _profiles() -> Select[Any]:
    return (
        select(ManufacturerProfile, Organisation.region)
        .join(Organisation, Organisation.id == ManufacturerProfile.organisation_id)
        .where(Organisation.kind.in_(MANUFACTURING_KINDS))
    )


async def _order_for_buyer(session: AsyncSession, actor: Actor, order_id: UUID) -> ProductionOrder:
    """The order, for its buyer's members and operators; a stranger learns nothing, a bidder is refused."""
    actor.require_user()
    order = await session.scalar(select(ProductionOrder).where(ProductionOrder.id == order_id, order_visible_to(actor)))
    if order is None:
        raise NotFound("order", "orderId")
    if not (actor.is_operator or actor.is_member(order.buyer_organisation_id)):
        raise Forbidden("only the order's buyer may see this", "orderId")
    return order


@dataclass(frozen=True, slots=True)
class Recommendation:
    scored: list[Scored]
    excluded: list[Exclusion]
    # How many fitting manufacturers there are in all (scored holds the best `first`).
    fitting: int


async def recommend_manufacturers(
    session: AsyncSession,
    *,
    actor: Actor,
    order_id: UUID,
    today: date,
    first: int,
    weights: Mapping[Factor, float],
    order: ProductionOrder | None = None,
) -> Recommendation:
    """The best-fitting manufacturers for an order, explained; the others with the filter that excluded them.
    SQL narrows to manufacturers listing the order's process (the GIN index); the rules do the rest."""
    if order is None:
        order = await _order_for_buyer(session, actor, order_id)
    need = need_of(order)
    stmt = _profiles().where(
        ManufacturerProfile.processes.contains([need.process]),
        ManufacturerProfile.organisation_id != order.buyer_organisation_id,
    )
    scored, excluded = rank(
        await candidates(session, stmt, processes=[need.process], today=today), need, today, weights
    )
    return Recommendation(scored=scored[:first], excluded=excluded, fitting=len(scored))


@dataclass(frozen=True, slots=True)
class OrderMatch:
    order: ProductionOrder
    score: float
    explanations: list[Any]


async def recommend_orders(
    session: AsyncSession,
    *,
    actor: Actor,
    organisation_id: UUID,
    now: datetime,
    first: int,
    weights: Mapping[Factor, float],
) -> list[OrderMatch]:
    """Open orders the manufacturer can see and make, best fit first."""
    actor.require_member(organisation_id, field="organisationId")
    today = now.date()
    found = await candidates(
        session, _profiles().where(ManufacturerProfile.organisation_id == organisation_id), processes=None, today=today
    )
    if not found:
        return []
    [candidate] = found
    orders = await session.scalars(
        select(ProductionOrder)
        .where(
            ProductionOrder.status == OrderStatus.open,
            ProductionOrder.bidding_deadline > now,
            ProductionOrder.process.in_(list(candidate.processes)),
            ProductionOrder.buyer_organisation_id != organisation_id,
            order_visible_to(actor),
        )
        .order_by(ProductionOrder.bidding_deadline, ProductionOrder.id)
        .limit(ORDER_CANDIDATE_LIMIT)
    )
    matches = []
    for order in orders:
        need = need_of(order)
        if exclusion(candidate, need, today) is not None:
            continue
        score, explanations = explain(factor_values(candidate, need, today), weights)
        matches.append(OrderMatch(order, score, explanations))
    matches.sort(key=lambda item: (-item.score, item.order.bidding_deadline, str(item.order.id)))
    return matches[:first]


async def rank_order_bids(
    session: AsyncSession,
    *,
    actor: Actor,
    order_id: UUID,
    today: date,
    weights: Mapping[BidFactor, float],
    order: ProductionOrder | None = None,
) -> list[tuple[Bid, ScoredBid]]:
    """The order's active bids, best first, explained: the buyer's view only (bids are sealed; operators
    see bids, but ranking them is advice for the buyer)."""
    if order is None:
        order = await _order_for_buyer(session, actor, order_id)
    if not actor.is_member(order.buyer_organisation_id):
        raise Forbidden("only the order's buyer may see this", "orderId")
    bids = list(await session.scalars(select(Bid).where(Bid.order_id == order.id, Bid.status == BidStatus.active)))
    history = await histories(session, [bid.manufacturer_organisation_id for bid in bids]) if bids else {}
    offers = [
        BidOffer(
            bid.id,
            bid.manufacturer_organisation_id,
            bid.total_minor,
            bid.lead_time_days,
            history.get(bid.manufacturer_organisation_id, History()),
        )
        for bid in bids
    ]
    by_id = {bid.id: bid for bid in bids}
    return [(by_id[item.bid_id], item) for item in rank_bids(offers, need_of(order), today, weights)]
