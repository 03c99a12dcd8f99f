"""Searching manufacturers: text (weighted, typo-tolerant, any script), filters, facets, paging."""

from __future__ import annotations

from collections.abc import Mapping

from domain.ports.search import FacetCount, IndexName, ManufacturerSearchFilter, SearchQuery
from tests.search.conftest import SearchWorld

M = IndexName.manufacturers


def names(world: SearchWorld, result: object, ids: Mapping[str, object]) -> list[str]:
    by_id = {str(v): k for k, v in ids.items()}
    return [by_id[hit.id] for hit in result.hits]  # type: ignore[attr-defined]


async def test_text_finds_by_name_first_then_by_description(world: SearchWorld) -> None:
    ids = {
        "ural": await world.manufacturer("Ural Precision", description="milling of housings"),
        "volga": await world.manufacturer("Volga Castings", description="we also serve Ural customers"),
        "other": await world.manufacturer("Baltic Sheet", description="laser cutting"),
    }
    await world.sync()

    result = await world.search(M, text="ural")

    assert names(world, result, ids) == ["ural", "volga"]
    assert result.total == 2


async def test_a_typo_in_a_material_still_finds_it(world: SearchWorld) -> None:
    ids = {
        "alu": await world.manufacturer("Alpha", materials=["Aluminium 6061"]),
        "steel": await world.manufacturer("Beta", materials=["Steel 1.4301"]),
    }
    await world.sync()

    result = await world.search(M, text="aluminum")

    assert names(world, result, ids) == ["alu"]


async def test_russian_text_is_found_and_highlighted(world: SearchWorld) -> None:
    ids = {
        "ru": await world.manufacturer("Уральский завод", description="Фрезерная обработка алюминия"),
        "en": await world.manufacturer("Kama Works", description="Turning"),
    }
    await world.sync()

    result = await world.search(M, text="фрезерная")

    assert names(world, result, ids) == ["ru"]
    assert "<mark>Фрезерная</mark>" in result.hits[0].highlights["description"]


async def test_prefix_of_a_word_matches_while_typing(world: SearchWorld) -> None:
    ids = {"a": await world.manufacturer("Precision Machining", materials=["Titanium Grade 5"])}
    await world.sync()

    result = await world.search(M, text="titan")

    assert names(world, result, ids) == ["a"]


async def test_filters_combine_and_facets_count_all_matches(world: SearchWorld) -> None:
    ids = {
        "a": await world.manufacturer(
            "A", processes=["cnc_milling", "cnc_turning"], region="RU-MOW", certifications=["iso_9001"]
        ),
        "b": await world.manufacturer(
            "B", processes=["cnc_milling"], region="RU-SVE", certifications=["iso_9001", "as9100"]
        ),
        "c": await world.manufacturer("C", processes=["laser_cutting"], region="RU-SVE"),
    }
    await world.sync()

    result = await world.search(
        M, manufacturer_filter=ManufacturerSearchFilter(processes=["cnc_milling"], certifications=["iso_9001"])
    )

    assert sorted(names(world, result, ids)) == ["a", "b"]
    assert result.facets["processes"] == [FacetCount("cnc_milling", 2), FacetCount("cnc_turning", 1)]
    assert result.facets["regions"] == [FacetCount("RU-MOW", 1), FacetCount("RU-SVE", 1)]
    assert result.facets["certifications"] == [FacetCount("iso_9001", 2), FacetCount("as9100", 1)]


async def test_region_materials_and_verified_filters(world: SearchWorld) -> None:
    ids = {
        "a": await world.manufacturer("A", region="RU-SVE", materials=["PEEK"]),
        "b": await world.manufacturer("B", region="RU-SVE", materials=["ABS"]),
        "c": await world.manufacturer("C", region="RU-MOW", materials=["PEEK"]),
    }
    await world.sync()

    by_region = await world.search(
        M, manufacturer_filter=ManufacturerSearchFilter(regions=["RU-SVE"], materials=["peek"])
    )
    verified = await world.search(M, manufacturer_filter=ManufacturerSearchFilter(verified_only=True))

    assert names(world, by_region, ids) == ["a"]
    assert verified.total == 0


