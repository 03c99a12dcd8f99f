"""What a query selects below the current field, read from the document itself: field nodes by path, through
fragments, leaving out what @skip/@include leave out.

A list's resolver uses it to fetch in one go what each item's field will ask for (the order board's buyers, a
page's bids): the items' own resolvers then find it at hand. Nothing depends on it being complete — a field it
misses simply loads for itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values

from api.context import Info


def field_nodes_at(info: Info, path: Sequence[str], below: Iterable[FieldNode] | None = None) -> list[FieldNode]:
    """The field nodes reached by `path` (field names, whatever their aliases) from `below` (default: the field
    being resolved)."""
    raw = info._raw_info
    variables = variable_values(info)
    nodes = list(raw.field_nodes if below is None else below)
    for name in path:
        nodes = [found for node in nodes for found in _fields_named(node.selection_set, name, raw, variables)]
    return nodes


def argument_values(info: Info, field: GraphQLField, node: FieldNode) -> dict[str, Any]:
    """The arguments a field node will be resolved with (graphql-core's coercion: variables, defaults); raises
    GraphQLError for a value the field itself will refuse."""
    return get_argument_values(field, node, variable_values(info))


def variable_values(info: Info) -> VariableValues:
    """graphql-core's variable values (Strawberry hands resolvers only the coerced dict)."""
    values: Any = info._raw_info.variable_values
    return values if isinstance(values, VariableValues) else VariableValues({}, values or {})


def selects(info: Info, path: Sequence[str], below: Iterable[FieldNode] | None = None) -> bool:
    """Whether the field path (e.g. edges, node, buyer) is selected below the field being resolved (or `below`)."""
    return bool(field_nodes_at(info, path, below))


def _fields_named(
    selection_set: SelectionSetNode | None, name: str, raw: Any, variables: VariableValues
) -> Iterator[FieldNode]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if not _included(selection, variables):
            continue
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_named(selection.selection_set, name, raw, variables)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields_named(fragment.selection_set, name, raw, variables)


def _included(node: Any, variables: VariableValues) -> bool:
    if not node.directives:
        return True
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip is not None and skip["if"] is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return include is None or include["if"] is True
