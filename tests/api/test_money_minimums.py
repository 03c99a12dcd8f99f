"""One least per money input, one figure whatever was typed: a unit price, a budget's most, a capacity rate and a
bank transfer must be at least one minor unit (0.01 RUB), and -1, 0 and 0.001 are refused alike with
ValidationError.limits {min 0.01, max null} («не меньше 0,01 ₽»); tooling, a budget's least and a dispute's release
may be zero, and a negative is refused with {min 0, max null}. Each refusal changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.contracts import CONTRACT, awarded, operator
from tests.api.graphql import (
    GraphQL,
    Party,
    bid_terms,
    create_order,
    make_manufacturer,
    order_input,
    place_bid,
    sign_up,
)
from tests.api.orders import count_rows
from tests.clock import FakeClock

FIGURES = """__typename
  ... on UserError { code field }
  ... on ValidationError { limits { unit min max currency } }"""
PLACE = "mutation($input: PlaceBidInput!) { result: placeBid(input: $input) { " + FIGURES + " } }"
REVISE = (
    "mutation($id: ID!, $terms: BidTermsInput!) { result: reviseBid(bidId: $id, terms: $terms) { " + FIGURES + " } }"
)
SPLIT = (
    """query($price: MoneyInput!, $tooling: MoneyInput) {
  result: bidPriceSplit(unitPrice: $price, quantity: 10, tooling: $tooling) { """
    + FIGURES
    + " } }"
)
CREATE = "mutation($input: CreateOrderInput!) { result: createOrder(input: $input) { " + FIGURES + " } }"
UPDATE = (
    "mutation($id: ID!, $input: UpdateOrderInput!) { result: updateOrder(id: $id, input: $input) { " + FIGURES + " } }"
)
ADD_LISTING = (
    "mutation($input: CapacityListingInput!) { result: addCapacityListing(input: $input) { " + FIGURES + " } }"
)
RECORD = (
    """mutation($ref: String!, $amount: MoneyInput!, $on: Date!) {
  result: recordBankTransfer(paymentReference: $ref, bankTransactionId: "BANK-1", amount: $amount, receivedOn: $on) {
  """
    + FIGURES
    + " } }"
)
BID = "query($id: ID!) { node(id: $id) { ... on Bid { status unitPrice { amount } total { amount } } } }"
BUDGET = "query($id: ID!) { node(id: $id) { ... on Order { budget { min { amount } max { amount } } } } }"

AT_LEAST_A_KOPECK = {"unit": "MONEY", "min": "0.01", "max": None, "currency": "RUB"}
NOT_NEGATIVE = {"unit": "MONEY", "min": "0", "max": None, "currency": "RUB"}
BELOW_A_KOPECK = ["-1.00", "0.00", "0", "0.001"]


def rub(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "RUB"}


def refused(field: str, limits: dict[str, Any]) -> dict[str, Any]:
    return {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": field, "limits": limits}


@pytest.mark.parametrize("amount", BELOW_A_KOPECK)
async def test_a_unit_price_below_a_kopeck_is_refused_with_one_figure(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)

    placed = await gql(PLACE, {"input": {"orderId": order_id, "terms": bid_terms(clock, amount)}}, token=maker.token)
    split = await gql(SPLIT, {"price": rub(amount), "tooling": None}, token=maker.token)

    assert placed["result"] == refused("unitPrice.amount", AT_LEAST_A_KOPECK)
    assert split["result"] == refused("unitPrice.amount", AT_LEAST_A_KOPECK)
    assert await count_rows(engine, "bid") == 0


@pytest.mark.parametrize("amount", ["-0.01", "0.00"])
async def test_a_revision_to_no_price_is_refused_and_the_bid_stands(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")

    data = await gql(REVISE, {"id": bid_id, "terms": bid_terms(clock, amount)}, token=maker.token)

    assert data["result"] == refused("unitPrice.amount", AT_LEAST_A_KOPECK)
    bid = (await gql(BID, {"id": bid_id}, token=maker.token))["node"]
    assert bid == {"status": "ACTIVE", "unitPrice": {"amount": "300.00"}, "total": {"amount": "150000.00"}}
    assert await count_rows(engine, "bid") == 1


async def test_negative_tooling_is_refused_as_negative_and_zero_tooling_is_none(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    maker = await make_manufacturer(gql, clock)

    negative = await gql(SPLIT, {"price": rub("10.00"), "tooling": rub("-0.01")}, token=maker.token)
    zero = await gql(SPLIT, {"price": rub("10.00"), "tooling": rub("0.00")}, token=maker.token)

    assert negative["result"] == refused("tooling.amount", NOT_NEGATIVE)
    assert zero["result"]["__typename"] == "BidPriceSplit"
    assert await count_rows(engine, "bid") == 0


@pytest.mark.parametrize("amount", BELOW_A_KOPECK)
async def test_a_budget_up_to_nothing_is_refused_with_one_figure(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    data = await gql(
        CREATE, {"input": order_input(clock, budgetMin=rub("0.00"), budgetMax=rub(amount))}, token=buyer.token
    )

    assert data["result"] == refused("budgetMax.amount", AT_LEAST_A_KOPECK)
    assert await count_rows(engine, "production_order") == 0


async def test_a_budget_from_zero_is_taken_and_from_below_zero_refused(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    negative = await gql(CREATE, {"input": order_input(clock, budgetMin=rub("-0.01"))}, token=buyer.token)
    assert negative["result"] == refused("budgetMin.amount", NOT_NEGATIVE)
    assert await count_rows(engine, "production_order") == 0

    from_zero = await gql(CREATE, {"input": order_input(clock, budgetMin=rub("0.00"))}, token=buyer.token)
    assert from_zero["result"]["__typename"] == "OrderSuccess"


@pytest.mark.parametrize("amount", ["-1.00", "0.00"])
async def test_an_edit_to_a_budget_up_to_nothing_is_refused_and_the_budget_stands(
    gql: GraphQL, clock: FakeClock, amount: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, publish=False)

    data = await gql(
        UPDATE, {"id": order_id, "input": {"budgetMin": rub("0.00"), "budgetMax": rub(amount)}}, token=buyer.token
    )

    assert data["result"] == refused("budgetMax.amount", AT_LEAST_A_KOPECK)
    order = (await gql(BUDGET, {"id": order_id}, token=buyer.token))["node"]
    assert order["budget"] == {"min": {"amount": "100000.00"}, "max": {"amount": "250000.00"}}


@pytest.mark.parametrize("amount", BELOW_A_KOPECK)
async def test_a_capacity_rate_below_a_kopeck_is_refused_with_one_figure(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str
) -> None:
    maker = await make_manufacturer(gql, clock)
    listing = {
        "organisationId": maker.organisation_id,
        "process": "CNC_MILLING",
        "machineHoursPerWeek": 40,
        "availableFrom": "2027-03-08",
        "availableTo": "2027-04-30",
        "hourlyRate": rub(amount),
    }

    data = await gql(ADD_LISTING, {"input": listing}, token=maker.token)

    assert data["result"] == refused("hourlyRate.amount", AT_LEAST_A_KOPECK)
    assert await count_rows(engine, "capacity_listing") == 0


async def awaiting_funding(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> tuple[Party, str, Callable[[str], Awaitable[Any]]]:
    """A 150,000.00 RUB contract awaiting funding: its buyer, its id, and an operator's recordBankTransfer of an
    amount against its payment reference."""
    buyer, _maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    funding = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]["fundingInstructions"]

    async def record(amount: str) -> Any:
        variables = {"ref": funding["paymentReference"], "amount": rub(amount), "on": clock.now().date().isoformat()}
        return await gql(RECORD, variables, token=ops.token)

    return buyer, contract_id, record


@pytest.mark.parametrize("amount", BELOW_A_KOPECK)
async def test_a_bank_transfer_of_nothing_is_refused_with_one_figure(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str
) -> None:
    buyer, contract_id, record = await awaiting_funding(gql, clock, engine)

    data = await record(amount)

    assert data["result"] == refused("amount.amount", AT_LEAST_A_KOPECK)
    after = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert (after["status"], after["escrowBalance"], after["ledgerLines"]) == (
        "PENDING_FUNDING",
        {"amount": "0.00"},
        [],
    )
    assert await count_rows(engine, "bank_transfer") == 0


async def test_a_bank_transfer_over_what_is_outstanding_says_how_much_is(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    _buyer, _contract_id, record = await awaiting_funding(gql, clock, engine)

    data = await record("150000.01")

    assert data["result"] == refused("amount.amount", {**AT_LEAST_A_KOPECK, "max": "150000.00"})
    assert await count_rows(engine, "bank_transfer") == 0
