"""The compiled executor (api/execution/compiled.py) answers exactly what stock Strawberry + graphql-core answer, and
is really used."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import orjson
import pytest
import strawberry
from graphql import GraphQLObjectType
from graphql.execution.executor import Executor
from strawberry import relay
from strawberry.extensions import ParserCache, SchemaExtension

from api.execution import ResolveHookError, compile_schema, compiled, fast_fields, resolve_hooks
from api.execution import codegen as compiled_codegen
from api.scalars import SCALAR_OVERRIDES
from tests.api.engine_mode import engine_only

NICK_RESOLVER_CALLS: list[str] = []  # whom Thing.nick's resolver (not its shortcut) answered for
FIRST_PART_RESOLVER_CALLS: list[str] = []  # the same for Thing.firstPart (an object through a shortcut)


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.enum
class Grade(Enum):
    STANDARD = "std"
    PRECISION = "precision"


@strawberry.type
class Part:
    name: str
    colour: Colour
    weight: float | None
    tags: list[str]
    count: int = 3
    fits: bool = True
    grade: Grade = "std"  # type: ignore[assignment]  # an enum field holding its value, as the API's types do
    # the API's scalars (api/scalars.py), serialised inline by the generated code for their common classes
    made: date = date(2026, 1, 2)
    at: datetime = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    price: Decimal = Decimal("12.50")


@strawberry.type
class Thing(relay.Node):
    id: relay.NodeID[str]
    name: str
    label: str | None
    colour: Colour
    parts: list[Part]
    maybe_parts: list[Part | None] | None
    main_part: Part | None
    twin: Thing | None = None  # a Node (it has a type check) that a plan may read inline

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    async def later(self) -> Part:
        await asyncio.sleep(0)
        return self.parts[0]

    @strawberry.field
    async def at_hand(self) -> list[Part]:
        return self.parts  # finishes without suspending: the plans complete it at once

    @strawberry.field
    async def async_broken(self) -> str | None:
        raise ValueError("broken before suspending")

    @strawberry.field
    async def broken_later(self) -> str | None:
        await asyncio.sleep(0)
        raise ValueError("broken after suspending")

    @strawberry.field
    def part(self, index: int) -> Part | None:
        return self.parts[index] if index < len(self.parts) else None

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("broken resolver")

    @strawberry.field
    def nick(self, info: strawberry.Info) -> str:
        NICK_RESOLVER_CALLS.append(self.name)
        return f"{self.name}!"

    @strawberry.field
    def first_part(self, info: strawberry.Info) -> Part:
        FIRST_PART_RESOLVER_CALLS.append(self.name)
        return self.parts[0] if self.parts else Part(name="spare", colour=Colour.BLUE, weight=None, tags=[])


@strawberry.type
class Gadget:
    code: str


Item = Annotated[Thing | Gadget, strawberry.union("Item")]


class Exploding:
    """A source object whose attribute raises: the direct resolver's getattr fails."""

    colour = Colour.BLUE
    weight = 1.0
    tags: list[str] = []

    @property
    def name(self) -> str:
        raise RuntimeError("attribute exploded")


def _things() -> list[Thing]:
    parts = [
        Part(name="axle", colour=Colour.RED, weight=2.5, tags=["a", "b"]),
        Part(name="bolt", colour=Colour.BLUE, weight=None, tags=[]),
    ]
    return [
        Thing(
            id="1",
            name="alpha",
            label=None,
            colour=Colour.RED,
            parts=parts,
            maybe_parts=[parts[0], None],
            main_part=parts[1],
        ),
        Thing(id="2", name="beta", label="b", colour=Colour.BLUE, parts=[], maybe_parts=None, main_part=None),
    ]


def _thing_with_twin() -> list[Thing]:
    things = _things()
    things[0].twin = _things()[1]
    things[0].parts[1].grade = "precision"  # type: ignore[assignment]
    things[0].parts[1].fits = False
    things[0].parts[1].at = datetime(2026, 5, 6, 7, 8, 9)  # naive
    things[0].parts[1].price = "7"  # type: ignore[assignment]
    return things


