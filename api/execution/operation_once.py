"""graphql-core's executor built with what depends on the operation alone worked out once per operation, and the
operation run without the layers around it that a schema without @defer/@stream never needs.

Why: graphql-core's `Executor.build` does, on every request, work that depends only on the schema, the document and
the operation's name — the schema's validity checked, the document's definitions walked for the operation and the
fragments, each variable's signature (its type looked up from the AST) — before the one part that depends on the
request: coercing the variables. Then three `__init__`s (graphql-core's Executor, IncrementalExecutor, Strawberry's)
set some thirty attributes, two thirds of them the same every time. With graphql-core's `execute` and
`experimental_execute_incrementally` around it (each checking the schema's directives and wrapping the awaitable
result in a coroutine of its own), that was ~1,000 Python instructions of a request's 10,000-20,000.

What (the compiled engine only; stock keeps graphql-core's and Strawberry's own path, the reference):
- `Prepared`: per (schema, document object, operation name) — the parser cache hands back the same document for the
  same text — the operation, the fragments, the variables' signatures (a variable with a default gets a fresh
  signature each time: graphql-core memoises the coerced default on it) and the attributes every executor of the
  operation shares. Anything graphql-core's build would refuse or treat unusually (no such operation, several without
  a name, fragment variables, a signature in error, custom resolvers, resolver middleware that is not a manager,
  unknown keyword arguments) is left to graphql-core's build, which gives its own errors.
- `coerce_variables`: graphql-core's `get_variable_values` over the kept signatures, with the same errors in the
  same order (`coerce_variable_values`' own loop; invalid, missing or wrongly typed values, the error limit).
- `build`: the executor made from the kept attributes plus the request's own (root value, context, variables,
  fresh collections for the execution's state) — the same attributes with the same values as graphql-core's build
  gives (tests/api/test_operation_once.py compares them).
- `execute`: the schema's execute function for Strawberry (`_get_execute_function`): the executor built and its
  operation run, its result (or awaitable) handed back as is. graphql-core's `execute` would refuse a schema with
  @defer/@stream and check that the awaited result is not incremental — which needs those directives: such a schema
  goes through graphql-core's `execute` unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    MiddlewareManager,
    OperationDefinitionNode,
    assert_valid_schema,
)
from graphql import (
    execute as graphql_execute,
)
from graphql.execution.execute import default_field_resolver, default_type_resolver
from graphql.execution.executor import CollectedErrors, FragmentDetails
from graphql.execution.get_variable_signature import GraphQLVariableSignature, get_variable_signature
from graphql.execution.values import (
    VariableValues,
    VariableValueSource,
    input_is_nested_too_deeply,
    maybe_use_default_value,
)
from graphql.language import VariableDefinitionNode
from graphql.pyutils import RefMap, Undefined, print_path_list
from graphql.pyutils import is_async_iterable as default_is_async_iterable
from graphql.pyutils import is_awaitable as default_is_awaitable
from graphql.type import is_non_null_type
from graphql.type.directives import GraphQLDisableErrorPropagationDirective
from graphql.utilities.coerce_input_value import coerce_input_value
from graphql.utilities.validate_input_value import validate_input_value

MAX_PREPARED = 256
_new = object.__new__

# (variable definition, its signature or None when made per request: it has a default)
Signature = tuple[VariableDefinitionNode, GraphQLVariableSignature | None]


class Prepared:
    """What graphql-core's Executor.build works out from the schema, the document and the operation name alone."""

    __slots__ = ("document", "fragment_definitions", "fragments", "operation", "schema", "shared", "signatures")

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        fragment_definitions: dict[str, FragmentDefinitionNode],
        signatures: list[Signature],
    ) -> None:
        self.schema = schema
        self.document = document
        self.operation = operation
        self.fragment_definitions = fragment_definitions
        self.fragments = {name: FragmentDetails(definition, None) for name, definition in fragment_definitions.items()}
        self.signatures = signatures
        # The executor's attributes that are the same for every execution of the operation (graphql-core's defaults
        # for what Strawberry does not pass).
        self.shared: dict[str, Any] = {
            "schema": schema,
            "fragment_definitions": fragment_definitions,
            "fragments": self.fragments,
            "operation": operation,
            "field_resolver": default_field_resolver,
            "type_resolver": default_type_resolver,
            "subscribe_field_resolver": default_field_resolver,
            "error_propagation": not any(
                directive.name.value == GraphQLDisableErrorPropagationDirective.name
                for directive in operation.directives or ()
            ),
        }


