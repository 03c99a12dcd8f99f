"""The saved-search relay: `order_opened` outbox rows -> order_matched notifications.

An order is matched only once the search relay has indexed it (no older `order` outbox row for it is still
pending): the backend decides the match, so it must hold the order first. Rows are claimed with FOR UPDATE
SKIP LOCKED; a failure (the backend down, or anything else) reschedules that row with backoff while the rest
of the batch goes on; notifications carry a dedupe key, so a row processed twice tells nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import structlog
from sqlalchemy import and_, exists
from sqlalchemy.orm import aliased

from domain.clock import Clock
from domain.orders.service import ORDER_OPENED_TOPIC
from domain.outbox import OutboxMessage, claim_due
from domain.ports.search import SearchIndex, SearchUnavailable, Topic
from domain.saved_searches.service import notify_matches
from domain.uow import SessionFactory, UnitOfWork
from exchange.outbox_relay import mark_done, retry_later

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class MatchResult:
    orders: int = 0
    notified: int = 0  # organisations told
    waiting: int = 0  # not indexed yet: next pass
    failed: int = 0


async def relay_saved_searches_once(
    session_factory: SessionFactory, clock: Clock, search: SearchIndex, *, limit: int = 50
) -> MatchResult:
    indexing = aliased(OutboxMessage)
    async with UnitOfWork(session_factory, clock) as uow:
        now = uow.now()
        rows = list(
            await uow.session.scalars(
                claim_due([ORDER_OPENED_TOPIC], now, limit).where(
                    # only once the search relay has indexed the order
                    ~exists().where(
                        and_(
                            indexing.topic == Topic.order.value,
                            indexing.key == OutboxMessage.key,
                            indexing.done_at.is_(None),
                            indexing.id < OutboxMessage.id,
                        )
                    ),
                )
            )
        )
        orders = notified = failed = 0
        for row in rows:
            try:
                # A savepoint per order: one that fails (the backend down, or a bug) is rescheduled with
                # backoff, and the others in the batch still go through.
                async with uow.session.begin_nested():
                    notified += await notify_matches(uow, order_id=UUID(row.key), search=search)
            except Exception as error:
                if isinstance(error, SearchUnavailable):
                    log.warning("saved_searches.backend_unavailable", order=row.key, error=repr(error))
                else:
                    log.exception("saved_searches.failed", order=row.key)
                retry_later(row, now, repr(error))
                failed += 1
                continue
            mark_done(row, now)
            orders += 1
        await uow.commit()
    if orders or failed:
        log.info("saved_searches.matched", orders=orders, notified=notified, failed=failed)
    return MatchResult(orders=orders, notified=notified, failed=failed)
