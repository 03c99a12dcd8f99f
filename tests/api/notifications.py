"""Notifications as the API tests share them: an SMTP inbox the worker sends to, and the e-mails still pending
in the outbox. Used across tests/api/ (a test module imports helpers from here, not from another test)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from domain.outbox import OutboxMessage


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


async def pending_emails(session_factory: Any) -> int:
    async with session_factory() as session:
        return int(
            await session.scalar(
                select(func.count()).where(OutboxMessage.done_at.is_(None), OutboxMessage.topic == "notification_email")
            )
            or 0
        )
