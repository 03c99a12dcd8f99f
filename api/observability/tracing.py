"""OpenTelemetry spans per GraphQL operation and per SQL statement — never per resolver.

A Strawberry extension with a `resolve` hook wraps every resolver in graphql-core's middleware, and the compiled
executor (api/execution/compiled.py) would step aside for graphql-core's (api/execution refuses such a schema). So the
operation span comes from `on_operation` alone, and the statements' spans from SQLAlchemy's cursor events
(exchange/tracing.py); resolvers run as fast as without tracing, and a trace still shows where the time went: the
operation, and under it each statement with its SQL.

Only opentelemetry-api is imported here; without the SDK (the `tracing` extra) every span is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from api.extensions import is_client_error

TRACER_NAME = "exchange.api"


class OperationTracing(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        tracer = trace.get_tracer(TRACER_NAME)
        with tracer.start_as_current_span("graphql.operation", kind=SpanKind.INTERNAL) as span:
            yield
            context = self.execution_context
            try:
                kind = context.operation_type.value
            except Exception:  # the document did not parse
                kind = "unknown"
            name = context.operation_name
            span.update_name(f"{kind} {name}" if name else kind)
            span.set_attribute("graphql.operation.type", kind)
            if name:
                span.set_attribute("graphql.operation.name", name)
            errors = getattr(context.result, "errors", None) or []
            if any(not is_client_error(error) for error in errors):
                span.set_status(Status(StatusCode.ERROR, "unexpected error"))


class TraceRequests:
    """A SERVER span per HTTP request (and websocket), continuing the caller's trace when it sends W3C
    `traceparent`; the operation's and the statements' spans nest under it. Carries the request id too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", ())}
        parent = propagate.extract(carrier)
        method = scope.get("method", "WS")
        tracer = trace.get_tracer(TRACER_NAME)
        with tracer.start_as_current_span(f"{method} {scope['path']}", context=parent, kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", method)
            span.set_attribute("url.path", scope["path"])
            request_id = scope.get("state", {}).get("request_id")
            if request_id:
                span.set_attribute("exchange.request_id", request_id)

            async def send_recording_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, send_recording_status)