def _bad_things() -> list[Thing]:
    things = _things()
    things[0].name = None  # type: ignore[assignment]  # null in a non-null field
    things[1].parts = [Part(name="x", colour=Colour.RED, weight=None, tags=None)]  # type: ignore[arg-type]
    things[1].main_part = Exploding()  # type: ignore[assignment]
    things[0].parts = [things[0].parts[0], None]  # type: ignore[list-item]  # null in a list of non-null
    things[0].twin = Gadget(code="not a thing")  # type: ignore[assignment]  # fails Thing's type check
    things[1].twin = strawberry.cast(Gadget, _things()[0])  # a Thing, but cast to another type: fails the check
    things[0].main_part = Part(name="m", colour=Colour.RED, weight=None, tags=[], count=2**40)  # beyond 32 bits
    things[1].parts[0].grade = "zzz"  # type: ignore[assignment]  # not a value of the enum
    things[1].parts[0].fits = 1  # type: ignore[assignment]  # an int where a bool goes: graphql-core coerces it
    # not the common classes: another zone, a datetime as a date (a naive time and a str as a Decimal: twins)
    things[1].parts[0].at = datetime(2026, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=3)))
    things[1].parts[0].made = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    return things


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return _things()

    @strawberry.field
    def twins(self) -> list[Thing]:
        return _thing_with_twin()

    @strawberry.field
    def bad_things(self) -> list[Thing | None]:
        return _bad_things()  # type: ignore[return-value]

    @strawberry.field
    def strict_bad_things(self) -> list[Thing]:
        return _bad_things()

    @strawberry.field
    async def items(self) -> list[Item]:
        return [*_things(), Gadget(code="g1")]

    @strawberry.field
    def wrong_list(self) -> list[Part]:
        return "not a list"  # type: ignore[return-value]

    @strawberry.field
    def generator_parts(self) -> list[Part]:
        return (p for p in _things()[0].parts)  # type: ignore[return-value]


# The engine's shortcuts for the test's types, as api/execution/hot_types.py registers the API's.
SHORTCUTS = {
    ("Thing", "nick"): lambda thing: fast_fields.UNRESOLVED if thing.name == "beta" else f"{thing.name}!",
    ("Thing", "firstPart"): lambda thing: fast_fields.UNRESOLVED if not thing.parts else thing.parts[0],
}


def _compiled() -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, scalar_overrides=SCALAR_OVERRIDES)
    compile_schema(schema, shortcuts=SHORTCUTS)
    return schema


COMPILED = _compiled()
# The reference: stock Strawberry + graphql-core, nothing of the engine (no fast leaves, no plain calls, no plans).
GRAPHQL_CORE = strawberry.Schema(query=Query, scalar_overrides=SCALAR_OVERRIDES)

