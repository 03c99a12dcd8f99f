from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial
from uuid import UUID

import strawberry

from api.context import Info
from api.errors import NotAuthenticatedError, result_union
from api.notifications.types import Notification
from api.realtime.reread import reread
from api.realtime.session import still_signed_in, wait_for_close
from api.realtime.subscriptions import hub, refusal
from domain.notifications.service import notifications_by_ids
from domain.realtime import EventTopic


@strawberry.type(description="A notification just added to your inbox.")
class NotificationAdded:
    notification: Notification


NotificationAddedEvent = result_union("NotificationAddedEvent", NotificationAdded, NotAuthenticatedError)


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(description="Your new notifications, as they arrive.")
    async def notification_added(self, info: Info) -> AsyncGenerator[NotificationAddedEvent, None]:  # type: ignore[valid-type]
        ctx = info.context
        user_id = ctx.actor.user_id

        async def authorise() -> None:
            return None

        async with hub(ctx).subscribe(EventTopic.notification, str(user_id)) as events:
            if (error := await refusal(ctx, authorise)) is not None:
                yield error
                return
            assert user_id is not None
            async for event in events:
                if not await still_signed_in(ctx):
                    await wait_for_close()
                notification_id = UUID(event.data["id"])
                rows = await reread(
                    ctx, partial(notifications_by_ids, user_id=user_id, ids=[notification_id]), topic="notification"
                )
                if rows is not None and notification_id in rows:
                    yield NotificationAdded(notification=Notification.from_row(rows[notification_id]))
                await ctx.release()
