from __future__ import annotations

import strawberry

from api.context import Info
from api.notifications.types import Notification, NotificationConnection, NotificationPreference, preference_list
from api.relay import connection
from domain.notifications.service import list_notifications, preferences, unread_count
from domain.pagination import PageRequest


@strawberry.type
class NotificationQuery:
    @strawberry.field(description="Your notifications, newest first; only the unread ones with `unreadOnly`.")
    async def notifications(
        self, info: Info, unread_only: bool = False, first: int = 20, after: str | None = None
    ) -> NotificationConnection:
        ctx = info.context
        async with ctx.db() as session:
            page = await list_notifications(
                session,
                actor=ctx.actor,
                unread_only=unread_only,
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(NotificationConnection, page, Notification.from_row)  # type: ignore[return-value]

    @strawberry.field(description="How many of your notifications are unread (the badge).")
    async def unread_notification_count(self, info: Info) -> int:
        async with info.context.db() as session:
            return await unread_count(session, actor=info.context.actor)

    @strawberry.field(description="Your e-mail settings, one per kind of notification.")
    async def notification_preferences(self, info: Info) -> list[NotificationPreference]:
        async with info.context.db() as session:
            return preference_list(await preferences(session, actor=info.context.actor))
