"""The outbox relay: pending outbox rows -> the search backend.

A pass claims up to `limit` due rows with FOR UPDATE SKIP LOCKED, takes a transaction-scoped advisory lock
per document (a document whose lock another relay holds is left for the next pass: two relays never write
one document out of order), re-reads the current state of those documents, upserts or deletes them, and
marks the rows done only after the backend confirmed. A failure reschedules the rows with exponential
backoff; nothing is ever dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import structlog
from sqlalchemy import CursorResult, delete, func, select, text, update

from domain.clock import Clock
from domain.outbox import OutboxMessage, claim_due
from domain.ports.search import Document, IndexName, SearchIndex, SearchUnavailable, Topic
from domain.uow import SessionFactory, UnitOfWork
from search import documents

log = structlog.get_logger(__name__)

MAX_BACKOFF_SECONDS = 300


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: 2, 4, 8 … seconds, at most five minutes."""
    return timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))


def retry_later(row: OutboxMessage, now: datetime, error: str) -> None:
    """A failed attempt at an outbox row (every relay's): due again after the backoff for its attempts so far, with
    its error kept (its first 2,000 characters) for `exchange search status` and debugging."""
    row.attempts += 1
    row.next_attempt_at = now + backoff(row.attempts)
    row.last_error = error[:2000]


def mark_done(row: OutboxMessage, now: datetime) -> None:
    """An outbox row relayed (or found to need nothing): done, its last error cleared."""
    row.done_at, row.last_error = now, ""


@dataclass(frozen=True, slots=True)
class RelayResult:
    done: int = 0
    failed: int = 0
    skipped: int = 0  # claimed, but another relay was writing the same document


async def relay_outbox_once(
    session_factory: SessionFactory, clock: Clock, search: SearchIndex, *, limit: int = 500
) -> RelayResult:
    async with UnitOfWork(session_factory, clock) as uow:
        session = uow.session
        now = uow.now()
        rows = list(
            await session.scalars(
                # Other consumers' topics (notifications, saved searches) are theirs to relay.
                claim_due([topic.value for topic in Topic], now, limit)
            )
        )
        if not rows:
            return RelayResult()
        names = sorted({f"{row.topic}:{row.key}" for row in rows})
        locked = set(
            await session.scalars(
                text("SELECT k FROM unnest(CAST(:keys AS text[])) k WHERE pg_try_advisory_xact_lock(hashtext(k))"),
                {"keys": names},
            )
        )
        by_index: dict[IndexName, list[OutboxMessage]] = defaultdict(list)
        skipped = 0
        for row in rows:
            if f"{row.topic}:{row.key}" in locked:
                by_index[Topic(row.topic).index_name].append(row)
            else:
                skipped += 1
        done = failed = 0
        for index, messages in by_index.items():
            # Read after the locks are held: what is indexed is at least as new as the change.
            docs = await documents.build(session, index, sorted({UUID(m.key) for m in messages}), today=now.date())
            succeeded: list[OutboxMessage]
            refused: list[OutboxMessage]
            try:
                await _apply(search, index, docs)
                succeeded, refused = messages, []
            except SearchUnavailable as error:  # down: all of it again later, never dropped
                log.warning("outbox.relay_failed", index=index.value, rows=len(messages), error=repr(error))
                _reschedule(messages, now, repr(error))
                failed += len(messages)
                continue
            except Exception:  # refused: one document may be at fault; do not hold the others back
                succeeded, refused = [], []
                for key, doc in docs.items():
                    mine = [m for m in messages if m.key == str(key)]
                    try:
                        await _apply(search, index, {key: doc})
                        succeeded += mine
                    except Exception as error:
                        log.warning("outbox.document_refused", index=index.value, key=str(key), error=repr(error))
                        _reschedule(mine, now, repr(error))
                        refused += mine
            if succeeded:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_([m.id for m in succeeded]))
                    .values(done_at=now, last_error="")
                )
            done += len(succeeded)
            failed += len(refused)
        await uow.commit()
    if done or failed:
        log.info("outbox.relayed", done=done, failed=failed, skipped=skipped)
    return RelayResult(done=done, failed=failed, skipped=skipped)


async def _apply(search: SearchIndex, index: IndexName, docs: dict[UUID, Document | None]) -> None:
    upserts = [doc for doc in docs.values() if doc is not None]
    deletes = [str(key) for key, doc in docs.items() if doc is None]
    await search.apply(index, upserts, deletes)


def _reschedule(messages: list[OutboxMessage], now: datetime, error: str) -> None:
    for message in messages:
        retry_later(message, now, error)


async def purge_done(session_factory: SessionFactory, clock: Clock, *, older_than: timedelta) -> int:
    """Forget rows relayed more than `older_than` ago (pending rows are never touched)."""
    async with UnitOfWork(session_factory, clock) as uow:
        result = await uow.session.execute(delete(OutboxMessage).where(OutboxMessage.done_at < uow.now() - older_than))
        await uow.commit()
    assert isinstance(result, CursorResult)  # a DELETE's result, which counts the rows
    return result.rowcount


@dataclass(frozen=True, slots=True)
class Backlog:
    pending: int
    failing: int  # pending rows that failed at least once
    oldest: datetime | None
    done: int


async def outbox_backlog(session_factory: SessionFactory) -> Backlog:
    """The search relay's backlog (other consumers' topics, e.g. notification e-mail, are not search lag)."""
    async with session_factory() as session:
        row = (
            await session.execute(
                select(
                    func.count().filter(OutboxMessage.done_at.is_(None)),
                    func.count().filter(OutboxMessage.done_at.is_(None), OutboxMessage.attempts > 0),
                    func.min(OutboxMessage.created_at).filter(OutboxMessage.done_at.is_(None)),
                    func.count().filter(OutboxMessage.done_at.is_not(None)),
                ).where(OutboxMessage.topic.in_([topic.value for topic in Topic]))
            )
        ).one()
    return Backlog(pending=row[0], failing=row[1], oldest=row[2], done=row[3])
