"""Matching reads: candidates from the database, ranked and explained by the pure rules.

Ranking manufacturers for an order is done in SQL (queries.fit_ranking over match_candidate) and only the rows
shown are loaded (one statement) and re-scored and explained by the rules; the other reads load their few
candidates and rank them in Python. Constant statement counts, whatever the number of candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.capacity.rules import Listing
from domain.capacity.service import firm_by_week
from domain.errors import Forbidden, NotFound
from domain.files.models import EnvelopeSource, OrderPartEnvelope
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.matching.estimate import HoursEstimate, hours_from_model
from domain.matching.models import ManufacturerRecord
from domain.matching.queries import (
    MANUFACTURING_KINDS,
    buyer_ratings,
    day_start,
    fit_ranking,
    history_totals,
    shown_rows,
)
from domain.matching.rules import (
    BidFactor,
    BidOffer,
    Candidate,
    Exclusion,
    Factor,
    History,
    Need,
    Ratings,
    Scored,
    ScoredBid,
    exclusion,
    explain,
    factor_values,
    rank,
    rank_bids,
)
from domain.orders.models import OrderStatus, ProductionOrder
from domain.orders.service import visible_to as order_visible_to
from domain.organisations.models import Organisation

# work_mem for the ranking's transaction: the hashed set of fitting shops (~50 bytes each) for the largest process
# at 10x this market (~600k shops) with room to spare.
RANKING_WORK_MEM = "64MB"
# recommendedOrders looks at this many open orders of the manufacturer's processes, soonest deadline first.
ORDER_CANDIDATE_LIMIT = 500


def need_of(order: ProductionOrder, envelope: OrderPartEnvelope | None = None) -> Need:
    """What matching needs of an order; without the buyer's machine hours, an estimate from its model's volume
    (machining only), with its basis."""
    hours, basis, estimate = order.estimated_machine_hours, "", None
    if hours is None and envelope is not None:
        estimate = hours_from_model(
            process=order.process,
            material=order.material,
            quantity=order.quantity,
            envelope_mm=(envelope.x_mm, envelope.y_mm, envelope.z_mm),
            volume_mm3=envelope.volume_mm3,
        )
        if estimate is not None:
            hours, basis = estimate.hours, estimate.basis
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
        estimated_machine_hours=hours,
        hours_basis=basis,
        hours_estimate=estimate,
        part_envelope=(envelope.x_mm, envelope.y_mm, envelope.z_mm) if envelope is not None else None,
        envelope_basis=envelope_basis(envelope),
        envelope_source=envelope.source.value if envelope is not None else None,
        envelope_model_name=envelope.model_name if envelope is not None else None,
        budget_includes_vat=order.budget_includes_vat,
    )


def envelope_basis(envelope: OrderPartEnvelope | None) -> str:
    """Where an order's part size comes from, for explanations."""
    if envelope is None:
        return ""
    if envelope.source is EnvelopeSource.model and envelope.model_name:
        return f"the bounding box of the {(envelope.model_format or 'model').upper()} model {envelope.model_name}"
    return "the buyer's figures" if envelope.source is EnvelopeSource.buyer else "the bounding box of a model"


def _max_part(*sides: int | None) -> tuple[int, ...]:
    return tuple(sorted(side for side in sides if side is not None))


async def histories(session: AsyncSession, ids: Any) -> dict[UUID, History]:
    """The record (see history_totals) of the manufacturers `ids`, in one statement."""
    return {
        org: History(
            delivered=int(d),
            delivered_on_time=int(on_time),
            contracts=int(d),
            disputed=int(dis),
            invitations=int(inv),
            invitations_bid=int(bid),
        )
        for org, d, on_time, dis, inv, bid in await session.execute(history_totals(ids))
    }


