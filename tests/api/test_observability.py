"""/metrics after real GraphQL traffic, request ids, and liveness / readiness against the real database."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
import structlog
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from api.app import create_app
from api.context import AppDeps
from api.observability import prometheus as metrics
from api.observability.request_id import RequestId
from api.observability.websockets import WebsocketGauge
from exchange.db import create_engine, create_session_factory, free_port
from exchange.logging import configure_logging
from exchange.mail import LogEmailSender
from exchange.settings import Environment, Settings
from exchange.worker import relay_notification_emails_once, run_forever
from search.postgres import PostgresSearchIndex
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.legal_samples import PRODUCTION_ESCROW

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(body: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(client: httpx.AsyncClient, token: str | None = None) -> Samples:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def app_deps(settings: Settings, engine: AsyncEngine, clock: FakeClock) -> AppDeps:
    from exchange.bootstrap import payments

    session_factory = create_session_factory(engine)
    return AppDeps(
        settings=settings,
        session_factory=session_factory,
        clock=clock,
        payments=payments(settings),
        search=PostgresSearchIndex(session_factory, clock),
    )


@pytest.fixture
async def instrumented(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine like the server's: pool events feed the pool gauges."""
    engine = create_engine(database_url, pool_size=3)
    metrics.instrument_pool(engine, pool_size=3)
    yield engine
    await engine.dispose()
    metrics.uninstrument_pool(3)


async def test_metrics_move_with_real_graphql_traffic(
    engine: AsyncEngine, instrumented: AsyncEngine, clock: FakeClock
) -> None:
    deps = app_deps(Settings(env=Environment.test), instrumented, clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(deps)), base_url="http://test") as client:
        gql = GraphQL(client)
        before = await scrape(client)

        buyer = await sign_up(gql, kind="BUYER")  # operation "anonymous" (no name), ok
        refused = await gql.raw(
            """mutation SignInAgain($email: String!, $password: String!) {
                 signIn(email: $email, password: $password) { __typename ... on UserError { code } } }""",
            {"email": buyer.email, "password": "not the password"},
        )
        me = await gql.raw("query Me { me { id } }", token=buyer.token)
        broken = await gql.raw("query Broken { noSuchField }")
        async with instrumented.begin() as conn:
            # The search topics only (the sign-up also queued its verification e-mail, another relay's).
            pending = (
                await conn.execute(
                    text("SELECT count(*) FROM outbox WHERE done_at IS NULL AND topic IN ('manufacturer', 'order')")
                )
            ).scalar_one()
            await conn.execute(
                text(
                    "INSERT INTO outbox (topic, key, created_at, next_attempt_at, attempts, last_error) "
                    "VALUES ('order', 'k', :at, :at, 0, '')"
                ),
                {"at": clock.now() - timedelta(seconds=90)},
            )

        after = await scrape(client)

    assert refused["data"]["signIn"]["__typename"] == "InvalidCredentialsError"
    assert "errors" not in me
    assert "errors" in broken

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "exchange_graphql_requests_total"
    assert moved(requests, operation="anonymous", type="mutation", outcome="ok") == 1
    assert moved(requests, operation="SignInAgain", type="mutation", outcome="user_error") == 1
    assert moved(requests, operation="Me", type="query", outcome="ok") == 1
    assert moved(requests, operation="Broken", type="query", outcome="user_error") == 1
    assert moved("exchange_graphql_request_duration_seconds_count", operation="Me", outcome="ok") == 1
    assert moved("exchange_graphql_request_duration_seconds_sum", operation="Me", outcome="ok") > 0
    # The first scrape opened a session through the instrumented pool; the traffic reused the pool's (no churn:
    # one request at a time needs one connection), and every connection was given back.
    assert value(after, "exchange_db_connections_opened_total") >= 1
    assert moved("exchange_db_connections_opened_total") <= 1
    assert value(after, "exchange_db_pool_size") >= 3
    assert value(after, "exchange_db_pool_in_use") - value(before, "exchange_db_pool_in_use") == 0
    assert value(after, "exchange_db_connections_open") >= 1
    # The outbox is read at scrape: what the sign-up left pending and the row added, the oldest 90 s old.
    assert value(after, "exchange_outbox_pending") == pending + 1
    assert value(after, "exchange_outbox_oldest_age_seconds") == 90


async def test_metrics_need_the_token_when_one_is_set_and_a_token_in_production(
    engine: AsyncEngine, clock: FakeClock
) -> None:
    protected = app_deps(Settings(env=Environment.test, metrics_token=SecretStr("s3cret-scrape")), engine, clock)
    production = app_deps(Settings(env=Environment.production, **PRODUCTION_ESCROW), engine, clock)
    switched_off = app_deps(Settings(env=Environment.test, metrics_enabled=False), engine, clock)

    async def get(deps: AppDeps, token: str | None = None) -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(deps))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return await client.get("/metrics", headers=headers)

    assert (await get(protected)).status_code == 401
    assert (await get(protected, "wrong")).status_code == 401
    granted = await get(protected, "s3cret-scrape")
    assert granted.status_code == 200 and "exchange_graphql_requests_total" in granted.text
    assert (await get(production)).status_code == 404
    assert (await get(switched_off)).status_code == 404


