"""Tracing on: a span per operation with the SQL statements under it, and the compiled executor still runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.context import AppDeps
from api.execution import compiled
from exchange.bootstrap import payments
from exchange.db import create_engine, create_session_factory
from exchange.settings import Environment, Settings
from exchange.tracing import configure_tracing, trace_statements
from search.postgres import PostgresSearchIndex
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, sign_up
from tests.clock import FakeClock


@pytest.fixture(scope="module")
def exporter() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider (OpenTelemetry allows one) with an in-memory exporter added."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


@pytest.fixture
async def traced_client(
    database_url: str, engine: AsyncEngine, clock: FakeClock, exporter: InMemorySpanExporter
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(env=Environment.test, tracing=True)
    configure_tracing(settings)  # a provider is installed already: it is kept
    traced = create_engine(database_url, pool_size=2)
    trace_statements(traced)
    session_factory = create_session_factory(traced)
    deps = AppDeps(
        settings=settings,
        session_factory=session_factory,
        clock=clock,
        payments=payments(settings),
        search=PostgresSearchIndex(session_factory, clock),
    )
    transport = httpx.ASGITransport(app=create_app(deps))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await traced.dispose()


@pytest.fixture
def plan_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if STOCK:
        pytest.skip("EXCHANGE_EXECUTION_ENGINE=stock: no compiled plans to watch")
    compiled.clear_cache()
    runs: list[str] = []
    original = compiled.CompiledExecutionContext.run_object

    def spy(self: compiled.CompiledExecutionContext, plan: Any, source: Any, path: Any) -> Any:
        runs.append(plan.type.name)
        return original(self, plan, source, path)

    monkeypatch.setattr(compiled.CompiledExecutionContext, "run_object", spy)
    return runs


async def test_an_operation_span_holds_its_statements_and_the_compiled_executor_runs(
    traced_client: httpx.AsyncClient, exporter: InMemorySpanExporter, plan_runs: list[str]
) -> None:
    gql = GraphQL(traced_client)
    maker = await sign_up(gql, kind="MANUFACTURER")
    exporter.clear()
    plan_runs.clear()

    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = await traced_client.post(
        "/graphql",
        json={"query": "query Directory { organisations(first: 5) { edges { node { id name } } } }"},
        headers={
            "Authorization": f"Bearer {maker.token}",
            "traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01",
            "X-Request-ID": "trace-me-1",
        },
    )
    data = response.json()["data"]

    assert len(data["organisations"]["edges"]) == 1
    # The compiled executor ran the query's plans: tracing wrapped no resolver.
    assert plan_runs[:1] == ["Query"]
    spans: tuple[ReadableSpan, ...] = exporter.get_finished_spans()
    operations = [span for span in spans if span.name == "query Directory"]
    assert len(operations) == 1
    operation = operations[0]
    # The caller's trace goes on: a SERVER span for the request, the operation under it, the statements under that.
    (request,) = [span for span in spans if span.name == "POST /graphql"]
    assert format(request.context.trace_id, "032x") == caller_trace
    assert request.parent is not None and format(request.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert request.attributes is not None and request.attributes["exchange.request_id"] == "trace-me-1"
    assert request.attributes["http.response.status_code"] == 200
    assert operation.parent is not None and operation.parent.span_id == request.context.span_id
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "Directory"
    statements = [span for span in spans if span.name.startswith("sql ")]
    inside = [
        span for span in statements if span.parent is not None and span.parent.span_id == operation.context.span_id
    ]
    assert inside, [(span.name, span.parent) for span in statements]
    assert all(span.attributes and span.attributes["db.system"] == "postgresql" for span in inside)
    assert any("organisation" in str(span.attributes["db.statement"]) for span in inside if span.attributes)
    # No span per resolver: operations and statements only.
    assert {span.name.split(" ")[0] for span in spans} <= {"POST", "query", "sql"}
