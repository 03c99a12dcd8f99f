from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.bids.models import Bid, BidStatus
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
