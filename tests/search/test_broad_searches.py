"""The postgres backend's broad searches: when a fixed sample of the index estimates many matches, the page is
read along indexes (name matches first, then browse order) and the total and facets are the sample's estimate.

The thresholds are lowered here so that a handful of documents makes a search broad; with the sample set to
every page, the estimates must then equal the exact figures, and the pages must be made of true matches only.
"""

from __future__ import annotations

import pytest

from domain.actor import Actor
from domain.clock import Clock
from domain.orders.models import Visibility
from domain.organisations.models import OrganisationKind
from domain.ports.search import IndexName, ManufacturerSearchFilter, SearchQuery, Viewer
from domain.uow import SessionFactory
from search.postgres import PostgresSearchIndex
from tests.clock import FakeClock
from tests.integration.factories import Market, org
from tests.search.conftest import SearchWorld

M = IndexName.manufacturers


@pytest.fixture
def exact(session_factory: SessionFactory, clock: Clock) -> PostgresSearchIndex:
    return PostgresSearchIndex(session_factory, clock, sample_percent=0)  # never broad


@pytest.fixture
def broad(session_factory: SessionFactory, clock: Clock) -> PostgresSearchIndex:
    return PostgresSearchIndex(session_factory, clock, broad_search=3, sample_percent=100)


@pytest.fixture
def world(session_factory: SessionFactory, clock: FakeClock, exact: PostgresSearchIndex) -> SearchWorld:
    return SearchWorld(session_factory, clock, exact)


async def _makers(world: SearchWorld) -> dict[str, str]:
    ids = {
        "titan works": await world.manufacturer("Titan Works", materials=["Steel 45"], region="RU-SVE"),
        "ural titanium": await world.manufacturer(
            "Ural Titanium", materials=["Titanium VT6"], certifications=["iso_9001"]
        ),
        "volga": await world.manufacturer("Volga Parts", materials=["Titanium Grade 5"], region="RU-TA"),
        "baltic": await world.manufacturer(
            "Baltic Mech", materials=["Titanium VT6", "Steel 45"], processes=["cnc_milling", "cnc_turning"]
        ),
        "amur": await world.manufacturer("Amur Metal", description="titanium housings on request"),
        "sheet": await world.manufacturer("Sheet Co", materials=["AlMg3"], processes=["laser_cutting"]),
    }
    await world.sync()
    return {name: str(value) for name, value in ids.items()}


async def test_a_broad_search_puts_name_matches_first_and_estimates_from_the_sample(
    world: SearchWorld, exact: PostgresSearchIndex, broad: PostgresSearchIndex
) -> None:
    ids = await _makers(world)
    names = {value: name for name, value in ids.items()}
    query = SearchQuery(text="titan", first=10)

    precise = await exact.search(M, query)
    estimated = await broad.search(M, query)

    assert not precise.total_is_estimate and estimated.total_is_estimate
    # every page of the whole sample is read here, so the estimates are the exact figures
    assert (estimated.total, estimated.facets) == (precise.total, precise.facets)
    assert estimated.total == 5
    found = [names[hit.id] for hit in estimated.hits]
    assert set(found) == {names[hit.id] for hit in precise.hits}
    # name matches ("Titan Works", "Ural Titanium") by relevance, then the others in browse order (by name)
    assert set(found[:2]) == {"titan works", "ural titanium"}
    assert found[2:] == ["amur", "baltic", "volga"]
    assert all(hit.highlights["name"] for hit in estimated.hits)


async def test_broad_pages_follow_each_other_without_gaps_or_repeats(
    world: SearchWorld, broad: PostgresSearchIndex
) -> None:
    ids = await _makers(world)

    whole = await broad.search(M, SearchQuery(text="titan", first=10))
    paged = []
    for offset in range(0, 6, 2):
        page = await broad.search(M, SearchQuery(text="titan", first=2, offset=offset))
        paged += [hit.id for hit in page.hits]

    assert paged == [hit.id for hit in whole.hits]
    assert len(set(paged)) == 5 and ids["sheet"] not in paged


async def test_broad_filtered_searches_and_browsing_match_the_exact_ones(
    world: SearchWorld, exact: PostgresSearchIndex, broad: PostgresSearchIndex
) -> None:
    await _makers(world)
    queries = [
        SearchQuery(first=20),  # browse
        SearchQuery(manufacturer_filter=ManufacturerSearchFilter(processes=["cnc_milling"]), first=20),
        SearchQuery(text="titanium steel", first=20),
    ]
    for query in queries:
        precise = await exact.search(M, query)
        estimated = await broad.search(M, query)
        assert estimated.total_is_estimate == (precise.total >= 3), query
        assert (estimated.total, dict(estimated.facets)) == (precise.total, dict(precise.facets)), query
        assert sorted(hit.id for hit in estimated.hits) == sorted(hit.id for hit in precise.hits), query


async def test_a_broad_order_search_respects_who_may_see_an_order(
    world: SearchWorld, exact: PostgresSearchIndex, broad: PostgresSearchIndex
) -> None:
    m = Market(world.session_factory, world.clock)
    buyer = await m.organisation(OrganisationKind.buyer)
    maker = await m.organisation(OrganisationKind.manufacturer)
    invitee = await m.organisation(OrganisationKind.manufacturer)
    for title in ("Titanium bracket", "Titanium housing", "Titanium flange", "Steel shaft"):
        await m.open_order(buyer, title=title)
    await m.open_order(
        buyer, title="Titanium lever", visibility=Visibility.invited, invited_manufacturer_ids=[org(invitee)]
    )
    await world.sync()

    def viewer(actor: Actor) -> Viewer:
        return Viewer(organisation_ids=frozenset(str(o) for o in actor.memberships))

    for who, expected in ((maker, 3), (buyer, 4), (invitee, 4)):
        query = SearchQuery(text="titanium", viewer=viewer(who), first=10)
        precise = await exact.search(IndexName.orders, query)
        estimated = await broad.search(IndexName.orders, query)
        assert precise.total == estimated.total == expected
        assert estimated.total_is_estimate
        assert sorted(h.id for h in estimated.hits) == sorted(h.id for h in precise.hits)
