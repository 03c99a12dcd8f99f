"""Award is atomic: of concurrent awards on one order exactly one wins, and the data stays consistent."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from domain.bids.models import Bid, BidStatus
from domain.contracts.models import Contract, ContractEvent
from domain.contracts.service import award_bid
from domain.errors import DomainError, ErrorCode
from domain.orders.models import OrderStatus, ProductionOrder
from domain.organisations.models import OrganisationKind
from tests.integration.factories import Market


async def test_two_concurrent_awards_on_one_order_exactly_one_wins(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer)
    first = await market.bid(await market.manufacturer(), order.id, 300_00)
    second = await market.bid(await market.manufacturer(), order.id, 310_00)

    async def award(bid_id: object) -> object:
        async with market.uow() as uow:
            try:
                return await award_bid(uow, actor=buyer, bid_id=bid_id)  # type: ignore[arg-type]
            except DomainError as error:
                return error

    results = await asyncio.gather(award(first.id), award(second.id))

    contracts = [r for r in results if isinstance(r, Contract)]
    refusals = [r for r in results if isinstance(r, DomainError)]
    assert len(contracts) == 1
    assert [e.code for e in refusals] == [ErrorCode.ORDER_NOT_OPEN]
    async with market.uow() as uow:
        session = uow.session
        assert await session.scalar(select(func.count()).select_from(Contract)) == 1
        assert await session.scalar(select(func.count()).select_from(ContractEvent)) == 1
        assert await session.scalar(select(ProductionOrder.status).where(ProductionOrder.id == order.id)) == (
            OrderStatus.awarded
        )
        statuses = dict((await session.execute(select(Bid.id, Bid.status))).all())
    winner = contracts[0].bid_id
    loser = second.id if winner == first.id else first.id
    assert statuses == {winner: BidStatus.accepted, loser: BidStatus.rejected}


async def test_many_concurrent_awards_still_make_one_contract(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer)
    bids = [await market.bid(await market.manufacturer(), order.id, 300_00 + i) for i in range(6)]

    async def award(bid_id: object) -> bool:
        async with market.uow() as uow:
            try:
                await award_bid(uow, actor=buyer, bid_id=bid_id)  # type: ignore[arg-type]
            except DomainError:
                return False
            return True

    outcomes = await asyncio.gather(*(award(b.id) for b in bids))

    assert sorted(outcomes) == [False] * 5 + [True]
    async with market.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Contract)) == 1
        accepted = await uow.session.scalar(
            select(func.count()).select_from(Bid).where(Bid.status == BidStatus.accepted)
        )
    assert accepted == 1
