from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from api.organisations.loaders import OrganisationByIdLoader
from domain.bids.models import Bid, BidFeedback, BidStatus, RankedBidJsonRow, RankedBidRow
from domain.bids.service import (
    bids_by_ids,
    bids_for_orders,
    bids_json_for_orders,
    bids_with_bidders_for_orders,
    feedback_by_bid_ids,
)
from domain.organisations.models import OrganisationRow
from domain.sql_json import Parts

# (order id, page size, statuses, with the bidders, the bids as JSON of these parts or None) -> (bids each with
# its bidder's row or None, has more); with parts, the bids are RankedBidJsonRow (domain/sql_json.py)
BidsKey = tuple[UUID, int, tuple[BidStatus, ...], bool, Parts | None]
BidsPage = tuple[Sequence[tuple[RankedBidRow | RankedBidJsonRow, OrganisationRow | None]], bool]


class BidByIdLoader(BatchLoader[UUID, Bid | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, Bid]:
        return await bids_by_ids(session, actor=self.context.actor, ids=keys)


class BidsByOrderIdLoader(BatchLoader[BidsKey, BidsPage]):
    """Sealed: the buyer gets every bid on its order, a manufacturer only its own. With the bidders: their
    organisations come in the same statement (a join) and are primed into OrganisationByIdLoader, so that no bid
    waits on a loader of its own."""

    def default(self) -> BidsPage:
        return ([], False)

    async def fetch(self, session: AsyncSession, keys: list[BidsKey]) -> Mapping[BidsKey, BidsPage]:
        # One query per distinct (page size, statuses, bidders); in practice a request uses one.
        groups: dict[tuple[int, tuple[BidStatus, ...], bool, Parts | None], list[UUID]] = defaultdict(list)
        for order_id, first, statuses, bidders, parts in keys:
            groups[(first, statuses, bidders, parts)].append(order_id)
        found: dict[BidsKey, BidsPage] = {}
        actor = self.context.actor
        for (first, statuses, bidders, parts), order_ids in groups.items():
            if parts is not None:
                # Each bid as the JSON of the query's selection (api/execution/sql_json.py), bidder included.
                as_json = await bids_json_for_orders(
                    session, actor=actor, order_ids=order_ids, first=first, statuses=statuses, parts=parts
                )
                for order_id in order_ids:
                    if order_id in as_json:
                        json_rows, more = as_json[order_id]
                        found[(order_id, first, statuses, bidders, parts)] = ([(row, None) for row in json_rows], more)
                continue
            if bidders:
                # The bids with their bidders in one statement (a join); the bidders primed for whatever else
                # asks for them.
                with_bidders = await bids_with_bidders_for_orders(
                    session, actor=actor, order_ids=order_ids, first=first, statuses=statuses
                )
                self.context.loader(OrganisationByIdLoader).prime_many(
                    {maker.id: maker for pairs, _ in with_bidders.values() for _, maker in pairs}
                )
                for order_id in order_ids:
                    if order_id in with_bidders:
                        found[(order_id, first, statuses, bidders, parts)] = with_bidders[order_id]
                continue
            by_order = await bids_for_orders(session, actor=actor, order_ids=order_ids, first=first, statuses=statuses)
            for order_id in order_ids:
                if order_id in by_order:
                    rows, has_more = by_order[order_id]
                    found[(order_id, first, statuses, bidders, parts)] = ([(row, None) for row in rows], has_more)
        return found


class FeedbackByBidIdLoader(BatchLoader[UUID, BidFeedback | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, BidFeedback]:
        return await feedback_by_bid_ids(session, actor=self.context.actor, ids=keys)
