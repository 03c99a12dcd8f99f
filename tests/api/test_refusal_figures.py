"""A refusal carries the figures a person needs to put it right (ValidationError.limits / dateLimits,
FileRejectedError.limits / allowedFormats), filled where the rule knows them; each refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import GraphQL, bid_terms, create_order, make_manufacturer, order_input, sign_up
from tests.api.orders import count_rows
from tests.clock import FakeClock

FIGURES = """
  __typename
  ... on UserError { code field }
  ... on ValidationError { limits { unit min max currency } dateLimits { earliest latest } }
"""
CREATE = "mutation($input: CreateOrderInput!) { result: createOrder(input: $input) { " + FIGURES + " } }"
PLACE = "mutation($input: PlaceBidInput!) { result: placeBid(input: $input) { " + FIGURES + " } }"
SIGN_UP_FIGURES = "mutation($input: SignUpInput!) { result: signUp(input: $input) { " + FIGURES + " } }"


def _money(amount: str, currency: str = "RUB") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def _limits(unit: str, low: str | None, high: str | None, currency: str | None = None) -> dict[str, Any]:
    return {"unit": unit, "min": low, "max": high, "currency": currency}


# The clock starts on 2027-03-01 at noon UTC: the order's bidding deadline is 2027-03-15.
ORDER_CASES: dict[str, tuple[dict[str, Any], str, dict[str, Any]]] = {
    "zero quantity": (
        {"quantity": 0},
        "quantity",
        {"limits": _limits("PIECES", "1", "1000000000"), "dateLimits": None},
    ),
    "machine hours over the most": (
        {"estimatedMachineHours": 1_000_001},
        "estimatedMachineHours",
        {"limits": _limits("HOURS", "1", "1000000"), "dateLimits": None},
    ),
    "negative budget": (
        {"budgetMin": _money("-1.00")},
        "budgetMin.amount",
        {"limits": _limits("MONEY", "0", None, "RUB"), "dateLimits": None},
    ),
    "budget max below min": (
        {"budgetMin": _money("250000.00"), "budgetMax": _money("100000.00")},
        "budgetMax",
        {"limits": _limits("MONEY", "250000.00", "10000000000000.00", "RUB"), "dateLimits": None},
    ),
    "need-by before the deadline": (
        {"needBy": "2027-03-08"},
        "needBy",
        {"limits": None, "dateLimits": {"earliest": "2027-03-16", "latest": None}},
    ),
    "title too long": (
        {"title": "Кронштейн " * 21},
        "title",
        {"limits": _limits("CHARACTERS", None, "200"), "dateLimits": None},
    ),
}


@pytest.mark.parametrize("case", sorted(ORDER_CASES))
async def test_an_order_form_refusal_says_the_allowed_range(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, case: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    overrides, field, figures = ORDER_CASES[case]

    data = await gql(CREATE, {"input": order_input(clock, **overrides)}, token=buyer.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": field, **figures}
    assert await count_rows(engine, "production_order") == 0


BID_CASES: dict[str, tuple[dict[str, Any], str, dict[str, Any]]] = {
    "zero unit price": (
        {"unitPrice": _money("0.00")},
        "unitPrice.amount",
        {"limits": _limits("MONEY", "0.01", None, "RUB"), "dateLimits": None},
    ),
    # The parse refuses a negative, the bid's rule zero: one least, one figure (tests/api/test_money_minimums.py).
    "negative unit price": (
        {"unitPrice": _money("-1.00")},
        "unitPrice.amount",
        {"limits": _limits("MONEY", "0.01", None, "RUB"), "dateLimits": None},
    ),
    "unit price over the most": (
        {"unitPrice": _money("10000000000000.01")},
        "unitPrice.amount",
        {"limits": _limits("MONEY", "0.01", "10000000000000.00", "RUB"), "dateLimits": None},
    ),
    # 500 units: the total (unit price x 500 + tooling) may not pass 10 000 000 000 000.00 RUB.
    "total over the most": (
        {"unitPrice": _money("20000000001.00"), "tooling": _money("1000.00")},
        "unitPrice.amount",
        {"limits": _limits("MONEY", "0.01", "19999999998.00", "RUB"), "dateLimits": None},
    ),
    "negative tooling": (
        {"tooling": _money("-1.00")},
        "tooling.amount",
        {"limits": _limits("MONEY", "0", None, "RUB"), "dateLimits": None},
    ),
    "lead time of no days": (
        {"leadTimeDays": 0},
        "leadTimeDays",
        {"limits": _limits("DAYS", "1", "3650"), "dateLimits": None},
    ),
    "more than the order's quantity": (
        {"quantity": 501},
        "quantity",
        {"limits": _limits("PIECES", "1", "500"), "dateLimits": None},
    ),
    "valid until before the deadline": (
        {"validUntil": "2027-03-14"},
        "validUntil",
        {"limits": None, "dateLimits": {"earliest": "2027-03-15", "latest": None}},
    ),
}


@pytest.mark.parametrize("case", sorted(BID_CASES))
async def test_a_bid_form_refusal_says_the_allowed_range(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, case: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, quantity=500)
    terms, field, figures = BID_CASES[case]

    data = await gql(PLACE, {"input": {"orderId": order_id, "terms": bid_terms(clock, **terms)}}, token=maker.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": field, **figures}
    assert await count_rows(engine, "bid") == 0


async def test_a_password_too_short_says_how_long_it_must_be(gql: GraphQL, engine: AsyncEngine) -> None:
    before = await count_rows(engine, "app_user")
    data = await gql(
        SIGN_UP_FIGURES, {"input": {"email": "short@example.com", "password": "short", "fullName": "A. Short"}}
    )
    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "OUT_OF_RANGE",
        "field": "password",
        "limits": _limits("CHARACTERS", "10", "256"),
        "dateLimits": None,
    }
    assert await count_rows(engine, "app_user") == before


async def test_a_refusal_without_figures_has_none(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    data = await gql(
        CREATE,
        {"input": order_input(clock, biddingDeadline=(clock.now() - timedelta(hours=1)).isoformat())},
        token=buyer.token,
    )
    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "DEADLINE_IN_PAST",
        "field": "biddingDeadline",
        "limits": None,
        "dateLimits": None,
    }
    assert await count_rows(engine, "production_order") == 0
