"""Text PostgreSQL cannot store is refused at the edge, once, for every string argument and input field.

A NUL character (U+0000) or an unpaired UTF-16 surrogate (U+D800 to U+DFFF, which JSON's "\\ud800" escape can
carry) in any string reaching a query parameter makes asyncpg and PostgreSQL fail, with the SQL in the error.
No service is trusted to remember a check: before execution, `TextGuard` looks at the operation's variable values
(as sent) and at the string literals of its arguments (a GraphQL literal can hold NUL as "\\u0000"; the parser
itself refuses surrogates). The same step runs whichever executor runs the operation (api/execution/compiled.py or
graphql-core's), since it runs before either.

What the caller gets back:
- a root field whose result union has a `ValidationError` (every mutation, and queries such as
  searchManufacturers) and whose arguments hold such text answers that ValidationError, with `field` in the API's
  spelling relative to the input (`title`, `organisation.name`, `terms.notes`, `attachments.0.name`); its
  resolver is not called, nothing changes. (Those resolvers are wrapped once, at schema build, by `install`.)
- anything else (a query's filter, a field argument inside a selection) refuses the whole operation with one
  GraphQL error per fault, `extensions: {code: "INVALID", field}`, before anything is executed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNonNull,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from api.errors import ValidationError, to_user_error
from domain.errors import InvalidInput

NUL_MESSAGE = "may not contain a NUL character (U+0000)"
SURROGATE_MESSAGE = "may not contain an unpaired surrogate (U+D800 to U+DFFF)"

Path = tuple[str | int, ...]


def text_fault(value: str) -> str | None:
    """Why PostgreSQL could not store this text, or None."""
    if "\x00" in value:
        return NUL_MESSAGE
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE_MESSAGE
    return None


def first_fault(value: Any) -> tuple[Path, str] | None:
    """The first string in a JSON value (iteratively: the value's depth is bounded, but still) that cannot be
    stored, with its path within the value."""
    stack: list[tuple[Any, Path]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            fault = text_fault(item)
            if fault is not None:
                return path, fault
        elif isinstance(item, dict):
            stack.extend((child, (*path, key)) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((child, (*path, index)) for index, child in reversed(list(enumerate(item))))
    return None


@dataclass(frozen=True)
class Fault:
    root_key: str | None  # the response key of the root field whose arguments hold it; None when deeper
    field: str  # in the API's spelling, relative to the argument named `input`
    message: str


def api_field(path: Path) -> str:
    """`input.attachments.0.name` -> `attachments.0.name` (the spelling of the services' own refusals)."""
    if len(path) > 1 and path[0] == "input":
        path = path[1:]
    return ".".join(str(segment) for segment in path)


class _OperationWalk:
    """Finds the faults of one operation: every argument of every field and directive, through fragments."""

    def __init__(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.operation = operation
        self.fragments = fragments
        self.variable_faults: dict[str, tuple[Path, str]] = {}
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name in variables:
                found = first_fault(variables[name])
            elif definition.default_value is not None:
                found = _literal_fault(definition.default_value, (), {})
            else:
                found = None
            if found is not None:
                self.variable_faults[name] = found
        self.faults: list[Fault] = []

    def run(self) -> list[Fault]:
        seen: set[tuple[str, bool]] = set()
        stack: list[tuple[SelectionSetNode, bool]] = [(self.operation.selection_set, True)]
        while stack:
            selection_set, at_root = stack.pop()
            for selection in selection_set.selections:
                for directive in selection.directives or ():
                    self._arguments(directive.arguments, None)
                if isinstance(selection, FieldNode):
                    key = (selection.alias or selection.name).value
                    self._arguments(selection.arguments, key if at_root else None)
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, False))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, at_root))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is not None and (name, at_root) not in seen:
                        seen.add((name, at_root))
                        for directive in fragment.directives or ():
                            self._arguments(directive.arguments, None)
                        stack.append((fragment.selection_set, at_root))
        return self.faults

    def _arguments(self, arguments: tuple[ArgumentNode, ...] | None, root_key: str | None) -> None:
        for argument in arguments or ():
            found = _literal_fault(argument.value, (argument.name.value,), self.variable_faults)
            if found is not None:
                path, message = found
                self.faults.append(Fault(root_key, api_field(path), message))


