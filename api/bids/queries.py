from __future__ import annotations

import strawberry

from api.bids.types import Bid, BidConnection
from api.context import Info
from api.enums import BidStatus
from api.relay import connection
from domain.bids.models import BidStatus as DomainBidStatus
from domain.bids.service import list_my_bids
from domain.pagination import PageRequest


@strawberry.type
class BidQuery:
    @strawberry.field(description="Your organisations' bids, newest first.")
    async def my_bids(
        self,
        info: Info,
        statuses: list[BidStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> BidConnection:
        ctx = info.context
        async with ctx.db() as session:
            page = await list_my_bids(
                session,
                actor=ctx.actor,
                statuses=[DomainBidStatus(s) for s in statuses or []],
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(BidConnection, page, Bid.from_row)  # type: ignore[return-value]
