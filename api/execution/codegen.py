"""Generated code for an object plan of compiled.py: its plain leaves (and plain objects) read in one function.

Most fields of a big page are leaves read straight from an attribute (fast_fields.py): a bid's status, an
organisation's name. The closure plan spends a few calls on each (the field's run, its resolver, the serialiser,
the checks); for a plan with such leaves this module writes one Python function that reads and serialises all of
them inline, then fills the response dict in the plan's order, calling the plan's closures for the other fields.

Same answers: the leaves are read first, before any other field runs (reading an attribute has no side effects),
and if anything is unusual — an exception, a null in a non-null field, a value the serialiser refuses, an
Exception instance as a value — the function returns SLOW and the object is run by the closure plan from the
start, which reports it exactly as graphql-core would. Only identifiers are written into the source — attribute
names that are Python identifiers (`source.name`), response keys that are GraphQL names (the dict display the
function returns) —; anything else is a constant of the function's namespace.

Objects too: a plan whose every field is read inline is `pure`, and a parent reads such an object field (or a
list of such objects: a bid's prices and bidder, a page's edges) by calling the object's generated function
itself, checking what complete_object would check (null, an exception as a value, Strawberry's isinstance check).
Nothing is written into the response until the whole object is read, so a SLOW anywhere below sends the parent
to its closures, which report it where graphql-core would. A field with a shortcut (hot_types.py) is read through it
(a pure function of the source); UNRESOLVED sends the parent to the closures, which call the resolver.
"""

from __future__ import annotations

import binascii
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from graphql import GraphQLBoolean, GraphQLEnumType, GraphQLID, GraphQLInt, GraphQLString
from graphql.pyutils import Undefined
from graphql.type.scalars import GRAPHQL_MAX_INT, GRAPHQL_MIN_INT
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

from api.execution.fast_fields import UNRESOLVED
from api.scalars import datetime_isoformat

SLOW = object()  # the generated function's answer when the closure plan must run the object
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


@dataclass(frozen=True, slots=True)
class LeafSpec:
    """What a leaf step reads: `attribute` of the source (as a Relay global id with `id_prefix` if given), and
    how it completes."""

    attribute: str
    id_prefix: str | None
    serialize: Callable[[Any], Any]
    non_null: bool
    # What a value of its commonest class serialises to without a call to the serialiser: "text" (String, ID: a
    # str is its own serialisation), "int" (an int within 32 bits), "bool", "enum" (a str value:
    # `enum_names[value]`), "decimal" (a Decimal, for a scalar serialised by `str`), "utc" (a datetime in UTC, for
    # api/scalars.py's DateTime: orjson's text, as datetime_isoformat writes it), "date" (a date, for a scalar
    # serialised by its isoformat()), or "".
    kind: str
    enum_names: dict[str, str] | None


def leaf_spec(resolve: Any, leaf_type: Any, non_null: bool) -> LeafSpec | None:
    attribute = getattr(resolve, "attribute", None)
    if attribute is None:
        return None
    kind = ""
    enum_names: dict[str, str] | None = None
    if leaf_type is GraphQLString or leaf_type is GraphQLID:
        kind = "text"
    elif leaf_type is GraphQLInt:
        kind = "int"
    elif leaf_type is GraphQLBoolean:
        kind = "bool"
    elif leaf_type.coerce_output_value is str:
        kind = "decimal"
    elif leaf_type.coerce_output_value is datetime_isoformat:
        kind = "utc"
    elif repr(leaf_type.coerce_output_value) == "operator.methodcaller('isoformat')":
        kind = "date"
    elif isinstance(leaf_type, GraphQLEnumType):
        # graphql-core's lookup (the first name of each value), for the str values: what coerce_output_value
        # answers for an exact str (Strawberry's enum type defers to it for anything not an Enum member).
        kind, enum_names = "enum", {}
        for name, enum_value in leaf_type.values.items():
            if enum_value.value.__class__ is str:
                enum_names.setdefault(enum_value.value, name)
    return LeafSpec(
        attribute=attribute,
        id_prefix=getattr(resolve, "id_prefix", None),
        serialize=leaf_type.coerce_output_value,
        non_null=non_null,
        kind=kind,
        enum_names=enum_names,
    )


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    """An object field (or a list of objects) whose own plan is read entirely inline (its plan is `pure`: only
    leaves and such objects). The value is `attribute` of the source, or what the field's `shortcut`
    (api/execution/hot_types.py) gives, UNRESOLVED sending the object to the closures."""

    attribute: str | None
    shortcut: Callable[[Any], Any] | None
    non_null: bool
    is_list: bool
    item_non_null: bool
    is_type_of: Callable[[Any, Any], Any] | None  # Strawberry's isinstance check, when the type has one
    # The Strawberry class and its subclasses (row views, api/execution/row_views.py): an instance of one of them
    # that is not cast to another type passes Strawberry's is_type_of (an isinstance check).
    classes: frozenset[type] | None
    generated: Callable[..., Any]  # the object's plan's generated function
    # The plan's fields (leaves, and objects read inline in their turn) when the parent may read them itself instead
    # of calling `generated`: an edge of a connection, a price, a bidder are written in the parent's own loop.
    fields: tuple[tuple[str, LeafSpec | ObjectSpec], ...] | None = None


