"""Notifications as the API tests share them: an SMTP inbox the worker sends to, and the e-mails still pending
in the outbox. Used across tests/api/ (a test module imports helpers from here, not from another test)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from strawberry.types.base import get_object_definition

from api.notifications.params import _TYPES
from domain.outbox import OutboxMessage
from domain.ports.mail import EmailMessage
from exchange.mail import LogEmailSender
from tests.api.graphql import GraphQL, Party


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


def selection() -> str:
    """Every field of every union member, Money as { amount currency }."""
    parts = []
    for api_type in _TYPES.values():
        definition = get_object_definition(api_type, strict=True)
        fields = [
            f"{f.graphql_name or camel(f.python_name)}" + (" { amount currency }" if "Money" in str(f.type) else "")
            for f in definition.fields
        ]
        parts.append(f"... on {definition.name} {{ {' '.join(fields)} }}")
    return "params { __typename " + " ".join(parts) + " }"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


# The inbox with every notification's typed params.
INBOX = "{ notifications(first: 50) { edges { node { kind title subjectId " + selection() + " } } } }"


async def inbox(gql: GraphQL, party: Party) -> list[dict[str, Any]]:
    data = await gql(INBOX, token=party.token)
    return [edge["node"] for edge in data["notifications"]["edges"]]


def params(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n["params"] for n in items]


class RecordingSender(LogEmailSender):
    """The default sender (it writes to the log), remembering what it sent."""

    def __init__(self, sender: str) -> None:
        super().__init__(sender)
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        await super().send(message)
        self.sent.append(message)
