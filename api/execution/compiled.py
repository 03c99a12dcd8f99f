"""A compiled executor: each selection set of a query is turned once into a plan of closures that walk the resolved
objects and build the response dicts directly, instead of graphql-core's generic per-field machinery.

Why: a page of the order board with its bids and bidders is many thousands of fields, and graphql-core's work per
field (a ResolveInfo, dispatching complete_value by type, collecting subfields, checking for awaitables) costs
several times what the database and the JSON do (bench/README.md has the figures).

What is compiled: fields with a resolver. Those whose resolver needs no `info` (the direct resolvers of
fast_fields.py: plain attributes, Relay ids) and `__typename` are resolved without one; any other resolver
(custom, async, with permission extensions) is called exactly as graphql-core calls it, with the same ResolveInfo
and, for a field with arguments, the same argument values (coerced once per execution: they depend only on the
field's node and the variables, and a page's `bids(first: 20)` fields share them). An async resolver's coroutine
is stepped once: if it finishes without suspending (it awaited only a DataLoader key at hand) its value completes
at once, as a synchronous resolver's would, instead of costing an awaited field. Values complete through closures
made for their type (scalars and enums with the type's own serialiser, objects through the object's plan, lists
item by item); an awaitable result is completed by graphql-core. Fields without a resolver go through
graphql-core's `execute_field` as before; the objects they return come back into the plans.

Same answers, same errors: the closures keep graphql-core's structure — an error is located and handled at the
field or list item where graphql-core would handle it (`handle_field_error`: nulled if nullable, raised to the
parent if not), with the same messages; awaitables are gathered per object and per list in the same order.
Anything the plans do not model (a value whose type check needs `info`, an abstract type, a list that is not a
list or tuple, an awaitable list item) is completed by graphql-core's own methods from that point. One assumption:
the direct resolvers read attributes that Strawberry types declare as plain values, so what they return is never
awaited (an awaitable there would be a bug in the type; graphql-core would await it, the plan reports an error).
Mutations, subscriptions, resolver middleware and documents with fragment variables are not compiled at all.
tests/api/test_compiled_executor.py compares the output with stock Strawberry + graphql-core's for a set of
documents.

An object plan with plain leaves also gets a generated function (codegen.py) that reads and
serialises them inline and falls back to the closures for anything unusual; objects whose plans are read wholly
inline (prices, bidders, a connection's edges) are read inline by their parent's generated function.

Plans are cached per (schema, operation node, values of the variables that @skip/@include read): the parser cache
hands the same document object back for the same query text, so an operation is compiled on its first request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Generator, Mapping
from enum import Enum
from types import CoroutineType
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
    GraphQLSchema,
    OperationType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields
from graphql.execution.executor import CollectedErrors, Executor, invalid_return_type_error, to_nodes
from graphql.execution.values import get_argument_values
from graphql.language import DirectiveNode, VariableNode, Visitor, visit
from graphql.pyutils import Path, Undefined, gather_with_cancel

from api.execution import operation_once, sql_json
from api.execution.codegen import SLOW, ObjectSpec, generate, leaf_spec
from api.execution.fast_fields import BACKREF, UNRESOLVED, FastLeafExecutionContext

FieldDetailsList = list[FieldDetails]
# run(executor, source, path of the source object) -> the field's completed value (or an awaitable of it)
FieldRun = Callable[["CompiledExecutionContext", Any, Any], Any]
# complete(executor, value, path of the value) -> the completed value (or an awaitable of it)
Complete = Callable[["CompiledExecutionContext", Any, Any], Any]

MAX_OPERATIONS = 256
MAX_VARIANTS = 16
MAX_SHARED_ARGUMENTS = 256  # per operation plans: an order's detail asks with a new id each time


class ObjectPlan:
    """The fields of one selection set on one object type, in response order: (key, run, may be awaitable)."""

    __slots__ = ("generated", "json_parts", "may_await", "pure", "steps", "type")

    def __init__(self, object_type: GraphQLObjectType) -> None:
        self.type = object_type
        self.steps: list[tuple[str, FieldRun, bool]] = []
        self.may_await = False
        # The plan with its plain leaves read inline (api/execution/codegen.py); None if it has none.
        self.generated: Callable[..., Any] | None = None
        # Every field read inline by `generated` (leaves, and objects whose plans are pure): the plan can itself
        # be read inline by its parent's generated function.
        self.pure = False
        # The fields as PostgreSQL writes them (api/execution/sql_json.py), when they all qualify; else None.
        self.json_parts: Any = None


class OperationPlans:
    """The plans of one operation for one set of @skip/@include variable values; object plans compiled on demand."""

    def __init__(self, executor: Executor) -> None:
        self.schema = executor.schema
        self.operation = executor.operation
        self.fragments = executor.fragments
        self.variable_values = executor.variable_values
        self.hide_suggestions = executor.hide_suggestions
        self._object_plans: dict[tuple[GraphQLObjectType, int], ObjectPlan] = {}
        # The field lists the plans hand to graphql-core (by id), kept alive so that their ids stay theirs.
        self._field_lists: dict[int, FieldDetailsList] = {}
        self._root: ObjectPlan | None = None
        # Coerced argument values shared by this operation's executions (`shared_arguments_key`); cleared when full.
        self.argument_values: dict[tuple[Any, ...], dict[str, Any]] = {}
        # sql_json.parts_below's answers: (ids of the field nodes, *path) -> (the field nodes, the parts or None).
        self.json_below: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}

    def root_or_none(self, root_type: GraphQLObjectType) -> ObjectPlan | None:
        """The root plan if it compiles; None if collecting the root fields raises (graphql-core's execute_operation
        then reports it as it does, a selection nested too deeply say)."""
        if self._root is None:
            try:
                self.root(root_type)
            except Exception:  # graphql-core's path raises it again where it reports it
                return None
        return self._root

    def root(self, root_type: GraphQLObjectType) -> ObjectPlan:
        if self._root is None:
            grouped, _defers, _forbidden = collect_fields(
                self.schema, self.fragments, self.variable_values, root_type, self.operation, self.hide_suggestions
            )
            self._root = self._compile_object(root_type, grouped)
        return self._root

    def for_subfields(self, object_type: GraphQLObjectType, field_list: FieldDetailsList) -> ObjectPlan | None:
        """The plan for the selection of `field_list` on `object_type`, if the list is one of ours."""
        plan = self._object_plans.get((object_type, id(field_list)))
        if plan is None and self._field_lists.get(id(field_list)) is field_list:
            grouped, _defers, _forbidden = collect_subfields(
                self.schema,
                self.fragments,
                self.variable_values,
                self.operation,
                object_type,
                field_list,
                self.hide_suggestions,
            )
            plan = self._compile_object(object_type, grouped)
            self._object_plans[(object_type, id(field_list))] = plan
        return plan

    def _compile_object(self, object_type: GraphQLObjectType, grouped: dict[str, FieldDetailsList]) -> ObjectPlan:
        plan = ObjectPlan(object_type)
        for key, field_list in grouped.items():
            self._field_lists[id(field_list)] = field_list
            run, may_await = self._compile_field(object_type, key, field_list)
            plan.steps.append((key, run, may_await))
            plan.may_await = plan.may_await or may_await
        steps = [(key, run, may_await, getattr(run, "inline_spec", None)) for key, run, may_await in plan.steps]
        # The inline steps never give an awaitable (a shortcut's UNRESOLVED sends the object to the closures).
        closures_may_await = any(may_await for _, _, may_await, spec in steps if spec is None)
        root = sql_json.TYPES.get(object_type.name)
        if root is not None and root.root:
            parts = sql_json.parts_for(self, object_type, grouped, sql_json.TYPES)
            plan.json_parts = sql_json.intern(parts) if parts is not None else None
        plan.generated = generate(steps, closures_may_await, _gather_fields, plan.json_parts)
        plan.pure = plan.generated is not None and all(spec is not None for *_, spec in steps)
        return plan

    def _compile_field(
        self, parent_type: GraphQLObjectType, key: str, field_list: FieldDetailsList
    ) -> tuple[FieldRun, bool]:
        node = field_list[0].node
        name = node.name.value
        parent_name = parent_type.name
        if name == "__typename" and not node.arguments:
            typename = parent_type.name
            return (lambda executor, source, path: typename), False
        field_def = self.schema.get_field(parent_type, name)
        if field_def is None or field_def.resolve is None:
            return _delegated(parent_type, key, field_list), True
        resolve = field_def.resolve
        return_type = field_def.type
        message = f"Cannot return null for non-nullable field {parent_name}.{name}."
        complete, may_await = self._completer(return_type, field_list, message)
        if field_def.args or node.arguments:
            return _with_info(parent_type, key, field_list, field_def, complete), True

        def finish(executor: CompiledExecutionContext, value: Any, field_path: Path) -> Any:
            """The resolved value completed (awaited if need be), or its error handled where graphql-core would."""
            try:
                completed = complete(executor, value, field_path)
                if may_await and executor.is_awaitable(completed):
                    return executor.await_field(completed, return_type, field_list, field_path)
                return completed
            except Exception as raw_error:
                executor.handle_field_error(raw_error, return_type, field_list, field_path)
                return None

        if not getattr(resolve, "needs_no_info", False):
            with_info = _with_info(parent_type, key, field_list, field_def, complete)
            shortcut = getattr(resolve, "direct", None)
            if shortcut is None:
                return with_info, True

            def run_direct(executor: CompiledExecutionContext, source: Any, path: Any) -> Any:
                # fast_fields.direct: the value without info when the shortcut has it, else the resolver with info
                try:
                    value = shortcut(source)
                except Exception:  # the resolver raises it again, with its info and location
                    value = UNRESOLVED
                if value is UNRESOLVED:
                    return with_info(executor, source, path)
                return finish(executor, value, Path(path, key, parent_name))

            run_direct.inline_spec = self._object_spec(return_type, field_list, None, shortcut)  # type: ignore[attr-defined]
            return run_direct, True
        nullable_leaf = _leaf(return_type)

        if nullable_leaf is not None:
            # The commonest field: a scalar or enum straight from an attribute.
            serialize = nullable_leaf.coerce_output_value
            non_null = isinstance(return_type, GraphQLNonNull)

            def run_leaf(executor: CompiledExecutionContext, source: Any, path: Any) -> Any:
                try:
                    value = resolve(source, None)
                    if value is None:
                        if non_null:
                            raise TypeError(message)
                        return None
                    if isinstance(value, Exception):
                        raise value
                    coerced = serialize(value)
                    if coerced is None or coerced is Undefined:
                        Executor.complete_leaf_value(nullable_leaf, value)  # raises graphql-core's error
                    return coerced
                except Exception as raw_error:
                    executor.handle_field_error(raw_error, return_type, field_list, Path(path, key, parent_name))
                    return None

            run_leaf.inline_spec = leaf_spec(resolve, nullable_leaf, non_null)  # type: ignore[attr-defined]
            return run_leaf, False

        def run(executor: CompiledExecutionContext, source: Any, path: Any) -> Any:
            field_path = Path(path, key, parent_name)
            try:
                value = resolve(source, None)
            except Exception as raw_error:
                executor.handle_field_error(raw_error, return_type, field_list, field_path)
                return None
            return finish(executor, value, field_path)

        attribute = getattr(resolve, "attribute", None)
        if attribute is not None and getattr(resolve, "id_prefix", None) is None:
            run.inline_spec = self._object_spec(return_type, field_list, attribute, None)  # type: ignore[attr-defined]
        return run, may_await

    def _object_spec(
        self, return_type: GraphQLOutputType, field_list: FieldDetailsList, attribute: str | None, shortcut: Any
    ) -> ObjectSpec | None:
        """How the parent's generated function reads this object field inline: when its type is an object (or a
        list of one) whose plan is pure and whose type check, if any, is Strawberry's isinstance."""
        non_null = isinstance(return_type, GraphQLNonNull)
        inner: Any = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        is_list = isinstance(inner, GraphQLList)
        item_non_null = False
        if is_list:
            inner = inner.of_type
            item_non_null = isinstance(inner, GraphQLNonNull)
            inner = inner.of_type if item_non_null else inner
        if not isinstance(inner, GraphQLObjectType):
            return None
        is_type_of = inner.is_type_of
        if is_type_of is not None and not _is_strawberry_type_check(is_type_of):
            return None
        plan = self.for_subfields(inner, field_list)
        if plan is None or not plan.pure or plan.generated is None:
            return None
        classes = _strawberry_classes(inner) if is_type_of is not None else None
        # A pure plan's steps all have specs. (A plan that may splice its JSON is called: the parent does not read
        # its fields itself.)
        fields = tuple((key, run.inline_spec) for key, run, _ in plan.steps)  # type: ignore[attr-defined]
        return ObjectSpec(
            attribute,
            shortcut,
            non_null,
            is_list,
            item_non_null,
            is_type_of,
            classes,
            plan.generated,
            fields if plan.json_parts is None else None,
        )

    def _completer(
        self, return_type: GraphQLOutputType, field_list: FieldDetailsList, message: str
    ) -> tuple[Complete, bool]:
        """complete_value for one type, as a closure; and whether its result may be awaitable."""
        if isinstance(return_type, GraphQLNonNull):
            inner, may_await = self._completer(return_type.of_type, field_list, message)

            def complete_non_null(executor: CompiledExecutionContext, value: Any, path: Any) -> Any:
                if isinstance(value, Exception):
                    raise value
                completed = inner(executor, value, path)
                if completed is None:
                    raise TypeError(message)
                return completed

            return complete_non_null, may_await

        if is_leaf_type(return_type):
            leaf: Any = return_type
            serialize = leaf.coerce_output_value

            def complete_leaf(executor: CompiledExecutionContext, value: Any, path: Any) -> Any:
                if isinstance(value, Exception):
                    raise value
                if value is None:
                    return None
                coerced = serialize(value)
                if coerced is None or coerced is Undefined:
                    Executor.complete_leaf_value(leaf, value)
                return coerced

            return complete_leaf, False

        if isinstance(return_type, GraphQLList):
            return self._list_completer(return_type, field_list, message)

        if isinstance(return_type, GraphQLObjectType):
            return self._object_completer(return_type, field_list)

        # Interfaces and unions: graphql-core resolves the runtime type; its subfields come back into the plans.
        return _by_graphql_core(return_type, field_list), True

    def _object_completer(self, object_type: GraphQLObjectType, field_list: FieldDetailsList) -> tuple[Complete, bool]:
        plan = self.for_subfields(object_type, field_list)
        assert plan is not None
        is_type_of = object_type.is_type_of
        # Strawberry's own is_type_of (types that implement an interface) is an isinstance check that ignores info;
        # any other needs the real info, so graphql-core completes such values.
        plain_check = is_type_of is not None and _is_strawberry_type_check(is_type_of)
        if is_type_of is not None and not plain_check:
            return _by_graphql_core(object_type, field_list), True

        may_await = plan.may_await

        def complete_object(executor: CompiledExecutionContext, value: Any, path: Any) -> Any:
            if isinstance(value, Exception):
                raise value
            if value is None:
                return None
            if is_type_of is not None and not is_type_of(value, None):  # type: ignore[arg-type]  # Strawberry's ignores info
                raise invalid_return_type_error(object_type, value, field_list)
            return executor.run_object(plan, value, path)

        return complete_object, may_await

    def _list_completer(
        self, list_type: GraphQLList[Any], field_list: FieldDetailsList, message: str
    ) -> tuple[Complete, bool]:
        item_type = list_type.of_type
        complete_item, item_may_await = self._completer(item_type, field_list, message)

        def complete_list(executor: CompiledExecutionContext, value: Any, path: Any) -> Any:
            if isinstance(value, Exception):
                raise value
            if value is None:
                return None
            if not isinstance(value, list | tuple):
                return executor.complete_with_info(list_type, field_list, path, value)
            is_awaitable = executor.is_awaitable
            completed_items: list[Any] = []
            append = completed_items.append
            awaitable_indices: list[int] = []
            try:
                for index, item in enumerate(value):
                    item_path = Path(path, index, None)
                    if is_awaitable(item):
                        append(
                            executor.complete_awaitable_list_item_value(
                                item, item_type, field_list, executor.info_for(field_list, path), item_path, None
                            )
                        )
                        awaitable_indices.append(index)
                        continue
                    try:
                        completed = complete_item(executor, item, item_path)
                        if item_may_await and is_awaitable(completed):
                            completed = executor.await_field(completed, item_type, field_list, item_path)
                            awaitable_indices.append(index)
                    except Exception as raw_error:
                        executor.handle_field_error(raw_error, item_type, field_list, item_path)
                        completed = None
                    append(completed)
            except Exception:
                if awaitable_indices:
                    executor.settle_in_background([completed_items[i] for i in awaitable_indices])
                raise
            if not awaitable_indices:
                return completed_items
            return _gather_items(completed_items, awaitable_indices)

        return complete_list, True


