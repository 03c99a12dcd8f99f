"""The outbox: a change that search (and later notifications) must hear about is written as a row in the
same transaction as the change itself; the worker relays it (exchange/worker.py). Nothing is lost when
the consumer is down: a row is marked done only after the consumer confirmed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, Column, Identity, Index, Select, String, Text, func, select, text
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ
from domain.uow import SessionFactory, UnitOfWork


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        # The relay's claim: pending rows whose time has come, oldest first.
        Index("ix_outbox_pending", "next_attempt_at", "id", postgresql_where=text("done_at IS NULL")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(always=False), primary_key=True))
    topic: str = Field(sa_type=String(64))
    key: str = Field(sa_type=String(64))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=TIMESTAMPTZ)
    done_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    last_error: str = Field(default="", sa_type=Text)


def emit(uow: UnitOfWork, topic: str, key: UUID | str) -> None:
    """Record that `key` under `topic` changed; committed (or rolled back) with the unit of work."""
    now = uow.now()
    uow.session.add(OutboxMessage(topic=str(topic), key=str(key), created_at=now, next_attempt_at=now))


def emit_many(uow: UnitOfWork, topic: str, keys: Iterable[UUID | str]) -> None:
    for key in keys:
        emit(uow, topic, key)


def claim_due(topics: Sequence[str], now: datetime, limit: int) -> Select[OutboxMessage]:
    """The pending rows of these topics whose time has come, oldest first, locked for this relay and skipped
    by the others (FOR UPDATE SKIP LOCKED): several relays may run at once."""
    return (
        select(OutboxMessage)
        .where(
            OutboxMessage.done_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.topic.in_(list(topics)),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )


async def pending(session_factory: SessionFactory, topics: Sequence[str]) -> tuple[int, datetime | None]:
    """How many rows of these topics wait to be relayed, and since when: for /metrics at every scrape, so only
    pending rows are read (exchange/outbox_relay.py's outbox_backlog also counts the done ones kept for `exchange
    search status`). Its own session, outside any transaction."""
    async with session_factory() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        row = (
            await session.execute(
                select(func.count(), func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.done_at.is_(None), OutboxMessage.topic.in_(list(topics))
                )
            )
        ).one()
    return int(row[0]), row[1]