DOCUMENTS: list[tuple[str, dict[str, Any] | None]] = [
    ("{ things { id name label colour parts { name colour weight tags } mainPart { name } } }", None),
    ("{ things { __typename id ...T aka: name maybeParts { name } } } fragment T on Thing { colour n2: name }", None),
    (
        "query($s: Boolean!, $i: Boolean!) { things { name @skip(if: $s) label @include(if: $i) "
        "parts @include(if: $i) { name } ... on Thing @skip(if: $i) { colour } } }",
        {"s": True, "i": False},
    ),
    (
        "query($s: Boolean!, $i: Boolean!) { things { name @skip(if: $s) label @include(if: $i) "
        "parts @include(if: $i) { name } ... on Thing @skip(if: $i) { colour } } }",
        {"s": False, "i": True},
    ),
    ("{ things { name shout later { name } part(index: 1) { name } p0: part(index: 0) { tags } } }", None),
    ("{ things { name broken } }", None),
    # async resolvers that finish at once, raise at once, or raise after suspending
    ("{ things { name atHand { name colour } asyncBroken brokenLater later { name } } }", None),
    ("{ badThings { id atHand { name tags } asyncBroken } }", None),
    ("{ badThings { id name parts { name tags } mainPart { name colour } } }", None),
    ("{ badThings { id mainPart { name colour } maybeParts { weight } } }", None),
    ("{ strictBadThings { id name } }", None),
    ("{ strictBadThings { id parts { tags } } }", None),
    ("{ items { __typename ... on Thing { id name parts { name } } ... on Gadget { code } } }", None),
    ("{ wrongList { name } }", None),
    ("{ generatorParts { name colour } }", None),
    ("{ things { nick n2: nick } badThings { nick } }", None),
    ("{ things { name parts { name } } things2: things { id parts { colour } } }", None),
    # objects read inline by the parent's generated code, and everything that sends them back to the closures
    ("{ things { twin { id name } mainPart { name colour } maybeParts { name } } }", None),
    ("{ badThings { twin { id name mainPart { name } } } }", None),
    ("{ badThings { id parts { name colour } maybeParts { name } } }", None),
    ("{ strictBadThings { twin { name } parts { name } } }", None),
    # objects with lists of objects read inside their parent's own code, the bad ones sent back to the closures
    ("{ twins { twin { id parts { name colour } mainPart { name } maybeParts { name } } } }", None),
    (
        "{ things { twin { id parts { name } } } "
        "badThings { twin { id parts { name grade fits } mainPart { name } } } }",
        None,
    ),
    ("{ things { firstPart { name colour } } badThings { firstPart { name } } }", None),
    # leaves serialised inline (Int, Boolean, an enum's str value) and the class check of a Node read inline
    ("{ twins { id twin { id name } parts { name count fits grade colour } } }", None),
    ("{ badThings { id twin { id } mainPart { count } parts { grade fits count } } }", None),
    ("{ badThings { id parts { fits } } }", None),
    # DateTime, Date and Decimal serialised inline, and their unusual values sent to the serialisers
    ("{ things { parts { made at price } mainPart { at price } } twins { parts { made at price } } }", None),
    ("{ badThings { id parts { made at price } mainPart { made at price } } }", None),
    # arguments from variables, defaults, and an argument refused at execution (reported for every Thing)
    ("query($i: Int!) { things { part(index: $i) { name } p1: part(index: 1) { tags } } }", {"i": 0}),
    ("query($i: Int = 0) { things { part(index: $i) { name } } }", {"i": None}),
]


def _json(result: Any) -> bytes:
    errors = [error.formatted for error in result.errors] if result.errors else None
    return orjson.dumps({"data": result.data, "errors": errors})


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_the_compiled_executor_answers_what_graphql_core_answers(
    document: str, variables: dict[str, Any] | None
) -> None:
    expected = await GRAPHQL_CORE.execute(document, variable_values=variables)

    actual = await COMPILED.execute(document, variable_values=variables)

    assert _json(actual) == _json(expected)


async def test_the_documents_cover_errors_and_nulls() -> None:
    results = [await GRAPHQL_CORE.execute(document, variable_values=variables) for document, variables in DOCUMENTS]

    messages = {error.message for result in results for error in result.errors or ()}
    assert "Cannot return null for non-nullable field Thing.name." in messages
    assert "attribute exploded" in messages
    assert "broken resolver" in messages
    assert {"broken before suspending", "broken after suspending"} <= messages
    assert "Expected value of type 'Thing' but got: <Gadget instance>." in messages
    assert "Cannot return null for non-nullable field Thing.parts." in messages
    assert "Expected value of type 'Thing' but got: <Thing instance>." in messages  # cast to Gadget
    assert "Int cannot represent non 32-bit signed integer value: 1099511627776" in messages
    assert "Enum 'Grade' cannot represent value: 'zzz'" in messages
    assert (
        "Argument 'index' has invalid value: Expected variable '$i' provided to non-null type 'Int!' not to be None."
        in messages
    )
    assert any(result.data is None for result in results)  # a null propagated to the top


