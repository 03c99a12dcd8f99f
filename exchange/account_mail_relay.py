"""The account e-mail relay: pending `account_email` outbox rows (verification and reset links) -> the sender.

Like the notification relay (exchange/notification_relay.py): claimed with SKIP LOCKED, marked done only once
the sender took the message, retried with backoff otherwise. Once a message is handed over, the token's
`pending_secret` is cleared in the same transaction: from then on the database holds only its hash. A token used,
expired or superseded (a password reset kills the other reset links) before its e-mail left is not sent.
"""

from __future__ import annotations

from uuid import UUID

import structlog
from sqlalchemy import select

from domain.clock import Clock
from domain.identity.emails import account_email
from domain.identity.models import AccountToken, Language, User
from domain.identity.recovery import ACCOUNT_EMAIL_TOPIC
from domain.outbox import claim_due
from domain.ports.mail import EmailSender, MailUnavailable
from domain.uow import SessionFactory, UnitOfWork
from exchange.notification_relay import MailResult
from exchange.outbox_relay import mark_done, retry_later

log = structlog.get_logger(__name__)


async def relay_account_emails_once(
    session_factory: SessionFactory, clock: Clock, sender: EmailSender, *, public_url: str, limit: int = 100
) -> MailResult:
    async with UnitOfWork(session_factory, clock) as uow:
        session = uow.session
        now = uow.now()
        rows = list(await session.scalars(claim_due([ACCOUNT_EMAIL_TOPIC], now, limit)))
        if not rows:
            return MailResult()
        tokens = {
            token.id: (token, language)
            for token, language in await session.execute(
                select(AccountToken, User.language)
                .join(User, User.id == AccountToken.user_id)
                .where(AccountToken.id.in_([UUID(row.key) for row in rows]))
                .with_for_update(of=AccountToken)
            )
        }
        sent = skipped = failed = deferred = 0
        for position, row in enumerate(rows):
            token, language = tokens.get(UUID(row.key), (None, None))
            if token is None or token.pending_secret is None or token.used_at is not None or token.expires_at <= now:
                if token is not None:
                    token.pending_secret = None
                mark_done(row, now)
                skipped += 1
                continue
            message = account_email(
                token.purpose,
                to=token.email,
                token=token.pending_secret,
                public_url=public_url,
                valid_hours=round((token.expires_at - token.created_at).total_seconds() / 3600, 1),
                language=Language(language or Language.ru),  # the recipient's language first
            )
            try:
                await sender.send(message)
            except Exception as error:  # the server refused or is down: again later, never dropped
                log.warning("account_mail.send_failed", token=row.key, error=repr(error))
                retry_later(row, now, repr(error))
                failed += 1
                if isinstance(error, MailUnavailable):
                    for untried in rows[position + 1 :]:
                        untried.next_attempt_at = row.next_attempt_at
                        untried.last_error = "not tried: the mail server was unavailable"
                    deferred = len(rows) - position - 1
                    break
                continue
            token.pending_secret = None
            mark_done(row, now)
            sent += 1
        await uow.commit()
    if sent or failed:
        log.info("account_mail.relayed", sent=sent, skipped=skipped, failed=failed, deferred=deferred)
    return MailResult(sent=sent, skipped=skipped, failed=failed, deferred=deferred)