async def test_expired_certificates_do_not_count(world: SearchWorld) -> None:
    ids = {
        "valid": await world.manufacturer("V", certifications=["iso_9001"], certificate_valid_days=30),
        "soon": await world.manufacturer("S", certifications=["iso_9001"], certificate_valid_days=0),
    }
    await world.sync()

    result = await world.search(M, manufacturer_filter=ManufacturerSearchFilter(certifications=["iso_9001"]))

    assert sorted(names(world, result, ids)) == ["soon", "valid"]
    documents = await world.index.documents(M)
    assert documents[str(ids["soon"])]["certifications"] == ["iso_9001"]


async def test_min_free_hours_counts_listed_capacity_in_the_next_four_weeks(world: SearchWorld) -> None:
    ids = {
        # 40 h/week for all 4 weeks = 160 h
        "full": await world.manufacturer("Full", capacity=[("cnc_milling", 40, 0, 60)]),
        # 40 h/week but only from day 21: 7 days = 40 h
        "late": await world.manufacturer("Late", capacity=[("cnc_milling", 40, 21, 60)]),
        # plenty, but of another process
        "other": await world.manufacturer("Other", processes=["cnc_milling", "edm"], capacity=[("edm", 100, 0, 60)]),
    }
    await world.sync()

    milling = await world.search(
        M, manufacturer_filter=ManufacturerSearchFilter(processes=["cnc_milling"], min_free_hours=100)
    )
    any_process = await world.search(M, manufacturer_filter=ManufacturerSearchFilter(min_free_hours=100))

    assert names(world, milling, ids) == ["full"]
    assert sorted(names(world, any_process, ids)) == ["full", "other"]
    documents = await world.index.documents(M)
    assert documents[str(ids["late"])]["free_hours_4w"] == {"cnc_milling": 40}
    assert documents[str(ids["late"])]["free_hours_12w"] == {"cnc_milling": 40 * 40 // 7}  # days 21..60 inclusive


async def test_browse_pages_through_everything_once(world: SearchWorld) -> None:
    created = {await world.manufacturer(f"Maker {n:02d}") for n in range(7)}
    await world.sync()

    seen = []
    for offset in (0, 3, 6):
        page = await world.search(M, first=3, offset=offset)
        assert page.total == 7
        seen += [hit.id for hit in page.hits]

    assert sorted(seen) == sorted(str(i) for i in created)


async def test_unknown_words_and_values_find_nothing(world: SearchWorld) -> None:
    await world.manufacturer("Ural Precision")
    await world.sync()

    by_text = await world.search(M, text="zzqxv")
    by_region = await world.search(M, manufacturer_filter=ManufacturerSearchFilter(regions=["XX-YYY"]))

    assert (by_text.total, list(by_text.hits)) == (0, [])
    assert (by_region.total, list(by_region.hits)) == (0, [])


async def test_a_buyer_only_organisation_is_not_a_manufacturer_document(world: SearchWorld) -> None:
    from domain.organisations.models import OrganisationKind

    await world.organisation(OrganisationKind.buyer, "Buyer Ltd")
    await world.sync()

    assert await world.index.documents(M) == {}


async def test_query_object_is_equivalent(world: SearchWorld) -> None:
    ids = {"a": await world.manufacturer("Ural Precision")}
    await world.sync()

    result = await world.search(M, SearchQuery(text="Ural"))

    assert names(world, result, ids) == ["a"]


async def test_browse_lists_verified_first_then_names_alphabetically_whatever_their_case(world: SearchWorld) -> None:
    """Meilisearch sorts strings "as if they were lowercase" (learn/filtering_and_sorting/sort_search_results)
    and booleans as the text true/false; both backends list a browse the same way."""
    from uuid import uuid4

    from domain.actor import Actor
    from domain.organisations.service import set_verified

    names = ["zeta", "Гамма", "Beta", "альфа", "alpha Tools", "Omega"]
    ids = {name: await world.manufacturer(name) for name in names}
    async with world.uow() as uow:
        operator = Actor(user_id=uuid4(), memberships={}, is_operator=True)
        await set_verified(uow, actor=operator, organisation_id=ids["Omega"], verified=True)
    await world.sync()

    page = await world.search(M, first=10)

    by_id = {str(v): k for k, v in ids.items()}
    assert [by_id[hit.id] for hit in page.hits] == ["Omega", "alpha Tools", "Beta", "zeta", "альфа", "Гамма"]
