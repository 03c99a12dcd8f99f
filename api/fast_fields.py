"""Cheaper resolvers for the two commonest kinds of field, installed on the built schema; the answers are the same.

A page of 100 orders with their bids and bidders resolves ~18,000 fields, and the cost per field is the cost of
a page (bench/README.md). Two kinds dominate:

- plain attributes (no resolver, no extension, no exception handler): Strawberry wraps each in two calls around
  `getattr`; here graphql-core calls one small function that does the `getattr`;
- a Relay node's `id`: Strawberry builds an `Info`, parses (no) arguments, and returns a `GlobalID` that the ID
  scalar turns into base64("Type:id"); here the base64 string is made directly, for types that keep the default
  `resolve_id` and `resolve_typename` (all of ours). tests/api/test_order_board_baseline.py compares answers
  byte for byte with a hand-written handler, so a difference would show.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, is_leaf_type, is_non_null_type
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF
UNRESOLVED = object()  # what a `direct` function returns when the field needs its resolver after all


def direct(shortcut: Callable[[Any], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a custom resolver a shortcut, `shortcut(source) -> value or UNRESOLVED`, that answers without `info`
    when it can (e.g. a bid's bidder when the page brought it along). api/compiled.py calls the shortcut first and
    the resolver, with its info, only on UNRESOLVED; graphql-core's own executor always calls the resolver. For
    fields without extensions (permission checks) only: install() leaves the others alone."""

    def mark(resolver: Callable[..., Any]) -> Callable[..., Any]:
        resolver.direct_shortcut = shortcut  # type: ignore[attr-defined]
        return resolver

    return mark


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(source: Any, info: Any) -> Any:
        return getattr(source, name)

    resolve.needs_no_info = True  # type: ignore[attr-defined]  (api/compiled.py calls it without one)
    resolve.attribute = name  # type: ignore[attr-defined]  (api/compiled_codegen.py reads it inline)
    return resolve


def _global_id(type_name: str, attribute: str) -> Callable[..., Any]:
    prefix = f"{type_name}:"

    def resolve(source: Any, info: Any) -> str:
        return base64.b64encode(f"{prefix}{getattr(source, attribute)}".encode()).decode()

    resolve.needs_no_info = True  # type: ignore[attr-defined]
    resolve.attribute = attribute  # type: ignore[attr-defined]
    resolve.id_prefix = prefix  # type: ignore[attr-defined]
    return resolve


def _mark_leaf(resolve: Any, graphql_type: Any) -> Any:
    """Remember the scalar or enum a resolver returns (through NonNull), for FastLeafExecutionContext."""
    named = graphql_type.of_type if is_non_null_type(graphql_type) else graphql_type
    resolve.leaf_type = named if is_leaf_type(named) else None
    return resolve


class FastLeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Most fields of a big page are leaves with one of the resolvers above: they need no `info` (whose
    construction is a good part of a field's cost), and a non-null value completes by serialising it.
    Anything else, or anything unusual (null, an exception, arguments), takes graphql-core's full path."""

    def execute_field(  # type: ignore[override]
        self, parent_type: Any, source: Any, field_details_list: Any, path: Any, position_context: Any
    ) -> Any:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        leaf = getattr(field_def.resolve, "leaf_type", None) if field_def is not None else None
        if leaf is not None and not node.arguments and not self._wraps_resolvers():
            try:
                result = field_def.resolve(source, None)  # type: ignore[union-attr]
                if result is not None and not isinstance(result, Exception):
                    return self.complete_leaf_value(leaf, result)
            except Exception:  # the full path below raises it again, with its location
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _wraps_resolvers(self) -> bool:
        # Strawberry always passes a middleware manager; it wraps nothing unless an extension resolves fields.
        manager = self.middleware_manager
        return manager is not None and getattr(manager, "_middleware_resolvers", True) is not None


def _default_node(origin: Any) -> bool:
    return (
        isinstance(origin, type)
        and issubclass(origin, relay.Node)
        and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
        and origin.resolve_typename.__func__ is relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
    )


def install(schema: strawberry.Schema) -> int:
    """Swap in the fast resolvers; returns how many fields were changed."""
    changed = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        definition = (graphql_type.extensions or {}).get(BACKREF)
        if definition is None:
            continue
        for name, graphql_field in graphql_type.fields.items():
            field = (graphql_field.extensions or {}).get(BACKREF)
            if field is None:
                continue
            if name == "id" and _default_node(definition.origin):
                resolve = _global_id(graphql_type.name, definition.origin.resolve_id_attr())
                graphql_field.resolve = _mark_leaf(resolve, graphql_field.type)
                changed += 1
            elif getattr(graphql_field.resolve, "_is_default", False) and field.is_basic_field:
                graphql_field.resolve = _mark_leaf(_attribute(field.python_name), graphql_field.type)
                changed += 1
            elif (
                field.base_resolver is not None
                and not field.extensions
                and hasattr(field.base_resolver.wrapped_func, "direct_shortcut")
                and graphql_field.resolve is not None
            ):
                graphql_field.resolve.direct = field.base_resolver.wrapped_func.direct_shortcut  # type: ignore[attr-defined]
                changed += 1
    return changed
