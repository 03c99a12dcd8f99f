"""Capacity holds in the database: a placed bid holds its order's hours softly, an award makes them firm.

A hold is live while its bid is active (soft) or its contract is not cancelled (firm): withdrawal,
revision (the hold moves to the new bid), loss, expiry and cancellation release it by changing the bid or
contract, with no second bookkeeping to forget. Firm holds never exceed listed capacity: making one firm
locks the manufacturer's organisation row, so concurrent awards to one manufacturer queue up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.bids.models import Bid, BidStatus
from domain.capacity.models import CapacityReservation, ReservationKind
from domain.capacity.rules import (
    CalendarWeek,
    Listing,
    calendar,
    check_firm_fits,
    part_of,
    plan_hold,
    week_start,
    weeks_before,
)
from domain.contracts.models import Contract, ContractStatus
from domain.manufacturers.models import CapacityListing
from domain.orders.models import ProductionOrder
from domain.organisations.models import Organisation
from domain.uow import UnitOfWork

R = CapacityReservation


def _live() -> Any:
    """The SQL condition for a hold that still counts (needs Bid joined and Contract outer-joined on bid_id)."""
    return or_(
        and_(R.kind == ReservationKind.soft, Bid.status == BidStatus.active),
        and_(R.kind == ReservationKind.firm, Contract.status != ContractStatus.cancelled),
    )


async def listed_by_week(
    session: AsyncSession, manufacturer_id: UUID, process: str, weeks: Sequence[date]
) -> dict[date, int]:
    if not weeks:
        return {}
    listings = list(
        await session.scalars(
            select(CapacityListing).where(
                CapacityListing.organisation_id == manufacturer_id,
                CapacityListing.process == process,
                CapacityListing.available_to >= min(weeks),
            )
        )
    )
    values = [
        Listing(row.process, row.machine_hours_per_week, row.available_from, row.available_to, 0, row.currency)
        for row in listings
    ]
    return {week: sum(item.hours_per_week for item in values if item.covers(week)) for week in weeks}


async def hold_for_bid(uow: UnitOfWork, bid: Bid, order: ProductionOrder) -> None:
    """A soft hold of the order's estimated hours over the weeks before its need-by date (this week if the
    need-by date is this week), spread in proportion to the bidder's listed capacity. No estimate, no hold."""
    if not order.estimated_machine_hours:
        return
    today = uow.now().date()
    weeks = weeks_before(today, order.need_by) or [week_start(today)]
    listed = await listed_by_week(uow.session, bid.manufacturer_organisation_id, order.process, weeks)
    await uow.session.flush()  # the bid row first: the holds refer to it
    hours_for_bid = part_of(order.estimated_machine_hours, bid.quantity, order.quantity)
    for week, hours in sorted(plan_hold(hours_for_bid, weeks, listed).items()):
        uow.session.add(
            CapacityReservation(
                manufacturer_organisation_id=bid.manufacturer_organisation_id,
                bid_id=bid.id,
                process=order.process,
                week_start=week,
                hours=hours,
                kind=ReservationKind.soft,
                created_at=uow.now(),
            )
        )


async def move_hold(uow: UnitOfWork, old_bid_id: UUID, new_bid_id: UUID) -> None:
    """A revision keeps its predecessor's hold."""
    await uow.session.flush()
    await uow.session.execute(
        update(R).where(R.bid_id == old_bid_id, R.kind == ReservationKind.soft).values(bid_id=new_bid_id)
    )


async def make_firm(uow: UnitOfWork, bid: Bid, quantity: int | None = None) -> None:
    """Turn the awarded bid's hold firm, refusing (CAPACITY_EXCEEDED, naming the week) if a week would then
    hold more firm hours than the manufacturer lists for the process. Locks the manufacturer's organisation
    row first, so that concurrent awards to one manufacturer check one after the other. A split award of
    `quantity` units of the bid keeps that share of the hold (spread as the hold was)."""
    session = uow.session
    await session.execute(
        select(Organisation.id).where(Organisation.id == bid.manufacturer_organisation_id).with_for_update()
    )
    holds = list(await session.scalars(select(R).where(R.bid_id == bid.id, R.kind == ReservationKind.soft)))
    if not holds:
        return
    process = holds[0].process
    plan = {hold.week_start: hold.hours for hold in holds}
    if quantity is not None and quantity < bid.quantity:
        kept = part_of(sum(plan.values()), quantity, bid.quantity)
        plan = plan_hold(kept, sorted(plan), plan)
        for hold in holds:
            if plan.get(hold.week_start, 0) > 0:
                hold.hours = plan[hold.week_start]
            else:
                await session.delete(hold)
        plan = {week: hours for week, hours in plan.items() if hours > 0}
        await session.flush()
    firm = dict(
        (
            await session.execute(
                select(R.week_start, func.sum(R.hours))
                .join(Bid, Bid.id == R.bid_id)
                .outerjoin(Contract, Contract.bid_id == R.bid_id)
                .where(
                    R.manufacturer_organisation_id == bid.manufacturer_organisation_id,
                    R.process == process,
                    R.week_start.in_(list(plan)),
                    R.kind == ReservationKind.firm,
                    Contract.status != ContractStatus.cancelled,
                )
                .group_by(R.week_start)
            )
        ).all()
    )
    listed = await listed_by_week(session, bid.manufacturer_organisation_id, process, sorted(plan))
    # A shop that lists no capacity for the process in these weeks does not manage its capacity here:
    # its hold is recorded, but there is no listed figure to overbook.
    if any(listed.values()):
        check_firm_fits(plan, {week: int(hours) for week, hours in firm.items()}, listed)
    await session.execute(update(R).where(R.bid_id == bid.id).values(kind=ReservationKind.firm))


