"""A manufacturer double-submitting a bid (two tabs) ends with one active bid, never two."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from domain.bids.models import Bid
from domain.errors import DomainError, ErrorCode
from domain.organisations.models import OrganisationKind
from tests.integration.factories import Market


async def test_concurrent_duplicate_bids_leave_one_active_bid(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer)
    maker = await market.manufacturer()

    async def bid() -> object:
        try:
            return await market.bid(maker, order.id)
        except DomainError as error:
            return error

    results = await asyncio.gather(bid(), bid(), bid())

    refused = [r.code for r in results if isinstance(r, DomainError)]
    assert refused == [ErrorCode.DUPLICATE_BID, ErrorCode.DUPLICATE_BID]
    async with market.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Bid)) == 1
