"""Saved searches: a manufacturer keeps an order search; a new open order the search backend finds for it
is notified once, after the order is indexed; searches that cannot see or do not match the order hear
nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from api.relay import decode_id
from domain.saved_searches.models import SavedSearch
from exchange import saved_search_relay
from exchange.worker import relay_outbox_once, relay_saved_searches_once
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, sign_up
from tests.api.saved_searches import SAVE
from tests.clock import FakeClock
from tests.conftest import StatementCounter
from tests.legal_samples import legal_id

DELETE = """mutation($id: ID!) { deleteSavedSearch(id: $id) {
  __typename ... on DeleteSavedSearchSuccess { deletedId } ... on UserError { code field } } }"""
MATCHES = "{ notifications { edges { node { kind title subjectId } } } }"
PUBLISH = "mutation($id: ID!) { publishOrder(id: $id) { __typename } }"


async def save(gql: GraphQL, party: Party, name: str, query: str = "", **filter: Any) -> Any:
    variables = {"name": name, "query": query, "filter": filter or None}
    return (await gql(SAVE, variables, token=party.token))["saveSearch"]


async def matches(gql: GraphQL, party: Party) -> list[dict[str, str]]:
    edges = (await gql(MATCHES, token=party.token))["notifications"]["edges"]
    return [e["node"] for e in edges if e["node"]["kind"] == "ORDER_MATCHED"]


async def test_a_new_order_is_notified_to_the_saved_searches_it_matches_once_it_is_indexed(
    gql: GraphQL, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    fits, wrong_text, wrong_region, not_invited, no_filter = [await make_manufacturer(gql, clock) for _ in range(5)]
    saved = await save(gql, fits, "Milling in Moscow", "bracket", processes=["CNC_MILLING"], regions=["ru-mow"])
    clock.advance(timedelta(minutes=1))
    await save(gql, fits, "Anything aluminium", materials=["ALUMINIUM 6061"])  # a second match: told once
    await save(gql, wrong_text, "Impellers", "impeller")
    await save(gql, wrong_region, "Urals", regions=["RU-SVE"])
    await save(gql, no_filter, "Everything")
    order_id = await create_order(gql, buyer, clock, title="Bracket, machined", publish=False)
    await gql(PUBLISH, {"id": order_id}, token=buyer.token)
    invited_only = await create_order(
        gql, buyer, clock, title="Bracket, secret", visibility="INVITED", invitedManufacturerIds=[fits.organisation_id]
    )
    await save(gql, not_invited, "Brackets", "bracket")

    before_indexing = await relay_saved_searches_once(deps)
    await relay_outbox_once(deps)
    matched = await relay_saved_searches_once(deps)
    again = await relay_saved_searches_once(deps)

    assert saved["savedSearch"]["filter"] == {"processes": ["CNC_MILLING"], "regions": ["RU-MOW"], "materials": []}
    assert (before_indexing.orders, matched.orders, again.orders) == (0, 2, 0)
    assert sorted((m["title"], m["subjectId"]) for m in await matches(gql, fits)) == [
        ("New order matching “Milling in Moscow”: Bracket, machined", order_id),
        ("New order matching “Milling in Moscow”: Bracket, secret", invited_only),
    ]
    assert [m["subjectId"] for m in await matches(gql, no_filter)] == [order_id]
    assert [m["subjectId"] for m in await matches(gql, not_invited)] == [order_id]  # not the invited-only one
    for party in (wrong_text, wrong_region, buyer):
        assert await matches(gql, party) == []


async def test_refused_saved_searches_store_nothing(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    kept = (await save(gql, maker, "Mine", "bracket"))["savedSearch"]["id"]
    async with engine.connect() as conn:
        before = await conn.scalar(select(func.count()).select_from(SavedSearch))

    refusals = {
        "buyer only": await save(gql, buyer, "Orders"),
        "no name": await save(gql, maker, "  "),
        "text too long": await save(gql, maker, "Long", "x" * 501),
        "unknown process": (
            await gql.raw(SAVE, {"name": "X", "query": "", "filter": {"processes": ["WELDING_X"]}}, token=maker.token)
        ),
        "anonymous": (await gql(SAVE, {"name": "X", "query": ""}))["saveSearch"],
        "someone else's": (await gql(DELETE, {"id": kept}, token=other.token))["deleteSavedSearch"],
    }

    def outcome(value: Any) -> Any:
        if "errors" in value:
            return "rejected by the schema"
        return (value["__typename"], value["code"], value["field"])

    assert {k: outcome(v) for k, v in refusals.items()} == {
        "buyer only": ("NotEligibleError", "NOT_A_MANUFACTURER", "organisationId"),
        "no name": ("ValidationError", "REQUIRED", "name"),
        "text too long": ("ValidationError", "OUT_OF_RANGE", "query"),
        "unknown process": "rejected by the schema",
        "anonymous": ("NotAuthenticatedError", "UNAUTHENTICATED", None),
        "someone else's": ("NotFoundError", "NOT_FOUND", "id"),
    }
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(SavedSearch)) == before == 1
    deleted = (await gql(DELETE, {"id": kept}, token=maker.token))["deleteSavedSearch"]
    assert deleted == {"__typename": "DeleteSavedSearchSuccess", "deletedId": kept}
    assert (await gql("{ savedSearches { id } }", token=maker.token))["savedSearches"] == []


async def test_an_order_that_fails_to_match_is_retried_later_and_does_not_hold_up_the_others(
    gql: GraphQL, clock: FakeClock, deps: AppDeps, monkeypatch: Any
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    await save(gql, maker, "Everything")
    broken = await create_order(gql, buyer, clock, title="Bracket, broken")
    fine = await create_order(gql, buyer, clock, title="Bracket, fine")
    await relay_outbox_once(deps)
    real = saved_search_relay.notify_matches

    async def failing_for_one(uow: Any, *, order_id: Any, search: Any) -> int:
        if order_id == decode_id(broken, "Order", "id"):
            raise RuntimeError("a bug in matching this order")
        return await real(uow, order_id=order_id, search=search)

    monkeypatch.setattr(saved_search_relay, "notify_matches", failing_for_one)
    first = await relay_saved_searches_once(deps)
    monkeypatch.setattr(saved_search_relay, "notify_matches", real)
    too_soon = await relay_saved_searches_once(deps)
    clock.advance(timedelta(minutes=10))  # past the backoff
    later = await relay_saved_searches_once(deps)

    assert (first.orders, first.failed) == (1, 1)
    assert (too_soon.orders, too_soon.failed) == (0, 0)
    assert (later.orders, later.failed) == (1, 0)
    assert sorted(m["subjectId"] for m in await matches(gql, maker)) == sorted([broken, fine])


DUPLICATE = """mutation($name: String!, $query: String!, $filter: OrderSearchFilterInput) {
  saveSearch(name: $name, query: $query, filter: $filter) {
    __typename ... on DuplicateSavedSearchError { code field existing { id name } } } }"""
MAY_SAVE = "{ savedSearchOrganisations { id name } }"


async def test_the_same_search_again_is_refused_naming_the_one_kept(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    first = await save(gql, maker, "Milling · Moscow", "Bracket", processes=["CNC_MILLING", "CNC_TURNING"])
    kept = first["savedSearch"]["id"]
    async with engine.connect() as conn:
        before = await conn.scalar(select(func.count()).select_from(SavedSearch))

    # The same text in another case, the same processes in another order, under another name: the same search.
    again = await gql(
        DUPLICATE,
        {"name": "Another name", "query": "bracket", "filter": {"processes": ["CNC_TURNING", "CNC_MILLING"]}},
        token=maker.token,
    )
    assert again["saveSearch"] == {
        "__typename": "DuplicateSavedSearchError",
        "code": "ALREADY_EXISTS",
        "field": "filter",
        "existing": {"id": kept, "name": "Milling · Moscow"},
    }
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(SavedSearch)) == before

    # A different filter is a different search; another organisation may keep the same one.
    narrower = await save(gql, maker, "Milling only", "bracket", processes=["CNC_MILLING"])
    elsewhere = await save(gql, other, "Theirs", "bracket", processes=["CNC_MILLING", "CNC_TURNING"])
    assert (narrower["__typename"], elsewhere["__typename"]) == ("SavedSearchSuccess", "SavedSearchSuccess")


async def test_only_manufacturing_organisations_are_offered_saved_searches(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    assert (await gql(MAY_SAVE))["savedSearchOrganisations"] == []
    assert (await gql(MAY_SAVE, token=buyer.token))["savedSearchOrganisations"] == []
    offered = (await gql(MAY_SAVE, token=maker.token))["savedSearchOrganisations"]
    assert [org["id"] for org in offered] == [maker.organisation_id]
    # What is offered is what saveSearch takes: the buyer is refused, the manufacturer is not.
    assert (await save(gql, buyer, "Orders"))["__typename"] == "NotEligibleError"
    assert (await save(gql, maker, "Orders"))["__typename"] == "SavedSearchSuccess"


MATCHING = """query($query: String!, $filter: OrderSearchFilterInput) {
  savedSearchesMatching(query: $query, filter: $filter) { id name organisation { id } } }"""
CREATE_ORGANISATION = """mutation($input: OrganisationInput!) { createOrganisation(input: $input) {
  __typename ... on OrganisationSuccess { organisation { id } } } }"""


async def matching(gql: GraphQL, party: Party | None, query: str = "", **filter: Any) -> list[dict[str, Any]]:
    variables = {"query": query, "filter": filter or None}
    return (await gql(MATCHING, variables, token=party.token if party else None))["savedSearchesMatching"]


async def test_the_board_learns_which_saved_search_its_filters_already_are(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    kept = (await save(gql, maker, "Milling · Moscow", "Bracket", processes=["CNC_MILLING", "CNC_TURNING"]))[
        "savedSearch"
    ]["id"]
    await save(gql, maker, "Everything")
    await save(gql, other, "Theirs", "bracket", processes=["CNC_MILLING", "CNC_TURNING"])

    # What saveSearch would refuse as a duplicate is what matches: any case, any order, spaces collapsed.
    same = await matching(gql, maker, "  BRACKET ", processes=["CNC_TURNING", "CNC_MILLING"])
    assert same == [{"id": kept, "name": "Milling · Moscow", "organisation": {"id": maker.organisation_id}}]
    duplicate = await gql(
        DUPLICATE,
        {"name": "Again", "query": "  BRACKET ", "filter": {"processes": ["CNC_TURNING", "CNC_MILLING"]}},
        token=maker.token,
    )
    assert duplicate["saveSearch"]["existing"]["id"] == kept

    # One filter more or less, or other words, is another search; no filters at all is the one kept for it.
    assert await matching(gql, maker, "bracket", processes=["CNC_MILLING"]) == []
    assert await matching(gql, maker, "bracket", processes=["CNC_MILLING", "CNC_TURNING"], regions=["RU-MOW"]) == []
    assert await matching(gql, maker, "brackets", processes=["CNC_MILLING", "CNC_TURNING"]) == []
    assert [s["name"] for s in await matching(gql, maker)] == ["Everything"]

    # Only the viewer's organisations' searches; nothing signed out, nothing for filters no search could keep.
    assert [s["name"] for s in await matching(gql, other, "bracket", processes=["CNC_MILLING", "CNC_TURNING"])] == [
        "Theirs"
    ]
    assert await matching(gql, None) == []
    assert await matching(gql, maker, "x" * 1000) == []


async def test_matching_saved_searches_name_each_of_the_viewers_organisations_in_the_same_statements(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    maker = await make_manufacturer(gql, clock)
    await save(gql, maker, "Turning", processes=["CNC_TURNING"])
    with sql.counting():
        one = await matching(gql, maker, processes=["CNC_TURNING"])
    alone = sql.count
    others = []
    for n in range(3):
        clock.advance(timedelta(minutes=1))  # oldest first: each saved a minute after the one before
        created = await gql(
            CREATE_ORGANISATION,
            {"input": {"name": f"Shop {n}", "legalId": legal_id("66", n), "region": "RU-SVE", "kind": "MANUFACTURER"}},
            token=maker.token,
        )
        organisation_id = created["createOrganisation"]["organisation"]["id"]
        others.append(organisation_id)
        saved = await gql(
            """mutation($org: ID!) { saveSearch(name: "Turning", filter: {processes: [CNC_TURNING]},
                 organisationId: $org) { __typename } }""",
            {"org": organisation_id},
            token=maker.token,
        )
        assert saved["saveSearch"]["__typename"] == "SavedSearchSuccess"

    with sql.counting():
        four = await matching(gql, maker, processes=["CNC_TURNING"])

    assert [s["organisation"]["id"] for s in one] == [maker.organisation_id]
    assert [s["organisation"]["id"] for s in four] == [maker.organisation_id, *others]
    assert sql.count == alone