InlineSpec = LeafSpec | ObjectSpec


def _key(i: int | str, key: str, namespace: dict[str, Any]) -> str:
    """A response key as a literal (a GraphQL name: letters, digits, underscores), else as a constant."""
    if _NAME.fullmatch(key):
        return repr(key)
    namespace[f"K{i}"] = key
    return f"K{i}"


def _read(i: int | str, attribute: str, namespace: dict[str, Any], source: str = "source") -> str:
    """`source.name` (a plain attribute read, cached by the interpreter) for an attribute that is an identifier,
    else getattr with the name as a constant: no other text from the schema goes into the source."""
    if attribute.isidentifier() and not keyword.iskeyword(attribute):
        return f"v{i} = {source}.{attribute}"
    namespace[f"A{i}"] = attribute
    return f"v{i} = getattr({source}, A{i})"


def _leaf_lines(i: int | str, spec: LeafSpec, namespace: dict[str, Any], source: str = "source") -> list[str]:
    """Read and serialise one leaf of `source` into c{i}; SLOW for anything the closures must report."""
    namespace[f"S{i}"] = spec.serialize
    lines = [_read(i, spec.attribute, namespace, source)]
    if spec.id_prefix is not None:
        # fast_fields._global_id: base64 of "Type:value"
        namespace[f"P{i}"] = spec.id_prefix
        lines.append(f'v{i} = b2a_base64(f"{{P{i}}}{{v{i}}}".encode(), newline=False).decode()')
    lines.append(f"if v{i} is None:")
    lines.append("    return SLOW" if spec.non_null else f"    c{i} = None")
    if spec.kind == "text":
        lines += [f"elif v{i}.__class__ is str:", f"    c{i} = v{i}"]
    elif spec.kind == "int":
        lines += [f"elif v{i}.__class__ is int and {GRAPHQL_MIN_INT} <= v{i} <= {GRAPHQL_MAX_INT}:", f"    c{i} = v{i}"]
    elif spec.kind == "bool":
        lines += [f"elif v{i}.__class__ is bool:", f"    c{i} = v{i}"]
    elif spec.kind == "decimal":
        lines += [f"elif v{i}.__class__ is Decimal:", f"    c{i} = str(v{i})"]
    elif spec.kind == "utc":
        lines += [f"elif v{i}.__class__ is datetime and v{i}.tzinfo is UTC:", f"    c{i} = dumps(v{i})[1:-1].decode()"]
    elif spec.kind == "date":
        lines += [f"elif v{i}.__class__ is date:", f"    c{i} = v{i}.isoformat()"]
    elif spec.kind == "enum":
        namespace[f"E{i}"] = spec.enum_names
        lines += [f"elif v{i}.__class__ is str and v{i} in E{i}:", f"    c{i} = E{i}[v{i}]"]
    lines.append(f"elif isinstance(v{i}, Exception):")
    lines.append("    return SLOW")
    lines.append("else:")
    lines.append(f"    c{i} = S{i}(v{i})")
    lines.append(f"    if c{i} is None or c{i} is Undefined:")
    lines.append("        return SLOW")
    return lines


