"""The schema's error policy (codes on refusals, unexpected errors masked, client errors logged quietly), the
checks of an operation before it runs, and request cleanup."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

import strawberry
import structlog
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, OperationDefinitionNode
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from api import outage
from api.auth_guess import ViewerChanged, token_checked
from domain.errors import DomainError

log = structlog.get_logger(__name__)

# graphql-core's "Did you mean 'me'?" (fields, arguments, types, enum values, input fields): the schema, spelt out.
SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


class OperationOnce(ExecutionContext):
    """Strawberry's ExecutionContext, working out the operation's name and type once per document instead of on
    every read: Strawberry's own checks, OperationChecks and the metrics read them in each request, and each read
    walks the document's definitions (together 10-20 µs a request). The answers are kept per document object (the
    document cache hands back the same one for the same text) and name given, across requests; the same answers: an
    error (no document, no such operation) is raised each time, as before, and nothing is kept for it."""

    @property
    def operation_name(self) -> str | None:
        provided = self._provided_operation_name
        if provided is not None:
            return provided
        document = self.graphql_document
        known = _KNOWN_NAMES.get(id(document))
        if known is not None and known[0] is document:
            return known[1]
        name = super().operation_name
        if document is not None:
            _keep(_KNOWN_NAMES, id(document), (document, name))
        return name

    @property
    def operation_type(self) -> OperationType:
        document = self.graphql_document
        key = (id(document), self._provided_operation_name)
        known = _KNOWN_TYPES.get(key)
        if known is not None and known[0] is document:
            return known[1]
        kind = super().operation_type
        _keep(_KNOWN_TYPES, key, (document, kind))
        return kind


# by the document's id (and the name given): (the document, kept alive so that its id stays its own, the answer)
_KNOWN_NAMES: dict[int, tuple[Any, str | None]] = {}
_KNOWN_TYPES: dict[tuple[int, str | None], tuple[Any, OperationType]] = {}
_MAX_KNOWN = 256  # as many as the document cache holds (api/execution/documents.py)


def _keep(known: dict[Any, Any], key: Any, value: Any) -> None:
    if len(known) >= _MAX_KNOWN:
        known.clear()
    known[key] = value


class ExchangeSchema(strawberry.Schema):
    """Strawberry's schema with our error logging: a refusal (not found, forbidden, invalid input, a bad document)
    is the client's business and is logged at info without a traceback, so that a real fault — logged at error,
    with its traceback — stands out. In production, suggestions are stripped from messages (the schema is not
    introspectable there, and "Did you mean" would spell it out)."""

    def __init__(self, *args: Any, production: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.production = production

    def _create_execution_context(  # Strawberry's signature
        self,
        query: str | None,
        allowed_operation_types: Iterable[OperationType],
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionContext:
        return OperationOnce(
            query=query,
            schema=self,
            allowed_operations=allowed_operation_types,
            context=context_value,
            root_value=root_value,
            variables=variable_values,
            provided_operation_name=operation_name,
            operation_extensions=operation_extensions,
        )

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Strawberry's; when the request started on a guessed viewer (api/auth_guess.py), its token check has run
        before the result is returned, and when the check found another viewer the operation runs again from the
        start as that one, the first run's result discarded (whichever view layer calls this)."""
        run = functools.partial(
            super().execute,
            query,
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_name=operation_name,
            allowed_operation_types=allowed_operation_types,
            operation_extensions=operation_extensions,
        )
        context: Any = context_value
        if not getattr(context, "checking_token", False):
            return await run()
        context.settled_before_answer = True
        try:
            result = await run()
        finally:
            changed = await token_checked(context.settle())
        if changed:
            await token_checked(context.start_over())
            result = await run()
        return result

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if isinstance(error.original_error, ViewerChanged):
                continue  # a run on a guessed viewer the token check did not confirm: discarded, run again
            if not (error.extensions or {}).get("code"):  # a syntax error never reaches ErrorPolicy
                error.extensions = {**(error.extensions or {}), "code": request_error_code(error)}
            if self.production and "Did you mean" in error.message:
                error.message = SUGGESTION.sub("", error.message)
            if outage.database_unavailable(error.original_error):
                log.warning("graphql.database_unavailable", path=error.path, error=repr(error.original_error))
            elif is_client_error(error):
                code = error.original_error.code.name if isinstance(error.original_error, DomainError) else None
                log.info("graphql.refused", message=error.message, path=error.path, code=code)
            else:
                log.error("graphql.unexpected_error", path=error.path, exc_info=error.original_error)


def is_client_error(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError | DomainError):
        return True
    # A request error located in the document (a variable that does not coerce): no path, but nodes.
    return error.path is None and bool(error.nodes)


class OperationChecks(SchemaExtension):
    """Refused before execution: a document of several operations without `operationName` (graphql-core would
    run the first; the spec says refuse), and a subscription sent over HTTP (it runs on the websocket)."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        message = None
        if document is not None:
            operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
            # Strawberry fills in the first operation's name when none was given; what the client sent is here.
            provided = getattr(context, "_provided_operation_name", None)
            if operations > 1 and provided is None:
                message = "operationName required: the document holds several operations; name the one to run."
            elif context.operation_type == OperationType.SUBSCRIPTION and isinstance(
                getattr(context.context, "request", None), Request
            ):
                message = "Subscriptions run over the graphql-transport-ws websocket on /graphql, not over HTTP."
        if message is not None:
            context.result = GraphQLExecutionResult(
                data=None, errors=[GraphQLError(message, extensions={"code": "BAD_REQUEST"})]
            )
        yield


class ErrorPolicy(SchemaExtension):
    """Refusals raised in queries carry their code and field; anything unexpected is logged, and masked
    in production so that no internals leak."""

    def __init__(self, *, mask: bool) -> None:
        self.mask = mask

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        processed: list[GraphQLError] = []
        for error in errors:
            original = error.original_error
            if outage.database_unavailable(original):
                # Not a fault of ours nor the client's: the whole answer is a 503 the client may retry.
                outage.unavailable(getattr(self.execution_context.context, "response", None))
                processed.append(
                    GraphQLError(outage.MESSAGE, nodes=error.nodes, path=error.path, extensions={"code": outage.CODE})
                )
            elif isinstance(original, DomainError):
                error.extensions = {"code": original.code.name, "field": original.field}
                processed.append(error)
            elif original is not None and not isinstance(original, GraphQLError):
                if self.mask:  # logged, with its traceback, by ExchangeSchema.process_errors
                    processed.append(
                        GraphQLError(
                            "Unexpected error.",
                            nodes=error.nodes,
                            path=error.path,
                            extensions={"code": "INTERNAL_SERVER_ERROR"},
                        )
                    )
                else:
                    processed.append(error)
            else:
                processed.append(error)
        for error in processed:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": request_error_code(error)}
        result.errors = processed  # type: ignore[union-attr]


def request_error_code(error: GraphQLError) -> str:
    """A code for an error graphql-core raised about the request itself (the spellings Apollo Server made common),
    so that every error a client gets has one."""
    if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
        return "INTERNAL_SERVER_ERROR"
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if (error.message.startswith("Variable '$") and "invalid value" in error.message) or error.path is not None:
        return "BAD_USER_INPUT"  # a variable or argument value that does not fit its type
    return "GRAPHQL_VALIDATION_FAILED"


class CloseRequestSession(SchemaExtension):
    """Give the request's read connection back to the pool when the operation ends."""

    async def on_operation(self) -> object:  # type: ignore[override]
        yield
        context = self.execution_context.context
        close = getattr(context, "close", None)
        if close is not None:
            await close()
