"""Schema extensions: the error policy (codes on refusals, unexpected errors masked) and request cleanup."""

from __future__ import annotations

from collections.abc import Iterator

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import DomainError

log = structlog.get_logger(__name__)


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
            if isinstance(original, DomainError):
                error.extensions = {"code": original.code.name, "field": original.field}
                processed.append(error)
            elif original is not None and not isinstance(original, GraphQLError):
                log.error("graphql.unexpected_error", path=error.path, exc_info=original)
                if self.mask:
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
        result.errors = processed  # type: ignore[union-attr]


class CloseRequestSession(SchemaExtension):
    """Give the request's read connection back to the pool when the operation ends."""

    async def on_operation(self) -> object:  # type: ignore[override]
        yield
        context = self.execution_context.context
        close = getattr(context, "close", None)
        if close is not None:
            await close()
