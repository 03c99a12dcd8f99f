"""What every Stripe test works with, as one fixture (`world`, tests/stripe/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from tests.api.graphql import GraphQL
from tests.clock import FakeClock
from tests.stripe.localstripe_server import LocalStripe


@dataclass(frozen=True, slots=True)
class StripeWorld:
    """The exchange wired to the Stripe stand-in: `gql` and `client` (raw HTTP, for webhooks) talk to its app, `deps`
    are that app's (the worker passes run on them), `clock` is its fake clock, `localstripe` the stand-in itself,
    and `engine` reaches the test database directly."""

    gql: GraphQL
    client: httpx.AsyncClient
    deps: AppDeps
    clock: FakeClock
    localstripe: LocalStripe
    engine: AsyncEngine