async def _gather_items(items: list[Any], indices: list[int]) -> list[Any]:
    if len(indices) == 1:
        items[indices[0]] = await items[indices[0]]
    else:
        for index, value in zip(indices, await gather_with_cancel(*(items[i] for i in indices)), strict=True):
            items[index] = value
    return items


def _with_info(
    parent_type: GraphQLObjectType, key: str, field_list: FieldDetailsList, field_def: Any, complete: Complete
) -> FieldRun:
    """A field whose resolver wants `info` (custom resolvers, permission checks, async ones) or takes arguments:
    execute_field's steps with the same resolver, the same info and the same arguments — coerced once per execution
    (they depend only on the field's node and the variables: a page's 100 `bids(first: 20)` fields share them) —,
    and the value completed by the plan."""
    parent_name = parent_type.name
    resolve = field_def.resolve
    return_type = field_def.type
    nodes = to_nodes(field_list)
    details = field_list[0]
    takes_arguments = bool(field_def.args or details.node.arguments)

    def run(executor: CompiledExecutionContext, source: Any, path: Any) -> Any:
        field_path = Path(path, key, parent_name)
        info = executor.build_resolve_info(field_def, nodes, parent_type, field_path)
        try:
            if takes_arguments:
                value = resolve(source, info, **executor.arguments(field_def, details))
            else:
                value = resolve(source, info)
            if type(value) is CoroutineType:
                value = _step(value)
                if value.__class__ is _Ready:
                    return _complete_ready(executor, value.value, complete, return_type, field_list, field_path)
            if executor.is_awaitable(value):
                return executor.complete_awaitable_value(return_type, field_list, info, field_path, value, None)
            completed = complete(executor, value, field_path)
            if executor.is_awaitable(completed):
                return executor.await_field(completed, return_type, field_list, field_path)
            return completed
        except Exception as raw_error:
            executor.handle_field_error(raw_error, return_type, field_list, field_path)
            return None

    return run


