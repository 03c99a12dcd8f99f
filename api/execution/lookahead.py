"""The look-ahead: what a query selects below the field being resolved, read from the document itself (field
nodes by path, through fragments, leaving out what @skip/@include leave out), in one place.

Why: a list's resolver uses it to fetch in one go what each item's field will ask for (the order board's buyers,
a page's bids and their bidders): the items' own resolvers then find it at hand. Nothing depends on it being
complete — a field it misses simply loads for itself. It reads graphql-core's ResolveInfo (Strawberry's
`info._raw_info`), which is why it lives with the engine; it works the same whichever executor runs.

The areas call `selects(info, path)` and `selected(info, path)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values

from api.context import Info


def field_nodes_at(info: Info, path: Sequence[str], below: Iterable[FieldNode] | None = None) -> list[FieldNode]:
    """The field nodes reached by `path` (field names, whatever their aliases) from `below` (default: the field
    being resolved)."""
    raw = info._raw_info
    start = tuple(raw.field_nodes if below is None else below)
    key = (*map(id, start), *path)
    known = _WALKS.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], start, strict=True)):
        return list(known[1])
    variables = variable_values(info)
    directed: list[bool] = []  # any @skip/@include met on the way (the answer then depends on the variables)
    nodes = list(start)
    for name in path:
        nodes = [found for node in nodes for found in _fields_named(node.selection_set, name, raw, variables, directed)]
    if not directed:
        if len(_WALKS) >= _MAX_WALKS:
            _WALKS.clear()
        _WALKS[key] = (start, tuple(nodes))
    return nodes


# (ids of the start nodes, *path) -> (the start nodes, the nodes reached): walks that met no @skip/@include, whose
# answer depends on nothing but the document (a cached document's nodes are the same objects in every request). The
# start nodes are kept and compared by identity, so an id reused by another document's node never matches.
_WALKS: dict[tuple[Any, ...], tuple[tuple[FieldNode, ...], tuple[FieldNode, ...]]] = {}
_MAX_WALKS = 1024


def argument_values(info: Info, field: GraphQLField, node: FieldNode) -> dict[str, Any]:
    """The arguments a field node will be resolved with (graphql-core's coercion: variables, defaults); raises
    GraphQLError for a value the field itself will refuse."""
    return get_argument_values(field, node, variable_values(info))


def variable_values(info: Info) -> VariableValues:
    """graphql-core's variable values (Strawberry hands resolvers only the coerced dict)."""
    values: Any = info._raw_info.variable_values
    return values if isinstance(values, VariableValues) else VariableValues({}, values or {})


def selects(info: Info, path: Sequence[str], below: Selected | None = None) -> bool:
    """Whether the field path (e.g. edges, node, buyer) is selected below the field being resolved (or below the
    field `below`). Decided once per request, field node and path: the page's 100 orders share the answer."""
    nodes = tuple(below.nodes) if below is not None else tuple(info._raw_info.field_nodes)
    key = ("selects", *map(id, nodes), *path)
    memo = getattr(info.context, "memo", None)
    if memo is None:
        return bool(field_nodes_at(info, path, nodes))
    found = memo.get(key)
    if found is None:
        found = memo[key] = bool(field_nodes_at(info, path, nodes))
    return bool(found)


@dataclass(frozen=True)
class Selected:
    """A field selected at a path, under one response key: its arguments as its resolver will get them (None when
    the field will refuse them: it reports that itself) and its nodes (for `selects(..., below=)`)."""

    arguments: dict[str, Any] | None
    nodes: tuple[FieldNode, ...]


def selected(info: Info, path: Sequence[str]) -> list[Selected]:
    """The fields the path (e.g. edges, node, bids) reaches below the field being resolved, one per response key,
    with their arguments."""
    named: Any = get_named_type(info._raw_info.return_type)
    field: GraphQLField | None = None
    for name in path:
        field = named.fields[name]
        named = get_named_type(field.type)
    assert field is not None
    by_key: dict[str, list[FieldNode]] = {}
    for node in field_nodes_at(info, path):
        by_key.setdefault((node.alias or node.name).value, []).append(node)
    found = []
    for nodes in by_key.values():
        try:
            arguments: dict[str, Any] | None = argument_values(info, field, nodes[0])
        except GraphQLError:
            arguments = None
        found.append(Selected(arguments, tuple(nodes)))
    return found


def _fields_named(
    selection_set: SelectionSetNode | None, name: str, raw: Any, variables: VariableValues, directed: list[bool]
) -> Iterator[FieldNode]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if selection.directives:
            directed.append(True)
            if not _included(selection, variables):
                continue
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_named(selection.selection_set, name, raw, variables, directed)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields_named(fragment.selection_set, name, raw, variables, directed)


def _included(node: Any, variables: VariableValues) -> bool:
    if not node.directives:
        return True
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip is not None and skip["if"] is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return include is None or include["if"] is True
