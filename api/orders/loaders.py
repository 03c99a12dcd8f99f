from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.orders.models import ProductionOrder
from domain.orders.service import invitations_by_order_ids, orders_by_ids


class OrderByIdLoader(BatchLoader[UUID, ProductionOrder | None]):
    """Only orders the actor may see; the rest load as None."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, ProductionOrder]:
        return await orders_by_ids(session, actor=self.context.actor, ids=keys)


class InvitationsByOrderIdLoader(BatchLoader[UUID, list[UUID]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[UUID]]:
        return await invitations_by_order_ids(session, keys)