class _Ready:
    """What a coroutine returned without suspending."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Resumed:
    """A coroutine that suspended on its first step (or raised), awaited from there on: it is not started twice."""

    __slots__ = ("coroutine", "failure", "yielded")

    def __init__(self, coroutine: Any, yielded: Any = None, failure: BaseException | None = None) -> None:
        self.coroutine = coroutine
        self.yielded = yielded
        self.failure = failure

    def __await__(self) -> Generator[Any, Any, Any]:
        if self.failure is not None:
            raise self.failure
        coroutine, yielded = self.coroutine, self.yielded
        while True:
            try:
                sent = yield yielded
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as thrown:  # cancellation, or an exception the awaiting task hands in
                try:
                    yielded = coroutine.throw(thrown)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    yielded = coroutine.send(sent)
                except StopIteration as done:
                    return done.value


class _Deferred(CollectedErrors):
    """The errors of a ready coroutine's completion, with their paths, kept to be reported when it is awaited."""

    __slots__ = ("paths",)

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[Path | None] = []

    def add(self, error: GraphQLError, path: Path | None) -> None:
        count = len(self._errors)
        super().add(error, path)
        if len(self._errors) > count:
            self.paths.append(path)


def _complete_ready(
    executor: CompiledExecutionContext,
    value: Any,
    complete: Complete,
    return_type: Any,
    field_list: FieldDetailsList,
    path: Path,
) -> Any:
    """A ready coroutine's value completed now. graphql-core would complete it only when the field is awaited, after
    its siblings: if completing it reports errors, they are reported then (same order of errors, same nulls)."""
    saved = executor.collected_errors
    deferred = executor.collected_errors = _Deferred()
    failure: Exception | None = None
    try:
        completed = complete(executor, value, path)
    except Exception as raw_error:
        completed, failure = None, raw_error
    finally:
        executor.collected_errors = saved
    if failure is None and not deferred.errors:
        if executor.is_awaitable(completed):
            return executor.await_field(completed, return_type, field_list, path)
        return completed
    return _report_when_awaited(executor, deferred, completed, failure, return_type, field_list, path)