async def test_the_plans_resolve_plain_fields_without_graphql_core(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = Executor.execute_field

    def spy(self: Executor, parent_type: Any, source: Any, field_list: Any, path: Any, context: Any) -> Any:
        calls.append(f"{parent_type.name}.{field_list[0].node.name.value}")
        return original(self, parent_type, source, field_list, path, context)

    monkeypatch.setattr(Executor, "execute_field", spy)
    document = (
        "{ things { id name colour shout parts { name colour weight tags } mainPart { name } "
        "part(index: 0) { name } } }"
    )

    result = await COMPILED.execute(document)

    assert result.errors is None
    assert result.data is not None
    assert [thing["shout"] for thing in result.data["things"]] == ["ALPHA", "BETA"]
    # Every field runs in the plans (the resolvers of `things`, `shout` and `part` are called by the plans, with the
    # same info and arguments): none goes through graphql-core's execute_field.
    assert calls == []


async def test_arguments_are_coerced_once_per_execution(monkeypatch: pytest.MonkeyPatch) -> None:
    coerced: list[str] = []
    original = compiled.get_argument_values

    def spy(field_def: Any, node: Any, *args: Any) -> Any:
        coerced.append(node.name.value)
        return original(field_def, node, *args)

    monkeypatch.setattr(compiled, "get_argument_values", spy)
    document = "query($i: Int!) { things { a: part(index: $i) { name } b: part(index: 0) { name } } }"

    first = await COMPILED.execute(document, variable_values={"i": 1})
    second = await COMPILED.execute(document, variable_values={"i": 0})

    assert first.errors is None and second.errors is None
    assert first.data == {"things": [{"a": {"name": "bolt"}, "b": {"name": "axle"}}, {"a": None, "b": None}]}
    assert second.data == {"things": [{"a": {"name": "axle"}, "b": {"name": "axle"}}, {"a": None, "b": None}]}
    assert coerced == ["part", "part"] * 2  # each field node once per execution, not once per Thing


async def test_argument_values_are_shared_by_an_operations_executions_with_the_same_plain_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled.clear_cache()
    # The parser cache hands back the same document for the same text (as the API's document cache does).
    schema = strawberry.Schema(query=Query, extensions=[lambda: ParserCache(maxsize=8)])
    compile_schema(schema)
    coerced: list[str] = []
    original = compiled.get_argument_values

    def spy(field_def: Any, node: Any, *args: Any) -> Any:
        coerced.append(node.name.value)
        return original(field_def, node, *args)

    monkeypatch.setattr(compiled, "get_argument_values", spy)
    document = "query($i: Int!) { things { part(index: $i) { name } p0: part(index: 0) { name } } }"

    answers = [(await schema.execute(document, variable_values={"i": i})).data for i in (0, 1, 0, 1)]

    axle, bolt = {"name": "axle"}, {"name": "bolt"}
    assert answers == [{"things": [{"part": p, "p0": axle}, {"part": None, "p0": None}]} for p in (axle, bolt) * 2]
    assert coerced == ["part", "part"] * 2  # the first two executions coerce; the next two reuse their values
    # Only plain values make a key: 1, 1.0 and True apart; a list or an input object is not shared.
    key = compiled.shared_arguments_key
    assert len({key((1, 2), {"i": 1}), key((1, 2), {"i": 1.0}), key((1, 2), {"i": True})}) == 3
    assert key((1, 2), {"i": 1, "t": ["x"]}) is None
    assert key((1, 2), {"f": {"a": 1}}) is None


@pytest.fixture
def plan_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The object types whose plans run_object runs (an object read inline by its parent's plan is not listed)."""
    compiled.clear_cache()
    runs: list[str] = []
    original = compiled.CompiledExecutionContext.run_object

    def spy(self: compiled.CompiledExecutionContext, plan: Any, source: Any, path: Any) -> Any:
        runs.append(plan.type.name)
        return original(self, plan, source, path)

    monkeypatch.setattr(compiled.CompiledExecutionContext, "run_object", spy)
    return runs


async def test_objects_with_pure_plans_are_read_inline_by_their_parents_plan(plan_runs: list[str]) -> None:
    result = await COMPILED.execute("{ things { name twin { id name } mainPart { name colour } maybeParts { name } } }")

    assert result.errors is None
    assert result.data is not None
    assert result.data["things"][0]["mainPart"] == {"name": "bolt", "colour": "BLUE"}
    assert result.data["things"][0]["maybeParts"] == [{"name": "axle"}, None]
    # the root and each Thing run their plans; the parts and the twins (a Node) are read inline
    assert plan_runs == ["Query", "Thing", "Thing"]


async def test_a_shortcut_answers_without_the_resolver_when_it_can() -> None:
    NICK_RESOLVER_CALLS.clear()
    compiled_result = await COMPILED.execute("{ things { nick } }")
    by_compiled = list(NICK_RESOLVER_CALLS)
    NICK_RESOLVER_CALLS.clear()
    core_result = await GRAPHQL_CORE.execute("{ things { nick } }")

    assert compiled_result.data == core_result.data == {"things": [{"nick": "alpha!"}, {"nick": "beta!"}]}
    assert by_compiled == ["beta"]  # alpha through the shortcut; beta's shortcut said UNRESOLVED
    assert NICK_RESOLVER_CALLS == ["alpha", "beta"]  # graphql-core's executor always calls the resolver


async def test_an_object_shortcut_is_read_inline_and_unresolved_sends_the_object_to_its_resolver(
    plan_runs: list[str],
) -> None:
    FIRST_PART_RESOLVER_CALLS.clear()
    result = await COMPILED.execute("{ things { name firstPart { name colour } } }")

    assert result.errors is None
    assert result.data == {
        "things": [
            {"name": "alpha", "firstPart": {"name": "axle", "colour": "RED"}},
            {"name": "beta", "firstPart": {"name": "spare", "colour": "BLUE"}},
        ]
    }
    assert FIRST_PART_RESOLVER_CALLS == ["beta"]  # alpha's part came from the shortcut
    # alpha's part was read inline by its Thing; beta's shortcut said UNRESOLVED, so that Thing ran through its
    # closures and its part (from the resolver) through the Part plan
    assert plan_runs == ["Query", "Thing", "Thing", "Part"]


async def test_a_plan_is_compiled_once_per_operation_and_directive_values() -> None:
    compiled.clear_cache()
    # The parser cache hands back the same document for the same text: that is what the plans are keyed on.
    schema = strawberry.Schema(query=Query, extensions=[lambda: ParserCache(maxsize=8)])
    compile_schema(schema)
    document = "query($s: Boolean!) { things { name @skip(if: $s) } }"

    results = [await schema.execute(document, variable_values={"s": skip}) for skip in (True, False, True, False)]

    assert [r.data for r in results] == [{"things": [{}, {}]}, {"things": [{"name": "alpha"}, {"name": "beta"}]}] * 2
    entries = [e for e in compiled._operations.values() if e.schema is schema._schema]
    assert len(entries) == 1
    assert sorted(entries[0].variants) == [(False,), (True,)]


class Tracing(SchemaExtension):
    """An extension with a `resolve` hook (as OpenTelemetry's and Apollo tracing's have)."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        return _next(root, info, *args, **kwargs)


@pytest.mark.parametrize("extension", [Tracing, lambda: Tracing()], ids=["class", "factory"])
def test_the_engine_refuses_a_schema_with_a_resolve_hook(extension: Any) -> None:
    schema = strawberry.Schema(query=Query, extensions=[extension])

    with pytest.raises(ResolveHookError, match="Tracing"):
        compile_schema(schema)

    assert schema.execution_context_class is not compiled.CompiledExecutionContext  # nothing changed


async def test_resolver_middleware_added_after_install_is_honoured_by_graphql_core() -> None:
    compiled.clear_cache()
    schema = strawberry.Schema(query=Query)
    compile_schema(schema)
    # added behind the engine's back: it steps aside rather than skip the hook
    schema.extensions = (*schema.extensions, Tracing)

    result = await schema.execute("{ things { name } }")

    assert result.errors is None
    assert result.data == {"things": [{"name": "alpha"}, {"name": "beta"}]}
    assert not any(e.schema is schema._schema for e in compiled._operations.values())


@engine_only
def test_the_api_schema_runs_queries_through_the_engine_and_stock_means_stock() -> None:
    from graphql import default_field_resolver
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    from api.schema import build_schema
    from exchange.settings import Settings

    engine = build_schema(Settings(execution_engine="compiled"))
    stock = build_schema(Settings(execution_engine="stock"))

    assert engine.execution_context_class is compiled.CompiledExecutionContext
    assert resolve_hooks(engine) == [] and resolve_hooks(build_schema(Settings(tracing=True))) == []
    # a page of bids answers each bid's bidder through its shortcut (api/execution/hot_types.py)
    bid_type = engine._schema.type_map["Bid"]
    assert isinstance(bid_type, GraphQLObjectType)
    assert hasattr(bid_type.fields["manufacturer"].resolve, "direct")
    assert stock.execution_context_class is StrawberryGraphQLCoreExecutionContext
    stock_resolvers = [
        field.resolve
        for graphql_type in stock._schema.type_map.values()
        for field in getattr(graphql_type, "fields", {}).values()
        if hasattr(field, "resolve") and field.resolve not in (None, default_field_resolver)
    ]
    assert stock_resolvers
    assert not any(
        hasattr(resolve, marker)
        for resolve in stock_resolvers
        for marker in ("direct", "needs_no_info", "plain_call", "leaf_type")
    )


async def test_plain_leaves_are_read_by_generated_code_and_anything_unusual_falls_back() -> None:
    compiled.clear_cache()
    result = await COMPILED.execute("{ things { parts { name colour weight tags } } }")
    assert result.errors is None
    [entry] = [e for e in compiled._operations.values() if e.schema is COMPILED._schema]
    [plans] = entry.variants.values()
    [part_plan] = [p for p in plans._object_plans.values() if p.type.name == "Part"]
    assert part_plan.generated is not None

    good = Part(name="axle", colour=Colour.RED, weight=None, tags=["a"])
    executor: Any = None  # the leaves need none; `tags` (a list) is the plan's own closure, which needs one
    leaves = [step for step in part_plan.steps if step[0] != "tags"]
    only_leaves = compiled_codegen.generate(
        [(key, run, may_await, getattr(run, "inline_spec", None)) for key, run, may_await in leaves],
        False,
        compiled._gather_fields,
    )
    assert only_leaves is not None
    assert only_leaves(executor, good, None) == {"name": "axle", "colour": "RED", "weight": None}
    nameless = Part(name=None, colour=Colour.RED, weight=1.0, tags=[])  # type: ignore[arg-type]
    assert only_leaves(executor, nameless, None) is compiled_codegen.SLOW  # a null in a non-null field
    assert only_leaves(executor, Exploding(), None) is compiled_codegen.SLOW  # an attribute that raises


class _RequestContext:
    """A stand-in for the request's Context: weakly referenceable, so a test can see when it is freed."""


async def test_an_executions_objects_are_freed_without_the_cyclic_gc() -> None:
    """graphql-core's executor keeps two of its own bound methods (`async_helpers`): a reference cycle that held the
    request's Context, Request, Response and some 45 more objects a request until a gen-0 collection. The engine's
    executor makes the helpers when read, so the context value is freed by reference counting once the result is
    out — with the cyclic GC off — and resolvers that ask info for the helpers still get working ones."""
    import gc
    import weakref

    context = _RequestContext()
    freed = weakref.ref(context)
    document = "{ things { id name shout parts { name } part(index: 0) { name } } }"
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        result = await COMPILED.execute(document, context_value=context)
        assert result.errors is None
        assert result.data is not None and len(result.data["things"]) == 2
        del context, result
        assert freed() is None
    finally:
        if was_enabled:
            gc.enable()