@pytest.fixture
def production_logging() -> Iterator[None]:
    """The production log set-up (JSON lines on stderr), undone afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging(Settings(env=Environment.production, **PRODUCTION_ESCROW))
    yield
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(
    client: httpx.AsyncClient, production_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = await client.post(
        "/graphql", json={"query": "query Broken { noSuchField }"}, headers={"X-Request-ID": "edge-7f3a.1"}
    )
    logging.getLogger("uvicorn.access").info("a line of another library's, outside any request")
    logs = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    made = await client.get("/health/live")
    replaced = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith spaces"})
    other = await client.get("/health/live")

    assert kept.headers["x-request-id"] == "edge-7f3a.1"
    # The refusal's log line carries the request id it came with.
    refused = [line for line in logs if line["event"] == "graphql.refused"]
    assert [(line["request_id"], line["level"], line["logger"]) for line in refused] == [
        ("edge-7f3a.1", "info", "api.extensions")
    ]
    # Another library's record is a JSON line too, without a request id outside a request.
    # (httpx's own "HTTP Request" line may come last, depending on which tests set its level before this one.)
    outside = [line for line in logs if line["logger"] == "uvicorn.access"][-1]
    assert outside["event"] == "a line of another library's, outside any request" and "request_id" not in outside
    assert len(made.headers["x-request-id"]) == 32
    assert replaced.headers["x-request-id"] not in ("bad id\twith spaces", "")
    assert len({made.headers["x-request-id"], replaced.headers["x-request-id"], other.headers["x-request-id"]}) == 3


async def test_live_answers_without_the_database_and_ready_checks_it(clock: FakeClock) -> None:
    # Nothing listens at this port: the database is down.
    down = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x", pool_size=1)
    deps = app_deps(Settings(env=Environment.test), down, clock)
    try:
        transport = httpx.ASGITransport(app=create_app(deps))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            live = await client.get("/health/live")
            ready = await client.get("/health/ready")
            legacy = await client.get("/health")
    finally:
        await down.dispose()

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("failed: ")
    assert body["checks"]["search"] == "ok (postgres)"
    assert (legacy.status_code, legacy.json()) == (503, {"status": "unavailable", "database": "down"})


async def test_ready_when_the_database_is_at_head_and_not_when_it_is_behind(
    engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    ready = await client.get("/health/ready")
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "migrations": "at head", "search": "ok (postgres)"}},
    )

    async with engine.begin() as conn:
        head = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        await conn.execute(text("UPDATE alembic_version SET version_num = 'an_older_one'"))
    try:
        behind = await client.get("/health/ready")
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})

    assert behind.status_code == 503
    assert behind.json()["checks"]["migrations"] == (f"failed: the database is at an_older_one, the code at {head}")
    assert behind.json()["checks"]["database"] == "ok"


async def test_ready_fails_naming_search_when_meilisearch_does_not_answer(
    engine: AsyncEngine, clock: FakeClock
) -> None:
    meili = f"http://127.0.0.1:{free_port()}"
    deps = app_deps(Settings(env=Environment.test, meili_url=meili), engine, clock)
    transport = httpx.ASGITransport(app=create_app(deps))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ready = await client.get("/health/ready")

    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["database"] == "ok" and checks["migrations"] == "at head"
    assert checks["search"].startswith(f"failed: meilisearch at {meili}: ")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_emails_sent_and_the_workers_passes_are_counted(gql: GraphQL, clock: FakeClock, deps: AppDeps) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    await place_bid(gql, maker, await create_order(gql, buyer, clock), clock)
    deps.mailer = LogEmailSender("exchange@example.com")
    sent_before = sample("exchange_notification_emails_total", outcome="sent")
    passes_before = sample("exchange_worker_last_pass_timestamp_seconds", loop="timers")

    mailed = await relay_notification_emails_once(deps)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_forever(deps, stop=stop))
    for _ in range(100):
        if sample("exchange_worker_last_pass_timestamp_seconds", loop="timers") > passes_before:
            break
        await asyncio.sleep(0.1)
    stop.set()
    await worker

    assert mailed.sent == 1
    assert sample("exchange_notification_emails_total", outcome="sent") - sent_before == 1
    assert sample("exchange_worker_last_pass_timestamp_seconds", loop="timers") > passes_before
    assert sample("exchange_worker_timer_lag_seconds") >= 0


def test_open_websockets_are_counted_until_they_close() -> None:
    async def echo_gauge(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()
        await websocket.send_text(str(sample("exchange_websocket_connections")))
        await websocket.close()

    app = Starlette(
        routes=[WebSocketRoute("/ws", echo_gauge)], middleware=[Middleware(RequestId), Middleware(WebsocketGauge)]
    )
    before = sample("exchange_websocket_connections")
    with TestClient(app) as client, client.websocket_connect("/ws") as socket:
        socket.send_text("how many?")
        during = float(socket.receive_text())

    assert during == before + 1
    assert sample("exchange_websocket_connections") == before
