"""The Starlette app: /graphql (HTTP + graphql-transport-ws subscriptions), /webhooks/stripe, /health (live, ready)
and /metrics; every request gets an id (X-Request-ID) that its log lines carry."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import structlog
from cross_web import HTTPException
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import async_base_view
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.execution import ExecutionResult, PreExecutionError, SubscriptionExecutionResult
from strawberry.types.graphql import OperationType

from api.auth_guess import token_checked
from api.context import AppDeps, Context
from api.cors import cors_middleware
from api.files.routes import file_routes
from api.limits import BodyLimit, LimitedWebSocketAdapter, RequestLimits, encode_json
from api.observability.health import health_routes
from api.observability.metrics import metrics_endpoint
from api.observability.request_id import RequestId
from api.observability.websockets import WebsocketGauge
from api.realtime.fanout import Fanout
from api.realtime.session import SessionBoundTransportWSHandler
from api.schema import build_schema
from api.web import web_routes
from domain.actor import ANONYMOUS, Actor
from domain.files.uploads import UPLOAD_PATH
from domain.identity.service import authenticate_on
from domain.payments.service import store_event
from domain.uow import UnitOfWork

log = structlog.get_logger(__name__)
_new = object.__new__


def bearer_token(headers: Any) -> str | None:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class TextFrameWebSocketAdapter(LimitedWebSocketAdapter):
    """graphql-transport-ws speaks in text frames: browsers' clients (graphql-ws) read a binary frame as a Blob,
    find no `type` in it and close with 4004. Strawberry sends bytes when encode_json returns bytes (orjson)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(encode_json(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class _StreamedResultCheck:
    """`isinstance(result, SubscriptionExecutionResult)` as Strawberry's view asks it of every HTTP result, with the
    same answers: a plain result (Strawberry's ExecutionResult, a batch's list) is not a stream, known from its
    class at once; anything else asks the protocol. The protocol is runtime-checkable, and its check of an object
    that is not one (`inspect.getattr_static` on `__aiter__`) cost 12-20 µs a request."""

    plain = frozenset({ExecutionResult, PreExecutionError, list})

    def __instancecheck__(self, instance: object) -> bool:
        return type(instance) not in self.plain and isinstance(instance, SubscriptionExecutionResult)


def _check_streams_quickly() -> None:
    """Strawberry's HTTP view checks its results against `_StreamedResultCheck` (idempotent)."""
    if async_base_view.SubscriptionExecutionResult is SubscriptionExecutionResult:
        async_base_view.SubscriptionExecutionResult = _StreamedResultCheck()  # type: ignore[misc, assignment]


class ExchangeGraphQL(RequestLimits, GraphQL[Context, None]):
    # Subscriptions end when the socket's sign-in does (sign-out, expiry): api/realtime/session.py.
    graphql_transport_ws_handler_class = SessionBoundTransportWSHandler
    websocket_adapter_class = TextFrameWebSocketAdapter

    def __init__(self, deps: AppDeps) -> None:
        super().__init__(
            build_schema(deps.settings),
            graphql_ide=None if deps.settings.production else "graphiql",
            allow_queries_via_get=False,
            # attachOrderFile: the GraphQL multipart request spec. No CSRF exposure: the API authenticates by bearer
            # token, never by cookie, so a cross-site form carries no credentials.
            multipart_uploads_enabled=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=deps.settings.ws_init_timeout_seconds),
            max_subscriptions_per_connection=deps.settings.ws_max_subscriptions,
        )
        self.deps = deps
        # Sockets that receive the same bytes share one execution of their subscription (api/realtime/fanout.py).
        self.fanout = Fanout(self.schema)
        self.max_body_bytes = deps.settings.max_body_bytes
        self.max_document_bytes = deps.settings.max_document_bytes
        _check_streams_quickly()

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        """Strawberry's: a Response with no status, body or headers, for the request to set a status or headers on
        (api/outage.py does) — made without Starlette's header building, which the next lines of Strawberry's undo."""
        sub_response = _new(Response)
        sub_response.status_code = None  # type: ignore[assignment]
        sub_response.background = None
        sub_response.body = b""
        sub_response.raw_headers = []
        return sub_response

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        """Strawberry's response, the same status, headers (content-length, content-type, then what the request set)
        and body, with the headers written directly."""
        body = self.encode_json(response_data)
        response = _new(Response)
        response.body = body if isinstance(body, bytes) else response.render(body)
        response.status_code = sub_response.status_code or 200
        response.background = sub_response.background or None
        response.raw_headers = [
            (b"content-length", str(len(response.body)).encode()),
            (b"content-type", b"application/json"),
            *sub_response.raw_headers,
        ]
        return response

    async def execute_operation(  # Strawberry's signature
        self,
        request: Request,
        request_adapter: Any,
        request_data: Any,
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        """Strawberry's, for the common request — one operation over POST, no streaming protocol — in one layer
        instead of two (its execute_single), the allowed operation types worked out once instead of twice: the same
        call of schema.execute, the same HTTP errors. Anything else (a batch, GET, a stream) is Strawberry's."""
        method = request_adapter.method
        if isinstance(request_data, list) or method != "POST" or self._get_stream_transport(request_data.protocol):
            return await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=OperationType.from_http(method),
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(method)) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error

    async def get_context(self, request: Request | WebSocket, response: Response | None) -> Context:  # type: ignore[override]
        context = Context(request=request, response=response, deps=self.deps, actor=ANONYMOUS)
        # A websocket signs in with its connection_init payload (browsers cannot set its headers).
        token = None if isinstance(request, WebSocket) else bearer_token(request.headers)
        # Checked on every request (a signed-out token stops working at once), on the request's read connection
        # (api/context.py Context.authenticate: given back before a mutation's unit of work or the search backend takes
        # one of their own) — or, for a POST whose token was checked before, later: in its first read's statement
        # (api/auth_guess.py; settled in api/extensions.py ExchangeSchema.execute).
        if token is not None and not (
            isinstance(request, Request) and request.scope["method"] == "POST" and context.guess(token)
        ):
            await token_checked(context.authenticate(token))
        return context

    async def authenticate(self, token: str) -> Actor:
        # One statement on the driver: no session, no transaction.
        async with self.deps.engine.connect() as connection:
            return await authenticate_on(connection, token=token, now=self.deps.clock.now())

    async def on_ws_connect(self, context: Context) -> dict[str, object]:
        """connection_init must carry a valid token: {"authorization": "Bearer <token>"} (or {"token": …}).
        Without one the socket is closed with 4403 before any subscription starts. The token is kept: when it
        is signed out or expires, the socket is closed with 4401 (api/realtime/session.py)."""
        params = context.connection_params or {}
        raw = params.get("authorization") or params.get("Authorization")
        token = bearer_token({"authorization": raw}) if isinstance(raw, str) else None
        if token is None and isinstance(params.get("token"), str):
            token = params["token"].strip() or None
        if token is None:
            raise ConnectionRejectionError({"reason": "sign in: send a token in connection_init"})
        context.actor = await self.authenticate(token)
        if not context.actor.authenticated:
            raise ConnectionRejectionError({"reason": "the token is invalid or expired"})
        context.ws_token = token
        return {"userId": str(context.actor.user_id)}


def create_app(deps: AppDeps, *, lifespan: Any = None) -> Starlette:
    graphql = ExchangeGraphQL(deps)

    @asynccontextmanager
    async def with_events(app: Starlette) -> AsyncIterator[None]:
        """The realtime hub runs as long as the app: subscriptions on this process hear every event."""
        if deps.events is not None:
            await deps.events.start()
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            if deps.events is not None:
                await deps.events.stop()

    live, ready = health_routes(deps)

    async def health(_: Request) -> JSONResponse:
        try:
            async with deps.session_factory() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # the point of a health check: report, never raise
            log.warning("health.database_down", error=str(error))
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up"})

    async def stripe_webhook(request: Request) -> JSONResponse:
        """Verify on the raw body, store once, answer fast; the worker does the rest."""
        verifier = deps.stripe_webhook_verifier
        if verifier is None:
            return JSONResponse({"error": "stripe webhooks are not configured"}, status_code=404)
        payload = await request.body()
        try:
            event = verifier(payload, request.headers.get("stripe-signature"))
        except ValueError as error:
            log.warning("stripe.webhook_rejected", error=str(error))
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            new = await store_event(uow, provider="stripe", event_id=event["id"], type=event["type"], payload=event)
        return JSONResponse({"received": True, "duplicate": not new})

    tracing: list[Middleware] = []
    if deps.settings.tracing:
        # Imported only when on: OpenTelemetry is an optional extra.
        from api.observability.tracing import TraceRequests

        tracing.append(Middleware(TraceRequests))

    app = Starlette(
        routes=[
            # First: the API's requests find their route at the first match (no two routes share a path).
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/health", health, methods=["GET"]),
            Route("/health/live", live, methods=["GET"]),
            Route("/health/ready", ready, methods=["GET"]),
            Route("/metrics", metrics_endpoint(deps), methods=["GET"]),
            *file_routes(deps),
            # Last: everything else is the web app (client routes fall back to its index.html).
            *web_routes(deps.settings.web_dir),
        ],
        middleware=[
            # Outermost of all, so that every response, a refusal too, carries its request id.
            Middleware(RequestId),
            *tracing,
            Middleware(WebsocketGauge),
            # Outermost, so that refusals (a 413 too) carry the CORS headers a listed origin needs to read them.
            *cors_middleware(deps.settings.cors_origins),
            # Every body is read within the limit before a route sees it (api/limits.py).
            Middleware(
                BodyLimit,
                max_bytes=deps.settings.max_body_bytes,
                max_upload_bytes=deps.settings.files_max_request_bytes,
                # Direct uploads stream to storage; the route bounds them by their announced size.
                unread_prefixes=(UPLOAD_PATH,),
            ),
        ],
        lifespan=with_events,
    )
    app.state.fanout = graphql.fanout  # the execution groups of this app's websockets (tests and metrics read it)
    return app
