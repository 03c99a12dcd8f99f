"""graphql-core's executor built once per operation (api/execution/operation_once.py): the same executor, the same
variables and errors, the same answers as stock Strawberry + graphql-core, request after request of one document."""

from __future__ import annotations

from enum import Enum
from typing import Any

import orjson
import pytest
import strawberry
from graphql import GraphQLError, MiddlewareManager, parse
from graphql.execution.executor import Executor
from graphql.execution.values import get_variable_values
from graphql.pyutils import RefMap

from api.execution import compile_schema, operation_once
from api.execution.compiled import CompiledExecutionContext
from api.execution.documents import document_cache


@strawberry.enum
class Finish(Enum):
    RAW = "raw"
    ANODISED = "anodised"


@strawberry.input
class Window:
    first: int = 10
    finishes: list[Finish] | None = None


@strawberry.type
class Part:
    name: str
    finish: Finish


PARTS = [Part(name=f"p{i}", finish=Finish.RAW if i % 2 else Finish.ANODISED) for i in range(6)]


@strawberry.type
class Query:
    @strawberry.field
    def parts(self, first: int, window: Window | None = None, name: str | None = None) -> list[Part]:
        chosen = [p for p in PARTS if name is None or p.name == name]
        if window is not None and window.finishes:
            chosen = [p for p in chosen if p.finish in window.finishes]
        limit = min(first, window.first if window is not None else first)
        return chosen[:limit]

    @strawberry.field
    async def later(self, first: int) -> list[Part]:
        return PARTS[:first]


# The reference: stock Strawberry + graphql-core (a fresh document each request); the engine with the API's document
# cache, so that the same document object comes back for the same text, as in the API.
STOCK = strawberry.Schema(query=Query)
COMPILED = strawberry.Schema(query=Query, extensions=[document_cache(16)])
compile_schema(COMPILED)

DOCUMENT = """
query Parts($first: Int!, $window: Window, $name: String, $finish: Finish = RAW) {
  parts(first: $first, window: $window, name: $name) { ...P }
  raw: parts(first: 6, window: {finishes: [$finish]}) { name }
}
query Later($first: Int = 2) { later(first: $first) { name finish } }
fragment P on Part { name finish }
"""

# (operation name, variables): valid, defaults, and every kind of refusal, in mixed order
REQUESTS: list[tuple[str | None, dict[str, Any] | None]] = [
    ("Parts", {"first": 3}),
    ("Parts", {"first": "three"}),  # wrong type
    ("Parts", {}),  # missing, non-null
    ("Parts", {"first": 2, "window": {"first": 1, "finishes": ["RAW"]}, "finish": "ANODISED"}),
    ("Parts", {"first": None}),  # null for a non-null variable
    ("Parts", {"first": 2**40}),  # beyond 32 bits
    ("Parts", {"first": 1, "window": {"finishes": ["SHINY"]}, "name": 5}),  # two invalid values: two errors
    ("Parts", {"first": 4, "window": {"first": "x", "nope": 1}}),  # an input object's wrong field, unknown field
    ("Parts", {"first": 4, "name": "p3", "finish": None}),
    ("Later", None),  # the default
    ("Later", {"first": 1}),
    ("Later", {"first": None}),  # null for a nullable variable with a default: null, not the default
    ("Parts", {"first": 5}),
]


def _json(result: Any) -> bytes:
    errors = [error.formatted for error in result.errors] if result.errors else None
    return orjson.dumps({"data": result.data, "errors": errors})


async def test_every_request_of_a_cached_document_answers_what_stock_answers() -> None:
    for _round in range(2):  # the second round runs on the kept operations
        for operation_name, variables in REQUESTS:
            expected = await STOCK.execute(DOCUMENT, variable_values=variables, operation_name=operation_name)
            actual = await COMPILED.execute(DOCUMENT, variable_values=variables, operation_name=operation_name)
            assert _json(actual) == _json(expected), (operation_name, variables)


async def test_the_requests_cover_refusals_and_answers() -> None:
    results = [
        await STOCK.execute(DOCUMENT, variable_values=variables, operation_name=name) for name, variables in REQUESTS
    ]
    messages = {error.message for result in results for error in result.errors or ()}
    assert "Variable '$first' has invalid value: Int cannot represent non-integer value: 'three'" in messages
    assert "Variable '$first' has invalid value: Expected a value of non-null type 'Int!' to be provided." in messages
    assert sum(len(result.errors or ()) == 2 for result in results) >= 1
    assert sum(result.data is not None and not result.errors for result in results) >= 5


