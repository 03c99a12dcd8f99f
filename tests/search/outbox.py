"""The search outbox as the search tests share it: the documents an index should hold, and the outbox relayed
into an index. A test module imports helpers from here, not from another test."""

from __future__ import annotations

from sqlalchemy import select

from domain.outbox import OutboxMessage
from domain.ports.search import Document, IndexName, Topic
from search import documents
from tests.search.conftest import SearchWorld


async def expected_documents(world: SearchWorld, index: IndexName) -> dict[str, Document]:
    async with world.session_factory() as session:
        out: dict[str, Document] = {}
        async for ids in documents.all_ids(session, index):
            built = await documents.build(session, index, ids, today=world.today())
            out.update({str(k): v for k, v in built.items() if v is not None})
        return out


async def outbox(world: SearchWorld, *, every_topic: bool = False) -> list[tuple[str, int, bool]]:
    """The outbox rows of the search topics (or of all: other consumers, such as saved-search matching,
    queue theirs too), oldest first."""
    stmt = select(OutboxMessage.topic, OutboxMessage.attempts, OutboxMessage.done_at.is_not(None))
    if not every_topic:
        stmt = stmt.where(OutboxMessage.topic.in_([topic.value for topic in Topic]))
    async with world.session_factory() as session:
        rows = await session.execute(stmt.order_by(OutboxMessage.id))
        return [tuple(row) for row in rows]  # type: ignore[misc]
