"""Invite manufacturers (e.g. from the recommendations) to an invited-only order."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput
from domain.orders.models import ProductionOrder, Visibility
from domain.orders.service import invitations_by_order_ids, load_for_buyer, update_order
from domain.uow import UnitOfWork


async def invite_manufacturers(
    uow: UnitOfWork, *, actor: Actor, order_id: UUID, manufacturer_ids: Sequence[UUID]
) -> ProductionOrder:
    """Adds invitations (those already invited are kept, never removed). Delegates to update_order, which
    checks the buyer, the order's state and the invitees, and writes the order's outbox row."""
    order = await load_for_buyer(uow, actor, order_id, "orderId")
    if order.visibility != Visibility.invited:
        raise InvalidInput("the order is public: anyone may bid already", "orderId")
    if not manufacturer_ids:
        raise InvalidInput("name at least one manufacturer", "manufacturerIds", ErrorCode.REQUIRED)
    already = (await invitations_by_order_ids(uow.session, [order_id])).get(order_id, [])
    try:
        return await update_order(
            uow,
            actor=actor,
            order_id=order_id,
            changes={"invited_manufacturer_ids": sorted(set(already) | set(manufacturer_ids))},
        )
    except DomainError as error:
        if error.field == "invitedManufacturerIds":
            error.field = "manufacturerIds"
        raise
