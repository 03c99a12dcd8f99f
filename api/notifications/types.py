from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.context import Info
from api.enums import graphql_enum
from api.nodes import parse_uuids
from api.notifications.params import NotificationParams, params_of
from api.relay import encode_id
from domain.notifications.models import Notification as NotificationRow
from domain.notifications.models import NotificationKind as DomainNotificationKind
from domain.notifications.service import notifications_by_ids

NotificationKind = graphql_enum(DomainNotificationKind, "What a notification tells about.")


@strawberry.type(description="An entry in your notification inbox.")
class Notification(relay.Node):
    id: relay.NodeID[str]
    kind: NotificationKind  # type: ignore[valid-type]
    title: str = strawberry.field(description="In English, for text-only clients; word `params` instead.")
    body: str = strawberry.field(description="In English, for text-only clients; word `params` instead.")
    params: NotificationParams | None = strawberry.field(
        description="What it tells, as figures to word in the reader's language; null on notifications written "
        "before these existed (their title and body are all there is)."
    )
    subject_id: strawberry.ID | None = strawberry.field(
        description="The global ID of what it is about (an Order, Bid or Contract), to link to."
    )
    created_at: datetime
    read_at: datetime | None

    @strawberry.field
    def read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def from_row(cls, row: NotificationRow) -> Notification:
        return cls(
            id=str(row.id),
            kind=row.kind.value,
            title=row.title,
            body=row.body,
            params=params_of(row.params),
            subject_id=encode_id(row.subject_type, row.subject_id) if row.subject_type and row.subject_id else None,
            created_at=row.created_at,
            read_at=row.read_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        ctx = info.context
        ids = parse_uuids(node_ids)
        if ctx.actor.user_id is None:
            return [None for _ in ids]
        async with ctx.db() as session:
            rows = await notifications_by_ids(session, user_id=ctx.actor.user_id, ids=[i for i in ids if i is not None])
        return [cls.from_row(rows[i]) if i is not None and i in rows else None for i in ids]


@strawberry.type
class NotificationConnection(relay.Connection[Notification]):
    """A page of notifications, newest first."""


@strawberry.type(description="Whether you get e-mail for one kind of notification (the inbox always gets it).")
class NotificationPreference:
    kind: NotificationKind  # type: ignore[valid-type]
    email: bool


def preference_list(values: dict[DomainNotificationKind, bool]) -> list[NotificationPreference]:
    return [NotificationPreference(kind=kind.value, email=email) for kind, email in values.items()]
