from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, ConflictError, InvalidStateError, result_union
from api.relay import decode_id
from api.reviews.types import Review
from domain.reviews import service
from domain.uow import UnitOfWork


@strawberry.type
class ReviewSuccess:
    review: Review


SubmitReviewResult = result_union("SubmitReviewResult", ReviewSuccess, *ACTION_ERRORS, InvalidStateError, ConflictError)


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(
        description="Rate the other side of a completed contract, once, within 14 days of completion. Hidden until "
        "the other side reviews too or the 14 days pass."
    )
    async def submit_review(
        self, info: Info, contract_id: strawberry.ID, rating: int, text: str = ""
    ) -> SubmitReviewResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ReviewSuccess:
            row = await service.submit_review(
                uow,
                actor=ctx.actor,
                contract_id=decode_id(contract_id, "Contract", "contractId"),
                rating=rating,
                text=text,
            )
            return ReviewSuccess(review=Review.from_row(row, ctx.clock.now()))

        return await ctx.run(use_case)
