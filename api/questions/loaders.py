from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.questions.models import OrderQuestion
from domain.questions.service import questions_by_order_ids


class QuestionsByOrderIdLoader(BatchLoader[UUID, list[OrderQuestion]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[OrderQuestion]]:
        return await questions_by_order_ids(session, actor=self.context.actor, order_ids=keys)
