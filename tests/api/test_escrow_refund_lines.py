"""A refund's ledger line says what it came from and how it went out: the contract's step that gave the money back
(a cancellation, a dispute's decision with the operator's note) by its event's id, and the bank transfer an operator
owes the buyer (its payment instruction, pending until confirmed) or the card refund's id."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.ledger.models import LedgerTransaction
from tests.api.contracts import awarded, contract, fund, operator, settings, step
from tests.api.graphql import GraphQL, Party
from tests.clock import FakeClock
from tests.conftest import StatementCounter

__all__ = ["settings"]

LINES = """query($id: ID!) { node(id: $id) { ... on Contract {
  events { id transition note createdAt }
  ledgerLines {
    kind account amount { amount } providerReference sourceReference
    refund {
      reason method refundedPayment cardRefundId
      decision { id transition note actor }
      paymentInstruction { id kind status amount { amount } }
    }
  }
} } }"""

CONFIRM = """mutation($id: ID!) { confirmPaymentInstruction(id: $id, bankReference: "п/п № 1842") { __typename
  ... on PaymentInstructionSuccess { paymentInstruction { status } } } }"""


async def escrow(gql: GraphQL, contract_id: str, token: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    node = (await gql(LINES, {"id": contract_id}, token=token))["node"]
    return node["events"], [line for line in node["ledgerLines"] if line["account"].startswith("escrow:")]


async def funded(gql: GraphQL, clock: FakeClock, engine: AsyncEngine, amount: str) -> tuple[Party, Party, Party, str]:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    result = await fund(gql, ops, reference, clock, amount, "ПП 4711")
    assert result["__typename"] == "ContractSuccess", result
    clock.advance(timedelta(minutes=1))  # the statement is in time order: what follows comes after the funding
    return buyer, maker, ops, contract_id


async def test_a_dispute_decision_refund_names_the_decision_and_the_bank_transfer_it_became(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    buyer, maker, ops, contract_id = await funded(gql, clock, engine, "150000")
    await gql(step("startProduction"), {"id": contract_id}, token=maker.token)
    await gql(step("ship", ', trackingReference: "TRK"'), {"id": contract_id}, token=maker.token)
    await gql(step("confirmDelivery"), {"id": contract_id}, token=buyer.token)
    await gql(step("openDispute", ', reason: "20% out of tolerance"'), {"id": contract_id}, buyer.token)
    with sql.counting():
        await gql(LINES, {"id": contract_id}, token=buyer.token)
    without_refunds = sql.count
    resolved = await gql(
        step("resolveDispute", ', release: {amount: "120000", currency: "RUB"}, note: "Partial rework accepted"'),
        {"id": contract_id},
        ops.token,
    )
    assert resolved["resolveDispute"]["__typename"] == "ContractSuccess", resolved

    with sql.counting():
        events, lines = await escrow(gql, contract_id, buyer.token)
    # The decision and the transfer come from batched loads: a statement with a refund costs two more, not one a line.
    assert sql.count <= without_refunds + 2
    [decision] = [event for event in events if event["transition"] == "resolve"]
    # Both milestones are settled by the decision: 120,000.00 released, the rest refunded.
    assert sorted(line["kind"] for line in lines) == ["fund", "refund", "release", "release"]
    assert all(line["refund"] is None for line in lines if line["kind"] != "refund")
    [refund] = [line for line in lines if line["kind"] == "refund"]
    assert refund["amount"]["amount"] == "-30000.00"
    assert refund["sourceReference"] == "ПП 4711"
    instruction = refund["refund"]["paymentInstruction"]
    assert refund["refund"] == {
        "reason": "DISPUTE_DECIDED",
        "method": "BANK_TRANSFER",
        "refundedPayment": None,
        "cardRefundId": None,
        "decision": {
            "id": decision["id"],
            "transition": "resolve",
            "note": "Partial rework accepted",
            "actor": "OPERATOR",
        },
        "paymentInstruction": {
            "id": instruction["id"],
            "kind": "refund",
            "status": "pending",
            "amount": {"amount": "30000.00"},
        },
    }
    # The manufacturer's side sees the same line.
    assert (await escrow(gql, contract_id, maker.token))[1] == lines

    # Once the operator confirms the transfer, the line says so.
    confirmed = await gql(CONFIRM, {"id": instruction["id"]}, token=ops.token)
    assert confirmed["confirmPaymentInstruction"]["paymentInstruction"] == {"status": "confirmed"}
    _, after = await escrow(gql, contract_id, buyer.token)
    [refunded] = [line for line in after if line["kind"] == "refund"]
    assert refunded["refund"]["paymentInstruction"]["status"] == "confirmed"


async def test_an_operator_cancellation_refund_names_the_cancellation_and_its_reason(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _, ops, contract_id = await funded(gql, clock, engine, "150000")
    cancelled = await gql(
        step("cancelContract", ', reason: "Manufacturer lost its certificate"'), {"id": contract_id}, ops.token
    )
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess", cancelled

    events, lines = await escrow(gql, contract_id, buyer.token)
    [cancellation] = [event for event in events if event["transition"] == "operator_cancel"]
    assert [(line["kind"], line["amount"]["amount"]) for line in lines] == [
        ("fund", "150000.00"),
        ("refund", "-150000.00"),
    ]
    refund = lines[1]["refund"]
    assert refund["reason"] == "CANCELLED_BY_OPERATOR"
    assert refund["method"] == "BANK_TRANSFER"
    assert refund["decision"]["id"] == cancellation["id"]
    assert refund["decision"]["note"] == "Manufacturer lost its certificate"
    assert refund["paymentInstruction"]["amount"] == {"amount": "150000.00"}


async def test_a_buyer_cancelling_a_partly_funded_contract_gets_its_payment_back_named_so(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _, _, contract_id = await funded(gql, clock, engine, "50000")
    refused = await gql(step("cancelContract", ', reason: ""'), {"id": contract_id}, buyer.token)
    assert refused["cancelContract"]["__typename"] != "ContractSuccess"
    # Refused: no refund was posted.
    async with engine.connect() as conn:
        refunds = await conn.scalar(select(func.count()).where(LedgerTransaction.kind == "refund"))
    assert refunds == 0
    _, before = await escrow(gql, contract_id, buyer.token)
    assert [line["kind"] for line in before] == ["fund"]

    cancelled = await gql(step("cancelContract", ', reason: "Found a closer shop"'), {"id": contract_id}, buyer.token)
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess", cancelled
    events, lines = await escrow(gql, contract_id, buyer.token)
    [cancellation] = [event for event in events if event["transition"] == "cancel"]
    refund = lines[1]["refund"]
    assert (lines[1]["amount"]["amount"], refund["reason"], refund["decision"]["id"]) == (
        "-50000.00",
        "CANCELLED",
        cancellation["id"],
    )
    assert refund["decision"]["actor"] == "BUYER"
