"""The contract steps the API tests share: an awarded contract, an operator, a bank transfer recorded against a
payment reference, a lifecycle mutation, and the contract as its parties see it. Used by test modules across
tests/api/, tests/realtime/ and tests/stripe/ (a test module imports helpers from here, not from another test)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.settings import Environment, Settings
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock

CONTRACT = """query($id: ID!) { node(id: $id) { ... on Contract {
  status dueAt trackingReference total { amount } platformFee { amount } manufacturerNet { amount }
  escrowBalance { amount }
  fundingInstructions { method paymentReference amountDue { amount currency } beneficiary }
  milestones { name amount { amount } platformFee { amount } status }
  ledgerLines { kind account amount { amount } }
  paymentInstructions { id kind amount { amount } status }
  events { transition fromStatus toStatus }
} } }"""
MILESTONE_SHARES = """query($id: ID!) { node(id: $id) { ... on Contract {
  milestones { name status released { amount } refunded { amount } } } } }"""
STEP_FIELDS = "{ __typename ... on ContractSuccess { contract { status } } ... on UserError { code message field } }"


def step(name: str, extra_args: str = "", extra_vars: str = "") -> str:
    return f"mutation($id: ID!{extra_vars}) {{ {name}(contractId: $id{extra_args}) {STEP_FIELDS} }}"


@pytest.fixture
def settings() -> Settings:
    """Tokens outlive the timers these tests wait for (the default lifetime is 14 days)."""
    return Settings(env=Environment.test, token_ttl_hours=24 * 90)


RECORD = """mutation($ref: String!, $txn: String!, $amount: MoneyInput!, $on: Date!) {
  recordBankTransfer(paymentReference: $ref, bankTransactionId: $txn, amount: $amount, receivedOn: $on) """ + (
    STEP_FIELDS + " }"
)


async def operator(gql: GraphQL, engine: AsyncEngine) -> Party:
    party = await sign_up(gql, kind="BUYER")
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE app_user SET is_operator = true WHERE email = :e"), {"e": party.email})
    return party


async def awarded(gql: GraphQL, clock: FakeClock) -> tuple[Party, Party, str]:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")  # x 500 = 150,000.00 RUB
    data = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
        {"id": bid_id},
        token=buyer.token,
    )
    return buyer, maker, data["awardBid"]["contract"]["id"]


async def contract(gql: GraphQL, contract_id: str, token: str) -> Any:
    return (await gql(CONTRACT, {"id": contract_id}, token=token))["node"]


async def fund(gql: GraphQL, ops: Party, reference: str, clock: FakeClock, amount: str, txn: str) -> Any:
    variables = {
        "ref": reference,
        "txn": txn,
        "amount": {"amount": amount, "currency": "RUB"},
        "on": clock.now().date().isoformat(),
    }
    return (await gql(RECORD, variables, token=ops.token))["recordBankTransfer"]
