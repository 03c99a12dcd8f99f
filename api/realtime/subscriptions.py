"""Subscriptions over graphql-transport-ws. Each one first checks that the signed-in user may watch
(refused: one typed error, then complete), then waits on this process's event hub; every event is only
an id, re-read with the subscriber's own permissions before anything is sent."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from functools import partial
from typing import Any
from uuid import UUID

import strawberry

from api.bids.types import Bid
from api.context import Context, Info
from api.contracts.types import Contract
from api.errors import to_user_error
from api.realtime.reread import reread
from api.realtime.session import still_signed_in, wait_for_close
from api.realtime.types import BidActivity, BidActivityEvent, BidActivityKind, ContractUpdate, ContractUpdateEvent
from api.relay import decode_id
from domain.bids.service import bids_by_ids
from domain.contracts.service import contracts_by_ids
from domain.errors import DomainError, NotFound
from domain.orders.service import require_buyer_view
from domain.realtime import EventStream, EventTopic


def hub(ctx: Context) -> EventStream:
    if ctx.deps.events is None:
        raise RuntimeError("subscriptions need the event hub (AppDeps.events)")
    return ctx.deps.events


async def refusal(ctx: Context, authorise: Callable[[], Awaitable[None]]) -> Any | None:
    """The typed error that refuses this watch, or None. Called once subscribed, so that no event committed
    after the check can slip between the check and the subscription."""
    if not await still_signed_in(ctx):
        await wait_for_close()
    try:
        ctx.actor.require_user()
        await authorise()
    except DomainError as error:
        return to_user_error(error)
    finally:
        await ctx.release()
    return None


@strawberry.type
class RealtimeSubscription:
    @strawberry.subscription(
        description="Bids placed, revised and withdrawn on one of your organisation's orders, as they happen. "
        "The order's buyer only."
    )
    async def bid_activity(self, info: Info, order_id: strawberry.ID) -> AsyncGenerator[BidActivityEvent, None]:  # type: ignore[valid-type]
        ctx = info.context
        try:
            order_uuid = decode_id(order_id, "Order", "orderId")
        except DomainError as error:
            yield to_user_error(error)
            return

        async def authorise() -> None:
            async with ctx.db() as session:
                await require_buyer_view(session, ctx.actor, order_uuid)

        async with hub(ctx).subscribe(EventTopic.bid_activity, order_uuid) as events:
            if (error := await refusal(ctx, authorise)) is not None:
                yield error
                return
            async for event in events:
                if not await still_signed_in(ctx):
                    await wait_for_close()
                bid_id = UUID(event.data["bid"])
                found = await reread(ctx, partial(bids_by_ids, actor=ctx.actor, ids=[bid_id]), topic="bid_activity")
                row = None if found is None else found.get(bid_id)
                if row is not None:
                    yield BidActivity(kind=BidActivityKind(event.data["kind"]), bid=Bid.from_row(row))
                await ctx.release()

    @strawberry.subscription(
        description="Every step of one contract, as it happens. Its two parties and operators only."
    )
    async def contract_updated(
        self, info: Info, contract_id: strawberry.ID
    ) -> AsyncGenerator[ContractUpdateEvent, None]:  # type: ignore[valid-type]
        ctx = info.context
        try:
            contract_uuid = decode_id(contract_id, "Contract", "contractId")
        except DomainError as error:
            yield to_user_error(error)
            return

        async def authorise() -> None:
            async with ctx.db() as session:
                if not await contracts_by_ids(session, actor=ctx.actor, ids=[contract_uuid]):
                    raise NotFound("contract", "contractId")

        async with hub(ctx).subscribe(EventTopic.contract, contract_uuid) as events:
            if (error := await refusal(ctx, authorise)) is not None:
                yield error
                return
            async for event in events:
                if not await still_signed_in(ctx):
                    await wait_for_close()
                found = await reread(
                    ctx, partial(contracts_by_ids, actor=ctx.actor, ids=[contract_uuid]), topic="contract"
                )
                if found is None:  # the database stayed away: skipped, the subscription goes on
                    continue
                row = found.get(contract_uuid)
                if row is None:  # no longer visible to this user (e.g. left the organisation)
                    return
                yield ContractUpdate(transition=str(event.data.get("transition", "")), contract=Contract.from_row(row))
                await ctx.release()
