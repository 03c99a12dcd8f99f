from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.bids.service import may_take_part
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


class TakingPartByOrderIdLoader(BatchLoader[UUID, tuple[bool, bool]]):
    """(may ask the buyer, may place a bid) for the signed-in actor, per order: a page of orders in three statements."""

    default = (False, False)

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, tuple[bool, bool]]:
        actor = self.context.actor
        if not actor.authenticated:
            return {}
        orders = await orders_by_ids(session, actor=actor, ids=keys)
        return await may_take_part(session, actor=actor, orders=list(orders.values()), now=self.context.clock.now())
