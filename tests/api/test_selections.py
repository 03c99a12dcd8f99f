"""api/execution/lookahead.py: the field nodes below a field, by path, through fragments, honouring @skip/@include."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.extensions import ParserCache

from api.execution import lookahead
from api.execution.lookahead import field_nodes_at, selected, selects


@strawberry.type
class Leaf:
    name: str = "leaf"


@strawberry.type
class Node:
    @strawberry.field
    def buyer(self) -> Leaf:
        return Leaf()

    @strawberry.field
    def bids(self, first: int = 20) -> list[Leaf]:
        return [Leaf()]


@strawberry.type
class Edge:
    @strawberry.field
    def node(self) -> Node:
        return Node()


@strawberry.type
class Page:
    # What the resolver of `page` found below itself, set when it ran.
    found: list[str]
    edges: list[Edge]


@strawberry.type
class Query:
    @strawberry.field
    def page(self, info: strawberry.Info, path: list[str]) -> Page:
        nodes = field_nodes_at(info, path)
        found = [(node.alias or node.name).value for node in nodes]
        if selects(info, path):
            found.append("(selected)")

        return Page(found=found, edges=[Edge()])

    @strawberry.field
    def bids_page(self, info: strawberry.Info) -> Page:
        found = SELECTED
        for field in selected(info, ["edges", "node", "bids"]):
            first = field.arguments["first"] if field.arguments is not None else "refused"
            found.append(f"first={first} buyer={selects(info, ['buyer'], below=field)}")
        return Page(found=found, edges=[Edge()])


SCHEMA = strawberry.Schema(query=Query)
# Parsed once per text, as the API's schema does: each request walks the same node objects.
CACHED = strawberry.Schema(query=Query, extensions=[lambda: ParserCache(maxsize=8)])
SELECTED: list[str] = []  # what bidsPage's resolver found below itself


@pytest.mark.parametrize(
    ("document", "variables", "found"),
    [
        ('{ page(path: ["edges", "node", "buyer"]) { found edges { node { buyer { name } } } } }', None, ["buyer"]),
        (
            '{ page(path: ["edges", "node", "buyer"]) { found edges { ... on Edge { node { ...B } } } } }'
            " fragment B on Node { who: buyer { name } buyer { name } }",
            None,
            ["who", "buyer"],
        ),
        # a field further down, or a sibling, is not at the path
        ('{ page(path: ["edges", "node", "buyer"]) { found edges { node { bids { name } } } } }', None, []),
        ('{ page(path: ["edges", "node"]) { found } }', None, []),
        (
            'query($s: Boolean!, $i: Boolean!) { page(path: ["edges", "node", "bids"]) { found edges { node { '
            "a: bids(first: 1) @skip(if: $s) { name } b: bids @include(if: $i) { name } ...F @skip(if: $s) } } } }"
            " fragment F on Node { c: bids { name } }",
            {"s": True, "i": True},
            ["b"],
        ),
        (
            'query($s: Boolean!, $i: Boolean!) { page(path: ["edges", "node", "bids"]) { found edges { node { '
            "a: bids(first: 1) @skip(if: $s) { name } b: bids @include(if: $i) { name } ...F @skip(if: $s) } } } }"
            " fragment F on Node { c: bids { name } }",
            {"s": False, "i": False},
            ["a", "c"],
        ),
    ],
)
async def test_field_nodes_at_a_path(document: str, variables: dict[str, Any] | None, found: list[str]) -> None:
    result = await SCHEMA.execute(document, variable_values=variables)

    assert result.errors is None
    assert result.data is not None
    assert result.data["page"]["found"] == ([*found, "(selected)"] if found else [])


async def test_selected_gives_each_response_key_its_arguments_or_none_when_refused() -> None:
    document = (
        "query($n: Int!, $m: Int) { bidsPage { found edges { node { a: bids(first: $n) { name } "
        "b: bids { name } ... on Node { b: bids { name } } c: bids(first: $m) { name } } } } }"
    )

    SELECTED.clear()
    result = await SCHEMA.execute(document, variable_values={"n": 5, "m": None})

    # c's explicit null for a non-null Int is refused when the field runs: the look-ahead leaves it to report that
    assert SELECTED == [
        "first=5 buyer=False",
        "first=20 buyer=False",
        "first=refused buyer=False",
    ]
    assert result.errors is not None and "first" in result.errors[0].message


async def test_a_walk_is_kept_for_a_parsed_document_unless_skip_or_include_decide_it() -> None:
    """field_nodes_at keeps the walks of a cached document that meet no @skip/@include (the same answer for any
    variables); a walk through them is done again for each request's variables."""
    plain = '{ page(path: ["edges", "node", "buyer"]) { found edges { node { buyer { name } } } } }'
    directed = (
        'query($s: Boolean!) { page(path: ["edges", "node", "bids"]) { found edges { node { '
        "a: bids(first: 1) @skip(if: $s) { name } b: bids { name } } } } }"
    )
    lookahead._WALKS.clear()
    answers = []
    for _ in range(2):
        result = await CACHED.execute(plain)
        assert result.data is not None
        answers.append(result.data["page"]["found"])
    assert answers == [["buyer", "(selected)"]] * 2
    assert len(lookahead._WALKS) == 1  # kept once, answered from it the second time

    for skip, found in [(True, ["b", "(selected)"]), (False, ["a", "b", "(selected)"]), (True, ["b", "(selected)"])]:
        result = await CACHED.execute(directed, variable_values={"s": skip})
        assert result.data is not None
        assert result.data["page"]["found"] == found
    assert len(lookahead._WALKS) == 1  # the directed walk is not kept
