"""Every root field, query and mutation, driven with arguments generated from the schema and hostile strings, as
anonymous, buyer, manufacturer and operator: no HTTP 5xx, no error without a code, no SQL or traceback in any
answer, nothing logged above warning, and every pooled connection back (tests/api/conftest.py).

Bounded for CI: derandomized (the same examples on every run), a fixed number of them, no deadline per example
(the machine is shared); it finishes in well under a minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import structlog
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from graphql.pyutils import Undefined
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from api.schema import build_schema
from exchange.settings import Environment, Settings
from tests.api.contracts import operator
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock

SCHEMA: GraphQLSchema = build_schema(Settings(env=Environment.test))._schema
ROOT_FIELDS: list[tuple[str, str, GraphQLField]] = [
    (kind, name, field)
    for kind, root in (("query", SCHEMA.query_type), ("mutation", SCHEMA.mutation_type))
    if root is not None
    for name, field in sorted(root.fields.items())
    if name != "signOut"  # it would end the session the other examples of its role sign in with
]
ROLES = ("anonymous", "buyer", "manufacturer", "operator")

HOSTILE_STRINGS = [
    "",
    " ",
    "\u202e\u200f\u200b",
    "' OR 1=1 --",
    "'; DROP TABLE app_user; --",
    "%s%s%n",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    " 12",
    "1E+2",
    "\u0661\u0662",
    "NaN",
    "-1",
    "99999999999999999999999999",
    "x" * 5000,
    "ы" * 300,
    "\U0001f600" * 50,
    "RU-MOW",
    "T3JkZXI6MQ==",
    "bm90IGEgZ2xvYmFsIGlk",
    "null",
    "true",
    "2026-13-45",
    "2026-12-05T25:61:00Z",
]
# What no answer may contain: SQL, driver and Python internals.
LEAKS = re.compile(
    r"Traceback|File \"|sqlalchemy|asyncpg|psycopg|SELECT |INSERT INTO|UPDATE |DELETE FROM|\[SQL:|"
    r"Background on this error|InFailedSqlTransaction|RecursionError|KeyError|AttributeError|TypeError",
)


@dataclass
class World:
    parties: dict[str, Party | None]
    ids: list[str]  # global IDs of real things of every kind, for ID arguments


def ids_of(world: World) -> st.SearchStrategy[str]:
    fake_types = ["Order", "Bid", "Contract", "Organisation", "User", "PaymentInstruction", "Nope"]
    made_up = st.builds(lambda t, u: str(relay.GlobalID(t, str(u))), st.sampled_from(fake_types), st.uuids(version=4))
    return st.one_of(st.sampled_from(world.ids), made_up, st.sampled_from(HOSTILE_STRINGS))


def strings() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=40))


def scalar_values(scalar: GraphQLScalarType, world: World) -> st.SearchStrategy[Any]:
    name = scalar.name
    if name == "Int":
        return st.one_of(st.sampled_from([0, 1, -1, 20, 100, 101, 2**31 - 1, -(2**31)]), st.integers(-5, 500))
    if name == "Float":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32), st.sampled_from([0.0, -1.0]))
    if name == "Boolean":
        return st.booleans()
    if name == "ID":
        return ids_of(world)
    if name == "Decimal":
        return mostly(st.sampled_from(["0", "1.50", "100000.00", "-5", "1E+2", " 12", "0.001"]), strings())
    if name == "Date":
        return mostly(st.dates().map(lambda d: d.isoformat()), strings())
    if name == "DateTime":
        return st.one_of(
            st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(lambda d: d.isoformat()), strings()
        )
    if name == "JSON":
        return st.one_of(st.none(), st.integers(), strings(), st.dictionaries(strings(), st.integers(), max_size=3))
    return strings()


def mostly(valid: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`valid` four times in five: a value that coerces reaches the resolver, which is where faults hide."""
    return st.integers(0, 4).flatmap(lambda n: other if n == 0 else valid)


