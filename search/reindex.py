"""Rebuild an index from the database (`exchange search reindex`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence

from sqlalchemy import update

from domain.clock import Clock
from domain.outbox import OutboxMessage
from domain.ports.search import Document, IndexName, SearchIndex, Topic
from domain.uow import SessionFactory, UnitOfWork
from search import documents


async def reindex(
    session_factory: SessionFactory,
    clock: Clock,
    search: SearchIndex,
    index: IndexName,
    *,
    batch_size: int = 1000,
    on_total: Callable[[int], object] | None = None,
    on_batch: Callable[[int], object] | None = None,
) -> int:
    """Replace `index` with documents built from the current database; returns how many were indexed.

    Changes committed while the rebuild runs may be missing from the snapshot it read, so their outbox rows
    are made due again afterwards: the relay then brings them up to date.
    """
    started = clock.now()
    async with session_factory() as session:
        if on_total is not None:
            on_total(await documents.count(session, index))

        async def batches() -> AsyncIterator[Sequence[Document]]:
            async for ids in documents.all_ids(session, index, batch_size):
                built = await documents.build(session, index, ids, today=clock.now().date())
                batch = [doc for doc in built.values() if doc is not None]
                if on_batch is not None:
                    on_batch(len(ids))
                yield batch

        stored = await search.rebuild(index, batches())
    topic = Topic.manufacturer if index is IndexName.manufacturers else Topic.order
    async with UnitOfWork(session_factory, clock) as uow:
        await uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.topic == topic.value, OutboxMessage.created_at >= started)
            .values(done_at=None, next_attempt_at=uow.now())
        )
        await uow.commit()
    return stored
