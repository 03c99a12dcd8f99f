"""The execution engine: the API's schema run faster, with the answers Strawberry and graphql-core give.

Why: a page of the order board with its bids and bidders is some 18,000 fields, and graphql-core's generic
per-field machinery (plus Strawberry's wrappers) costs several times what the database and the JSON do. The
engine removes that cost without changing the schema or a single answer. It is the only code that knows
graphql-core's and Strawberry's internals; the areas' types stay plain Strawberry types.

What: `install(schema, settings)` turns it on for a built schema, unless EXCHANGE_EXECUTION_ENGINE is `stock`:

- compiled.py, codegen.py: queries run through plans compiled once per operation (mutations and subscriptions
  keep graphql-core's executor);
- operation_once.py: graphql-core's executor built with what depends on the operation alone worked out once per
  operation (the operation, fragments, variables' signatures), only the variables coerced per request;
- fast_fields.py: resolvers whose Strawberry wrapper adds nothing are called plainly; shortcuts answer a field
  from what a page brought along without an `info`;
- row_views.py: the hot types read from their rows when a field is asked for;
- hot_types.py: which of the API's types and fields get row views and shortcuts;
- lookahead.py: what a query selects below a field (`selects`, `selected`: the areas' prefetches use them);
- pipeline.py: the schema extensions' hooks run without Strawberry's per-request wrapping (same hooks, order and
  semantics);
- documents.py: documents parsed and validated once per query text (`document_caches`, for the schema's
  extensions; stock keeps Strawberry's ParserCache and ValidationCache).

With `stock` the schema is plain Strawberry + graphql-core: that is the reference the engine is tested against
(tests/api/test_compiled_executor.py), and CI runs the API tests in both modes (Makefile `test`).

An extension with a `resolve` hook wraps every resolver in graphql-core's middleware, which the compiled plans
cannot honour: `install` refuses such a schema instead of quietly running every query the slow way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache

from api.execution import operation_once
from api.execution.compiled import CompiledExecutionContext
from api.execution.documents import document_cache
from api.execution.lookahead import Selected, selected, selects

if TYPE_CHECKING:
    from api.settings import ApiSettings

__all__ = [
    "ResolveHookError",
    "Selected",
    "compile_schema",
    "document_caches",
    "install",
    "resolve_hooks",
    "selected",
    "selects",
]


class ResolveHookError(RuntimeError):
    """An extension with a `resolve` hook on a schema the engine runs."""


def install(schema: strawberry.Schema, settings: ApiSettings) -> None:
    """Run `schema` through the engine, unless settings.execution_engine is "stock" (then nothing changes)."""
    if settings.execution_engine == "stock":
        return
    from api.execution import hot_types, row_views, sql_json

    compile_schema(schema, shortcuts=hot_types.SHORTCUTS)
    row_views.install(hot_types.ROW_VIEWS)
    sql_json.TYPES.update(hot_types.SQL_JSON)


def document_caches(execution_engine: str, maxsize: int = 256) -> list[Callable[[], SchemaExtension]]:
    """The schema's extension factories that keep parsed and validated documents by query text: the engine's one
    (documents.py), or with `stock` Strawberry's ParserCache and ValidationCache."""
    if execution_engine == "stock":
        return [lambda: ParserCache(maxsize=maxsize), lambda: ValidationCache(maxsize=maxsize)]
    return [document_cache(maxsize)]


def compile_schema(
    schema: strawberry.Schema, *, shortcuts: Mapping[tuple[str, str], Callable[[Any], Any]] | None = None
) -> int:
    """The compiled executor, the fast resolvers and the extension hook runner on any Strawberry schema (the tests'
    own too); returns how many fields got a faster resolver. Raises ResolveHookError for an extension with a
    `resolve` hook."""
    from api.execution import fast_fields, pipeline

    hooked = resolve_hooks(schema)
    if hooked:
        raise ResolveHookError(
            f"the schema's extensions {hooked} have a resolve hook: it would turn the compiled executor off for "
            "every query. Hook on_operation/on_execute instead, or set EXCHANGE_EXECUTION_ENGINE=stock."
        )
    schema.execution_context_class = CompiledExecutionContext
    if not schema.config.enable_experimental_incremental_execution:
        # graphql-core's execute without its layers around the executor (operation_once.py)
        schema._get_execute_function = _compiled_execute  # type: ignore[method-assign]
    pipeline.install(schema)
    return fast_fields.install(schema, shortcuts=shortcuts)


def _compiled_execute() -> Callable[..., Any]:
    return operation_once.execute


def resolve_hooks(schema: strawberry.Schema) -> list[str]:
    """The names of the schema's extensions that override SchemaExtension.resolve or resolve_async."""
    hooked = []
    for extension in schema.extensions:
        cls: Any = extension if isinstance(extension, type) else type(_instance(extension))
        if cls.resolve is not SchemaExtension.resolve or getattr(cls, "resolve_async", None) is not getattr(
            SchemaExtension, "resolve_async", None
        ):
            hooked.append(cls.__name__)
    return hooked


def _instance(extension: Any) -> Any:
    # A factory (the schema's extensions are classes, instances or functions making one per request)
    return extension() if callable(extension) and not isinstance(extension, SchemaExtension) else extension
