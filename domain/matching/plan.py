"""allocationPlan: load the open orders' active bids as candidate awards, with each bid's capacity hold and
each bidder's free firm capacity, and let the optimiser choose (split orders in parts, for the units they
have left). Advice only: awards go through award_bid (with the proposed quantity for a part)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.capacity.models import CapacityReservation, ReservationKind
from domain.capacity.rules import Listing
from domain.contracts.models import Contract
from domain.contracts.process import ContractStatus
from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit, NotFound
from domain.manufacturers.models import CapacityListing
from domain.matching.allocation import Arc, Objective, Plan, allocate
from domain.matching.rules import BidFactor, BidOffer, History, ScoredBid, rank_bids
from domain.matching.service import need_of, recorded
from domain.orders.models import OrderStatus, ProductionOrder

MAX_ORDERS = 500


@dataclass(frozen=True, slots=True)
class AllocationResult:
    plan: Plan
    orders: dict[UUID, ProductionOrder]
    bids: dict[UUID, Bid]
    scored: dict[UUID, ScoredBid]
    unassigned: list[UUID]


async def allocation_plan(
    session: AsyncSession,
    *,
    actor: Actor,
    order_ids: Sequence[UUID],
    objective: Objective,
    now: datetime,
    weights: Mapping[BidFactor, float],
    time_budget_seconds: float,
) -> AllocationResult:
    """For the buyer's own open orders (operators: any), the best set of awards among their active bids.
    Shops that list no capacity for a week are not capacity-bound in it (as at award)."""
    actor.require_user()
    wanted = list(dict.fromkeys(order_ids))
    if not wanted:
        raise InvalidInput("name at least one order", "orderIds", ErrorCode.REQUIRED)
    if len(wanted) > MAX_ORDERS:
        raise InvalidInput(
            f"at most {MAX_ORDERS} orders per plan",
            "orderIds",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.ENTRIES, max=MAX_ORDERS),
        )
    orders = {o.id: o for o in await session.scalars(select(ProductionOrder).where(ProductionOrder.id.in_(wanted)))}
    for order_id in wanted:
        order = orders.get(order_id)
        if order is None or not (actor.is_operator or actor.is_member(order.buyer_organisation_id)):
            raise NotFound(f"order {order_id}", "orderIds")
    open_ids = [i for i in wanted if orders[i].status == OrderStatus.open]
    bids = {
        b.id: b
        for b in await session.scalars(
            select(Bid).where(Bid.order_id.in_(open_ids), Bid.status == BidStatus.active, Bid.valid_until >= now.date())
        )
    }
    makers = sorted({b.manufacturer_organisation_id for b in bids.values()})
    history = await recorded(session, makers) if makers else {}
    usage: dict[UUID, dict[date, int]] = defaultdict(dict)
    processes: dict[UUID, str] = {}
    for hold in await session.scalars(
        select(CapacityReservation).where(
            CapacityReservation.bid_id.in_(list(bids)), CapacityReservation.kind == ReservationKind.soft
        )
    ):
        usage[hold.bid_id][hold.week_start] = hold.hours
        processes[hold.bid_id] = hold.process
    free = await _free_capacity(session, makers, now.date())
    scored: dict[UUID, ScoredBid] = {}
    for order_id in open_ids:
        offers = [
            BidOffer(
                b.id,
                b.manufacturer_organisation_id,
                b.total_minor,
                b.lead_time_days,
                history.get(b.manufacturer_organisation_id, History()),
            )
            for b in bids.values()
            if b.order_id == order_id
        ]
        for item in rank_bids(offers, need_of(orders[order_id]), now.date(), weights):
            scored[item.bid_id] = item
    arcs = []
    bound: dict[tuple[Hashable, date], int] = {}
    for bid_id, bid in bids.items():
        process = processes.get(bid_id, orders[bid.order_id].process)
        key = (bid.manufacturer_organisation_id, process)
        weeks: dict[date, int] = {}
        for week, hours in usage.get(bid_id, {}).items():
            left = free(bid.manufacturer_organisation_id, process, week)
            if left is not None:  # weeks without listed capacity do not bind (as at award)
                weeks[week] = hours
                bound[(key, week)] = left
        order = orders[bid.order_id]
        arcs.append(
            Arc(
                bid.order_id,
                key,
                scored[bid_id].score,
                bid.total_minor,
                weeks,
                bid_id,
                units=bid.quantity,
                # a split order is planned for the units it has left to award
                order_units=order.quantity - order.awarded_quantity,
                split=order.allow_split,
                fixed_cost_minor=bid.tooling_minor,
            )
        )
    plan = allocate(arcs, bound, objective=objective, time_budget_seconds=time_budget_seconds)
    awarded = {arc.order_id for arc in plan.awards}
    return AllocationResult(
        plan=plan,
        orders=orders,
        bids=bids,
        scored=scored,
        unassigned=[i for i in wanted if i not in awarded],
    )


FreeHours = Callable[[UUID, str, date], int | None]


async def _free_capacity(session: AsyncSession, makers: Sequence[UUID], today: date) -> FreeHours:
    """(manufacturer, process, week) -> listed hours less live firm holds; None when nothing is listed."""
    listings: dict[tuple[UUID, str], list[Listing]] = defaultdict(list)
    firm: dict[tuple[UUID, str, date], int] = {}
    if makers:
        for row in await session.scalars(
            select(CapacityListing).where(
                CapacityListing.organisation_id.in_(list(makers)), CapacityListing.available_to >= today
            )
        ):
            listings[(row.organisation_id, row.process)].append(
                Listing(row.process, row.machine_hours_per_week, row.available_from, row.available_to, 0, row.currency)
            )
        R = CapacityReservation
        for org, process, week, hours in await session.execute(
            select(R.manufacturer_organisation_id, R.process, R.week_start, func.sum(R.hours))
            .join(Contract, Contract.bid_id == R.bid_id)
            .where(
                R.manufacturer_organisation_id.in_(list(makers)),
                R.kind == ReservationKind.firm,
                Contract.status != ContractStatus.cancelled,
            )
            .group_by(R.manufacturer_organisation_id, R.process, R.week_start)
        ):
            firm[(org, process, week)] = int(hours)

    def free(org: UUID, process: str, week: date) -> int | None:
        listed = sum(item.hours_per_week for item in listings.get((org, process), []) if item.covers(week))
        if listed <= 0:
            return None
        return max(0, listed - firm.get((org, process, week), 0))

    return free


async def open_order_ids(session: AsyncSession, *, limit: int) -> list[UUID]:
    """The open orders with the nearest bidding deadlines that have at least one active bid (batch use)."""
    has_bid = select(Bid.id).where(Bid.order_id == ProductionOrder.id, Bid.status == BidStatus.active).exists()
    return list(
        await session.scalars(
            select(ProductionOrder.id)
            .where(ProductionOrder.status == OrderStatus.open, has_bid)
            .order_by(ProductionOrder.bidding_deadline, ProductionOrder.id)
            .limit(limit)
        )
    )
