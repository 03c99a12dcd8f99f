"""GraphQL operation metrics (a schema extension with no `resolve` hook, so the compiled executor keeps running)
and the `/metrics` endpoint.

/metrics: off with EXCHANGE_METRICS_ENABLED=false. With EXCHANGE_METRICS_TOKEN set it needs
`Authorization: Bearer <token>` (Prometheus: `authorization: {credentials_file: …}` in the scrape config); in
production it is only served with a token (404 without one), so it is never public by accident.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.extensions import SchemaExtension

from api.context import AppDeps
from api.extensions import is_client_error
from api.observability import outcome
from api.observability import prometheus as metrics
from domain.outbox import pending
from domain.ports.search import Topic

log = structlog.get_logger(__name__)


class OperationMetrics(SchemaExtension):
    """exchange_graphql_requests_total / _duration_seconds per operation name, type and outcome."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        holder = outcome.UserErrors()
        token = outcome.current.set(holder)
        try:
            yield
        finally:
            outcome.current.reset(token)
        context = self.execution_context
        if getattr(context.context, "discarded", False):
            return  # a run on a guessed viewer its token check did not confirm (api/auth_guess.py): run again
        errors = getattr(context.result, "errors", None) or []
        if any(not is_client_error(error) for error in errors):
            result = "error"
        elif errors or holder.count:
            result = "user_error"
        else:
            result = "ok"
        try:
            kind = context.operation_type.value
        except Exception:  # the document did not parse, or names no operation
            kind = "unknown"
        metrics.observe_operation(
            name=context.operation_name, kind=kind, outcome=result, seconds=time.perf_counter() - started
        )


def metrics_allowed(deps: AppDeps, request: Request) -> bool | None:
    """True: serve; False: 401 (a token is needed); None: 404 (metrics are off here)."""
    settings = deps.settings
    if not settings.metrics_enabled:
        return None
    if settings.metrics_token is None:
        return None if settings.production else True
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    expected = settings.metrics_token.get_secret_value()
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


async def refresh_outbox_gauges(deps: AppDeps) -> None:
    """The search outbox's backlog is the database's to say: read at scrape, whichever process runs the worker."""
    try:
        waiting, oldest = await pending(deps.session_factory, [topic.value for topic in Topic])
    except Exception as error:  # a scrape must not fail because the database does; the gauges keep their value
        log.warning("metrics.outbox_unreadable", error=str(error))
        return
    metrics.OUTBOX_PENDING.set(waiting)
    now = deps.clock.now() if deps.clock is not None else datetime.now(UTC)
    metrics.OUTBOX_OLDEST_AGE.set(max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0)


def metrics_endpoint(deps: AppDeps) -> Callable[[Request], Awaitable[Response]]:
    async def serve_metrics(request: Request) -> Response:
        allowed = metrics_allowed(deps, request)
        if allowed is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        if not allowed:
            return JSONResponse(
                {"error": "metrics need a bearer token"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        await refresh_outbox_gauges(deps)
        if deps.events is not None:
            metrics.REALTIME_SUBSCRIBERS.set(deps.events.subscriber_count())
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    return serve_metrics
