"""The notification e-mail relay: pending `notification_email` outbox rows -> the e-mail sender.

Each message is its own short transaction: the oldest due row is claimed (FOR UPDATE SKIP LOCKED: any number of
workers), handed to the sender, marked done and committed, before the next. A worker killed mid-batch therefore
sends again at most the one message it had in hand — with the same Message-ID (made from the outbox key), which
lets receivers drop the copy — and a stop request (SIGTERM) finishes that message and returns. Users who turned
e-mail off for a kind are skipped. A failed send is rescheduled with backoff, like the search relay, and never
dropped. When the server itself is away (MailUnavailable: connection refused, timed out), the rest of the due
messages are not tried — each would wait for the same timeout while the worker's other duties wait too — and are
due again with the failed one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import structlog
from sqlalchemy import CursorResult, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.identity.models import User
from domain.notifications.models import Notification, NotificationPreference
from domain.notifications.service import EMAIL_TOPIC
from domain.outbox import OutboxMessage, claim_due
from domain.ports.mail import EmailMessage, EmailSender, MailUnavailable
from domain.uow import SessionFactory, UnitOfWork
from exchange.notification_mail import letter
from exchange.outbox_relay import mark_done, retry_later

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class MailResult:
    sent: int = 0
    skipped: int = 0  # e-mail off for the kind, or the notification is gone
    failed: int = 0
    deferred: int = 0  # not tried: the server was unavailable on an earlier message of the batch


async def relay_notification_emails_once(
    session_factory: SessionFactory,
    clock: Clock,
    sender: EmailSender,
    *,
    limit: int = 100,
    stop: asyncio.Event | None = None,
) -> MailResult:
    sent = skipped = failed = deferred = 0
    for _ in range(limit):
        if stop is not None and stop.is_set():
            break
        async with UnitOfWork(session_factory, clock) as uow:
            now = uow.now()
            row = (await uow.session.scalars(claim_due([EMAIL_TOPIC], now, 1))).first()
            if row is None:
                break
            message = await _message_for(uow.session, row)
            if message is None:
                mark_done(row, now)
                skipped += 1
                await uow.commit()
                continue
            try:
                await sender.send(message)
            except Exception as error:  # the server refused or is down: again later, never dropped
                log.warning("mail.send_failed", notification=row.key, error=repr(error))
                retry_later(row, now, repr(error))
                failed += 1
                if isinstance(error, MailUnavailable):
                    deferred = await _defer_due(uow.session, now, row, limit - sent - skipped - failed)
                    log.warning("mail.server_unavailable", deferred=deferred)
                    await uow.commit()
                    break
                await uow.commit()
                continue
            mark_done(row, now)
            sent += 1
            await uow.commit()
    if sent or failed:
        log.info("mail.relayed", sent=sent, skipped=skipped, failed=failed, deferred=deferred)
    return MailResult(sent=sent, skipped=skipped, failed=failed, deferred=deferred)


async def _message_for(session: AsyncSession, row: OutboxMessage) -> EmailMessage | None:
    """The e-mail for an outbox row, or None when there is none to send (e-mail off for the kind, or the
    notification is gone)."""
    found = (
        await session.execute(
            select(Notification, User.email, NotificationPreference.email, User.language)
            .join(User, User.id == Notification.user_id)
            .outerjoin(
                NotificationPreference,
                and_(
                    NotificationPreference.user_id == Notification.user_id,
                    NotificationPreference.kind == Notification.kind,
                ),
            )
            .where(Notification.id == UUID(row.key))
        )
    ).first()
    if found is None or found[2] is False:
        return None
    notification, email, _, language = found
    # In the recipient's language as it is when the mail goes out (exchange/notification_mail.py).
    subject, body = letter(notification, language)
    return EmailMessage(to=email, subject=subject, body=body, key=f"notification.{row.key}")


async def _defer_due(session: AsyncSession, now: datetime, failed: OutboxMessage, limit: int) -> int:
    """Put the other due e-mails (up to `limit`, skipping rows other relays hold) back to the failed one's time."""
    if limit <= 0:
        return 0
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.done_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.topic == EMAIL_TOPIC,
            OutboxMessage.id != failed.id,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=failed.next_attempt_at, last_error="not tried: the mail server was unavailable")
    )
    assert isinstance(result, CursorResult)  # an UPDATE's result, which counts the rows
    return result.rowcount