async def firm_by_week(
    session: AsyncSession, manufacturer_ids: Any, process: str, since: date
) -> dict[UUID, dict[date, int]]:
    """Live firm hours per manufacturer and week (what matching subtracts from free capacity), one statement."""
    rows = await session.execute(
        select(R.manufacturer_organisation_id, R.week_start, func.sum(R.hours))
        .join(Contract, Contract.bid_id == R.bid_id)
        .where(
            R.manufacturer_organisation_id.in_(manufacturer_ids),
            R.kind == ReservationKind.firm,
            R.process == process,
            R.week_start >= week_start(since),
            Contract.status != ContractStatus.cancelled,
        )
        .group_by(R.manufacturer_organisation_id, R.week_start)
    )
    grouped: dict[UUID, dict[date, int]] = defaultdict(dict)
    for org, week, hours in rows:
        grouped[org][week] = int(hours)
    return grouped


async def live_holds(session: AsyncSession, manufacturer_id: UUID) -> dict[tuple[date, ReservationKind], int]:
    """Live hours by (week, kind) of one manufacturer: for tests and operators."""
    rows = await session.execute(
        select(R.week_start, R.kind, func.sum(R.hours))
        .join(Bid, Bid.id == R.bid_id)
        .outerjoin(Contract, Contract.bid_id == R.bid_id)
        .where(R.manufacturer_organisation_id == manufacturer_id, _live())
        .group_by(R.week_start, R.kind)
    )
    return {(week, kind): int(hours) for week, kind, hours in rows}


@dataclass(frozen=True, slots=True)
class Calendar:
    """A manufacturer's weekly capacity calendar and the listings its weeks refer to."""

    weeks: list[CalendarWeek]
    listings: dict[UUID, CapacityListing]


def calendar_weeks(first: date, count: int) -> list[date]:
    """The Mondays of `count` ISO weeks from the week of `first`."""
    monday = week_start(first)
    return [monday + timedelta(weeks=n) for n in range(count)]


async def calendars(
    session: AsyncSession, manufacturer_ids: Sequence[UUID], weeks: Sequence[date]
) -> dict[UUID, Calendar]:
    """Listed, firm and soft hours per process and week, for each manufacturer: two statements whatever their
    number. A hold counts while it is live (`_live`), as everywhere else."""
    if not manufacturer_ids or not weeks:
        return {}
    ids = list(manufacturer_ids)
    first, last = min(weeks), max(weeks) + timedelta(days=6)
    rows = list(
        await session.scalars(
            select(CapacityListing)
            .where(
                CapacityListing.organisation_id.in_(ids),
                CapacityListing.available_to >= first,
                CapacityListing.available_from <= last,
            )
            .order_by(CapacityListing.available_from, CapacityListing.id)
        )
    )
    holds = await session.execute(
        select(R.manufacturer_organisation_id, R.process, R.week_start, R.kind, func.sum(R.hours))
        .join(Bid, Bid.id == R.bid_id)
        .outerjoin(Contract, Contract.bid_id == R.bid_id)
        .where(R.manufacturer_organisation_id.in_(ids), R.week_start.between(first, last), _live())
        .group_by(R.manufacturer_organisation_id, R.process, R.week_start, R.kind)
    )
    held: dict[tuple[UUID, ReservationKind], dict[tuple[str, date], int]] = defaultdict(dict)
    for org, process, week, kind, hours in holds:
        held[(org, kind)][(process, week)] = int(hours)
    listed: dict[UUID, list[CapacityListing]] = defaultdict(list)
    for row in rows:
        listed[row.organisation_id].append(row)
    return {
        org: Calendar(
            weeks=calendar(
                weeks,
                [
                    (
                        row.id,
                        Listing(
                            row.process,
                            row.machine_hours_per_week,
                            row.available_from,
                            row.available_to,
                            row.hourly_rate_minor,
                            row.currency,
                        ),
                    )
                    for row in listed[org]
                ],
                held[(org, ReservationKind.firm)],
                held[(org, ReservationKind.soft)],
            ),
            listings={row.id: row for row in listed[org]},
        )
        for org in ids
    }
