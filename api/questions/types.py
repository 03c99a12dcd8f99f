from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.orders.loaders import OrderByIdLoader
from api.relay import encode_id
from domain.bids.rules import takes_bids
from domain.questions.models import OrderQuestion as OrderQuestionRow


@strawberry.type(
    description="A question a bidder asked on an order, and the buyer's answer. Answers are published to everyone "
    "who may bid; nobody but the asker learns who asked."
)
class OrderQuestion:
    id: strawberry.ID
    question: str
    answer: str | None
    asked_at: datetime
    answered_at: datetime | None
    asked_by_your_organisation: bool = strawberry.field(description="Whether your organisation asked it.")
    order_id: strawberry.Private[UUID]

    @strawberry.field(
        description="Whether you may answer it now (answerQuestion): the buyer's organisation, once, while bidding "
        "is open."
    )
    async def viewer_can_answer(self, info: Info) -> bool:
        if self.answer is not None:
            return False
        order = await info.context.loader(OrderByIdLoader).load(self.order_id)
        return (
            order is not None
            and info.context.actor.is_member(order.buyer_organisation_id)
            and takes_bids(order, info.context.clock.now())
        )

    @classmethod
    def from_row(cls, row: OrderQuestionRow, info: Info) -> OrderQuestion:
        return cls(
            id=encode_id("OrderQuestion", row.id),
            question=row.question,
            answer=row.answer,
            asked_at=row.created_at,
            answered_at=row.answered_at,
            asked_by_your_organisation=info.context.actor.is_member(row.asked_by_organisation_id),
            order_id=row.order_id,
        )
