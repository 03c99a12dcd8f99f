"""Objects whose JSON PostgreSQL writes: which selections qualify, and how the plans splice the text.

Why: on a page of ~1,000 bids the server's Python spends most of its time on each bid's columns — asyncpg decoding
them, a row view, money conversions, the generated plan reading each field, orjson encoding them — where
PostgreSQL writes the same JSON text in microseconds (PostGraphile's approach). bench/README.md has the figures.

What: a selection on a row-backed type (hot_types.SQL_JSON) qualifies when every one of its fields is a plain
column of the row (a field without resolver or permission extension, read by fast_fields from the attribute of the
same name, whose column type writes the same JSON as the field's serialiser: text, a 32-bit integer, a boolean, a
UTC timestamp, a date, an enum column NOT NULL, the Relay id of a uuid), its __typename, money (amount and currency
of the row's minor units), or an object of the same kinds read from a relation the read joins (a bid's bidder).
Whole objects only: one field that does not qualify (a resolver, an argument, a viewer-dependent flag) and the object
is completed by the plans as before. `parts_for` turns such a selection into domain/sql_json.py `Part`s: the
answer's keys in the selection's order (aliases included), each with its column.

How it flows: a list resolver (api/orders/bids.py for a page of bids, api/orders/queries.py for the board's orders)
asks `parts_below(info, nodes, path)` for the parts of the objects it will return, while the compiled plans run the
operation (the stock executor never asks for them and never gets them); the read returns each row's text, and the
area hands each object its `(parts, text)` as `sql_json`. The object's plan (compiled.py), which computed its parts
from the same collected fields, returns `orjson.Fragment(text)` when the object carries its own parts, and the
response's encoder copies the text unparsed. Both sides collect the fields with graphql-core's collect_subfields
over the same field nodes, so an object never carries text for another selection; parts are interned, so the plan
usually compares them by identity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLString,
    get_named_type,
)
from graphql.execution.collect_fields import FieldDetails, collect_subfields
from sqlalchemy import Boolean, Date, DateTime, Integer, String, Uuid
from sqlalchemy import Enum as SAEnum

from api.context import Info
from api.execution.codegen import leaf_spec
from domain.sql_json import Part, Parts, connection_part

PLANS = "api.execution.sql_json:plans"  # the context memo's key for the operation's plans while they run it

_interned: dict[Parts, Parts] = {}
MAX_INTERNED = 1024


def intern(parts: Parts) -> Parts:
    found = _interned.get(parts)
    if found is None:
        if len(_interned) >= MAX_INTERNED:
            _interned.clear()  # then equal parts of other objects: the plans compare by equality after identity
        found = _interned[parts] = parts
    return found


class RowType:
    """A GraphQL type read from rows of `model`'s table: `money` fields (field name -> (minor units column,
    currency column)), `relations` (field name -> (relation the read joins, its GraphQL type's name)) and
    `objects` (field name -> the GraphQL type's name of an object read from the same row: an order's budget),
    `connections` (field name -> (the relation the read builds the connection's text in, the nodes' GraphQL type's
    name): an order's `bids`, whose arguments the read takes from the field, not from the parts);
    `renames`: a field's attribute -> its column when they differ (Budget.includes_vat: budget_includes_vat). `root`:
    a read may bring its objects' JSON (its plans check for it); else it is only written inside another's."""

    def __init__(
        self,
        model: type,
        money: dict[str, tuple[str, str]] | None = None,
        relations: dict[str, tuple[str, str]] | None = None,
        *,
        objects: dict[str, str] | None = None,
        connections: dict[str, tuple[str, str]] | None = None,
        renames: dict[str, str] | None = None,
        root: bool = False,
    ) -> None:
        self.columns = model.__table__.c  # type: ignore[attr-defined]
        self.money = money or {}
        self.relations = relations or {}
        self.objects = objects or {}
        self.connections = connections or {}
        self.renames = renames or {}
        self.root = root


# GraphQL type name -> RowType: the API's row-backed types (api/execution/hot_types.py SQL_JSON, set by install)
TYPES: dict[str, RowType] = {}


def parts_for(
    plans: Any, object_type: GraphQLObjectType, grouped: dict[str, Any], types: dict[str, RowType], *, top: bool = True
) -> Parts | None:
    """The parts of an object's collected fields (key -> field details list), or None if one does not qualify."""
    row_type = types.get(object_type.name)
    if row_type is None or not grouped:
        return None
    parts: list[Part] = []
    for key, field_list in grouped.items():
        node: FieldNode = field_list[0].node
        name = node.name.value
        if name == "__typename" and not node.arguments:
            parts.append(_typename(key, object_type))
            continue
        field = object_type.fields.get(name)
        if field is None:
            return None
        connection = row_type.connections.get(name) if top else None
        if connection is not None:
            if any(part.kind == "connection" for part in parts):
                return None  # one connection an object: the read builds one
            found = _connection_parts(plans, field, field_list, connection[1], types)
            if found is None:
                return None
            parts.append(Part(key, "connection", connection[0], found))
            continue
        if node.arguments:
            return None
        money = row_type.money.get(name)
        relation = row_type.relations.get(name) if top else None
        same_row = row_type.objects.get(name)
        if same_row is not None:
            inner = get_named_type(field.type)
            if not isinstance(field.type, GraphQLNonNull) or not isinstance(inner, GraphQLObjectType):
                return None
            sub = _collect(plans, inner, field_list)
            if sub is None or inner.name != same_row:
                return None
            found = parts_for(plans, inner, sub, types, top=False)
            if found is None:
                return None
            parts.append(Part(key, "object", None, found))
            continue
        if money is not None or relation is not None:
            inner = get_named_type(field.type)
            if not isinstance(field.type, GraphQLNonNull) or not isinstance(inner, GraphQLObjectType):
                return None
            sub = _collect(plans, inner, field_list)
            if sub is None:
                return None
            if money is not None:
                found = _money_parts(inner, sub, *money)
                if found is None:
                    return None
                parts.append(Part(key, "object", None, found))
            else:
                assert relation is not None
                if inner.name != relation[1]:
                    return None
                found = parts_for(plans, inner, sub, types, top=False)
                if found is None:
                    return None
                parts.append(Part(key, "object", relation[0], found))
            continue
        leaf = _leaf_part(key, field, row_type)
        if leaf is None:
            return None
        parts.append(leaf)
    return tuple(parts)


def _plain_fields(grouped: dict[str, Any]) -> list[tuple[str, str, Any]] | None:
    """Each collected field's (response key, field name, field details list) — None when one takes arguments (a
    small object's fields never do, and one that does is not written as JSON)."""
    named = []
    for key, fields in grouped.items():
        node = fields[0].node
        if node.arguments:
            return None
        named.append((key, node.name.value, fields))
    return named


def _typename(key: str, object_type: GraphQLObjectType) -> Part:
    return Part(key, "const", None, f'"{object_type.name}"')


def _connection_parts(
    plans: Any, field: Any, field_list: Any, node_type: str, types: dict[str, RowType]
) -> Parts | None:
    """The parts of a first page's connection (domain/sql_json.py connection_text): __typename, `edges` (each edge's
    node — whose parts must qualify —, cursor, __typename) and `pageInfo`; None for anything else."""
    connection_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else None
    if not isinstance(connection_type, GraphQLObjectType):
        return None
    grouped = _collect(plans, connection_type, field_list)
    if grouped is None:
        return None
    named = _plain_fields(grouped)
    if named is None:
        return None
    parts: list[Part] = []
    for key, name, fields in named:
        if name == "__typename":
            parts.append(_typename(key, connection_type))
        elif name == "edges":
            edge_type = get_named_type(connection_type.fields[name].type)
            edges = _collect(plans, edge_type, fields)
            found = _edge_parts(plans, edge_type, edges, node_type, types) if edges is not None else None
            if found is None:
                return None
            parts.append(Part(key, "edges", None, found))
        elif name == "pageInfo":
            info_type = get_named_type(connection_type.fields[name].type)
            page_info = _collect(plans, info_type, fields)
            found = _page_info_parts(info_type, page_info) if page_info is not None else None
            if found is None:
                return None
            parts.append(Part(key, "page_info", None, found))
        else:
            return None
    return tuple(parts)


def _edge_parts(
    plans: Any, edge_type: GraphQLObjectType, grouped: dict[str, Any], node_type: str, types: dict[str, RowType]
) -> Parts | None:
    named = _plain_fields(grouped)
    if named is None:
        return None
    parts: list[Part] = []
    for key, name, fields in named:
        if name == "__typename":
            parts.append(_typename(key, edge_type))
        elif name == "cursor":
            parts.append(Part(key, "cursor", None, None))
        elif name == "node":
            inner = get_named_type(edge_type.fields[name].type)
            if inner.name != node_type or not isinstance(inner, GraphQLObjectType):
                return None
            sub = _collect(plans, inner, fields)
            found = parts_for(plans, inner, sub, types) if sub is not None else None
            if found is None:
                return None
            parts.append(Part(key, "node", None, found))
        else:
            return None
    return tuple(parts)


# pageInfo's fields -> their parts' kinds (hasPreviousPage: always false on a first page)
_PAGE_INFO = {"hasNextPage": "has_next", "startCursor": "start_cursor", "endCursor": "end_cursor"}


def _page_info_parts(info_type: GraphQLObjectType, grouped: dict[str, Any]) -> Parts | None:
    named = _plain_fields(grouped)
    if named is None:
        return None
    parts: list[Part] = []
    for key, name, _fields in named:
        if name == "__typename":
            parts.append(_typename(key, info_type))
        elif name == "hasPreviousPage":
            parts.append(Part(key, "const", None, "false"))
        elif name in _PAGE_INFO:
            parts.append(Part(key, _PAGE_INFO[name], None, None))
        else:
            return None
    return tuple(parts)


def _collect(plans: Any, object_type: GraphQLObjectType, field_list: Any) -> dict[str, Any] | None:
    grouped, defers, _forbidden = collect_subfields(
        plans.schema,
        plans.fragments,
        plans.variable_values,
        plans.operation,
        object_type,
        field_list,
        plans.hide_suggestions,
    )
    return None if defers else dict(grouped)


def _money_parts(money_type: GraphQLObjectType, grouped: dict[str, Any], minor: str, currency: str) -> Parts | None:
    named = _plain_fields(grouped)
    if named is None:
        return None
    parts = []
    for key, name, _fields in named:
        if name == "__typename":
            parts.append(_typename(key, money_type))
        elif name == "amount":
            parts.append(Part(key, "amount", minor, currency))
        elif name == "currency":
            parts.append(Part(key, "text", currency, False))
        else:
            return None
    return tuple(parts)


def _leaf_part(key: str, field: Any, row_type: RowType) -> Part | None:
    resolve = field.resolve
    attribute = getattr(resolve, "attribute", None)
    if attribute is None:
        return None
    attribute = row_type.renames.get(attribute, attribute)
    if attribute not in row_type.columns:
        return None
    column = row_type.columns[attribute]
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf_type = field.type.of_type if non_null else field.type
    if not isinstance(leaf_type, GraphQLScalarType | GraphQLEnumType):
        return None  # a list (an order's required certifications) or an object: left to the plans
    if non_null and column.nullable:
        return None  # a NULL is an error of the field: the plans report it
    nullable = bool(column.nullable)
    id_prefix = getattr(resolve, "id_prefix", None)
    sql_type = column.type
    if id_prefix is not None:
        return Part(key, "gid", attribute, id_prefix) if isinstance(sql_type, Uuid) and not nullable else None
    spec = leaf_spec(resolve, leaf_type, non_null)
    if spec is None:
        return None
    kind = spec.kind
    if isinstance(sql_type, SAEnum):
        if kind != "enum" or nullable or spec.enum_names is None or not isinstance(leaf_type, GraphQLEnumType):
            return None
        stored = list(sql_type.enums)
        if any(value not in spec.enum_names for value in stored):
            return None
        return Part(key, "enum", attribute, tuple((value, spec.enum_names[value]) for value in stored))
    if kind == "enum" and isinstance(sql_type, String):
        # A vocabulary stored as text (an order's process): every value the enum names; a row holding another
        # makes the text NULL (no CASE branch), which the read refuses rather than answer differently.
        if nullable or not spec.enum_names or not isinstance(leaf_type, GraphQLEnumType):
            return None
        return Part(key, "enum", attribute, tuple(spec.enum_names.items()))
    if kind == "text" and leaf_type is GraphQLString and isinstance(sql_type, String):
        return Part(key, "text", attribute, nullable)
    if kind == "int" and leaf_type is GraphQLInt and type(sql_type) is Integer:
        return Part(key, "int", attribute, nullable)
    if kind == "bool" and leaf_type is GraphQLBoolean and isinstance(sql_type, Boolean):
        return Part(key, "bool", attribute, nullable)
    if kind == "utc" and isinstance(sql_type, DateTime) and sql_type.timezone:
        return Part(key, "utc", attribute, nullable)
    if kind == "date" and type(sql_type) is Date:
        return Part(key, "date", attribute, nullable)
    return None  # an ID without a Relay prefix, a Decimal, a custom scalar: left to the plans


def parts_below(
    info: Info, parent: str, nodes: Sequence[FieldNode], path: Sequence[str], types: dict[str, RowType]
) -> Parts | None:
    """The interned parts of the objects that the field `nodes` (of the type `parent`: the field being resolved, or
    one below it) reach by `path` (e.g. edges, node; empty: the field's own object), when the compiled plans run
    this operation and the path leads to one selection that qualifies; else None. Decided once per operation plans
    (one operation, one set of @skip/@include values: all the answer depends on) and field nodes: the same
    document's nodes are the same objects in every request, and are kept and compared by identity, so a reused id
    never matches."""
    context = info.context
    memo = getattr(context, "memo", None)
    plans = memo.get(PLANS) if memo is not None else None
    raw = info._raw_info
    if plans is None or plans.operation is not raw.operation:
        return None
    below = plans.json_below
    key = (*map(id, nodes), *path)
    known = below.get(key)
    if known is not None and len(known[0]) == len(nodes) and all(a is b for a, b in zip(known[0], nodes, strict=True)):
        return known[1]
    found = None
    parent_type: Any = plans.schema.get_type(parent)
    object_type: Any = get_named_type(parent_type.fields[nodes[0].name.value].type)
    field_list: Any = [FieldDetails(node, None) for node in nodes]
    reached = isinstance(object_type, GraphQLObjectType)
    for name in path:
        grouped = _collect(plans, object_type, field_list) if reached else None
        if grouped is None:
            reached = False
            break
        matching = [(k, fl) for k, fl in grouped.items() if fl[0].node.name.value == name]
        if len(matching) != 1:
            reached = False
            break
        field_list = matching[0][1]
        object_type = get_named_type(object_type.fields[name].type)
        if not isinstance(object_type, GraphQLObjectType):
            reached = False
            break
    if reached:
        sub = _collect(plans, object_type, field_list)
        parts = parts_for(plans, object_type, sub, types) if sub is not None else None
        if parts is not None and path and connection_part(parts) is not None:
            parts = None  # a connection inside each object of a list: only a read of one object builds it
        found = intern(parts) if parts is not None else None
    if len(below) >= MAX_INTERNED:
        below.clear()
    below[key] = (tuple(nodes), found)
    return found