async def _report_when_awaited(
    executor: CompiledExecutionContext,
    deferred: _Deferred,
    completed: Any,
    failure: Exception | None,
    return_type: Any,
    field_list: FieldDetailsList,
    path: Path,
) -> Any:
    for error, error_path in zip(deferred.errors, deferred.paths, strict=True):
        executor.collected_errors.add(error, error_path)
    if failure is not None:
        executor.handle_field_error(failure, return_type, field_list, path)
        return None
    if executor.is_awaitable(completed):
        return await executor.await_field(completed, return_type, field_list, path)
    return completed


def _step(coroutine: Any) -> _Ready | _Resumed:
    """Run an async resolver's coroutine up to its first suspension. One that finishes without suspending (it awaited
    only what was at hand: a DataLoader's primed or loaded key, as the order board's `bids` and bidders are) is
    completed at once, like a synchronous resolver's value, instead of costing an awaited field; otherwise it is
    awaited from where it stopped. An exception it raises is raised when it is awaited, where graphql-core would
    see it."""
    try:
        yielded = coroutine.send(None)
    except StopIteration as done:
        return _Ready(done.value)
    except Exception as failure:
        return _Resumed(coroutine, failure=failure)
    return _Resumed(coroutine, yielded)


def _by_graphql_core(return_type: Any, field_list: FieldDetailsList) -> Complete:
    """Completion left to graphql-core's complete_value (with a real info) from this value on."""

    def complete(executor: CompiledExecutionContext, value: Any, path: Any) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None:
            return None
        return executor.complete_with_info(return_type, field_list, path, value)

    return complete


