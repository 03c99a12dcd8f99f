"""E-mail senders: the log writer (the default: nothing leaves the machine) and SMTP (EXCHANGE_SMTP_URL).

SMTP uses the standard library's smtplib in a worker thread: `smtp://user:password@host:587` speaks
STARTTLS when the server offers it, `smtps://…:465` is TLS from the start.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage as MimeMessage
from email.utils import make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

import structlog

from domain.ports.mail import EmailMessage, MailUnavailable, MessageRefused

log = structlog.get_logger(__name__)


def message_id(message: EmailMessage, sender: str) -> str:
    """The Message-ID header: made from the message's key when it has one (the same on every attempt), else new."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "exchange.invalid"
    if message.key:
        return f"<{message.key}@{domain}>"
    return make_msgid(domain=domain)


class LogEmailSender:
    """Writes each message to the log; for development and for deployments without a mail server."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    async def send(self, message: EmailMessage) -> None:
        log.info("mail.logged", sender=self.sender, to=message.to, subject=message.subject, body=message.body)


class SmtpEmailSender:
    def __init__(self, url: str, sender: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("EXCHANGE_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        mime = MimeMessage()
        mime["From"] = self.sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Message-ID"] = message_id(message, self.sender)
        mime.set_content(message.body)
        try:
            await asyncio.to_thread(self._send, mime)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise MessageRefused(repr(error)) from error  # this message; the server took the conversation
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable(repr(error)) from error

    def _send(self, mime: MimeMessage) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.tls:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if not self.tls:
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(mime)
