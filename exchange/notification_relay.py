"""The notification e-mail relay: pending `notification_email` outbox rows -> the e-mail sender.

Claims due rows with FOR UPDATE SKIP LOCKED (any number of workers), skips users who turned e-mail off for
that kind, sends the rest one by one, and marks a row done only once the sender took it; a failed send is
rescheduled with backoff, like the search relay, and never dropped. When the server itself is away
(MailUnavailable: connection refused, timed out), the rest of the batch is not tried — each would wait for
the same timeout while the worker's other duties wait too — and is due again with the failed row.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import structlog
from sqlalchemy import and_, select

from domain.clock import Clock
from domain.identity.models import User
from domain.notifications.mail import EmailMessage, EmailSender, MailUnavailable
from domain.notifications.models import Notification, NotificationPreference
from domain.notifications.service import EMAIL_TOPIC
from domain.outbox import claim_due
from domain.uow import SessionFactory, UnitOfWork
from exchange.outbox_relay import backoff

log = structlog.get_logger(__name__)

FOOTER = "\n\n-- \nContract Production Exchange. Change which e-mails you get in your notification settings."


@dataclass(frozen=True, slots=True)
class MailResult:
    sent: int = 0
    skipped: int = 0  # e-mail off for the kind, or the notification is gone
    failed: int = 0
    deferred: int = 0  # not tried: the server was unavailable on an earlier message of the batch


async def relay_notification_emails_once(
    session_factory: SessionFactory, clock: Clock, sender: EmailSender, *, limit: int = 100
) -> MailResult:
    async with UnitOfWork(session_factory, clock) as uow:
        session = uow.session
        now = uow.now()
        rows = list(await session.scalars(claim_due([EMAIL_TOPIC], now, limit)))
        if not rows:
            return MailResult()
        found = {
            notification.id: (notification, email, wanted)
            for notification, email, wanted in await session.execute(
                select(Notification, User.email, NotificationPreference.email)
                .join(User, User.id == Notification.user_id)
                .outerjoin(
                    NotificationPreference,
                    and_(
                        NotificationPreference.user_id == Notification.user_id,
                        NotificationPreference.kind == Notification.kind,
                    ),
                )
                .where(Notification.id.in_([UUID(row.key) for row in rows]))
            )
        }
        sent = skipped = failed = deferred = 0
        for position, row in enumerate(rows):
            item = found.get(UUID(row.key))
            if item is None or item[2] is False:
                row.done_at, row.last_error = now, ""
                skipped += 1
                continue
            notification, email, _ = item
            message = EmailMessage(to=email, subject=notification.title, body=(notification.body or "") + FOOTER)
            try:
                await sender.send(message)
            except Exception as error:  # the server refused or is down: again later, never dropped
                log.warning("mail.send_failed", notification=row.key, error=repr(error))
                row.attempts += 1
                row.next_attempt_at = now + backoff(row.attempts)
                row.last_error = repr(error)[:2000]
                failed += 1
                if isinstance(error, MailUnavailable):
                    for untried in rows[position + 1 :]:
                        untried.next_attempt_at = row.next_attempt_at
                        untried.last_error = "not tried: the mail server was unavailable"
                    deferred = len(rows) - position - 1
                    log.warning("mail.server_unavailable", deferred=deferred)
                    break
                continue
            row.done_at, row.last_error = now, ""
            sent += 1
        await uow.commit()
    if sent or failed:
        log.info("mail.relayed", sent=sent, skipped=skipped, failed=failed, deferred=deferred)
    return MailResult(sent=sent, skipped=skipped, failed=failed, deferred=deferred)
