"""api/execution/fast_fields.py's plain calls: resolvers called without Strawberry's wrapper answer what the wrapper's
call answers, and only where the wrapper adds nothing."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry import relay
from strawberry.permission import BasePermission

from api.execution import fast_fields
from api.schema import build_schema
from exchange.settings import Settings
from tests.api.engine_mode import engine_only


@strawberry.enum
class Size(Enum):
    SMALL = "s"
    LARGE = "l"


class Nobody(BasePermission):
    message = "nobody may"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.input
class Window:
    first: int = 2


@strawberry.input
class Pick:
    sizes: list[Size] | None = None
    window: Window | None = None
    windows: list[Window] = strawberry.field(default_factory=list)
    ids: list[relay.GlobalID] | None = None
    note: str | None


@strawberry.type
class Query:
    @strawberry.field
    def sizes(self, info: strawberry.Info, max_count: int = 2, pick: list[Size] | None = None) -> list[str]:
        chosen = pick if pick is not None else [Size.SMALL, Size.LARGE]
        chosen.append(Size.SMALL)  # the resolver changes its list: no later call may see that
        return [f"{info.field_name}:{size.value}" for size in chosen[:max_count]]

    @strawberry.field
    def default_list(self, sizes: list[Size] = [Size.LARGE]) -> list[Size]:  # noqa: B006  (the leak to test)
        sizes.append(Size.SMALL)
        return sizes

    @strawberry.field
    async def later(self, times: int) -> int:
        await asyncio.sleep(0)
        return times * 2

    @strawberry.field(permission_classes=[Nobody])
    def guarded(self, times: int) -> int | None:
        return times

    @strawberry.field
    def windowed(self, window: Window) -> int:
        return window.first

    @strawberry.field
    def node_name(self, id: relay.GlobalID) -> str:
        return id.type_name

    @strawberry.field
    def picked(self, pick: Pick | None = None, again: list[Pick] | None = None) -> str:
        picks = [pick, *(again or [])]
        for found in picks:
            if found is not None and found.sizes is not None:
                found.sizes.append(Size.SMALL)  # changed by the resolver: no later call may see that
        return repr(picks)

    @strawberry.field
    def broken(self, times: int) -> int:
        raise ValueError(f"broken {times}")


def _schema(plain_calls: bool) -> strawberry.Schema:
    schema = strawberry.Schema(query=Query)
    fast_fields.install(schema, plain_calls=plain_calls)
    return schema


PLAIN, STOCK = _schema(True), _schema(False)


def _plain(schema: strawberry.Schema, type_name: str, field: str) -> bool:
    type_ = schema._schema.type_map[type_name]
    assert isinstance(type_, GraphQLObjectType), type_name
    return getattr(type_.fields[field].resolve, "plain_call", False)


def test_plain_calls_are_installed_only_where_the_wrapper_adds_nothing() -> None:
    assert [name for name in ("sizes", "defaultList", "later", "broken") if _plain(PLAIN, "Query", name)] == [
        "sizes",
        "defaultList",
        "later",
        "broken",
    ]
    # input objects and GlobalIDs are converted as Strawberry converts them (fast_fields._conversion)
    assert all(_plain(PLAIN, "Query", name) for name in ("windowed", "nodeName", "picked"))
    # a permission check: Strawberry's wrapper does that
    assert not _plain(PLAIN, "Query", "guarded")
    assert not any(_plain(STOCK, "Query", name) for name in ("sizes", "later"))


@engine_only
def test_the_exchanges_hot_fields_are_called_plainly() -> None:
    schema = build_schema(Settings(execution_engine="compiled"))

    assert _plain(schema, "Order", "bids")
    assert _plain(schema, "Bid", "platformFee")
    assert _plain(schema, "Query", "orders")  # its filter, an input object, converted as Strawberry does


@pytest.mark.parametrize(
    "document",
    [
        "{ sizes a: sizes(maxCount: 1) b: sizes(pick: [LARGE]) c: sizes(pick: [LARGE, SMALL], maxCount: 3) }",
        "query($p: [Size!]) { sizes(pick: $p) again: sizes(pick: $p) }",
        "{ defaultList again: defaultList }",
        "{ later(times: 4) }",
        '{ guarded(times: 1) windowed(window: {first: 5}) nodeName(id: "T3JkZXI6MQ==") }',
        "{ broken(times: 3) }",
        '{ nodeName(id: "not an id") }',
        "{ picked a: picked(pick: {note: null}) b: picked(pick: null) }",
        '{ picked(pick: {sizes: [LARGE], window: {}, windows: [{first: 7}, {}], ids: ["T3JkZXI6MQ=="], note: "n"}) }',
        '{ picked(again: [{ids: ["bad"]}]) }',
        "query($q: Pick, $r: [Pick!]) { picked(pick: $q, again: $r) again: picked(pick: $q, again: $r) }",
    ],
)
async def test_a_plain_call_answers_what_strawberrys_wrapper_answers(document: str) -> None:
    variables = {
        "p": ["SMALL"],
        "q": {"sizes": ["SMALL"], "windows": [{"first": 3}], "note": "q"},
        "r": [{"window": {"first": 9}, "ids": None}, {"sizes": []}],
    }
    expected = [await STOCK.execute(document, variable_values=variables) for _ in range(2)]

    actual = [await PLAIN.execute(document, variable_values=variables) for _ in range(2)]

    for got, want in zip(actual, expected, strict=True):
        assert got.data == want.data
        assert [e.formatted for e in got.errors or []] == [e.formatted for e in want.errors or []]
    assert expected[0].data == expected[1].data  # a list argument changed by a resolver did not leak