def input_values(
    type_: GraphQLInputType, world: World, depth: int = 0, *, allow_null: bool = True
) -> st.SearchStrategy[Any]:
    if isinstance(type_, GraphQLNonNull):
        return input_values(type_.of_type, world, depth, allow_null=False)
    nullable: st.SearchStrategy[Any]
    if isinstance(type_, GraphQLList):
        nullable = st.lists(input_values(type_.of_type, world, depth + 1), max_size=3)
    elif isinstance(type_, GraphQLEnumType):
        nullable = st.sampled_from(sorted(type_.values))
    elif isinstance(type_, GraphQLInputObjectType):
        if depth > 3:
            return st.just({})
        required = {
            name: input_values(field.type, world, depth + 1)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
        optional = {
            name: input_values(field.type, world, depth + 1)
            for name, field in type_.fields.items()
            if name not in required
        }
        nullable = st.fixed_dictionaries(required, optional=optional)
    else:
        nullable = scalar_values(type_, world)
    return mostly(nullable, st.none()) if allow_null else nullable


def selection(type_: Any) -> str:
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return ""
    parts = ["__typename"]
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        scalars = [
            name
            for name, field in named.fields.items()
            if isinstance(get_named_type(field.type), GraphQLScalarType | GraphQLEnumType) and not field.args
        ]
        parts.extend(scalars[:6])
    if isinstance(named, GraphQLUnionType):
        parts.append("... on UserError { code message field }")
        for member in named.types:
            parts.append(f"... on {member.name} {selection(member)}")
    return "{ " + " ".join(parts) + " }"


def document(kind: str, name: str, field: GraphQLField, given: dict[str, Any]) -> str:
    declared = ", ".join(f"${arg}: {field.args[arg].type}" for arg in given)
    passed = ", ".join(f"{arg}: ${arg}" for arg in given)
    head = f"{kind} Probe({declared})" if declared else f"{kind} Probe"
    return f"{head} {{ {name}{f'({passed})' if passed else ''} {selection(field.type)} }}"


@st.composite
def calls(draw: st.DrawFn, world: World) -> tuple[str, str, dict[str, Any], str]:
    kind, name, field = draw(st.sampled_from(ROOT_FIELDS))
    variables: dict[str, Any] = {}
    for arg_name, arg in field.args.items():
        must = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        if must or draw(st.booleans()):
            variables[arg_name] = draw(input_values(arg.type, world))
    if variables and draw(st.integers(0, 9)) == 0:  # now and then a value of the wrong type altogether
        variables[draw(st.sampled_from(sorted(variables)))] = draw(st.one_of(st.integers(), strings(), st.just({})))
    role = draw(st.sampled_from(ROLES))
    return document(kind, name, field, variables), name, variables, role


@pytest.fixture
async def world(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> World:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    order_id = await create_order(gql, buyer, clock)
    draft_id = await create_order(gql, buyer, clock, publish=False)
    bid_id = await place_bid(gql, maker, order_id, clock)
    return World(
        parties={"anonymous": None, "buyer": buyer, "manufacturer": maker, "operator": ops},
        ids=[order_id, draft_id, bid_id, buyer.organisation_id, maker.organisation_id, buyer.user_id],
    )


def test_every_root_field_is_in_the_draw() -> None:
    names = {name for _, name, _ in ROOT_FIELDS}
    assert {"orders", "order", "node", "signIn", "signUp", "placeBid", "createOrder", "resetPassword"} <= names
    assert len(ROOT_FIELDS) > 60


@settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
async def test_every_root_field_answers_cleanly_whatever_it_is_sent(
    data: st.DataObject, world: World, client: httpx.AsyncClient
) -> None:
    query, _, variables, role = data.draw(calls(world))
    party = world.parties[role]
    headers = {"Authorization": f"Bearer {party.token}"} if party else {}

    with structlog.testing.capture_logs() as logs:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)

    assert response.status_code < 500, (query, variables, response.text)
    assert response.status_code in (200, 400, 413), (query, variables, response.text)
    assert not LEAKS.search(response.text), (query, variables, response.text)
    body = response.json()
    for error in body.get("errors") or []:
        assert (error.get("extensions") or {}).get("code"), (query, variables, error)
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (query, variables, error)
    loud = [entry for entry in logs if entry["log_level"] in ("error", "critical", "exception")]
    warnings = [entry for entry in logs if entry["log_level"] == "warning"]
    assert not loud, (query, variables, loud)
    assert not warnings, (query, variables, warnings)
