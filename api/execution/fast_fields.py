"""Cheaper resolvers for the commonest kinds of field, installed on the built schema; the answers are the same.

A page of 100 orders with their bids and bidders resolves many thousands of fields, and the cost per field is
the cost of a page (bench/README.md). Two kinds dominate:

- plain attributes (no resolver, no extension, no exception handler): Strawberry wraps each in two calls around
  `getattr`; here graphql-core calls one small function that does the `getattr`;
- a Relay node's `id`: Strawberry builds an `Info`, parses (no) arguments, and returns a `GlobalID` that the ID
  scalar turns into base64("Type:id"); here the base64 string is made directly, for types that keep the default
  `resolve_id` and `resolve_typename` (all of ours). tests/api/test_order_board_baseline.py compares answers
  byte for byte with a hand-written handler, so a difference would show.

Custom resolvers keep their code but, where Strawberry's wrapper around them adds nothing (no permission
extensions, arguments that need no conversion), are called plainly: Strawberry's per-call work (its Info, the
argument conversion, the extension chain) is not paid by the page's 100 `Order.bids` fields
(tests/api/test_fast_fields.py compares answers with the wrapped calls).
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Callable, Mapping
from dataclasses import MISSING
from inspect import isasyncgenfunction
from typing import Any

import strawberry
from graphql import GraphQLObjectType, is_leaf_type, is_non_null_type
from strawberry import relay
from strawberry.relay.types import GlobalID, GlobalIDValueError, InvalidGlobalIDError
from strawberry.scalars import is_scalar
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType
from strawberry.types.unset import UNSET

BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF
UNRESOLVED = object()  # what a shortcut returns when the field needs its resolver after all


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(source: Any, info: Any) -> Any:
        return getattr(source, name)

    resolve.needs_no_info = True  # type: ignore[attr-defined]  # api/execution/compiled.py calls it without one
    resolve.attribute = name  # type: ignore[attr-defined]  # api/execution/codegen.py reads it inline
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

    def execute_field(
        self, parent_type: Any, source: Any, field_details_list: Any, path: Any, position_context: Any
    ) -> Any:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        leaf = getattr(field_def.resolve, "leaf_type", None) if field_def is not None else None
        if leaf is not None and not node.arguments and not self._wraps_resolvers():
            try:
                result = field_def.resolve(source, None)  # type: ignore[union-attr, misc]  # a leaf_type means a resolver
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


def install(
    schema: strawberry.Schema,
    *,
    shortcuts: Mapping[tuple[str, str], Callable[[Any], Any]] | None = None,
    plain_calls: bool = True,
) -> int:
    """Swap in the fast resolvers; returns how many fields were changed. `shortcuts`, by (type, field): a function
    `shortcut(source) -> value or UNRESOLVED` that answers without `info` when it can (e.g. a bid's bidder when the
    page brought it along); api/execution/compiled.py calls it first and the resolver, with its info, only on
    UNRESOLVED (graphql-core's own executor always calls the resolver). For fields without extensions (permission
    checks) only: the others are left alone, and a shortcut named for no such field is refused."""
    shortcuts = dict(shortcuts or {})
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
            elif field.base_resolver is not None and not field.extensions and graphql_field.resolve is not None:
                plain = _plain_call(schema, field) if plain_calls else None
                if plain is not None:
                    graphql_field.resolve = plain
                    changed += 1
                shortcut = shortcuts.pop((graphql_type.name, name), None)
                if shortcut is not None:
                    graphql_field.resolve.direct = shortcut
                    changed += plain is None
    if shortcuts:
        raise ValueError(f"shortcuts for no plain resolver field: {sorted(shortcuts)}")
    return changed


def _plain_call(schema: strawberry.Schema, field: StrawberryField) -> Callable[..., Any] | None:
    """The resolver called the way Strawberry's wrapper calls it, without the wrapper (whose per-call work a page's
    100 `Order.bids` fields would each pay): the source as `self`, a Strawberry Info, and the arguments
    under their Python names, converted as Strawberry converts them (`_conversion`: input objects built, GlobalIDs
    parsed, lists copied). Only where the wrapper adds nothing else — no exception handlers in the schema, a
    plain StrawberryField with no extensions (permissions), not a subscription, no `root`/`parent` parameter,
    and arguments of types `_conversion` knows; None for anything else."""
    resolver = field.base_resolver
    if (
        schema.schema_converter._exception_handler_specs  # Strawberry's exception handlers wrap each resolver
        or type(field) is not StrawberryField
        or resolver is None
        or field.is_subscription
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or not inspect.isfunction(resolver.wrapped_func)
        or isasyncgenfunction(resolver.wrapped_func)
    ):
        return None
    registry = schema.schema_converter.scalar_registry
    names: dict[str, str] = {}
    conversions: dict[str, Callable[[Any], Any]] = {}
    for argument in field.arguments:
        conversion = _conversion(argument.type, registry, schema.config, ())
        if conversion is None:
            return None
        graphql_name = schema.config.name_converter.from_argument(argument)
        names[graphql_name] = argument.python_name
        if conversion is not _SAME:
            conversions[graphql_name] = conversion
    function = resolver.wrapped_func
    takes_self = resolver.self_parameter is not None
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None
    info_class = schema.config.info_class

    def resolve(source: Any, info: Any, **arguments: Any) -> Any:
        kwargs = {}
        for name, value in arguments.items():
            convert = conversions.get(name)
            kwargs[names[name]] = value if convert is None else convert(value)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return function(source, **kwargs) if takes_self else function(**kwargs)

    resolve.plain_call = True  # type: ignore[attr-defined]
    return resolve


# A conversion that gives the value itself (a scalar, an enum member: graphql-core has coerced it already).
_SAME: Callable[[Any], Any] = lambda value: value  # noqa: E731


def _conversion(type_: Any, registry: Any, config: Any, building: tuple[type, ...]) -> Callable[[Any], Any] | None:
    """`convert(value)` giving what Strawberry's convert_argument gives for a value of `type_` (graphql-core's
    coerced value in, the resolver's argument out), decided once per field instead of on every call: _SAME for
    values passed on unchanged, None for what it does not model (Maybe, an input with its own `from_input`, a
    recursive input, anything unknown), which leaves the field to Strawberry's wrapper. `building`: the input
    classes being converted above this one."""
    if isinstance(type_, StrawberryMaybe):  # (a StrawberryOptional too) Strawberry wraps its value in Some()
        return None
    if isinstance(type_, StrawberryOptional):
        # None and UNSET pass unchanged whatever the type: every conversion below lets them through
        return _conversion(type_.of_type, registry, config, building)
    if isinstance(type_, StrawberryList):
        item = type_.of_type
        if _leaf(item, registry) or (isinstance(item, StrawberryOptional) and _leaf(item.of_type, registry)):
            # copied, as Strawberry copies it: graphql-core hands every request the same default list
            return _copied_list
        convert_item = _conversion(item, registry, config, building)
        if convert_item is None:
            return None
        return _list_of(convert_item)
    if type_ is GlobalID:
        return _global_id_argument
    if isinstance(type_, LazyType):
        return _conversion(type_.resolve_type(), registry, config, building)
    if _leaf(type_, registry):
        return _SAME
    definition = getattr(type_, "__strawberry_definition__", None)
    if (
        not isinstance(type_, type)
        or definition is None
        or has_enum_definition(type_)
        or not definition.is_input
        or definition.from_input is not None
        or type_ in building
    ):
        return None
    defaults: dict[str, Any] = {}
    fields: list[tuple[str, str, Callable[[Any], Any] | None]] = []
    for input_field in definition.fields:
        if input_field.default_value is MISSING and input_field.default_factory is MISSING:
            defaults[input_field.python_name] = None
        convert = _conversion(
            input_field.resolve_type(type_definition=definition), registry, config, (*building, type_)
        )
        if convert is None:
            return None
        graphql_name = config.name_converter.from_field(input_field)
        fields.append((graphql_name, input_field.python_name, None if convert is _SAME else convert))
    return _input_object(type_, defaults, tuple(fields))


def _copied_list(value: Any) -> Any:
    return value if value is None or value is UNSET else list(value)


def _list_of(convert_item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None or value is UNSET:
            return value
        return [convert_item(item) for item in value]

    return convert


def _global_id_argument(value: Any) -> Any:
    if value is None or value is UNSET:
        return value
    try:
        return GlobalID.from_id(value)
    except GlobalIDValueError as error:
        # Strawberry's message (strawberry/types/arguments.py convert_argument)
        raise InvalidGlobalIDError(f'Value cannot represent a GlobalID: "{value}".') from error


def _input_object(
    cls: type, defaults: dict[str, Any], fields: tuple[tuple[str, str, Callable[[Any], Any] | None], ...]
) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None or value is UNSET:
            return value
        kwargs = defaults.copy()
        for graphql_name, python_name, convert_field in fields:
            if graphql_name in value:
                field_value = value[graphql_name]
                kwargs[python_name] = field_value if convert_field is None else convert_field(field_value)
        return cls(**kwargs)

    return convert


def _leaf(type_: Any, registry: Any) -> bool:
    if type_ is GlobalID or isinstance(type_, LazyType):
        return False
    return is_scalar(type_, registry) or isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_)