# by ids of the schema and the document (both kept in the entry and compared, so that a reused id never matches)
_prepared: dict[tuple[int, int, str | None], Prepared] = {}


def prepared(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> Prepared | None:
    """The operation's Prepared, or None when graphql-core's build must decide (see the module's docstring)."""
    key = (id(schema), id(document), operation_name)
    found = _prepared.get(key)
    if found is not None and found.document is document and found.schema is schema:
        return found
    assert_valid_schema(schema)  # raises for an invalid schema, as graphql-core's build does, before anything is kept
    made = _prepare(schema, document, operation_name)
    if made is not None:  # the unusual cases are not kept: graphql-core's build decides them each time
        if len(_prepared) >= MAX_PREPARED:
            _prepared.clear()
        _prepared[key] = made
    return made


def _prepare(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> Prepared | None:
    operation: OperationDefinitionNode | None = None
    fragment_definitions: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if operation_name is None:
                if operation is not None:
                    return None  # graphql-core's "Must provide operation name" error
                operation = definition
            elif definition.name and definition.name.value == operation_name:
                operation = definition
        elif isinstance(definition, FragmentDefinitionNode):
            if definition.variable_definitions:
                return None  # fragment variables: graphql-core's own build
            fragment_definitions[definition.name.value] = definition
    if operation is None:
        return None
    signatures: list[Signature] = []
    for var_def in operation.variable_definitions or ():
        signature = get_variable_signature(schema, var_def)
        if isinstance(signature, GraphQLError):
            return None  # reported by graphql-core's build, a fresh error each time
        signatures.append((var_def, None if var_def.default_value else signature))
    return Prepared(schema, document, operation, fragment_definitions, signatures)


def coerce_variables(
    prepared: Prepared, inputs: dict[str, Any], max_errors: int | None, hide_suggestions: bool
) -> VariableValues | list[GraphQLError]:
    """graphql-core's get_variable_values (and coerce_variable_values) over the kept signatures."""
    if not prepared.signatures:
        return VariableValues({}, {})
    errors: list[GraphQLError] = []

    def on_error(error: GraphQLError) -> None:
        if max_errors is not None and len(errors) >= max_errors:
            raise GraphQLError("Too many errors processing variables, error limit reached. Execution aborted.")
        errors.append(error)

    try:
        variable_values = _coerce(prepared, inputs, on_error, hide_suggestions)
        if not errors:
            return variable_values
    except GraphQLError as error:
        errors.append(error)
    except RecursionError:
        errors.append(GraphQLError("Variable values are nested too deeply."))
    return errors


def _coerce(
    prepared: Prepared, inputs: dict[str, Any], on_error: Callable[[GraphQLError], None], hide_suggestions: bool
) -> VariableValues:
    """graphql-core's coerce_variable_values, line for line, with the signatures at hand."""
    sources: dict[str, VariableValueSource] = {}
    coerced: dict[str, Any] = {}
    schema = prepared.schema
    for var_def_node, kept in prepared.signatures:
        var_signature = kept or get_variable_signature(schema, var_def_node)
        if isinstance(var_signature, GraphQLError):  # pragma: no cover  # a kept signature is never an error
            on_error(var_signature)
            continue
        var_name = var_signature.name
        var_type = var_signature.type
        value = inputs.get(var_name, Undefined)
        if value is Undefined:
            sources[var_name] = VariableValueSource(var_signature)
            if var_def_node.default_value:

                def on_default_value_error(
                    error: GraphQLError,
                    path: list[str | int],
                    var_name: str = var_name,
                    var_def_node: VariableDefinitionNode = var_def_node,
                ) -> None:
                    on_error(
                        GraphQLError(
                            f"Variable '${var_name}' has invalid default value{print_path_list(path)}: {error.message}",
                            var_def_node,
                        )
                    )

                maybe_use_default_value(coerced, var_name, var_signature, on_default_value_error, hide_suggestions)
                continue
            if not is_non_null_type(var_type):
                continue  # non-provided values for nullable variables are omitted
        else:
            sources[var_name] = VariableValueSource(var_signature, value)

        if input_is_nested_too_deeply(value, var_type):
            raise RecursionError
        coerced_value = coerce_input_value(value, var_type)
        if coerced_value is not Undefined:
            coerced[var_name] = coerced_value
        else:

            def on_input_value_error(
                error: GraphQLError,
                path: list[str | int],
                var_name: str = var_name,
                var_def_node: VariableDefinitionNode = var_def_node,
            ) -> None:
                on_error(
                    GraphQLError(
                        f"Variable '${var_name}' has invalid value{print_path_list(path)}: {error.message}",
                        var_def_node,
                        original_error=error,
                    )
                )

            validate_input_value(value, var_type, on_input_value_error, hide_suggestions)
    return VariableValues(sources, coerced)


def build(
    cls: type,
    prepared: Prepared,
    root_value: Any,
    context_value: Any,
    variable_values: VariableValues,
    middleware_manager: MiddlewareManager | None,
    enable_early_execution: bool,
    is_awaitable: Any,
    is_async_iterable: Any,
    hide_suggestions: bool,
    operation_extensions: Any,
) -> Any:
    """An executor of `cls` (graphql-core's IncrementalExecutor under Strawberry's) with the attributes its three
    __init__s set, the operation's shared ones taken from `prepared`."""
    executor: Any = _new(cls)
    attributes = executor.__dict__
    attributes.update(prepared.shared)
    attributes["root_value"] = root_value
    attributes["context_value"] = context_value
    attributes["variable_values"] = variable_values
    attributes["enable_early_execution"] = enable_early_execution
    attributes["hide_suggestions"] = hide_suggestions
    attributes["abort_signal"] = None
    attributes["hooks"] = None
    attributes["middleware_manager"] = middleware_manager
    attributes["is_awaitable"] = is_awaitable or default_is_awaitable
    attributes["is_async_iterable"] = is_async_iterable or default_is_async_iterable
    attributes["collected_errors"] = CollectedErrors()
    attributes["pending_incremental_futures"] = set()
    attributes["background_futures"] = set()
    attributes["async_work_finished_hook_task"] = None
    attributes["_relevant_sub_fields"] = {}
    attributes["_stream_usages"] = RefMap()
    attributes["defer_usage_set"] = None
    attributes["groups"] = []
    attributes["tasks"] = []
    attributes["streams"] = []
    attributes["_initial_execution_plans"] = RefMap()
    attributes["_deferred_execution_plans"] = RefMap()
    attributes["operation_extensions"] = operation_extensions
    return executor


def fast_build_applies(
    middleware: Any,
    field_resolver: Any,
    type_resolver: Any,
    subscribe_field_resolver: Any,
    abort_signal: Any,
    hooks: Any,
    custom_args: dict[str, Any],
) -> bool:
    """Whether the call is one `build` makes exactly as graphql-core's would (Strawberry's calls are)."""
    return (
        field_resolver is None
        and type_resolver is None
        and subscribe_field_resolver is None
        and abort_signal is None
        and hooks is None
        and (middleware is None or type(middleware) is MiddlewareManager)
        and custom_args.keys() <= {"operation_extensions"}
    )


_incremental: dict[int, tuple[GraphQLSchema, bool]] = {}  # schema's id -> (the schema, has @defer or @stream)


def execute(
    schema: GraphQLSchema,
    document: DocumentNode,
    root_value: Any = None,
    context_value: Any = None,
    variable_values: dict[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    executor_class: Any,
    **arguments: Any,
) -> Any:
    """Strawberry's execute function for the compiled engine (graphql-core's `execute`'s parameters; see the
    module's docstring)."""
    known = _incremental.get(id(schema))
    if known is None or known[0] is not schema:
        known = _incremental[id(schema)] = (
            schema,
            bool(schema.get_directive("defer") or schema.get_directive("stream")),
        )
    if known[1]:
        return graphql_execute(
            schema,
            document,
            root_value,
            context_value,
            variable_values,
            operation_name,
            executor_class=executor_class,
            **arguments,
        )
    built = executor_class.build(
        schema, document, root_value, context_value, variable_values, operation_name, **arguments
    )
    if isinstance(built, list):
        return ExecutionResult(None, errors=built)
    return built.execute_operation()


def clear_cache() -> None:
    _prepared.clear()
    _incremental.clear()