async def test_an_operation_is_prepared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    operation_once.clear_cache()
    prepared: list[str | None] = []
    original = operation_once._prepare

    def counting(schema: Any, document: Any, operation_name: str | None) -> Any:
        prepared.append(operation_name)
        return original(schema, document, operation_name)

    monkeypatch.setattr(operation_once, "_prepare", counting)
    for first in (1, 2, 3):
        result = await COMPILED.execute(DOCUMENT, variable_values={"first": first}, operation_name="Parts")
        assert result.data is not None and len(result.data["parts"]) == first
    await COMPILED.execute(DOCUMENT, operation_name="Later")

    assert prepared == ["Parts", "Later"]


def _plain_sources(variable_values: Any) -> dict[str, Any]:
    """The variables' sources, comparable: graphql-core makes their signatures' types and defaults afresh."""
    return {
        name: (
            source.signature.name,
            str(source.signature.type),
            source.signature.default.literal if source.signature.default else None,
            source.value,
        )
        for name, source in variable_values.sources.items()
    }


def _attributes(executor: Any) -> dict[str, Any]:
    return dict(vars(executor))


@pytest.mark.parametrize(
    ("operation_name", "variables"),
    [("Parts", {"first": 3, "window": {"finishes": ["RAW"]}}), ("Later", {}), ("Later", {"first": 4})],
)
def test_the_executor_has_the_attributes_graphql_cores_build_gives(
    operation_name: str, variables: dict[str, Any]
) -> None:
    schema = COMPILED._schema
    document = parse(DOCUMENT)
    manager = MiddlewareManager()
    arguments: dict[str, Any] = {
        "middleware": manager,
        "is_awaitable": lambda _value: False,
        "operation_extensions": {"x": 1},
    }
    reference = Executor.build.__func__(  # type: ignore[attr-defined]  # graphql-core's own build, of our class
        CompiledExecutionContext, schema, document, "root", "context", variables, operation_name, **arguments
    )
    ours = [
        CompiledExecutionContext.build(schema, document, "root", "context", variables, operation_name, **arguments)
        for _ in range(2)
    ]
    assert isinstance(reference, CompiledExecutionContext)
    expected = _attributes(reference)
    for executor in ours:
        assert isinstance(executor, CompiledExecutionContext)
        actual = _attributes(executor)
        assert actual.keys() == expected.keys()
        for name, value in expected.items():
            if isinstance(value, set | list | dict | RefMap) and name not in (
                "fragment_definitions",
                "fragments",
                "operation_extensions",
            ):
                assert type(actual[name]) is type(value) and len(actual[name]) == len(value) == 0, name
            elif name == "variable_values":
                assert actual[name].coerced == value.coerced
                assert _plain_sources(actual[name]) == _plain_sources(value)
            elif name == "collected_errors":
                assert type(actual[name]) is type(value) and actual[name].errors == value.errors == []
            elif name == "fragments":
                assert {k: (v.definition, v.variable_signatures) for k, v in actual[name].items()} == {
                    k: (v.definition, v.variable_signatures) for k, v in value.items()
                }
            else:
                assert actual[name] == value, name
    # the execution's own state is its own
    for name in ("collected_errors", "pending_incremental_futures", "_relevant_sub_fields", "groups", "tasks"):
        assert vars(ours[0])[name] is not vars(ours[1])[name], name


VARIABLE_CASES: list[tuple[str, dict[str, Any], int | None]] = [
    ("query($a: Int!, $b: [String!], $c: Window = {first: 2}) { parts(first: $a) { name } }", {"a": 1}, 50),
    ("query($a: Int!, $b: [String!]) { parts(first: $a) { name } }", {"a": "x", "b": [1, None]}, 50),
    ("query($a: Int!, $b: [String!]) { parts(first: $a) { name } }", {"a": "x", "b": [1, None]}, 1),
    ("query($a: Int!, $b: Int!, $c: Int!) { parts(first: $a) { name } }", {}, 2),
    ("query($w: Window) { parts(first: 1, window: $w) { name } }", {"w": {"first": True}}, None),
    ("query { parts(first: 1) { name } }", {"ignored": 1}, 50),
]


@pytest.mark.parametrize(("document", "inputs", "max_errors"), VARIABLE_CASES)
def test_variables_are_coerced_as_graphql_core_coerces_them(
    document: str, inputs: dict[str, Any], max_errors: int | None
) -> None:
    schema = COMPILED._schema
    parsed = parse(document)
    operation = parsed.definitions[0]
    expected = get_variable_values(schema, operation.variable_definitions or (), inputs, max_errors=max_errors)  # type: ignore[attr-defined]
    prepared = operation_once.prepared(schema, parsed, None)
    assert prepared is not None

    actual = operation_once.coerce_variables(prepared, inputs, max_errors, False)

    if isinstance(expected, list):
        assert isinstance(actual, list)
        assert [e.formatted for e in actual] == [e.formatted for e in expected]
        assert all(isinstance(e, GraphQLError) for e in actual)
    else:
        assert not isinstance(actual, list)
        assert actual.coerced == expected.coerced
        assert _plain_sources(actual) == _plain_sources(expected)