def _delegated(parent_type: GraphQLObjectType, key: str, field_list: FieldDetailsList) -> FieldRun:
    parent_name = parent_type.name

    def run(executor: CompiledExecutionContext, source: Any, path: Any) -> Any:
        return executor.execute_field(parent_type, source, field_list, Path(path, key, parent_name), None)

    return run


def _leaf(return_type: GraphQLOutputType) -> GraphQLScalarType | GraphQLEnumType | None:
    named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    return named if isinstance(named, GraphQLScalarType | GraphQLEnumType) else None


def _strawberry_classes(object_type: GraphQLObjectType) -> frozenset[type] | None:
    """The class of a Strawberry object type and its subclasses (all instances of it to isinstance), if their
    instances keep their attributes in a __dict__ (where a cast is recorded)."""
    definition = (object_type.extensions or {}).get(BACKREF)
    origin = getattr(definition, "origin", None)
    if not isinstance(origin, type) or getattr(definition, "concrete_of", None):
        return None
    classes: set[type] = {origin}
    pending: list[type] = [origin]
    subclass: type
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in classes:
                classes.add(subclass)
                pending.append(subclass)
    if any(cls.__dictoffset__ == 0 for cls in classes):
        return None
    return frozenset(classes)


def _is_strawberry_type_check(is_type_of: Any) -> bool:
    return bool(
        getattr(is_type_of, "__module__", "") == "strawberry.schema.schema_converter"
        and getattr(is_type_of, "__qualname__", "").endswith("._get_is_type_of.<locals>.is_type_of")
    )


