"""Notifications: written per user in the same transaction as what they tell about, announced to the
user's live subscription, and queued on the outbox for e-mail (exchange/notification_relay.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Text, Uuid, bindparam, cast, func, literal, select, union, update
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.columns import table_of
from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit, NotFound
from domain.notifications.models import Notification, NotificationKind, NotificationPreference
from domain.notifications.params import Notice, as_json
from domain.organisations.models import Membership
from domain.outbox import emit
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.realtime import EventTopic, announce
from domain.text import check_text
from domain.uow import UnitOfWork

# The outbox topic of notification e-mails (the key is the notification id).
EMAIL_TOPIC = "notification_email"
MAX_MARK = 100


@dataclass(frozen=True, slots=True)
class Subject:
    """What a notification is about: a Relay type name and the thing's id."""

    type: str
    id: UUID


async def notify(
    uow: UnitOfWork,
    *,
    kind: NotificationKind,
    params: Notice,
    title: str,
    body: str = "",
    subject: Subject | None = None,
    organisation_ids: Sequence[UUID] = (),
    user_ids: Sequence[UUID] = (),
    exclude_user_id: UUID | None = None,
    dedupe_key: str | None = None,
) -> list[UUID]:
    """Tell every member of `organisation_ids` and every user in `user_ids` (each user once), but not
    `exclude_user_id` (who did it). With a `dedupe_key`, a user already told under that key is not told again.
    Returns the ids of the users told. `params` is what clients word; `title` and `body` the English text."""
    _check_kind(kind, params)
    if not organisation_ids and not user_ids:
        return []
    sources = []
    if organisation_ids:
        sources.append(
            select(Membership.user_id.label("user_id")).where(Membership.organisation_id.in_(list(organisation_ids)))
        )
    if user_ids:
        sources.append(select(func.unnest(bindparam("user_ids", list(user_ids), type_=ARRAY(Uuid()))).label("user_id")))
    users = (union(*sources) if len(sources) > 1 else sources[0]).subquery()  # union: each user once
    chosen = select(users.c.user_id).distinct()
    if exclude_user_id is not None:
        chosen = chosen.where(users.c.user_id != exclude_user_id)
    chosen_sq = chosen.subquery()
    now = uow.now()
    rows = select(
        func.gen_random_uuid(),
        chosen_sq.c.user_id,
        literal(kind.value),
        literal(title[:200]),
        literal(body),
        literal(as_json(params), type_=JSONB),
        literal(subject.type if subject else ""),
        literal(subject.id if subject else None, type_=table_of(Notification).c.subject_id.type),
        literal(dedupe_key, type_=table_of(Notification).c.dedupe_key.type),
        literal(now, type_=table_of(Notification).c.created_at.type),
    )
    table = table_of(Notification)
    stmt = (
        insert(table)
        .from_select(
            [
                "id",
                "user_id",
                "kind",
                "title",
                "body",
                "params",
                "subject_type",
                "subject_id",
                "dedupe_key",
                "created_at",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"], index_where=table.c.dedupe_key.is_not(None))
        .returning(table.c.id, table.c.user_id)
    )
    told = (await uow.session.execute(stmt)).all()
    for notification_id, user_id in told:
        announce(uow, EventTopic.notification, user_id, id=notification_id)
        emit(uow, EMAIL_TOPIC, notification_id)
    return [user_id for _, user_id in told]


def _check_kind(kind: NotificationKind, params: Notice) -> None:
    if params.kind != kind:  # a programming error: the e-mail preference and the wording would disagree
        raise ValueError(f"{params.shape} params belong to {params.kind.value}, not {kind.value}")


@dataclass(frozen=True, slots=True)
class Letter:
    """One organisation's own notification among many of one kind (notify_each)."""

    organisation_id: UUID
    body: str
    subject: Subject
    params: Notice


async def notify_each(uow: UnitOfWork, *, kind: NotificationKind, title: str, letters: Sequence[Letter]) -> int:
    """Tell every member of each letter's organisation that letter (its own body and subject): one statement
    whatever the number of letters. Returns how many users were told."""
    if not letters:
        return 0
    for letter in letters:
        _check_kind(kind, letter.params)
    table = table_of(Notification)
    sent = (
        select(
            func.unnest(bindparam("orgs", [x.organisation_id for x in letters], type_=ARRAY(Uuid()))).label("org"),
            func.unnest(bindparam("bodies", [x.body for x in letters], type_=ARRAY(table.c.body.type))).label("body"),
            # As text, cast back: one jsonb per letter without relying on the driver's jsonb[] codec.
            cast(
                func.unnest(bindparam("params", [json.dumps(as_json(x.params)) for x in letters], type_=ARRAY(Text()))),
                JSONB,
            ).label("params"),
            func.unnest(bindparam("subject_ids", [x.subject.id for x in letters], type_=ARRAY(Uuid()))).label(
                "subject_id"
            ),
            func.unnest(
                bindparam("subject_types", [x.subject.type for x in letters], type_=ARRAY(table.c.subject_type.type))
            ).label("subject_type"),
        )
    ).subquery()
    rows = select(
        func.gen_random_uuid(),
        Membership.user_id,
        literal(kind.value),
        literal(title[:200]),
        sent.c.body,
        sent.c.params,
        sent.c.subject_type,
        sent.c.subject_id,
        literal(uow.now(), type_=table.c.created_at.type),
    ).join(Membership, Membership.organisation_id == sent.c.org)
    stmt = (
        insert(table)
        .from_select(
            ["id", "user_id", "kind", "title", "body", "params", "subject_type", "subject_id", "created_at"], rows
        )
        .returning(table.c.id, table.c.user_id)
    )
    told = (await uow.session.execute(stmt)).all()
    for notification_id, user_id in told:
        announce(uow, EventTopic.notification, user_id, id=notification_id)
        emit(uow, EMAIL_TOPIC, notification_id)
    return len(told)


# Reads -----------------------------------------------------------------------------------------

# Newest first; notifications written at the same instant come in the order they were written.
NEWEST = SortKey(Notification.created_at, Notification.seq, descending=True)


async def list_notifications(
    session: AsyncSession, *, actor: Actor, unread_only: bool, page: PageRequest
) -> Page[Notification]:
    user_id = actor.require_user()
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return await paginate(session, stmt, NEWEST, page)


async def unread_count(session: AsyncSession, *, actor: Actor) -> int:
    user_id = actor.require_user()
    count = await session.scalar(
        select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def preferences(session: AsyncSession, *, actor: Actor) -> dict[NotificationKind, bool]:
    user_id = actor.require_user()
    stored = dict(
        (
            await session.execute(
                select(NotificationPreference.kind, NotificationPreference.email).where(
                    NotificationPreference.user_id == user_id
                )
            )
        ).all()
    )
    return {kind: stored.get(kind, True) for kind in NotificationKind}


# Changes ---------------------------------------------------------------------------------------


async def mark_read(uow: UnitOfWork, *, actor: Actor, ids: Sequence[UUID] | None) -> int:
    """Mark the given notifications read (all of them when `ids` is None); returns how many were unread.
    An id that is not the user's refuses the whole request."""
    user_id = actor.require_user()
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        wanted = set(ids)
        if len(wanted) > MAX_MARK:
            raise InvalidInput(
                f"at most {MAX_MARK} ids at once",
                "ids",
                ErrorCode.OUT_OF_RANGE,
                limits=Limits(LimitUnit.ENTRIES, max=MAX_MARK),
            )
        mine = set(
            await uow.session.scalars(
                select(Notification.id).where(Notification.user_id == user_id, Notification.id.in_(list(wanted)))
            )
        )
        if mine != wanted:
            raise NotFound("notification", "ids")
        stmt = stmt.where(Notification.id.in_(list(wanted)))
    result = await uow.session.execute(stmt.values(read_at=uow.now()).returning(Notification.id))
    count = len(result.all())
    await uow.commit()
    return count


async def set_email_preference(uow: UnitOfWork, *, actor: Actor, kind: NotificationKind, email: bool) -> None:
    user_id = actor.require_user()
    now = uow.now()
    await uow.session.execute(
        insert(NotificationPreference)
        .values(user_id=user_id, kind=kind, email=email, updated_at=now)
        .on_conflict_do_update(index_elements=["user_id", "kind"], set_={"email": email, "updated_at": now})
    )
    await uow.commit()


def summary(text: str, limit: int = 200) -> str:
    """A one-line excerpt for a notification body."""
    flat = " ".join(check_text(text, "text", max_length=1_000_000, required=False).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


async def notifications_by_ids(
    session: AsyncSession, *, user_id: UUID, ids: Sequence[UUID]
) -> dict[UUID, Notification]:
    rows = await session.scalars(
        select(Notification).where(Notification.id.in_(list(ids)), Notification.user_id == user_id)
    )
    return {row.id: row for row in rows}
