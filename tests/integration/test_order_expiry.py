from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.bids.models import Bid, BidStatus
from domain.contracts.service import award_bid
from domain.orders.models import OrderStatus, ProductionOrder
from domain.orders.service import expire_orders
from domain.organisations.models import OrganisationKind
from tests.clock import FakeClock
from tests.integration.factories import Market


async def test_unawarded_orders_expire_after_the_award_window_and_take_their_bids_along(
    market: Market, clock: FakeClock
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    stale = await market.open_order(buyer, bidding_deadline=clock.now() + timedelta(days=2))
    fresh = await market.open_order(buyer, bidding_deadline=clock.now() + timedelta(days=20))
    await market.bid(await market.manufacturer(), stale.id)
    clock.advance(timedelta(days=2 + 30, minutes=1))

    async with market.uow() as uow:
        expired = await expire_orders(uow, award_window=timedelta(days=30))

    assert expired == 1
    async with market.uow() as uow:
        statuses = dict((await uow.session.execute(select(ProductionOrder.id, ProductionOrder.status))).all())
        bid_statuses = list(await uow.session.scalars(select(Bid.status)))
    assert statuses == {stale.id: OrderStatus.expired, fresh.id: OrderStatus.open}
    assert bid_statuses == [BidStatus.expired]


async def test_a_split_order_with_parts_awarded_closes_as_awarded_when_its_window_ends(
    market: Market, clock: FakeClock
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer, allow_split=True, bidding_deadline=clock.now() + timedelta(days=2))
    awarded = await market.bid(await market.manufacturer(), order.id)
    waiting = await market.bid(await market.manufacturer(), order.id)
    async with market.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=awarded.id, quantity=40)
    clock.advance(timedelta(days=2 + 30, minutes=1))

    async with market.uow() as uow:
        closed = await expire_orders(uow, award_window=timedelta(days=30))

    assert closed == 1
    async with market.uow() as uow:
        stored = (
            await uow.session.execute(
                select(ProductionOrder.status, ProductionOrder.awarded_quantity).where(ProductionOrder.id == order.id)
            )
        ).one()
        bids = dict((await uow.session.execute(select(Bid.id, Bid.status))).all())
    assert tuple(stored) == (OrderStatus.awarded, 40)
    assert bids == {awarded.id: BidStatus.accepted, waiting.id: BidStatus.expired}
