"""The postgres backend's exact manufacturer searches through the terms index (words and filter values in one GIN
key, migration search_0004), with the last word's prefix expanded to the lexemes it begins (search_term), return what
the one-condition-per-filter statement with a partial match returned: the same hits in the same order with the same
scores and highlights, the same totals and facet counts, over a random market and many filter combinations."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from domain.clock import Clock
from domain.ports.search import Document, IndexName, ManufacturerSearchFilter, OrderSearchFilter, SearchQuery, Viewer
from domain.uow import SessionFactory
from exchange.backfill import run_backfill
from search.postgres import TERMS_BACKFILL, PostgresSearchIndex

M = IndexName.manufacturers
PROCESSES = ["cnc_milling", "cnc_turning", "sheet_metal", "laser_cutting", "welding"]
MATERIALS = ["Steel 45", "Galvanised steel", "Titanium VT6", "Aluminium AMG6", "ABS", "it's \\odd"]
CERTIFICATIONS = ["iso_9001", "iso_14001", "as9100"]
REGIONS = ["RU-MOW", "RU-TA", "RU-SVE", "RU-SPE"]
NAMES = ["Урал", "Уралмаш", "Титан", "Galvanotech", "Steelworks", "Волга", "Северсталь"]
WORDS = ["galvanised", "steel", "45", "корпус", "titanium", "housings", "stainless", "prototype"]


def _document(rng: random.Random) -> Document:
    processes = sorted(rng.sample(PROCESSES, rng.randint(1, 3)))
    return {
        "id": str(uuid4()),
        "name": f"{rng.choice(NAMES)} {rng.choice(['маш', 'пром', 'Works', ''])}".strip(),
        "description": " ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
        "region": rng.choice(REGIONS),
        "membership": "free",
        "verified": rng.random() < 0.4,
        "processes": processes,
        "materials": rng.sample(MATERIALS, rng.randint(0, 3)),
        "certifications": sorted(rng.sample(CERTIFICATIONS, rng.randint(0, 2))),
        "free_hours_4w": {p: rng.choice([0, 20, 40, 80]) for p in processes},
        "free_hours_12w": {},
        "rating": None,
    }


def _queries(rng: random.Random) -> list[SearchQuery]:
    texts = ["galvanised", "steel 45", "stainles", "корпус", "titan", "", "steel galv", "it", "galvanized"]
    texts += ["урал", "ура"]  # noqa: RUF001
    queries = []
    for n in range(66):
        manufacturer_filter = ManufacturerSearchFilter(
            processes=rng.sample(PROCESSES, rng.randint(0, 2)),
            materials=[m.lower() for m in rng.sample(MATERIALS, rng.choice([0, 0, 1, 2]))],
            certifications=rng.sample(CERTIFICATIONS, rng.choice([0, 0, 1, 2])),
            regions=rng.sample([*REGIONS, "XX-'Q"], rng.choice([0, 1, 2])),
            min_free_hours=rng.choice([None, None, 30]),
            verified_only=rng.random() < 0.3,
        )
        queries.append(SearchQuery(text=texts[n % len(texts)], manufacturer_filter=manufacturer_filter, first=7))
    return queries


@pytest.mark.parametrize(("seed", "vocabulary"), [(1, True), (2, True), (3, False)])
async def test_the_terms_index_finds_what_one_condition_per_filter_found(
    session_factory: SessionFactory, clock: Clock, seed: int, vocabulary: bool
) -> None:
    rng = random.Random(seed)
    terms = PostgresSearchIndex(session_factory, clock, sample_percent=0)
    conditions = PostgresSearchIndex(session_factory, clock, sample_percent=0, filter_terms=False)
    await terms.apply(M, [_document(rng) for _ in range(400)], [])
    if vocabulary:  # otherwise the prefix is matched as one (the vocabulary is not known to be complete)
        await run_backfill(session_factory, clock, TERMS_BACKFILL, batch_size=150)
    async with session_factory() as session:
        expanded = await terms._prefix_lexemes(session, M, "урал")
    assert expanded == (["урал", "уралмаш"] if vocabulary else None)
    found = 0
    for query in _queries(rng):
        expected = await conditions.search(M, query)
        got = await terms.search(M, query)
        assert got == expected, query
        found += expected.total
    assert found > 200  # the queries find something (a comparison of empty results would prove nothing)


async def test_a_rebuild_makes_its_index_vocabulary_complete_without_the_backfill(
    session_factory: SessionFactory, clock: Clock
) -> None:
    """A fresh seed then `exchange search reindex` writes every row with its lexemes: the prefix is expanded from
    then on (the 10x benchmark had matched it partially, the backfill never run), with the same results."""
    rng = random.Random(4)
    terms = PostgresSearchIndex(session_factory, clock, sample_percent=0)
    conditions = PostgresSearchIndex(session_factory, clock, sample_percent=0, filter_terms=False)
    market = [_document(rng) for _ in range(300)]

    async def batches() -> AsyncIterator[list[Document]]:
        for start in range(0, len(market), 100):
            yield market[start : start + 100]

    async def expanded() -> list[str] | None:
        async with session_factory() as session:
            return await terms._prefix_lexemes(session, M, "урал")

    await terms.apply(M, market, [])
    assert await expanded() is None  # not known to be complete
    assert await terms.rebuild(IndexName.orders, batches_of([])) == 0
    assert await expanded() is None  # the other index's rebuild says nothing of this one
    assert await terms.rebuild(M, batches()) == 300
    assert await expanded() == ["урал", "уралмаш"]
    found = 0
    for query in _queries(rng):
        expected = await conditions.search(M, query)
        assert await terms.search(M, query) == expected, query
        found += expected.total
    assert found > 150


async def batches_of(documents: list[Document]) -> AsyncIterator[list[Document]]:
    if documents:
        yield documents


def _order(rng: random.Random) -> Document:
    return {
        "id": str(uuid4()),
        "title": f"{rng.choice(['Корпус', 'Корпусная деталь', 'Bracket', 'Housing', 'Вал'])} {rng.randint(1, 99)}",
        "description": " ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
        "region": rng.choice(REGIONS),
        "process": rng.choice(PROCESSES),
        "material": rng.choice(MATERIALS),
        "required_certifications": sorted(rng.sample(CERTIFICATIONS, rng.randint(0, 2))),
        "public": rng.random() < 0.7,
        "bidding_deadline": f"2026-12-{rng.randint(10, 28)}T12:00:00+00:00",
        "buyer_organisation_id": str(uuid4()),
        "invited": [],
    }


async def test_order_searches_expand_the_last_word_with_the_same_results(
    session_factory: SessionFactory, clock: Clock
) -> None:
    """Order searches match the last word as the lexemes it begins once the orders' vocabulary is complete: the
    same hits, order, scores, highlights, totals and facets as with the prefix matched partially."""
    rng = random.Random(5)
    index = PostgresSearchIndex(session_factory, clock, sample_percent=0)
    market = [_order(rng) for _ in range(300)]
    operator = Viewer(operator=True)
    queries = [
        SearchQuery(text=text, first=7, viewer=operator, order_filter=OrderSearchFilter(processes=processes))
        for text in ["корп", "корпус", "корпусн", "bra", "housing stee", "galv", "вал 4", "zzz", "корпс"]
        for processes in ([], ["cnc_milling", "welding"])
    ]
    await index.apply(IndexName.orders, market, [])
    async with session_factory() as session:
        assert await index._prefix_lexemes(session, IndexName.orders, "корп") is None
    partial = [await index.search(IndexName.orders, q) for q in queries]

    async def batches() -> AsyncIterator[list[Document]]:
        yield market

    await index.rebuild(IndexName.orders, batches())
    async with session_factory() as session:
        assert await index._prefix_lexemes(session, IndexName.orders, "корп") == ["корпус", "корпусная"]
    expanded = [await index.search(IndexName.orders, q) for q in queries]
    assert expanded == partial
    assert sum(r.total for r in partial) > 200