async def recorded(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, History]:
    """The kept record (manufacturer_record: history_totals, refreshed with every change to it) of these
    manufacturers, in one statement; the same numbers the SQL ranking reads."""
    R = ManufacturerRecord
    rows = await session.execute(
        select(R.organisation_id, R.delivered, R.delivered_on_time, R.disputed, R.invitations, R.invitations_bid).where(
            R.organisation_id.in_(list(ids))
        )
    )
    return {row.organisation_id: _history(row) for row in rows}


def _history(row: Any) -> History:
    """History from a row with the record's columns (manufacturer_record, match_candidate)."""
    return History(
        delivered=row.delivered,
        delivered_on_time=row.delivered_on_time,
        contracts=row.delivered,
        disputed=row.disputed,
        invitations=row.invitations,
        invitations_bid=row.invitations_bid,
    )


async def candidates(
    session: AsyncSession,
    stmt: Select[ManufacturerProfile, str],
    *,
    processes: Sequence[str] | None,
    today: date,
    now: datetime | None = None,
) -> list[Candidate]:
    """Candidates for the profiles that `stmt` selects (ManufacturerProfile, Organisation.region), with their
    certifications, current capacity listings (of `processes`, or all), kept record, buyers' ratings published by
    `now` (default: the start of `today`) and, for one process, the firm capacity holds to subtract: six
    statements."""
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
    history = await recorded(session, ids)
    rated = {
        organisation_id: Ratings(count=int(count), points=int(points))
        for organisation_id, count, points in await session.execute(buyer_ratings(ids, now or day_start(today)))
    }
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
            rating=rated.get(profile.organisation_id, Ratings()),
            max_part=_max_part(profile.max_part_x_mm, profile.max_part_y_mm, profile.max_part_z_mm),
        )
        for profile, region in rows
    ]


async def shown_candidates(
    session: AsyncSession, ids: list[UUID], need: Need, today: date, now: datetime
) -> list[Candidate]:
    """The candidates `ids` of a fit ranking, as the rules see them, from the same match_candidate rows the
    ranking read (queries.shown_rows): one statement."""
    found = []
    for row in await session.execute(shown_rows(ids, need, today, now)):
        listings = [
            Listing(need.process, hours, date.fromisoformat(start), date.fromisoformat(end), rate, currency)
            for hours, start, end, rate, currency in row.listings or []
        ]
        count, points = row.rating
        found.append(
            Candidate(
                organisation_id=row.organisation_id,
                region=row.region,
                processes=[need.process],
                materials=list(row.materials),
                min_quantity=row.min_quantity,
                max_quantity=row.max_quantity,
                certifications={k: date.fromisoformat(v) for k, v in (row.certificates or {}).items()},
                listings=listings,
                reserved={date.fromisoformat(week): int(hours) for week, hours in row.firm or []},
                history=_history(row),
                rating=Ratings(count=int(count), points=int(points)),
                max_part=tuple(row.max_part_mm or ()),
            )
        )
    return found


def _profiles() -> Select[ManufacturerProfile, str]:
    return (
        select(ManufacturerProfile, Organisation.region)
        .join(Organisation, Organisation.id == ManufacturerProfile.organisation_id)
        .where(Organisation.kind.in_(MANUFACTURING_KINDS))
    )


async def _order_for_buyer(
    session: AsyncSession, actor: Actor, order_id: UUID
) -> tuple[ProductionOrder, OrderPartEnvelope | None]:
    """The order and its part envelope (one statement), for its buyer's members and operators; a stranger learns
    nothing, a bidder is refused."""
    actor.require_user()
    found = (
        await session.execute(
            select(ProductionOrder, OrderPartEnvelope)
            .outerjoin(OrderPartEnvelope, OrderPartEnvelope.order_id == ProductionOrder.id)
            .where(ProductionOrder.id == order_id, order_visible_to(actor))
        )
    ).first()
    if found is None:
        raise NotFound("order", "orderId")
    order, envelope = found
    if not (actor.is_operator or actor.is_member(order.buyer_organisation_id)):
        raise Forbidden("only the order's buyer may see this", "orderId")
    return order, envelope


