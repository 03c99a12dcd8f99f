from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, result_union
from api.notifications.types import NotificationKind, NotificationPreference, preference_list
from api.relay import decode_ids
from domain.notifications import service
from domain.notifications.models import NotificationKind as DomainNotificationKind
from domain.uow import UnitOfWork


@strawberry.type
class MarkNotificationsReadSuccess:
    marked: int = strawberry.field(description="How many were unread and are read now.")
    unread_count: int


@strawberry.type
class NotificationPreferencesSuccess:
    preferences: list[NotificationPreference]


MarkNotificationsReadResult = result_union("MarkNotificationsReadResult", MarkNotificationsReadSuccess, *ACTION_ERRORS)
SetNotificationPreferenceResult = result_union(
    "SetNotificationPreferenceResult", NotificationPreferencesSuccess, *ACTION_ERRORS
)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Mark notifications read: the ones named (at most 100, all yours), or every one when `ids` "
        "is omitted."
    )
    async def mark_notifications_read(
        self, info: Info, ids: list[strawberry.ID] | None = None
    ) -> MarkNotificationsReadResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> MarkNotificationsReadSuccess:
            wanted = decode_ids(ids, "Notification", "ids") if ids is not None else None
            marked = await service.mark_read(uow, actor=ctx.actor, ids=wanted)
            count = await service.unread_count(uow.session, actor=ctx.actor)
            return MarkNotificationsReadSuccess(marked=marked, unread_count=count)

        return await ctx.run(use_case)

    @strawberry.mutation(description="Turn e-mail on or off for one kind of notification.")
    async def set_notification_preference(
        self,
        info: Info,
        kind: NotificationKind,
        email: bool,
    ) -> SetNotificationPreferenceResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> NotificationPreferencesSuccess:
            await service.set_email_preference(
                uow, actor=ctx.actor, kind=DomainNotificationKind(kind.value), email=email
            )
            return NotificationPreferencesSuccess(
                preferences=preference_list(await service.preferences(uow.session, actor=ctx.actor))
            )

        return await ctx.run(use_case)
