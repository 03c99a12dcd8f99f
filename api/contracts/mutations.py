from __future__ import annotations

import strawberry

from api.bids.types import LostBidReason
from api.context import Info
from api.contracts.types import Contract
from api.errors import ACTION_ERRORS, InvalidStateError, result_union
from api.relay import decode_id
from domain.bids.feedback import LostReason
from domain.contracts import service
from domain.uow import UnitOfWork


@strawberry.type(description="The bid is accepted and the contract awaits funding.")
class AwardBidSuccess:
    contract: Contract


AwardBidResult = result_union("AwardBidResult", AwardBidSuccess, *ACTION_ERRORS, InvalidStateError)


@strawberry.type
class ContractMutation:
    @strawberry.mutation(
        description="Buyer admins accept one active bid: the order is awarded, the other bids are rejected, "
        "and a contract is created pending funding. Each losing bidder gets feedback (rank and price bands, and "
        "`lostBidReason` if given)."
    )
    async def award_bid(
        self,
        info: Info,
        bid_id: strawberry.ID,
        lost_bid_reason: LostBidReason | None = None,  # type: ignore[valid-type]
    ) -> AwardBidResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AwardBidSuccess:
            row = await service.award_bid(
                uow,
                actor=ctx.actor,
                bid_id=decode_id(bid_id, "Bid", "bidId"),
                policy=ctx.deps.payments.policy,
                lost_reason=LostReason(lost_bid_reason.value) if lost_bid_reason else None,
            )
            return AwardBidSuccess(contract=Contract.from_row(row))

        return await ctx.run(use_case)