class _DirectiveVariables(Visitor):
    """The names of the variables that @skip/@include read: they decide which fields a plan holds."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
        if node.name.value in ("skip", "include"):
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.add(argument.value.name.value)


class _OperationEntry:
    __slots__ = ("compilable", "directive_variables", "operation", "schema", "variants")

    def __init__(self, executor: Executor) -> None:
        self.schema = executor.schema
        self.operation = executor.operation
        collector = _DirectiveVariables()
        visit(executor.operation, collector)
        for fragment in executor.fragment_definitions.values():
            visit(fragment, collector)
        self.directive_variables = tuple(sorted(collector.names))
        self.compilable = (
            executor.operation.operation == OperationType.QUERY
            and not any(f.definition.variable_definitions for f in executor.fragments.values())
            and executor.schema.get_directive("defer") is None
            and executor.schema.get_directive("stream") is None
        )
        self.variants: OrderedDict[tuple[Any, ...], OperationPlans] = OrderedDict()


_operations: OrderedDict[tuple[int, int], _OperationEntry] = OrderedDict()


def _plans_for(executor: Executor) -> OperationPlans | None:
    key = (id(executor.schema), id(executor.operation))
    entry = _operations.get(key)
    if entry is None or entry.schema is not executor.schema or entry.operation is not executor.operation:
        entry = _OperationEntry(executor)
        _operations[key] = entry
        if len(_operations) > MAX_OPERATIONS:
            _operations.popitem(last=False)
    else:
        _operations.move_to_end(key)
    if not entry.compilable:
        return None
    coerced = executor.variable_values.coerced
    variant = tuple(_hashable(coerced.get(name)) for name in entry.directive_variables)
    plans = entry.variants.get(variant)
    if plans is None:
        plans = OperationPlans(executor)
        entry.variants[variant] = plans
        if len(entry.variants) > MAX_VARIANTS:
            entry.variants.popitem(last=False)
    return plans


_PLAIN = frozenset({str, int, float, bool, type(None)})


def shared_arguments_key(key: tuple[int, int], coerced: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The field's key with every variable's coerced value (and its class: 1, 1.0 and True are equal keys), when all
    of them are plain scalars or enum members; None otherwise (a list or an input object is not shared)."""
    values: list[Any] = [key]
    for name, value in coerced.items():
        cls = value.__class__
        if cls not in _PLAIN and not isinstance(value, Enum):
            return None
        values.append((name, cls, value))
    return tuple(values)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, bool | None) else repr(value)


def clear_cache() -> None:
    _operations.clear()
    operation_once.clear_cache()


