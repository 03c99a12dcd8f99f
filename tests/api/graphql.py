"""A small GraphQL client over the ASGI app, and the steps of the core loop as reusable calls."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.clock import FakeClock
from tests.legal_samples import legal_id

_counter = itertools.count(1)


class GraphQL:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def raw(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def __call__(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        """The `data` of a request that must not produce top-level errors."""
        body = await self.raw(query, variables, token)
        assert "errors" not in body, body["errors"]
        return body["data"]


@dataclass
class Party:
    token: str
    user_id: str
    organisation_id: str
    email: str


SIGN_UP = """
mutation($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload { token user { id email } organisation { id name kind } }
    ... on UserError { code message field }
  }
}
"""


async def sign_up(gql: GraphQL, *, kind: str, region: str = "RU-MOW", name: str | None = None) -> Party:
    n = next(_counter)
    email = f"user{n}@example.com"
    data = await gql(
        SIGN_UP,
        {
            "input": {
                "email": email,
                "password": "correct horse battery",
                "fullName": f"User {n}",
                "organisation": {
                    "name": name or f"Org {n}",
                    "legalId": legal_id("77", n),
                    "region": region,
                    "kind": kind,
                },
            }
        },
    )
    result = data["signUp"]
    assert result["__typename"] == "AuthPayload", result
    return Party(result["token"], result["user"]["id"], result["organisation"]["id"], email)


async def make_manufacturer(
    gql: GraphQL,
    clock: FakeClock,
    *,
    processes: tuple[str, ...] = ("CNC_MILLING", "CNC_TURNING"),
    certifications: tuple[str, ...] = ("ISO_9001",),
    min_quantity: int = 1,
    max_quantity: int | None = 100_000,
    region: str = "RU-SVE",
) -> Party:
    party = await sign_up(gql, kind="MANUFACTURER", region=region)
    data = await gql(
        """mutation($org: ID!, $input: ManufacturerProfileInput!) {
             updateManufacturerProfile(organisationId: $org, input: $input) {
               __typename ... on UserError { code message field } } }""",
        {
            "org": party.organisation_id,
            "input": {
                "processes": list(processes),
                "materials": ["Aluminium 6061", "Steel 1.4301"],
                "minQuantity": min_quantity,
                "maxQuantity": max_quantity,
                "maxPartXMm": 800,
                "description": "5-axis machining centre",
            },
        },
        token=party.token,
    )
    assert data["updateManufacturerProfile"]["__typename"] == "ManufacturerProfileSuccess", data
    for standard in certifications:
        data = await gql(
            """mutation($input: CertificationInput!) { setCertification(input: $input) {
                 __typename ... on UserError { code message field } } }""",
            {
                "input": {
                    "organisationId": party.organisation_id,
                    "standard": standard,
                    "certificateNumber": f"CERT-{standard}",
                    "validUntil": (clock.now() + timedelta(days=3 * 365)).date().isoformat(),
                }
            },
            token=party.token,
        )
        assert data["setCertification"]["__typename"] == "CertificationSuccess", data
    return party


CREATE_ORDER = """
mutation($input: CreateOrderInput!) {
  createOrder(input: $input) {
    __typename
    ... on OrderSuccess { order { id status title biddingDeadline } }
    ... on UserError { code message field }
  }
}
"""


def order_input(clock: FakeClock, **overrides: Any) -> dict[str, Any]:
    now: datetime = clock.now()
    values: dict[str, Any] = {
        "title": "Bracket, machined",
        "description": "Drawing rev. B attached in the portal",
        "process": "CNC_MILLING",
        "material": "Aluminium 6061",
        "quantity": 500,
        "toleranceClass": "FINE",
        "requiredCertifications": ["ISO_9001"],
        "needBy": (now + timedelta(days=60)).date().isoformat(),
        "deliveryRegion": "RU-MOW",
        "budgetMin": {"amount": "100000.00", "currency": "RUB"},
        "budgetMax": {"amount": "250000.00", "currency": "RUB"},
        "biddingDeadline": (now + timedelta(days=14)).isoformat(),
        "estimatedMachineHours": 120,
        "publish": True,
    }
    values.update(overrides)
    return values


async def create_order(gql: GraphQL, buyer: Party, clock: FakeClock, **overrides: Any) -> str:
    data = await gql(CREATE_ORDER, {"input": order_input(clock, **overrides)}, token=buyer.token)
    result = data["createOrder"]
    assert result["__typename"] == "OrderSuccess", result
    return str(result["order"]["id"])


PLACE_BID = """
mutation($input: PlaceBidInput!) {
  placeBid(input: $input) {
    __typename
    ... on BidSuccess { bid { id status total { amount currency } } }
    ... on UserError { code message field }
  }
}
"""


def bid_terms(clock: FakeClock, unit_price: str = "300.00", **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "unitPrice": {"amount": unit_price, "currency": "RUB"},
        "leadTimeDays": 30,
        "validUntil": (clock.now() + timedelta(days=45)).date().isoformat(),
        "notes": "Anodised, inspection report included",
    }
    values.update(overrides)
    return values


async def place_bid(gql: GraphQL, manufacturer: Party, order_id: str, clock: FakeClock, **terms: Any) -> str:
    data = await gql(
        PLACE_BID,
        {"input": {"orderId": order_id, "terms": bid_terms(clock, **terms)}},
        token=manufacturer.token,
    )
    result = data["placeBid"]
    assert result["__typename"] == "BidSuccess", result
    return str(result["bid"]["id"])
