from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.errors import NotFound
from domain.questions.models import OrderQuestion
from domain.questions.service import question_orders, questions_by_order_ids

# (order id, page size, after this question or None) -> the page, oldest first
QuestionsKey = tuple[UUID, int, UUID | None]


class QuestionsByOrderIdLoader(BatchLoader[QuestionsKey, list[OrderQuestion] | NotFound]):
    """A page of each order's questions. A cursor that is not one of that order's questions loads as NotFound
    (the resolver raises it: a typed error on `after`)."""

    default = list

    async def fetch(
        self, session: AsyncSession, keys: list[QuestionsKey]
    ) -> Mapping[QuestionsKey, list[OrderQuestion] | NotFound]:
        found: dict[QuestionsKey, list[OrderQuestion] | NotFound] = {}
        cursors = {after for _, _, after in keys if after is not None}
        order_of = await question_orders(session, sorted(cursors)) if cursors else {}
        # One statement per distinct (page size, cursor); in practice a request uses one.
        groups: dict[tuple[int, UUID | None], list[UUID]] = defaultdict(list)
        for order_id, first, after in keys:
            if after is not None and order_of.get(after) != order_id:
                found[(order_id, first, after)] = NotFound("question", "after")
            else:
                groups[(first, after)].append(order_id)
        for (first, after), order_ids in groups.items():
            pages = await questions_by_order_ids(
                session, actor=self.context.actor, order_ids=order_ids, first=first, after=after
            )
            for order_id in order_ids:
                found[(order_id, first, after)] = pages.get(order_id, [])
        return found
