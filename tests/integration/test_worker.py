from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from api.context import AppDeps
from domain.bids.models import Bid, BidStatus
from domain.orders.models import OrderStatus, ProductionOrder
from domain.organisations.models import OrganisationKind
from exchange.settings import Settings
from exchange.worker import run_forever, run_timers_once
from tests.clock import FakeClock
from tests.integration.factories import Market


async def test_a_worker_pass_expires_orders_past_their_award_window(
    market: Market, clock: FakeClock, deps: AppDeps, settings: Settings
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer, bidding_deadline=clock.now() + timedelta(days=1))

    before = await run_timers_once(deps)
    clock.advance(timedelta(days=1 + settings.order_award_window_days, seconds=1))
    after = await run_timers_once(deps)
    again = await run_timers_once(deps)

    assert [before["orders_expired"], after["orders_expired"], again["orders_expired"]] == [0, 1, 0]
    async with market.uow() as uow:
        status = await uow.session.scalar(select(ProductionOrder.status).where(ProductionOrder.id == order.id))
    assert status == OrderStatus.expired


async def test_the_worker_loop_stops_when_told(deps: AppDeps) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(run_forever(deps, stop=stop))
    await asyncio.sleep(0.05)

    stop.set()
    await asyncio.wait_for(task, timeout=5)

    assert task.done() and task.exception() is None


async def test_a_worker_pass_expires_bids_past_their_valid_until_date(
    market: Market, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer, bidding_deadline=clock.now() + timedelta(days=5))
    bid = await market.bid(await market.manufacturer(), order.id)  # valid for 30 days
    clock.advance(timedelta(days=30))
    still_valid = await run_timers_once(deps)
    clock.advance(timedelta(days=1))

    lapsed = await run_timers_once(deps)

    assert (still_valid["bids_expired"], lapsed["bids_expired"]) == (0, 1)
    async with market.uow() as uow:
        status = await uow.session.scalar(select(Bid.status).where(Bid.id == bid.id))
    assert status == BidStatus.expired
