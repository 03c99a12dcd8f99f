"""Capacity holds on real PostgreSQL: soft for active bids, firm on award, released when the bid or contract
ends; firm holds never overbook a manufacturer, even under concurrent awards."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import func, select

from api.context import AppDeps
from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.bids.rules import BidTerms
from domain.bids.service import expire_bids, revise_bid, withdraw_bid
from domain.capacity.models import CapacityReservation, ReservationKind
from domain.capacity.service import live_holds
from domain.contracts import lifecycle
from domain.contracts.models import Contract
from domain.contracts.service import award_bid
from domain.errors import DomainError, ErrorCode
from domain.matching.rules import DEFAULT_WEIGHTS, Filter
from domain.matching.service import recommend_manufacturers
from domain.money import Money
from domain.orders.models import OrderStatus, ProductionOrder
from domain.organisations.models import OrganisationKind
from tests.clock import FakeClock
from tests.integration.factories import Market, org

# The clock starts on Monday 2027-03-01; orders need their parts by 2027-04-30: eight weeks before that.
WEEKS = [date(2027, 3, 1) + timedelta(weeks=n) for n in range(8)]


async def maker_with_capacity(market: Market, hours_per_week: int = 10) -> Actor:
    maker = await market.manufacturer()
    await market.capacity(maker, hours=hours_per_week, rate_minor=1000_00)
    return maker


async def holds(market: Market, maker: Actor) -> dict[tuple[date, ReservationKind], int]:
    async with market.uow() as uow:
        return await live_holds(uow.session, org(maker))


def every_week(hours: int, kind: ReservationKind) -> dict[tuple[date, ReservationKind], int]:
    return {(week, kind): hours for week in WEEKS}


async def test_a_placed_bid_holds_the_orders_hours_softly_over_the_weeks_before_need_by(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    order = await market.open_order(buyer, estimated_machine_hours=80)

    await market.bid(maker, order.id)

    assert await holds(market, maker) == every_week(10, ReservationKind.soft)


async def test_an_order_without_an_estimate_holds_nothing(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    order = await market.open_order(buyer)

    await market.bid(maker, order.id)

    assert await holds(market, maker) == {}


async def test_a_revision_moves_the_hold_to_the_new_bid(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    order = await market.open_order(buyer, estimated_machine_hours=80)
    bid = await market.bid(maker, order.id)

    async with market.uow() as uow:
        revised = await revise_bid(
            uow,
            actor=maker,
            bid_id=bid.id,
            terms=BidTerms(unit_price=Money(290_00, "RUB"), lead_time_days=20, valid_until=date(2027, 3, 31)),
        )
        revised_id = revised.id

    assert await holds(market, maker) == every_week(10, ReservationKind.soft)
    async with market.uow() as uow:
        held_by = set(await uow.session.scalars(select(CapacityReservation.bid_id)))
    assert held_by == {revised_id}


async def test_withdrawal_releases_the_hold(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    order = await market.open_order(buyer, estimated_machine_hours=80)
    bid = await market.bid(maker, order.id)

    async with market.uow() as uow:
        await withdraw_bid(uow, actor=maker, bid_id=bid.id)

    assert await holds(market, maker) == {}


async def test_expiry_releases_the_hold(market: Market, clock: FakeClock) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    order = await market.open_order(buyer, estimated_machine_hours=80)
    await market.bid(maker, order.id)
    clock.advance(timedelta(days=31))

    async with market.uow() as uow:
        assert await expire_bids(uow) == 1

    assert await holds(market, maker) == {}


async def test_award_makes_the_winners_hold_firm_and_releases_the_losers(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    winner, loser = await maker_with_capacity(market), await maker_with_capacity(market)
    order = await market.open_order(buyer, estimated_machine_hours=80)
    bid = await market.bid(winner, order.id)
    await market.bid(loser, order.id)

    async with market.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=bid.id)

    assert await holds(market, winner) == every_week(10, ReservationKind.firm)
    assert await holds(market, loser) == {}


async def test_contract_cancellation_releases_the_firm_hold(market: Market, deps: AppDeps) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    order = await market.open_order(buyer, estimated_machine_hours=80)
    bid = await market.bid(maker, order.id)
    async with market.uow() as uow:
        contract = await award_bid(uow, actor=buyer, bid_id=bid.id)

    async with market.uow() as uow:
        await lifecycle.take_step(
            uow, actor=buyer, contract_id=contract.id, transition="cancel", payments=deps.payments, note="changed"
        )

    assert await holds(market, maker) == {}


async def test_an_award_that_would_overbook_is_refused_naming_the_week_and_changes_nothing(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    first = await market.open_order(buyer, estimated_machine_hours=80)
    second = await market.open_order(buyer, estimated_machine_hours=80)
    first_bid = await market.bid(maker, first.id)
    second_bid = await market.bid(maker, second.id)
    async with market.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=first_bid.id)
    before = await holds(market, maker)

    async with market.uow() as uow:
        try:
            await award_bid(uow, actor=buyer, bid_id=second_bid.id)
        except DomainError as error:
            refused = error

    assert (refused.code, refused.message, refused.field) == (
        ErrorCode.CAPACITY_EXCEEDED,
        "week 2027-W09 would be overbooked: 20 machine-hours firm, 10 listed",
        "bidId",
    )
    assert (
        await holds(market, maker)
        == before
        == {
            **every_week(10, ReservationKind.firm),
            **every_week(10, ReservationKind.soft),
        }
    )
    async with market.uow() as uow:
        assert await uow.session.scalar(select(ProductionOrder.status).where(ProductionOrder.id == second.id)) == (
            OrderStatus.open
        )
        assert await uow.session.scalar(select(Bid.status).where(Bid.id == second_bid.id)) == BidStatus.active
        assert await uow.session.scalar(select(func.count()).select_from(Contract)) == 1


async def test_concurrent_awards_to_one_manufacturer_cannot_overbook_it(market: Market) -> None:
    maker = await maker_with_capacity(market)
    bids = []
    buyers = []
    for _ in range(4):
        buyer = await market.organisation(OrganisationKind.buyer)
        order = await market.open_order(buyer, estimated_machine_hours=80)
        bids.append(await market.bid(maker, order.id))
        buyers.append(buyer)

    async def award(buyer: Actor, bid_id: UUID) -> ErrorCode | None:
        async with market.uow() as uow:
            try:
                await award_bid(uow, actor=buyer, bid_id=bid_id)
            except DomainError as error:
                return error.code
            return None

    results = await asyncio.gather(*(award(buyer, bid.id) for buyer, bid in zip(buyers, bids, strict=True)))

    assert sorted(results, key=str) == sorted([None] + [ErrorCode.CAPACITY_EXCEEDED] * 3, key=str)
    live = await holds(market, maker)
    assert {key: value for key, value in live.items() if key[1] == ReservationKind.firm} == every_week(
        10, ReservationKind.firm
    )
    async with market.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Contract)) == 1


async def test_a_shop_listing_no_capacity_for_the_process_is_not_capacity_checked(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    first = await market.open_order(buyer, estimated_machine_hours=80)
    second = await market.open_order(buyer, estimated_machine_hours=80)
    first_bid = await market.bid(maker, first.id)
    second_bid = await market.bid(maker, second.id)

    async with market.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=first_bid.id)
    async with market.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=second_bid.id)

    assert await holds(market, maker) == every_week(20, ReservationKind.firm)


async def test_matching_counts_firm_holds_as_taken_capacity(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await maker_with_capacity(market)
    awarded = await market.open_order(buyer, estimated_machine_hours=80)
    bid = await market.bid(maker, awarded.id)
    async with market.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=bid.id)
    order = await market.open_order(buyer, estimated_machine_hours=8)

    async with market.uow() as uow:
        result = await recommend_manufacturers(
            uow.session,
            actor=buyer,
            order_id=order.id,
            today=date(2027, 3, 1),
            first=10,
            weights=DEFAULT_WEIGHTS,
        )

    assert result.scored == []
    assert [(e.organisation_id, e.filter, e.reason) for e in result.excluded] == [
        (org(maker), Filter.capacity, "0 free machine-hours before the need-by date, 8 needed")
    ]