@dataclass(frozen=True, slots=True)
class Recommendation:
    scored: list[Scored]
    excluded: list[Exclusion]
    # How many fitting and excluded candidates there are in all (scored and excluded hold at most `first`:
    # the best fitting ones, the excluded ones first by id).
    fitting: int
    excluded_count: int
    # The machine hours the capacity filter and the price factor used, and where they came from.
    machine_hours: int | None = None
    hours_basis: str = ""
    hours_estimate: HoursEstimate | None = None


async def recommend_manufacturers(
    session: AsyncSession,
    *,
    actor: Actor,
    order_id: UUID,
    today: date,
    first: int,
    weights: Mapping[Factor, float],
    order: ProductionOrder | None = None,
    now: datetime | None = None,
) -> Recommendation:
    """The best-fitting manufacturers for an order, explained; the others with the filter that excluded them.
    Four statements: the order, the plan mode, the ranking, the shown candidates."""
    envelope = None
    if order is None:
        order, envelope = await _order_for_buyer(session, actor, order_id)
    need = need_of(order, envelope)
    # PostgreSQL filters and scores every candidate (queries.fit_ranking); only the rows shown come back, and
    # the pure rules score and explain those.
    # A plan for these values: a generic plan (after five runs of the prepared statement) cannot know how
    # selective this order's material or certificates are. And room for the hashed set of fitting shops the
    # excluded walk probes (NOT IN): planned larger than work_mem, it would be rescanned for every row walked.
    await session.execute(
        text(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
            f"set_config('work_mem', '{RANKING_WORK_MEM}', true)"
        )
    )
    rows = (await session.execute(*fit_ranking(order, need, today, weights, first, now))).all()
    fitting, excluded_count = (rows[0].fitting, rows[0].excluded) if rows else (0, 0)
    shown = {row.id: row.code for row in rows if row.id is not None}
    if not shown:
        return Recommendation(
            scored=[],
            excluded=[],
            fitting=fitting,
            excluded_count=excluded_count,
            machine_hours=need.estimated_machine_hours,
            hours_basis=need.hours_basis,
            hours_estimate=need.hours_estimate,
        )
    found = await shown_candidates(session, list(shown), need, today, now or day_start(today))
    scored, excluded = rank(found, need, today, weights)
    return Recommendation(
        scored=scored[:first],
        excluded=excluded,
        fitting=fitting,
        excluded_count=excluded_count,
        machine_hours=need.estimated_machine_hours,
        hours_basis=need.hours_basis,
        hours_estimate=need.hours_estimate,
    )


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
        session,
        _profiles().where(ManufacturerProfile.organisation_id == organisation_id),
        processes=None,
        today=today,
        now=now,
    )
    if not found:
        return []
    [candidate] = found
    orders = await session.execute(
        select(ProductionOrder, OrderPartEnvelope)
        .outerjoin(OrderPartEnvelope, OrderPartEnvelope.order_id == ProductionOrder.id)
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
    for order, envelope in orders:
        need = need_of(order, envelope)
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
        order, _ = await _order_for_buyer(session, actor, order_id)
    if not actor.is_member(order.buyer_organisation_id):
        raise Forbidden("only the order's buyer may see this", "orderId")
    bids = list(await session.scalars(select(Bid).where(Bid.order_id == order.id, Bid.status == BidStatus.active)))
    history = await recorded(session, [bid.manufacturer_organisation_id for bid in bids]) if bids else {}
    offers = [
        BidOffer(
            bid.id,
            bid.manufacturer_organisation_id,
            bid.total_minor,
            bid.lead_time_days,
            history.get(bid.manufacturer_organisation_id, History()),
            bid.vat_minor,
        )
        for bid in bids
    ]
    by_id = {bid.id: bid for bid in bids}
    return [(by_id[item.bid_id], item) for item in rank_bids(offers, need_of(order), today, weights)]
