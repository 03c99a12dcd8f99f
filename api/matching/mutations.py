from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, InvalidStateError, result_union
from api.orders.mutations import OrderSuccess
from api.orders.types import Order
from api.relay import decode_id, decode_ids
from domain.matching.invitations import invite_manufacturers
from domain.uow import UnitOfWork

InviteManufacturersResult = result_union("InviteManufacturersResult", OrderSuccess, *ACTION_ERRORS, InvalidStateError)


@strawberry.type
class MatchingMutation:
    @strawberry.mutation(
        description="The buyer invites more manufacturers to its invited-only order (invitations are only added)."
    )
    async def invite_manufacturers(
        self, info: Info, order_id: strawberry.ID, manufacturer_ids: list[strawberry.ID]
    ) -> InviteManufacturersResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderSuccess:
            row = await invite_manufacturers(
                uow,
                actor=ctx.actor,
                order_id=decode_id(order_id, "Order", "orderId"),
                manufacturer_ids=decode_ids(manufacturer_ids, "Organisation", "manufacturerIds"),
            )
            return OrderSuccess(order=Order.from_row(row))

        return await ctx.run(use_case)