# How deep a parent writes the objects below it into its own code before calling their generated functions (each
# level of lists nests a loop and its checks: Python allows 20 nested blocks).
MAX_INLINE_DEPTH = 3


def _object_lines(
    i: int | str, spec: ObjectSpec, namespace: dict[str, Any], source: str = "source", depth: int = 0
) -> list[str]:
    """The object (or each object of the list) completed by its plan's generated function, or read right here when
    its fields may be (`spec.fields`); anything graphql-core would report (a null where none may be, a value of the
    wrong type, an exception as a value) or that the generated function refuses sends the parent to its closures
    (SLOW). Names are the field's own (x{i}, d{i}, a{i}), so that an object read inside another's loop keeps its
    parent's."""
    x, d = f"x{i}", f"d{i}"
    if spec.shortcut is not None:
        namespace[f"D{i}"] = spec.shortcut
        lines = [f"v{i} = D{i}({source})", f"if v{i} is UNRESOLVED:", "    return SLOW"]
    else:
        lines = [_read(i, spec.attribute, namespace, source)]  # type: ignore[arg-type]  # an ObjectSpec has one or the other
    lines.append(f"if v{i} is None:")
    lines.append("    return SLOW" if spec.non_null else f"    c{i} = None")
    check = []
    if spec.is_type_of is not None:
        namespace[f"T{i}"] = spec.is_type_of
        check = [f"if not T{i}({x}, None):", "    return SLOW"]
        if spec.classes is not None:
            namespace[f"O{i}"] = spec.classes
            check = [
                f"if ({x}.__class__ not in O{i} or CAST in {x}.__dict__) and not T{i}({x}, None):",
                "    return SLOW",
            ]
    if spec.fields is not None and depth < MAX_INLINE_DEPTH:
        # Its fields read right here, as its generated function would read them, and its dict made in place.
        made = []
        for j, (_, field) in enumerate(spec.fields):
            if isinstance(field, LeafSpec):
                made += _leaf_lines(f"{i}_{j}", field, namespace, x)
            else:
                made += _object_lines(f"{i}_{j}", field, namespace, x, depth + 1)
        display = ", ".join(f"{_key(f'{i}_{j}', key, namespace)}: c{i}_{j}" for j, (key, _) in enumerate(spec.fields))
        made.append(f"{d} = {{{display}}}")
    else:
        namespace[f"G{i}"] = spec.generated
        made = [f"{d} = G{i}(executor, {x}, None)", f"if {d} is SLOW:", "    return SLOW"]
    complete = [f"if isinstance({x}, Exception):", "    return SLOW", *check, *made]
    if spec.is_type_of is not None and spec.classes is not None:
        if not any(issubclass(cls, BaseException) for cls in spec.classes):
            # An instance of one of the classes (none an Exception) that is not cast: no further check.
            complete = [
                f"if {x}.__class__ not in O{i} or CAST in {x}.__dict__:",
                f"    if isinstance({x}, Exception) or not T{i}({x}, None):",
                "        return SLOW",
                *made,
            ]
    if not spec.is_list:
        lines += ["else:", f"    {x} = v{i}", *("    " + line for line in complete), f"    c{i} = {d}"]
        return lines
    # a null item: an error for a non-null item (graphql-core's message, from the closures), else null
    null_item = ["    return SLOW"] if spec.item_non_null else [f"    a{i}(None)", "    continue"]
    lines += [
        f"elif v{i}.__class__ is not list and v{i}.__class__ is not tuple:",
        "    return SLOW",
        "else:",
        f"    c{i} = []",
        f"    a{i} = c{i}.append",
        f"    for {x} in v{i}:",
        *("        " + line for line in [f"if {x} is None:", *null_item, *complete]),
        f"        a{i}({d})",
    ]
    return lines


def _other_parts(carried: Any, planned: Any) -> None:
    """An object carrying JSON for another selection than its plan's: never, by construction (api/execution/
    sql_json.py); it has no columns to complete it from, so it is reported rather than answered wrong."""
    raise RuntimeError(f"an object carries its JSON for {carried!r}, its plan selects {planned!r}")


