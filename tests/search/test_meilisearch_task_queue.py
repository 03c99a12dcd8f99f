"""The Meilisearch adapter against a queue that is slow or fails, as a real server's can be.

Meilisearch answers every write with an enqueued task and processes it later (learn/async/
asynchronous_operations); a task may fail, and then changes nothing. The adapter (search/meilisearch.py)
must wait for each task, report a failure instead of assuming success, and the outbox relay must then keep
the rows pending (retried with backoff, never lost). The whole behaviour suite also runs with slow tasks
(the "meilisearch-slow-tasks" backend in conftest.py); these tests make tasks fail or outlast the
adapter's timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from domain.organisations.service import OrganisationChanges, update_organisation
from domain.outbox import OutboxMessage
from domain.ports.search import IndexName, SearchQuery, SearchRefused, SearchUnavailable
from domain.uow import SessionFactory
from exchange.outbox_relay import relay_outbox_once
from search import meilisearch as adapter
from search.meilisearch import MeilisearchIndex
from search.reindex import reindex
from tests.clock import FakeClock
from tests.fakes.meilisearch import FakeMeilisearch
from tests.search.conftest import SearchWorld
from tests.search.outbox import expected_documents, outbox


@pytest.fixture
async def queued(
    session_factory: SessionFactory, clock: FakeClock, fake_meilisearch: FakeMeilisearch
) -> AsyncIterator[tuple[SearchWorld, FakeMeilisearch]]:
    fake_meilisearch.reset()
    index = MeilisearchIndex(fake_meilisearch.url, fake_meilisearch.key, prefix="queued", timeout=2)
    try:
        yield SearchWorld(session_factory, clock, index), fake_meilisearch
    finally:
        await index.close()
        fake_meilisearch.reset()


def _of_type(*kinds: str) -> Any:
    return lambda task: task["type"] in kinds


async def _pending(world: SearchWorld) -> list[tuple[int, str]]:
    async with world.session_factory() as session:
        rows = await session.execute(
            select(OutboxMessage.attempts, OutboxMessage.last_error).where(
                OutboxMessage.done_at.is_(None), OutboxMessage.topic.in_(["manufacturer", "order"])
            )
        )
        return [(attempts, error) for attempts, error in rows]


async def test_apply_returns_only_once_the_task_succeeded(queued: tuple[SearchWorld, FakeMeilisearch]) -> None:
    world, fake = queued
    fake.task_delay = 0.05
    before = len(fake.tasks)  # the session's server keeps earlier tests' tasks
    maker = await world.manufacturer("Slow Works")

    await world.sync()

    statuses = {task["status"] for uid, task in fake.tasks.items() if uid >= before}
    result = await world.search(IndexName.manufacturers, text="slow")
    assert statuses == {"succeeded"}
    assert [hit.id for hit in result.hits] == [str(maker)]


async def test_a_failed_document_task_leaves_the_rows_pending_until_it_succeeds(
    queued: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    world, fake = queued
    kept = await world.manufacturer("Kept")
    await world.sync()
    fake.fail = _of_type("documentAdditionOrUpdate")
    added = await world.manufacturer("Added")
    async with world.uow() as uow:
        await update_organisation(
            uow, actor=world.admins[kept], organisation_id=kept, changes=OrganisationChanges(name="Renamed")
        )

    failed = await relay_outbox_once(world.session_factory, world.clock, world.index)
    pending = await _pending(world)
    stored = await world.index.documents(IndexName.manufacturers)

    assert (failed.done, failed.failed) == (0, len(pending)) and pending
    assert all(attempts == 1 and "SearchRefused" in error and "failed" in error for attempts, error in pending)
    assert (set(stored), stored[str(kept)]["name"]) == ({str(kept)}, "Kept")  # a failed task changed nothing

    fake.fail = None
    world.clock.advance(timedelta(seconds=3))
    await world.sync()

    assert all(done for _, _, done in await outbox(world))
    stored = await world.index.documents(IndexName.manufacturers)
    assert stored == await expected_documents(world, IndexName.manufacturers)
    assert (stored[str(kept)]["name"], str(added) in stored) == ("Renamed", True)


async def test_a_failed_settings_task_is_retried_and_nothing_is_lost(
    queued: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    world, fake = queued
    fake.fail = _of_type("settingsUpdate")
    maker = await world.manufacturer("Before settings")

    failed = await relay_outbox_once(world.session_factory, world.clock, world.index)
    with pytest.raises(SearchRefused):
        await world.index.search(IndexName.manufacturers, SearchQuery(text="settings"))

    assert failed.done == 0 and failed.failed > 0
    assert {attempts for attempts, _ in await _pending(world)} == {1}
    fake.fail = None
    world.clock.advance(timedelta(seconds=3))
    await world.sync()
    result = await world.search(IndexName.manufacturers, text="settings")
    assert [hit.id for hit in result.hits] == [str(maker)]


async def test_a_task_slower_than_the_timeout_is_retried_not_lost(
    session_factory: SessionFactory, clock: FakeClock, fake_meilisearch: FakeMeilisearch
) -> None:
    fake_meilisearch.reset()
    index = MeilisearchIndex(fake_meilisearch.url, fake_meilisearch.key, prefix="late", timeout=0.2)
    world = SearchWorld(session_factory, clock, index)
    try:
        maker = await world.manufacturer("Late Works")
        fake_meilisearch.task_delay = 0.3

        late = await relay_outbox_once(session_factory, clock, index)
        pending = await _pending(world)
        fake_meilisearch.task_delay = 0.0
        fake_meilisearch.wait_idle()
        clock.advance(timedelta(seconds=3))
        await world.sync()

        assert late.done == 0 and late.failed == len(pending) > 0
        assert all("SearchUnavailable" in error and "timeout" in error for _, error in pending)
        assert all(done for _, _, done in await outbox(world))
        assert list(await index.documents(IndexName.manufacturers)) == [str(maker)]
    finally:
        await index.close()
        fake_meilisearch.reset()


async def test_a_reindex_whose_swap_fails_leaves_the_live_index_serving(
    queued: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    world, fake = queued
    fake.task_delay = 0.01
    first = await world.manufacturer("First")
    await world.sync()
    second = await world.manufacturer("Second")  # not relayed: only a reindex would bring it
    fake.fail = _of_type("indexSwap")

    with pytest.raises(SearchRefused):
        await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)

    assert list(await world.index.documents(IndexName.manufacturers)) == [str(first)]
    fake.fail = None
    stored = await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)
    assert stored == 2
    assert set(await world.index.documents(IndexName.manufacturers)) == {str(first), str(second)}
    assert sorted(fake.indexes) == ["queued_manufacturers"]


async def test_a_reindex_never_swaps_in_a_spare_it_could_not_empty(
    queued: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    """A spare index left by an interrupted reindex holds stale documents; if deleting it fails, the reindex
    must stop rather than fill the stale spare and swap it in."""
    world, fake = queued
    maker = await world.manufacturer("Current")
    await world.sync()
    spare = f"{world.index.uid(IndexName.manufacturers)}_rebuild"  # type: ignore[attr-defined]
    stale = {"id": "00000000-0000-0000-0000-0000000000aa", "name": "Stale", "materials": [], "free_hours_4w": {}}
    async with httpx.AsyncClient(base_url=fake.url, headers={"Authorization": f"Bearer {fake.key}"}) as http:
        (await http.post(f"/indexes/{spare}/documents", json=[stale])).raise_for_status()
    fake.wait_idle()
    fake.fail = _of_type("indexDeletion")

    with pytest.raises((SearchRefused, SearchUnavailable)):
        await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)

    assert list(await world.index.documents(IndexName.manufacturers)) == [str(maker)]
    fake.fail = None
    await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)
    assert list(await world.index.documents(IndexName.manufacturers)) == [str(maker)]
    assert sorted(fake.indexes) == ["queued_manufacturers"]


async def test_facets_are_the_most_frequent_values_when_there_are_more_than_max_values_per_facet(
    queued: tuple[SearchWorld, FakeMeilisearch], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Meilisearch returns at most maxValuesPerFacet values, the first in sortFacetValuesBy order
    (alphabetical by default): the adapter asks for the most frequent ones."""
    world, _ = queued
    settings = adapter.SETTINGS[IndexName.manufacturers]
    assert settings.faceting is not None
    faceting = settings.faceting.model_copy(update={"max_values_per_facet": 2})
    monkeypatch.setitem(adapter.SETTINGS, IndexName.manufacturers, settings.model_copy(update={"faceting": faceting}))
    makers = [("A", ["edm"]), ("B", ["edm", "cnc_turning"]), ("C", ["edm", "cnc_turning"]), ("D", ["cnc_milling"])]
    for name, processes in makers:
        await world.manufacturer(name, processes=processes)
    await world.sync()

    result = await world.search(IndexName.manufacturers)

    # alphabetical, the first two would be cnc_milling (1) and cnc_turning (2)
    assert [(f.value, f.count) for f in result.facets["processes"]] == [("edm", 3), ("cnc_turning", 2)]


async def test_a_spare_left_after_a_successful_swap_does_not_fail_the_reindex(
    queued: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    world, fake = queued
    maker = await world.manufacturer("Swapped in")
    start = len(fake.tasks)

    def after_the_swap(task: dict[str, Any]) -> bool:
        mine = list(fake.tasks.values())[start:]
        swapped = any(t["type"] == "indexSwap" and t["status"] == "succeeded" for t in mine)
        return task["type"] == "indexDeletion" and swapped

    fake.fail = after_the_swap

    stored = await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)

    assert stored == 1 and list(await world.index.documents(IndexName.manufacturers)) == [str(maker)]
    assert sorted(fake.indexes) == ["queued_manufacturers", "queued_manufacturers_rebuild"]
    fake.fail = None
    await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)
    assert sorted(fake.indexes) == ["queued_manufacturers"]
