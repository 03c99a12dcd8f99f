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
    # A stable identity (e.g. the outbox key): sent again after a crash, the message keeps its Message-ID, so a
    # receiver may drop the copy. Empty: the sender makes a fresh one.
    key: str = ""


class MailUnavailable(Exception):
    """The mail server cannot be reached or talked to: the relay stops its batch (every other message would wait
    for the same timeout) and tries them all again later."""


class MessageRefused(Exception):
    """The server is up but did not take this one message (recipient, sender or content refused, or a
    temporary error): the relay tries it again later and goes on with the others."""


class EmailSender(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand the message over for delivery. Raise MailUnavailable when the server is away (the batch stops),
        MessageRefused (or anything else) when only this message failed; either way it is retried."""
        ...
