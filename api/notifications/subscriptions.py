from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from functools import partial
from uuid import UUID

import strawberry

from api.context import AppDeps, Context, Info
from api.errors import NotAuthenticatedError, result_union
from api.notifications.types import Notification
from api.realtime.reread import read_shared
from api.realtime.subscriptions import realtime_events
from api.realtime.types import Watching
from domain.fanout.service import SharedNotification, read_notifications
from domain.realtime import Event, EventTopic, Shared


@strawberry.type(description="A notification just added to your inbox.")
class NotificationAdded:
    notification: Notification


NotificationAddedEvent = result_union("NotificationAddedEvent", NotificationAdded, Watching, NotAuthenticatedError)


def notification_read(deps: AppDeps) -> Callable[[Event], Awaitable[SharedNotification | None]]:
    async def prepare(event: Event) -> SharedNotification | None:
        notification_id = UUID(event.data["id"])
        found = await read_shared(
            deps, partial(read_notifications, ids=[notification_id]), topic=EventTopic.notification.value
        )
        return found.get(notification_id)

    return prepare


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(description="Your new notifications, as they arrive.")
    async def notification_added(self, info: Info) -> AsyncGenerator[NotificationAddedEvent, None]:  # type: ignore[valid-type]
        ctx = info.context
        user_id = ctx.actor.user_id

        async def authorise() -> None:
            return None

        def present(item: Shared[SharedNotification], ctx: Context) -> NotificationAdded | None:
            row = item.value.seen_by(ctx.actor)
            return None if row is None else NotificationAdded(notification=Notification.from_row(row))

        async for value in realtime_events(
            info, EventTopic.notification, str(user_id), notification_read(ctx.deps), authorise, present
        ):
            yield value
