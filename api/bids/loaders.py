from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.bids.models import Bid, BidFeedback, BidStatus
from domain.bids.service import bids_by_ids, bids_for_orders, feedback_by_bid_ids

# (order id, page size, statuses) -> (bids, has more)
BidsKey = tuple[UUID, int, tuple[BidStatus, ...]]


class BidByIdLoader(BatchLoader[UUID, Bid | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, Bid]:
        return await bids_by_ids(session, actor=self.context.actor, ids=keys)


class BidsByOrderIdLoader(BatchLoader[BidsKey, tuple[list[Bid], bool]]):
    """Sealed: the buyer gets every bid on its order, a manufacturer only its own."""

    def default(self) -> tuple[list[Bid], bool]:  # type: ignore[override]
        return ([], False)

    async def fetch(self, session: AsyncSession, keys: list[BidsKey]) -> Mapping[BidsKey, tuple[list[Bid], bool]]:
        # One query per distinct (page size, statuses); in practice a request uses one.
        groups: dict[tuple[int, tuple[BidStatus, ...]], list[UUID]] = defaultdict(list)
        for order_id, first, statuses in keys:
            groups[(first, statuses)].append(order_id)
        found: dict[BidsKey, tuple[list[Bid], bool]] = {}
        for (first, statuses), order_ids in groups.items():
            by_order = await bids_for_orders(
                session, actor=self.context.actor, order_ids=order_ids, first=first, statuses=statuses
            )
            for order_id in order_ids:
                if order_id in by_order:
                    found[(order_id, first, statuses)] = by_order[order_id]
        return found


class FeedbackByBidIdLoader(BatchLoader[UUID, BidFeedback | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, BidFeedback]:
        return await feedback_by_bid_ids(session, actor=self.context.actor, ids=keys)
