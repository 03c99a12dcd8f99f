"""OpenTelemetry set-up (EXCHANGE_TRACING=true, the `tracing` extra): the SDK's tracer provider exporting over
OTLP/HTTP, and a span per SQL statement from SQLAlchemy's cursor events, a child of whatever span is current (the
GraphQL operation's, api/observability/tracing.py, or the worker's pass)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.errors import SetupError
from exchange.settings import Settings

SQL_TRACER = "exchange.sql"
_SPAN_KEY = "exchange_otel_span"


def configure_tracing(settings: Settings) -> None:
    """Install the SDK's provider with an OTLP exporter, unless a provider is installed already (a test's, or
    `opentelemetry-instrument`'s)."""
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as error:
        raise SetupError(
            f"EXCHANGE_TRACING is on but OpenTelemetry is not installed ({error.name}): "
            "pip install 'contract-exchange[tracing]'"
        ) from None
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = TracerProvider(resource=Resource.create({"service.name": settings.tracing_service_name}))
    exporter = OTLPSpanExporter(endpoint=settings.tracing_endpoint) if settings.tracing_endpoint else OTLPSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


def trace_statements(engine: AsyncEngine) -> None:
    from opentelemetry import trace
    from opentelemetry.trace import SpanKind, Status, StatusCode

    tracer = trace.get_tracer(SQL_TRACER)
    target = engine.sync_engine

    @event.listens_for(target, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        span = tracer.start_span(f"sql {verb}", kind=SpanKind.CLIENT)
        span.set_attribute("db.system", "postgresql")
        span.set_attribute("db.statement", statement[:2000])
        if context is not None:
            setattr(context, _SPAN_KEY, span)
        else:
            conn.info[_SPAN_KEY] = span

    def _finish(conn: Any, context: Any, error: BaseException | None = None) -> None:
        span = getattr(context, _SPAN_KEY, None) if context is not None else conn.info.pop(_SPAN_KEY, None)
        if span is None:
            return
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end()

    @event.listens_for(target, "after_cursor_execute")
    def _end(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        _finish(conn, context)

    @event.listens_for(target, "handle_error")
    def _error(exception_context: Any) -> None:
        _finish(exception_context.connection, exception_context.execution_context, exception_context.original_exception)
