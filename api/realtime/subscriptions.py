"""Subscriptions over graphql-transport-ws. Each one first checks that the signed-in user may watch
(refused: one typed error, then complete), then watches this process's event hub. Every event is only an id:
the process reads what it names once for all its subscribers (domain/fanout/service.py, through the hub's `watch`),
and each subscriber is given only what its viewer may see of that read (`seen_by`), with the rows it
brought primed into the subscriber's loaders, so that the answer's usual fields cost no further SQL."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

import strawberry

from api.bids.types import Bid
from api.context import AppDeps, Context, Info
from api.contracts.types import Contract
from api.errors import to_user_error
from api.orders.loaders import OrderByIdLoader
from api.realtime.closing import LAGGING, MISSED, wait_for_close
from api.realtime.fanout import JOINING, LEADING, serve_grouped
from api.realtime.reread import read_shared
from api.realtime.session import fell_behind, still_signed_in
from api.realtime.types import (
    BidActivity,
    BidActivityEvent,
    BidActivityKind,
    ContractUpdate,
    ContractUpdateEvent,
    Watching,
)
from api.relay import decode_id
from domain.contracts.service import contracts_by_ids
from domain.errors import DomainError, NotFound
from domain.fanout.service import SharedBid, SharedContract, read_bids, read_contracts
from domain.orders.service import require_buyer_view
from domain.realtime import Event, EventsMissed, EventStream, EventTopic, Shared, SubscriberLagging

T = TypeVar("T")


def hub(ctx: Context) -> EventStream:
    if ctx.deps.events is None:
        raise RuntimeError("subscriptions need the event hub (AppDeps.events)")
    return ctx.deps.events


END: Any = object()  # `present`'s answer when the subscription is over for this viewer


async def realtime_events(
    info: Info,
    topic: EventTopic,
    key: str,
    prepare: Callable[[Event], Awaitable[T | None]],
    authorise: Callable[[], Awaitable[None]],
    present: Callable[[Shared[T], Context], Any],
) -> AsyncIterator[Any]:
    """A subscription's stream, three ways. Its first event, once it is allowed and its watch is in force, is
    `Watching` (the client re-reads what it shows on it; not in a group's leader, whose stream is the group's events).
    On a socket of the app's view: joined to the group of sockets that get
    the same bytes (api/realtime/fanout.py), which executes it once for all. As a group's leader: the events,
    read once per process (the hub's `watch`), each made into a payload by `present` for the group's viewer
    (None: nothing for this viewer; END: the subscription is over). Anywhere else: the subscriber's own loop,
    with its sign-in checked before each event."""
    ctx = info.context
    if (group := LEADING.get()) is not None:
        # The group's watch was opened with the group (api/realtime/fanout.py `Fanout.join`), before this ran.
        try:
            async for item in group.watch.events():
                value = present(item, ctx)
                if value is END:
                    return
                if value is not None:
                    group.heard_at, group.seq = item.heard_at, item.seq
                    yield value
                group.handled(item.seq)
                await ctx.release()
        except SubscriberLagging as behind:
            group.fell_behind(missed=isinstance(behind, EventsMissed))
        return
    if (member := JOINING.get()) is not None:
        JOINING.set(None)  # the group's leader task, started from here, must not take itself for a member
        check = partial(refusal, ctx, authorise)
        async for value in serve_grouped(member, info.field_name, topic, key, prepare, check, Watching):
            yield value
        return
    watch = hub(ctx).open_watch(topic, key, prepare)
    try:
        if (error := await refusal(ctx, authorise)) is not None:
            yield error
            return
        await hub(ctx).until_listening()
        # The watch is in force (opened above, before the check): what the watcher heard meanwhile follows this.
        yield Watching(since=watch.start)
        try:
            async for item in watch.events():
                if not await still_signed_in(ctx):
                    await wait_for_close()
                value = present(item, ctx)
                if value is END:
                    return
                if value is not None:
                    yield value
                await ctx.release()
        except SubscriberLagging as behind:
            await fell_behind(ctx, MISSED if isinstance(behind, EventsMissed) else LAGGING)
    finally:
        watch.close()


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


def bid_read(deps: AppDeps) -> Callable[[Event], Awaitable[SharedBid | None]]:
    async def prepare(event: Event) -> SharedBid | None:
        bid_id = UUID(event.data["bid"])
        found = await read_shared(deps, partial(read_bids, ids=[bid_id]), topic=EventTopic.bid_activity.value)
        return found.get(bid_id)

    return prepare


def contract_read(deps: AppDeps) -> Callable[[Event], Awaitable[SharedContract | None]]:
    async def prepare(event: Event) -> SharedContract | None:
        contract_id = UUID(event.key)
        found = await read_shared(deps, partial(read_contracts, ids=[contract_id]), topic=EventTopic.contract.value)
        return found.get(contract_id)

    return prepare


@strawberry.type
class RealtimeSubscription:
    @strawberry.subscription(
        description="Bids placed, revised and withdrawn on one of your organisation's orders, as they happen. "
        "The order's buyer only."
    )
    async def bid_activity(self, info: Info, order_id: strawberry.ID) -> AsyncGenerator[BidActivityEvent, None]:
        ctx = info.context
        try:
            order_uuid = decode_id(order_id, "Order", "orderId")
        except DomainError as error:
            yield to_user_error(error)
            return

        async def authorise() -> None:
            async with ctx.db() as session:
                await require_buyer_view(session, ctx.actor, order_uuid)

        def present(item: Shared[SharedBid], ctx: Context) -> BidActivity | None:
            seen = item.value.seen_by(ctx.actor)
            if seen is None:
                return None
            if (order := seen.order_seen_by(ctx.actor)) is not None:
                ctx.loader(OrderByIdLoader).prime(order.id, order)
            bid = Bid.from_row(seen.bid, manufacturer_row=seen.manufacturer)
            return BidActivity(kind=BidActivityKind(item.event.data["kind"]), bid=bid)

        async for value in realtime_events(
            info, EventTopic.bid_activity, str(order_uuid), bid_read(ctx.deps), authorise, present
        ):
            yield value

    @strawberry.subscription(
        description="Every step of one contract, as it happens. Its two parties and operators only."
    )
    async def contract_updated(
        self, info: Info, contract_id: strawberry.ID
    ) -> AsyncGenerator[ContractUpdateEvent, None]:
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

        def present(item: Shared[SharedContract], ctx: Context) -> Any:
            row = item.value.seen_by(ctx.actor)
            if row is None:  # no longer visible to this viewer (e.g. left the organisation)
                return END
            transition = str(item.event.data.get("transition", ""))
            return ContractUpdate(transition=transition, contract=Contract.from_row(row))

        async for value in realtime_events(
            info, EventTopic.contract, str(contract_uuid), contract_read(ctx.deps), authorise, present
        ):
            yield value