def _literal_fault(
    node: ValueNode, path: Path, variable_faults: dict[str, tuple[Path, str]]
) -> tuple[Path, str] | None:
    stack: list[tuple[ValueNode, Path]] = [(node, path)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, StringValueNode):
            fault = text_fault(value.value)
            if fault is not None:
                return at, fault
        elif isinstance(value, VariableNode):
            found = variable_faults.get(value.name.value)
            if found is not None:
                return (*at, *found[0]), found[1]
        elif isinstance(value, ListValueNode):
            stack.extend((item, (*at, index)) for index, item in reversed(list(enumerate(value.values))))
        elif isinstance(value, ObjectValueNode):
            stack.extend((field.value, (*at, field.name.value)) for field in reversed(value.fields))
    return None


def find_faults(document: Any, operation: OperationDefinitionNode, variables: dict[str, Any] | None) -> list[Fault]:
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return _OperationWalk(operation, fragments, variables or {}).run()


def may_hold_faults(query: str | None, variables: dict[str, Any] | None) -> bool:
    """The cheap test every request pays: a literal can only hold NUL through an escape (`\\u`), and the
    variables are walked once."""
    return (query is not None and "\\u" in query) or (bool(variables) and first_fault(variables) is not None)


def selected_operation(document: Any, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == operation_name), None)


class RefusedInput:
    """The root value of a mutation some of whose root fields are refused: the guarded resolvers answer those
    with a ValidationError and hand the real root value to the others."""

    __slots__ = ("faults", "root_value")

    def __init__(self, root_value: Any, faults: dict[str, Fault]) -> None:
        self.root_value = root_value
        self.faults = faults


class TextGuard(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.result is None and document is not None and may_hold_faults(context.query, context.variables):
            operation = selected_operation(document, context.operation_name)
            faults = find_faults(document, operation, context.variables) if operation is not None else []
            if faults:
                self._refuse(operation, faults)  # type: ignore[arg-type]
        yield

    def _refuse(self, operation: OperationDefinitionNode, faults: list[Fault]) -> None:
        context = self.execution_context
        schema = context.schema._schema
        root_type = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type}.get(
            operation.operation
        )
        by_key: dict[str, Fault] = {}
        if root_type is not None:
            names = _root_field_names(operation)
            for fault in faults:
                name = names.get(fault.root_key) if fault.root_key is not None else None
                field = root_type.fields.get(name) if name is not None else None
                if field is None or not getattr(field.resolve, "input_guard", False):
                    by_key.clear()
                    break
                by_key.setdefault(fault.root_key, fault)  # type: ignore[arg-type]
        if by_key:
            context.root_value = RefusedInput(context.root_value, by_key)
            return
        context.result = GraphQLExecutionResult(
            data=None,
            errors=[
                GraphQLError(f"{fault.field}: {fault.message}", extensions={"code": "INVALID", "field": fault.field})
                for fault in faults
            ],
        )


def _root_field_names(operation: OperationDefinitionNode) -> dict[str, str]:
    """Response key -> field name of the operation's root fields (fragments at the root included)."""
    names: dict[str, str] = {}
    stack = [operation.selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                names[(selection.alias or selection.name).value] = selection.name.value
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
    return names


def install(schema: strawberry.Schema) -> None:
    """Wrap the resolver of every root field (mutations, and queries such as searchManufacturers) whose result
    union has a ValidationError (see the module's doc)."""
    validation_name = ValidationError.__strawberry_definition__.name
    root_types = (schema._schema.query_type, schema._schema.mutation_type)
    for field in [field for root in root_types if root is not None for field in root.fields.values()]:
        result_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if (
            isinstance(result_type, GraphQLUnionType)
            and any(member.name == validation_name for member in result_type.types)
            and field.resolve is not None
        ):
            field.resolve = _guarded(field.resolve)


def _guarded(resolve: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(source: Any, info: Any, **arguments: Any) -> Any:
        if isinstance(source, RefusedInput):
            fault = source.faults.get(info.path.key)
            if fault is not None:
                return to_user_error(InvalidInput(fault.message, fault.field))
            source = source.root_value
        return resolve(source, info, **arguments)

    guarded.input_guard = True  # type: ignore[attr-defined]
    return guarded
