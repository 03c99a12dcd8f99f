"""searchManufacturers / searchOrders over GraphQL: hits with nodes and snippets, facets as enum names,
visibility, bad input answered with a typed error or an empty result (never a 500), constant statements."""

from __future__ import annotations

from typing import Any

import pytest

from api.context import AppDeps
from exchange.worker import relay_outbox_once
from tests.api.graphql import GraphQL, create_order, make_manufacturer, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

SEARCH_MANUFACTURERS = """
query($query: String!, $filter: ManufacturerSearchFilterInput, $first: Int!, $after: String) {
  searchManufacturers(query: $query, filter: $filter, first: $first, after: $after) {
    __typename
    ... on ManufacturerSearch {
      total
      edges { cursor score highlights { field snippet } node { id name region verified } }
      pageInfo { hasNextPage endCursor }
      facets { processes { value count } regions { value count } certifications { value count } }
    }
    ... on UserError { code message field }
  }
}
"""

SEARCH_ORDERS = """
query($query: String!, $filter: OrderSearchFilterInput) {
  searchOrders(query: $query, filter: $filter) {
    __typename
    ... on OrderSearch { total edges { node { id title } highlights { field snippet } } }
    ... on UserError { code message field }
  }
}
"""


async def sync(deps: AppDeps) -> None:
    while (await relay_outbox_once(deps)).done:
        pass


async def search(gql: GraphQL, query: str = "", first: int = 20, **variables: Any) -> Any:
    data = await gql(SEARCH_MANUFACTURERS, {"query": query, "first": first, **variables})
    return data["searchManufacturers"]


async def test_search_manufacturers_returns_nodes_snippets_and_facets(
    gql: GraphQL, clock: FakeClock, deps: AppDeps
) -> None:
    maker = await make_manufacturer(gql, clock, region="RU-SVE")
    await make_manufacturer(gql, clock, processes=("EDM",), certifications=(), region="RU-MOW")
    await sync(deps)

    result = await search(gql, "machining", filter={"processes": ["CNC_MILLING"]})

    assert result["__typename"] == "ManufacturerSearch"
    assert result["total"] == 1
    assert [edge["node"]["id"] for edge in result["edges"]] == [maker.organisation_id]
    assert result["edges"][0]["highlights"][1] == {
        "field": "description",
        "snippet": "5-axis <mark>machining</mark> centre",
    }
    assert result["facets"] == {
        "processes": [{"value": "CNC_MILLING", "count": 1}, {"value": "CNC_TURNING", "count": 1}],
        "regions": [{"value": "RU-SVE", "count": 1}],
        "certifications": [{"value": "ISO_9001", "count": 1}],
    }


async def test_pages_follow_the_cursor_to_the_end(gql: GraphQL, clock: FakeClock, deps: AppDeps) -> None:
    makers = {(await make_manufacturer(gql, clock)).organisation_id for _ in range(5)}
    await sync(deps)

    first = await search(gql, first=3)
    second = await search(gql, first=3, after=first["pageInfo"]["endCursor"])

    assert (first["total"], first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (5, True, False)
    assert {e["node"]["id"] for e in first["edges"] + second["edges"]} == makers


async def test_search_orders_shows_only_what_the_board_shows(gql: GraphQL, clock: FakeClock, deps: AppDeps) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    stranger = await make_manufacturer(gql, clock)
    public = await create_order(gql, buyer, clock, title="Pump housing")
    invited = await create_order(
        gql, buyer, clock, title="Pump cover", visibility="INVITED", invitedManufacturerIds=[maker.organisation_id]
    )
    await create_order(gql, buyer, clock, title="Pump draft", publish=False)
    await sync(deps)

    for_maker = (await gql(SEARCH_ORDERS, {"query": "pump"}, token=maker.token))["searchOrders"]
    for_stranger = (await gql(SEARCH_ORDERS, {"query": "pump"}, token=stranger.token))["searchOrders"]
    anonymous = (await gql(SEARCH_ORDERS, {"query": "pump"}))["searchOrders"]

    assert sorted(e["node"]["id"] for e in for_maker["edges"]) == sorted([public, invited])
    assert [e["node"]["id"] for e in for_stranger["edges"]] == [public]
    assert anonymous["__typename"] == "NotAuthenticatedError"


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"query": "x" * 10_000}, ("ValidationError", "OUT_OF_RANGE", "query")),
        ({"first": 101}, ("ValidationError", "OUT_OF_RANGE", "first")),
        ({"first": 0}, ("ValidationError", "OUT_OF_RANGE", "first")),
        ({"after": "bm90IGEgY3Vyc29y"}, ("ValidationError", "INVALID", "after")),
        ({"after": "%%%"}, ("ValidationError", "INVALID", "after")),
        ({"filter": {"minFreeHours": -1}}, ("ValidationError", "OUT_OF_RANGE", "filter.minFreeHours")),
        ({"filter": {"regions": ["R"] * 51}}, ("ValidationError", "OUT_OF_RANGE", "filter.regions")),
    ],
)
async def test_bad_input_is_a_typed_error(gql: GraphQL, variables: dict[str, Any], expected: tuple[str, ...]) -> None:
    result = await search(gql, **{"query": "", **variables})

    assert (result["__typename"], result["code"], result["field"]) == expected


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("\u202emilling\u202c", True),
        ("🔩🔧 milling", True),
        ("\u200f\u200e", True),  # nothing visible left: browse
        (" " * 400, True),  # likewise
        ("'; DROP TABLE organisation; --", False),
        ("a & b | !c :* <->", False),
        ("\\", False),
        ("%_", False),
        ("ﬁ" * 500, False),
    ],
)
async def test_odd_text_is_searched_or_finds_nothing(
    gql: GraphQL, clock: FakeClock, deps: AppDeps, query: str, finds: bool
) -> None:
    maker = await make_manufacturer(gql, clock)
    await sync(deps)

    result = await search(gql, query)

    assert result["__typename"] == "ManufacturerSearch"
    assert [e["node"]["id"] for e in result["edges"]] == ([maker.organisation_id] if finds else [])


async def test_unknown_filter_values_find_nothing_or_are_refused_by_the_schema(
    gql: GraphQL, clock: FakeClock, deps: AppDeps
) -> None:
    await make_manufacturer(gql, clock)
    await sync(deps)

    unknown_region = await search(gql, filter={"regions": ["ZZ-ZZZ"], "materials": ["unobtainium"]})
    unknown_process = await gql.raw(
        SEARCH_MANUFACTURERS, {"query": "", "first": 5, "filter": {"processes": ["TELEPORT"]}}
    )

    assert (unknown_region["total"], unknown_region["edges"]) == (0, [])
    assert "Value 'TELEPORT' does not exist" in unknown_process["errors"][0]["message"]
    assert "data" not in unknown_process or unknown_process["data"] is None


async def test_a_search_runs_the_same_statements_for_3_and_30_hits(
    gql: GraphQL, clock: FakeClock, deps: AppDeps, sql: StatementCounter
) -> None:
    for _ in range(30):
        await make_manufacturer(gql, clock, certifications=())
    await sync(deps)

    with sql.counting():
        small = await search(gql, "machining", first=3)
    small_count = sql.count
    with sql.counting():
        large = await search(gql, "machining", first=30)

    assert (len(small["edges"]), len(large["edges"])) == (3, 30)
    # the preamble (plan mode, typo corrections, the last word's lexemes); the sample (broad or not); matches
    # (total, page, facets); organisations
    assert sql.count == small_count == 4
