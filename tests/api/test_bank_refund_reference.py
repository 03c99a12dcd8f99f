"""A refund (or payout) an operator makes at the bank is confirmed with the reference the bank gave it (the payment
order's number): required, bounded, kept on the payment instruction and shown on the escrow statement's refund line
(`LedgerLine.refund.bankReference`), as a card refund shows its provider's refund id. Refusals change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.relay import decode_id
from tests.api.contracts import awarded, contract, fund, operator, settings, step
from tests.api.graphql import GraphQL
from tests.clock import FakeClock

__all__ = ["settings"]

CONFIRM = """mutation($id: ID!, $ref: String!) { confirmPaymentInstruction(id: $id, bankReference: $ref) {
  __typename ... on PaymentInstructionSuccess { paymentInstruction { status bankReference confirmedAt } }
  ... on UserError { code field } } }"""
REFUND_LINES = """query($id: ID!) { node(id: $id) { ... on Contract { ledgerLines {
  kind account amount { amount } providerReference
  refund { method bankReference paymentInstruction { id status bankReference } } } } } }"""
OPERATOR_VIEW = """query($status: PaymentInstructionStatus!) { paymentInstructions(status: $status, first: 20) {
  edges { node { instruction { id kind status bankReference } } } } }"""


async def _stored(engine: AsyncEngine, instruction_id: str) -> tuple[Any, ...]:
    async with engine.connect() as conn:
        row = await conn.execute(
            text("SELECT status, bank_reference, confirmed_at FROM payment_instruction WHERE id = :id"),
            {"id": decode_id(instruction_id, "PaymentInstruction", "id")},
        )
        return tuple(row.one())


async def _refund_line(gql: GraphQL, contract_id: str, token: str) -> dict[str, Any]:
    lines = (await gql(REFUND_LINES, {"id": contract_id}, token=token))["node"]["ledgerLines"]
    [refund] = [line for line in lines if line["kind"] == "refund" and line["account"].startswith("escrow:")]
    return refund


async def test_an_operator_confirms_a_bank_refund_with_the_banks_reference(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    assert (await fund(gql, ops, reference, clock, "150000", "SBER-4711"))["__typename"] == "ContractSuccess"
    cancelled = await gql(step("cancelContract", ', reason: "supplier insolvent"'), {"id": contract_id}, ops.token)
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess", cancelled
    owed = await _refund_line(gql, contract_id, buyer.token)
    instruction_id = owed["refund"]["paymentInstruction"]["id"]
    assert owed["refund"] == {
        "method": "BANK_TRANSFER",
        "bankReference": None,
        "paymentInstruction": {"id": instruction_id, "status": "pending", "bankReference": None},
    }

    # Refused: no reference, only blanks, only punctuation, too long, or not an operator; nothing changes.
    refusals = {
        "": ("REQUIRED", "bankReference"),
        " \u200b ": ("REQUIRED", "bankReference"),
        "№ —": ("INVALID", "bankReference"),
        "7" * 101: ("OUT_OF_RANGE", "bankReference"),
    }
    for typed, (code, field) in refusals.items():
        answer = await gql(CONFIRM, {"id": instruction_id, "ref": typed}, token=ops.token)
        refused = answer["confirmPaymentInstruction"]
        assert (refused["__typename"], refused["code"], refused["field"]) == ("ValidationError", code, field), typed
    by_buyer = await gql(CONFIRM, {"id": instruction_id, "ref": "ПП 1842"}, token=buyer.token)
    assert by_buyer["confirmPaymentInstruction"]["__typename"] == "PermissionDeniedError"
    assert await _stored(engine, instruction_id) == ("pending", None, None)
    assert await _refund_line(gql, contract_id, buyer.token) == owed

    confirmed = await gql(CONFIRM, {"id": instruction_id, "ref": "  п/п № 1842 от 06.12.2026 "}, token=ops.token)

    assert confirmed["confirmPaymentInstruction"] == {
        "__typename": "PaymentInstructionSuccess",
        "paymentInstruction": {
            "status": "confirmed",
            "bankReference": "п/п № 1842 от 06.12.2026",
            "confirmedAt": clock.now().isoformat(),
        },
    }
    assert await _stored(engine, instruction_id) == ("confirmed", "п/п № 1842 от 06.12.2026", clock.now())
    # The statement's refund line names the transfer by the bank's reference, for the buyer and the manufacturer.
    for party in (buyer, maker):
        line = await _refund_line(gql, contract_id, party.token)
        assert line["amount"] == {"amount": "-150000.00"}
        assert line["refund"] == {
            "method": "BANK_TRANSFER",
            "bankReference": "п/п № 1842 от 06.12.2026",
            "paymentInstruction": {
                "id": instruction_id,
                "status": "confirmed",
                "bankReference": "п/п № 1842 от 06.12.2026",
            },
        }
    # The operator's list of executed transfers shows it too.
    done = (await gql(OPERATOR_VIEW, {"status": "CONFIRMED"}, token=ops.token))["paymentInstructions"]["edges"]
    executed = {
        "id": instruction_id,
        "kind": "refund",
        "status": "confirmed",
        "bankReference": "п/п № 1842 от 06.12.2026",
    }
    assert executed in [edge["node"]["instruction"] for edge in done]


async def test_confirming_again_with_the_same_reference_changes_nothing_and_another_is_refused(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "SBER-4712")
    await gql(step("cancelContract", ', reason: "supplier insolvent"'), {"id": contract_id}, ops.token)
    instruction_id = (await _refund_line(gql, contract_id, buyer.token))["refund"]["paymentInstruction"]["id"]
    first = await gql(CONFIRM, {"id": instruction_id, "ref": "ПП 1842"}, token=ops.token)
    assert first["confirmPaymentInstruction"]["__typename"] == "PaymentInstructionSuccess"
    stored = await _stored(engine, instruction_id)

    again = await gql(CONFIRM, {"id": instruction_id, "ref": "ПП 1842"}, token=ops.token)
    other = await gql(CONFIRM, {"id": instruction_id, "ref": "ПП 1843"}, token=ops.token)

    assert again["confirmPaymentInstruction"]["paymentInstruction"]["bankReference"] == "ПП 1842"
    assert other["confirmPaymentInstruction"] == {
        "__typename": "ConflictError",
        "code": "ALREADY_EXISTS",
        "field": "bankReference",
    }
    assert await _stored(engine, instruction_id) == stored


async def test_a_transfer_confirmed_before_references_were_kept_can_be_given_its_reference(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "SBER-4713")
    await gql(step("cancelContract", ', reason: "supplier insolvent"'), {"id": contract_id}, ops.token)
    instruction_id = (await _refund_line(gql, contract_id, buyer.token))["refund"]["paymentInstruction"]["id"]
    async with engine.begin() as conn:  # as confirmPaymentInstruction(id) left it before it took a reference
        await conn.execute(
            text("UPDATE payment_instruction SET status = 'confirmed', confirmed_at = :at WHERE id = :id"),
            {"id": decode_id(instruction_id, "PaymentInstruction", "id"), "at": clock.now()},
        )
    confirmed_at = clock.now()
    clock.advance(timedelta(days=3))

    given = await gql(CONFIRM, {"id": instruction_id, "ref": "ПП 1844"}, token=ops.token)

    assert given["confirmPaymentInstruction"]["paymentInstruction"] == {
        "status": "confirmed",
        "bankReference": "ПП 1844",
        "confirmedAt": confirmed_at.isoformat(),  # still when it was confirmed, not when the reference came
    }
    assert await _stored(engine, instruction_id) == ("confirmed", "ПП 1844", confirmed_at)
