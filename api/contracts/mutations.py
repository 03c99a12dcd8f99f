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
        description="Buyer admins accept one active bid: a contract pending funding. The order is awarded, and "
        "its other bids rejected, once its whole quantity is awarded: at once, or in parts when it allows split "
        "awards (`quantity`: units of this bid; by default all it quotes for, up to what is left). When the "
        "order is awarded, each losing bidder gets feedback (rank and price bands, and `lostBidReason` if given)."
    )
    async def award_bid(
        self,
        info: Info,
        bid_id: strawberry.ID,
        quantity: int | None = None,
        lost_bid_reason: LostBidReason | None = None,
    ) -> AwardBidResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AwardBidSuccess:
            row = await service.award_bid(
                uow,
                actor=ctx.actor,
                bid_id=decode_id(bid_id, "Bid", "bidId"),
                quantity=quantity,
                policy=ctx.deps.payments.policy,
                lost_reason=LostReason(lost_bid_reason.value) if lost_bid_reason else None,
            )
            return AwardBidSuccess(contract=Contract.from_row(row))

        return await ctx.run(use_case)
