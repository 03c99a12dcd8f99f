from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.context import AppDeps
from domain.uow import SessionFactory
from exchange.bootstrap import payments, stripe_webhook_verifier
from exchange.db import free_port
from exchange.settings import Environment, Settings
from tests.api.graphql import GraphQL
from tests.clock import FakeClock
from tests.stripe.localstripe_server import CONNECT, LocalStripe
from tests.stripe.world import StripeWorld

WEBHOOK_SECRET = "whsec_exchange_test_secret"
SECRET_KEY = "sk_test_exchange"
PUBLISHABLE_KEY = "pk_test_exchange"


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    server = LocalStripe(free_port()).start()
    response = httpx.post(
        f"{server.url}/_config/webhooks/exchange",
        data={"url": f"{server.url}/_config/test-only-webhook-sink", "secret": WEBHOOK_SECRET},
    )
    assert response.status_code == 200
    yield server
    server.stop()


@pytest.fixture
def stripe_settings(localstripe: LocalStripe) -> Settings:
    CONNECT.webhooks.clear()
    CONNECT.transfer_gate = None
    CONNECT.lose_transfer_answers = 0
    CONNECT.lose_refund_answers = 0
    CONNECT.transfer_arrived.clear()
    CONNECT.intent_gate = None
    CONNECT.intent_arrived.clear()
    CONNECT.intent_keys_honoured = True
    CONNECT.refuse_transfers = ""
    return Settings(
        env=Environment.test,
        stripe_api_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=localstripe.url,
        stripe_publishable_key=PUBLISHABLE_KEY,
        stripe_js_url=f"{localstripe.url}/js.stripe.com/v3/",
    )


@pytest.fixture
def stripe_deps(stripe_settings: Settings, session_factory: SessionFactory, clock: FakeClock) -> AppDeps:
    return AppDeps(
        settings=stripe_settings,
        session_factory=session_factory,
        clock=clock,
        payments=payments(stripe_settings),
        stripe_webhook_verifier=stripe_webhook_verifier(stripe_settings),
    )


@pytest.fixture
async def stripe_client(stripe_deps: AppDeps) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(stripe_deps)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


@pytest.fixture
def gql(stripe_client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(stripe_client)


@pytest.fixture
def world(
    gql: GraphQL,
    stripe_client: httpx.AsyncClient,
    stripe_deps: AppDeps,
    clock: FakeClock,
    localstripe: LocalStripe,
    engine: AsyncEngine,
) -> StripeWorld:
    return StripeWorld(gql, stripe_client, stripe_deps, clock, localstripe, engine)