def generate(
    steps: list[tuple[str, Any, bool, InlineSpec | None]],
    may_await: bool,
    gather_fields: Callable[..., Any],
    json_parts: Any = None,
) -> Callable[..., Any] | None:
    """fn(executor, source, path) -> the object's completed fields (or an awaitable of them, `gather_fields`
    gathering the awaitable ones as the closure plan does), or SLOW; None when the plan has nothing to read
    inline. Steps with a spec are read inline, first and in order; the others run their closures. With
    `json_parts` (api/execution/sql_json.py: the plan's fields as PostgreSQL writes them), a source that carries
    its JSON for exactly these parts (`source.sql_json`, (parts, text)) is answered with the text as it is."""
    inline = [(i, spec) for i, (_, _, _, spec) in enumerate(steps) if spec is not None]
    if not inline and json_parts is None:
        return None
    namespace: dict[str, Any] = {
        "SLOW": SLOW,
        "UNRESOLVED": UNRESOLVED,
        "Undefined": Undefined,
        "Exception": Exception,
        "isinstance": isinstance,
        "str": str,
        "list": list,
        "tuple": tuple,
        "getattr": getattr,
        "b2a_base64": binascii.b2a_base64,
        "Decimal": Decimal,
        "datetime": datetime,
        "date": date,
        "UTC": UTC,
        "dumps": orjson.dumps,
        "CAST": TYPE_CAST_ATTRIBUTE,
        "gather_fields": gather_fields,
        "PARTS": json_parts,
        "Fragment": orjson.Fragment,
        "raise_other": _other_parts,
    }
    lines = ["def generated(executor, source, path):"]
    if json_parts is not None:
        lines += [
            "    j = getattr(source, 'sql_json', None)",
            "    if j is not None:",
            "        if j[0] is PARTS or j[0] == PARTS:",
            "            return Fragment(j[1])",
            "        raise_other(j[0], PARTS)",
        ]
    lines.append("    try:")
    if not inline:
        lines.append("        pass")
    for i, inline_spec in inline:
        if isinstance(inline_spec, LeafSpec):
            read = _leaf_lines(i, inline_spec, namespace)
        else:
            read = _object_lines(i, inline_spec, namespace)
        lines += ["        " + line for line in read]
    lines += ["    except Exception:", "        return SLOW"]
    # The response dict: the leading inline fields in one dict display (the whole object for a pure plan), in
    # the plan's order; then the closures' fields as they run.
    leading = next((i for i, (*_, spec) in enumerate(steps) if spec is None), len(steps))
    display = ", ".join(f"{_key(i, steps[i][0], namespace)}: c{i}" for i in range(leading))
    if leading == len(steps):
        lines.append(f"    return {{{display}}}")
        exec(compile("\n".join(lines), "<compiled object plan>", "exec"), namespace)
        return namespace["generated"]
    lines.append(f"    results = {{{display}}}")
    if may_await:
        lines += ["    is_awaitable = executor.is_awaitable", "    awaitable_fields = []", "    try:"]
    indent = "        " if may_await else "    "
    for i, (key, _run, step_may_await, spec) in enumerate(steps):
        if i < leading:
            continue
        namespace[f"K{i}"] = key
        if spec is not None:
            lines.append(f"{indent}results[K{i}] = c{i}")
            continue
        namespace[f"R{i}"] = _run
        if not may_await:
            lines.append(f"{indent}results[K{i}] = R{i}(executor, source, path)")
            continue
        lines.append(f"{indent}value = R{i}(executor, source, path)")
        lines.append(f"{indent}if value is not Undefined:")
        lines.append(f"{indent}    results[K{i}] = value")
        if step_may_await:
            lines.append(f"{indent}    if is_awaitable(value):")
            lines.append(f"{indent}        awaitable_fields.append(K{i})")
    if may_await:
        lines += [
            "    except Exception:",
            "        if awaitable_fields:",
            "            executor.settle_in_background([results[key] for key in awaitable_fields])",
            "        raise",
            "    if awaitable_fields:",
            "        return gather_fields(results, awaitable_fields)",
        ]
    lines.append("    return results")
    exec(compile("\n".join(lines), "<compiled object plan>", "exec"), namespace)
    return namespace["generated"]
