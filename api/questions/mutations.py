from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, ConflictError, InvalidStateError, NotEligibleError, result_union
from api.questions.types import OrderQuestion
from api.relay import decode_id
from domain.questions import service
from domain.uow import UnitOfWork


@strawberry.type
class OrderQuestionSuccess:
    question: OrderQuestion


AskQuestionResult = result_union(
    "AskQuestionResult", OrderQuestionSuccess, *ACTION_ERRORS, InvalidStateError, NotEligibleError
)
AnswerQuestionResult = result_union(
    "AnswerQuestionResult", OrderQuestionSuccess, *ACTION_ERRORS, InvalidStateError, ConflictError
)


@strawberry.type
class QuestionMutation:
    @strawberry.mutation(
        description="Ask the buyer about an order you may bid on, while bidding is open (at most 2,000 characters)."
    )
    async def ask_question(
        self, info: Info, order_id: strawberry.ID, question: str, organisation_id: strawberry.ID | None = None
    ) -> AskQuestionResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderQuestionSuccess:
            row = await service.ask_question(
                uow,
                actor=ctx.actor,
                order_id=decode_id(order_id, "Order", "orderId"),
                organisation_id=decode_id(organisation_id, "Organisation", "organisationId")
                if organisation_id
                else None,
                question=question,
            )
            return OrderQuestionSuccess(question=OrderQuestion.from_row(row, info))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="The buyer answers a question once; the answer is published to every bidder and invitee, "
        "without the asker's identity."
    )
    async def answer_question(self, info: Info, question_id: strawberry.ID, answer: str) -> AnswerQuestionResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderQuestionSuccess:
            row = await service.answer_question(
                uow, actor=ctx.actor, question_id=decode_id(question_id, "OrderQuestion", "questionId"), answer=answer
            )
            return OrderQuestionSuccess(question=OrderQuestion.from_row(row, info))

        return await ctx.run(use_case)