class CompiledExecutionContext(FastLeafExecutionContext):
    """graphql-core's executor, with queries run through compiled plans (see the module's docstring)."""

    compiled_plans: OperationPlans | None = None
    # by ids of the field node and its definition (both outlive the execution)
    argument_values: dict[tuple[int, int], dict[str, Any]] | None = None

    # graphql-core's __init__ keeps `async_helpers`, a tuple of two of the executor's own bound methods: a reference
    # cycle through the executor, its context value (the request's Context, Request, Response, Actor) and ~45 more
    # objects a request, freed only by the cyclic GC (a gen-0 collection every ~2,000 requests, ~40 ms of pauses
    # there). Made when read instead (a ResolveInfo reads it once), the request's objects are freed by their
    # reference counts when the response is sent.
    @property
    def async_helpers(self) -> GraphQLResolveInfoHelpers:
        return GraphQLResolveInfoHelpers(gather=self.gather_async_work, track=self.track_async_work)

    @async_helpers.setter
    def async_helpers(self, _helpers: GraphQLResolveInfoHelpers) -> None:
        pass  # __init__'s: the helpers are made when read

    @classmethod
    def build(  # graphql-core's signature
        cls,
        schema: GraphQLSchema,
        document: DocumentNode,
        root_value: Any = None,
        context_value: Any = None,
        raw_variable_values: dict[str, Any] | None = None,
        operation_name: str | None = None,
        field_resolver: Any = None,
        type_resolver: Any = None,
        subscribe_field_resolver: Any = None,
        max_coercion_errors: int = 50,
        enable_early_execution: bool = False,
        middleware: Any = None,
        is_awaitable: Any = None,
        is_async_iterable: Any = None,
        hide_suggestions: bool = False,
        abort_signal: Any = None,
        hooks: Any = None,
        **custom_args: Any,
    ) -> list[GraphQLError] | Executor:
        """graphql-core's build, with what depends on the operation alone kept per operation
        (api/execution/operation_once.py); anything unusual goes through graphql-core's own."""
        prepared = (
            operation_once.prepared(schema, document, operation_name)
            if operation_once.fast_build_applies(
                middleware, field_resolver, type_resolver, subscribe_field_resolver, abort_signal, hooks, custom_args
            )
            else None
        )
        if prepared is None:
            return super().build(
                schema,
                document,
                root_value,
                context_value,
                raw_variable_values,
                operation_name,
                field_resolver,
                type_resolver,
                subscribe_field_resolver,
                max_coercion_errors,
                enable_early_execution,
                middleware,
                is_awaitable,
                is_async_iterable,
                hide_suggestions=hide_suggestions,
                abort_signal=abort_signal,
                hooks=hooks,
                **custom_args,
            )
        variable_values = operation_once.coerce_variables(
            prepared, raw_variable_values or {}, max_coercion_errors, hide_suggestions
        )
        if isinstance(variable_values, list):
            return variable_values
        return operation_once.build(
            cls,
            prepared,
            root_value,
            context_value,
            variable_values,
            middleware,
            enable_early_execution,
            is_awaitable,
            is_async_iterable,
            hide_suggestions,
            custom_args.get("operation_extensions"),
        )

    def execute_operation(self, serially: bool | None = None) -> Any:
        """graphql-core's execute_operation; a query the plans run starts from its kept root plan instead of
        collecting the root fields again (graphql-core's collect_fields, which the plans ignore). The rest is
        graphql-core's, line for line: errors, the awaited result, the response."""
        operation = self.operation
        if (
            serially
            or self.abort_signal is not None
            or operation.operation is not OperationType.QUERY
            or self._wraps_resolvers()
        ):
            return super().execute_operation(serially)
        root_type = self.schema.query_type
        plans = _plans_for(self) if root_type is not None else None
        if plans is None or plans.root_or_none(root_type) is None:  # type: ignore[arg-type]
            return super().execute_operation(serially)
        try:
            result = self.run_root(plans, root_type, self.root_value)  # type: ignore[arg-type]
            if self.is_awaitable(result):

                async def await_result() -> Any:
                    try:
                        data = await result
                    except GraphQLError as error:
                        self.collected_errors.add(error, None)
                        return self.build_response(None)
                    except Exception:
                        await self.cancel_incremental_work()
                        self.run_async_work_finished_hook()
                        raise
                    return self.build_response(data)

                return await_result()
            data = result
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.finish(self.build_response(None))
        return self.finish(self.build_response(data))

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: Any,
        serially: bool,
        position_context: Any,
    ) -> Any:
        plans = None if serially or self._wraps_resolvers() else _plans_for(self)
        if plans is None:
            return super().execute_root_grouped_field_set(
                root_type, root_value, grouped_field_set, serially, position_context
            )
        return self.run_root(plans, root_type, root_value)

    def run_root(self, plans: OperationPlans, root_type: GraphQLObjectType, root_value: Any) -> Any:
        self.compiled_plans = plans
        memo = getattr(self.context_value, "memo", None)
        if memo is not None:
            memo[sql_json.PLANS] = plans  # the resolvers may ask for objects' JSON (sql_json.parts_below)
        return self.run_object(plans.root(root_type), root_value, None)

    def collect_and_execute_subfields(
        self, return_type: GraphQLObjectType, field_details_list: Any, path: Path, result: Any, position_context: Any
    ) -> Any:
        plans = self.compiled_plans
        plan = plans.for_subfields(return_type, field_details_list) if plans is not None else None
        if plan is None:
            return super().collect_and_execute_subfields(
                return_type, field_details_list, path, result, position_context
            )
        return self.run_object(plan, result, path)

    def run_object(self, plan: ObjectPlan, source: Any, path: Any) -> Any:
        """execute_fields over a plan."""
        if plan.generated is not None:
            done = plan.generated(self, source, path)
            if done is not SLOW:
                return done
        results: dict[str, Any] = {}
        if not plan.may_await:
            for key, run, _may_await in plan.steps:
                results[key] = run(self, source, path)
            return results
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for key, run, may_await in plan.steps:
                value = run(self, source, path)
                if value is Undefined:
                    continue
                results[key] = value
                if may_await and is_awaitable(value):
                    awaitable_fields.append(key)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[key] for key in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gather_fields(results, awaitable_fields)

    def arguments(self, field_def: Any, details: FieldDetails) -> dict[str, Any]:
        """get_argument_values for a field node, once per execution (an error is raised each time, not kept), and
        once for the operation's executions with the same variable values when these are all plain scalars (the
        board's `orders(first: 20, filter: {statuses: [OPEN], processes: [$process]})`: ~40 µs to coerce). Shared
        values are safe to share: resolvers get them converted by Strawberry (or fast_fields' conversions), which
        build new input objects and lists, never changing what graphql-core coerced."""
        cache = self.argument_values
        if cache is None:
            cache = self.argument_values = {}
        key = (id(details.node), id(field_def))
        found = cache.get(key)
        if found is None:
            plans = self.compiled_plans
            shared = None
            if plans is not None and details.fragment_variable_values is None:
                shared = shared_arguments_key(key, self.variable_values.coerced)
                if shared is not None:
                    found = plans.argument_values.get(shared)
            if found is None:
                found = get_argument_values(
                    field_def,
                    details.node,
                    self.variable_values,
                    details.fragment_variable_values,
                    self.hide_suggestions,
                )
                if shared is not None and plans is not None:
                    if len(plans.argument_values) >= MAX_SHARED_ARGUMENTS:
                        plans.argument_values.clear()
                    plans.argument_values[shared] = found
            cache[key] = found
        return found

    def info_for(self, field_list: FieldDetailsList, path: Path) -> Any:
        """The ResolveInfo graphql-core would have built for the field at `path` (or an item of its list)."""
        field_path = path
        while isinstance(field_path.key, int):
            field_path = field_path.prev  # type: ignore[assignment]
        parent_type = self.schema.get_type(field_path.typename)  # type: ignore[arg-type]
        field_def = self.schema.get_field(parent_type, field_list[0].node.name.value)  # type: ignore[arg-type]
        return self.build_resolve_info(field_def, to_nodes(field_list), parent_type, field_path)  # type: ignore[arg-type]

    def complete_with_info(self, return_type: Any, field_list: FieldDetailsList, path: Path, value: Any) -> Any:
        """graphql-core's complete_value from here on (its errors propagate to the caller, as in graphql-core)."""
        return self.complete_value(return_type, field_list, self.info_for(field_list, path), path, value, None)

    def await_field(self, completed: Any, return_type: Any, field_list: FieldDetailsList, path: Path) -> Any:
        return _await_completed(self, completed, return_type, field_list, path)


async def _await_completed(
    executor: Executor, completed: Any, return_type: Any, field_list: FieldDetailsList, path: Path
) -> Any:
    try:
        return await completed
    except Exception as raw_error:
        executor.handle_field_error(raw_error, return_type, field_list, path)
        return None


async def _gather_fields(results: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    if len(keys) == 1:
        results[keys[0]] = await results[keys[0]]
    else:
        results.update(zip(keys, await gather_with_cancel(*(results[key] for key in keys)), strict=True))
    return results
