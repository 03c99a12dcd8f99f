"""What only the Meilisearch backend has: a server that stops and comes back, filters in its syntax,
reindex by swapping a fresh index in."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from domain.organisations.service import OrganisationChanges, update_organisation
from domain.ports.search import IndexName, ManufacturerSearchFilter, SearchQuery, Viewer
from domain.uow import SessionFactory
from exchange.outbox_relay import relay_outbox_once
from search.meilisearch import MeilisearchIndex, filter_expression
from search.reindex import reindex
from tests.clock import FakeClock
from tests.fakes.meilisearch import FakeMeilisearch
from tests.search.conftest import SearchWorld
from tests.search.outbox import expected_documents, outbox


@pytest.fixture
async def meili_world(
    session_factory: SessionFactory, clock: FakeClock, fake_meilisearch: FakeMeilisearch
) -> AsyncIterator[tuple[SearchWorld, FakeMeilisearch]]:
    fake_meilisearch.reset()
    index = MeilisearchIndex(fake_meilisearch.url, fake_meilisearch.key, prefix="faults", timeout=2)
    try:
        yield SearchWorld(session_factory, clock, index), fake_meilisearch
    finally:
        await index.close()
        fake_meilisearch.reset()


async def test_with_the_server_stopped_changes_succeed_and_the_relay_catches_up(
    meili_world: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    from datetime import timedelta

    world, fake = meili_world
    changed = await world.manufacturer("Before")
    await world.sync()

    fake.down = True
    added = await world.manufacturer("Added while down")
    async with world.uow() as uow:
        await update_organisation(
            uow, actor=world.admins[changed], organisation_id=changed, changes=OrganisationChanges(name="After")
        )
    failed = await relay_outbox_once(world.session_factory, world.clock, world.index)
    fake.down = False
    world.clock.advance(timedelta(seconds=3))
    await world.sync()

    assert failed.done == 0 and failed.failed > 0
    assert all(done for _, _, done in await outbox(world))
    documents = await world.index.documents(IndexName.manufacturers)
    assert documents == await expected_documents(world, IndexName.manufacturers)
    assert (documents[str(changed)]["name"], str(added) in documents) == ("After", True)


async def test_reindex_swaps_a_fresh_index_in_and_leaves_no_spare(
    meili_world: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    world, fake = meili_world
    await world.manufacturer("Kept")
    stale = {"id": "00000000-0000-0000-0000-000000000001", "name": "Stale", "materials": [], "free_hours_4w": {}}
    await world.index.apply(IndexName.manufacturers, [stale], [])

    stored = await reindex(world.session_factory, world.clock, world.index, IndexName.manufacturers)

    assert stored == 1
    assert await world.index.documents(IndexName.manufacturers) == await expected_documents(
        world, IndexName.manufacturers
    )
    assert sorted(fake.indexes) == ["faults_manufacturers"]


def test_filters_are_written_in_meilisearch_syntax() -> None:
    query = SearchQuery(
        manufacturer_filter=ManufacturerSearchFilter(
            processes=["cnc_milling", "edm"],
            materials=['pe"ek'],
            certifications=["iso_9001"],
            regions=["RU-MOW"],
            min_free_hours=40,
            verified_only=True,
        )
    )
    orders = SearchQuery(viewer=Viewer(organisation_ids=frozenset({"a"})))

    assert filter_expression(IndexName.manufacturers, query) == (
        'processes IN ["cnc_milling", "edm"] AND f_materials IN ["pe\\"ek"] AND certifications = "iso_9001"'
        ' AND region IN ["RU-MOW"] AND verified = true'
        " AND (free_hours_4w.cnc_milling >= 40 OR free_hours_4w.edm >= 40)"
    )
    assert filter_expression(IndexName.orders, orders) == '(public = true OR f_audience IN ["a"])'
    assert filter_expression(IndexName.orders, SearchQuery(viewer=Viewer(operator=True))) is None


async def test_a_search_while_the_server_is_down_says_search_is_unavailable(
    meili_world: tuple[SearchWorld, FakeMeilisearch],
) -> None:
    """Callers tell an outage (retry later) from a bug by SearchUnavailable, as for writes."""
    from domain.ports.search import SearchUnavailable

    world, fake = meili_world
    await world.manufacturer("Reachable")
    await world.sync()
    fake.down = True

    with pytest.raises(SearchUnavailable):
        await world.index.search(IndexName.manufacturers, SearchQuery(text="reachable"))

    fake.down = False
    assert (await world.index.search(IndexName.manufacturers, SearchQuery(text="reachable"))).total == 1
    with socket.socket() as probe:  # a port nobody listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        nobody = MeilisearchIndex(f"http://127.0.0.1:{probe.getsockname()[1]}", fake.key, prefix="faults", timeout=1)
    try:
        with pytest.raises(SearchUnavailable):
            await nobody.search(IndexName.manufacturers, SearchQuery(text="reachable"))
    finally:
        await nobody.close()
