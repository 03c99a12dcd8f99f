"""E-mail as the notification relay sees it: a message and the sender protocol the adapters implement
(exchange/mail.py: the log writer by default, SMTP when EXCHANGE_SMTP_URL is set)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: str
    subject: str
    body: str


class MailUnavailable(Exception):
    """The mail server did not take the message; the relay tries again later."""


class EmailSender(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand the message over for delivery; raise MailUnavailable (or anything) to have it retried."""
        ...
