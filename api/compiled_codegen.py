"""Generated code for an object plan of api/compiled.py: its plain leaves read in one function.

Most fields of a big page are leaves read straight from an attribute (api/fast_fields.py): a bid's status, an
organisation's name. The closure plan spends a few calls on each (the field's run, its resolver, the serialiser,
the checks); for a plan with such leaves this module writes one Python function that reads and serialises all of
them inline, then fills the response dict in the plan's order, calling the plan's closures for the other fields.

Same answers: the leaves are read first, before any other field runs (reading an attribute has no side effects),
and if anything is unusual — an exception, a null in a non-null field, a value the serialiser refuses, an
Exception instance as a value — the function returns SLOW and the object is run by the closure plan from the
start, which reports it exactly as graphql-core would. Names and attributes are never written into the source:
they are constants of the function's namespace.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLID, GraphQLString
from graphql.pyutils import Undefined

SLOW = object()  # the generated function's answer when the closure plan must run the object


@dataclass(frozen=True, slots=True)
class LeafSpec:
    """What a leaf step reads: `attribute` of the source (as a Relay global id with `id_prefix` if given), and
    how it completes."""

    attribute: str
    id_prefix: str | None
    serialize: Callable[[Any], Any]
    non_null: bool
    text: bool  # String or ID: a str is its own serialisation


def leaf_spec(resolve: Any, leaf_type: Any, non_null: bool) -> LeafSpec | None:
    attribute = getattr(resolve, "attribute", None)
    if attribute is None:
        return None
    return LeafSpec(
        attribute=attribute,
        id_prefix=getattr(resolve, "id_prefix", None),
        serialize=leaf_type.coerce_output_value,
        non_null=non_null,
        text=leaf_type is GraphQLString or leaf_type is GraphQLID,
    )


def _global_id(prefix: str, value: Any) -> str:
    return base64.b64encode(f"{prefix}{value}".encode()).decode()


def generate(
    steps: list[tuple[str, Any, bool, LeafSpec | None]], may_await: bool, gather_fields: Callable[..., Any]
) -> Callable[..., Any] | None:
    """fn(executor, source, path) -> the object's completed fields (or an awaitable of them, `gather_fields`
    gathering the awaitable ones as the closure plan does), or SLOW; None when the plan has no leaf to read."""
    leaves = [(i, spec) for i, (_, _, _, spec) in enumerate(steps) if spec is not None]
    if not leaves:
        return None
    namespace: dict[str, Any] = {
        "SLOW": SLOW,
        "Undefined": Undefined,
        "Exception": Exception,
        "isinstance": isinstance,
        "str": str,
        "getattr": getattr,
        "global_id": _global_id,
        "gather_fields": gather_fields,
    }
    lines = ["def generated(executor, source, path):", "    try:"]
    for i, spec in leaves:
        namespace[f"A{i}"] = spec.attribute
        namespace[f"S{i}"] = spec.serialize
        lines.append(f"        v{i} = getattr(source, A{i})")
        if spec.id_prefix is not None:
            namespace[f"P{i}"] = spec.id_prefix
            lines.append(f"        v{i} = global_id(P{i}, v{i})")
        lines.append(f"        if v{i} is None:")
        lines.append("            return SLOW" if spec.non_null else f"            c{i} = None")
        if spec.text:
            lines.append(f"        elif v{i}.__class__ is str:")
            lines.append(f"            c{i} = v{i}")
        lines.append(f"        elif isinstance(v{i}, Exception):")
        lines.append("            return SLOW")
        lines.append("        else:")
        lines.append(f"            c{i} = S{i}(v{i})")
        lines.append(f"            if c{i} is None or c{i} is Undefined:")
        lines.append("                return SLOW")
    lines += ["    except Exception:", "        return SLOW", "    results = {}"]
    if may_await:
        lines += ["    is_awaitable = executor.is_awaitable", "    awaitable_fields = []", "    try:"]
    indent = "        " if may_await else "    "
    for i, (key, _run, step_may_await, spec) in enumerate(steps):
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
    return namespace["generated"]  # type: ignore[no-any-return]
