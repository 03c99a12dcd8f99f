"""One lock order for an order and its bids: revising, withdrawing and awarding on the same order, concurrently,
never deadlock. Every path takes the order row first, then the bid rows, then the manufacturer's capacity
(see domain/bids/service.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, select

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.bids.rules import BidTerms
from domain.bids.service import revise_bid, withdraw_bid
from domain.contracts.models import Contract
from domain.contracts.service import award_bid
from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.organisations.models import OrganisationKind
from tests.integration.factories import Market

ROUNDS = 15
# What a loser of a race may be told: the order was awarded under it, or its bid moved on.
EXPECTED_REFUSALS = {ErrorCode.ORDER_NOT_OPEN, ErrorCode.INVALID_TRANSITION, ErrorCode.BID_NOT_ACTIVE}


async def _attempt(step: Awaitable[object]) -> object:
    try:
        return await step
    except DomainError as error:
        return error


async def _race(market: Market, buyer: Actor, makers: list[Actor]) -> tuple[UUID, list[object]]:
    """One order with three bids; at once: the buyer awards the first, its rivals revise and withdraw theirs."""
    order = await market.open_order(buyer)
    winner, revised, withdrawn = [await market.bid(maker, order.id, 300_00 + i) for i, maker in enumerate(makers)]
    terms = BidTerms(
        unit_price=Money(290_00, "RUB"),
        lead_time_days=15,
        valid_until=(market.clock.now() + timedelta(days=30)).date(),
    )
    async with market.uow() as a, market.uow() as b, market.uow() as c:
        results = await asyncio.gather(
            _attempt(revise_bid(a, actor=makers[1], bid_id=revised.id, terms=terms)),
            _attempt(award_bid(b, actor=buyer, bid_id=winner.id)),
            _attempt(withdraw_bid(c, actor=makers[2], bid_id=withdrawn.id)),
        )
    return order.id, list(results)


async def test_revise_and_award_on_one_order_never_deadlock(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    makers = [await market.manufacturer() for _ in range(3)]
    for _ in range(ROUNDS):
        order_id, results = await _race(market, buyer, makers)

        # No database error escaped (a deadlock is an sqlalchemy DBAPIError, not a DomainError).
        refusals = {r.code for r in results if isinstance(r, DomainError)}
        assert refusals <= EXPECTED_REFUSALS, results
        assert isinstance(results[1], Contract), results  # the award itself always goes through
        async with market.uow() as uow:
            active = await uow.session.scalar(
                select(func.count()).select_from(Bid).where(Bid.order_id == order_id, Bid.status == BidStatus.active)
            )
            contracts = await uow.session.scalar(
                select(func.count()).select_from(Contract).where(Contract.order_id == order_id)
            )
        assert active == 0  # the award rejected whatever was still active, a revision included
        assert contracts == 1
