"""A contract paid into escrow by several payments is refunded through each of them for its share (newest first),
the wired part by a payment instruction for an operator; the real `stripe` SDK against localstripe, whose refunds
honour Idempotency-Key and refuse to refund a charge beyond what it has left (tests/stripe/localstripe_server.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from domain.contracts import lifecycle
from tests.api.graphql import Party
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.support import (
    STEP,
    awarded,
    card_paid,
    client_secret,
    contract_id_uuid,
    operator,
    part_payment_intent,
    sdk,
    steps_succeed,
)
from tests.stripe.world import StripeWorld

STATE = """query($id: ID!) { node(id: $id) { ... on Contract {
  status escrowBalance { amount } fundingInstructions { paymentReference }
  ledgerLines { kind account amount { amount } providerReference sourceReference }
  paymentInstructions { kind amount { amount } status }
} } }"""
RECORD = """mutation($ref: String!, $txn: String!, $amount: MoneyInput!, $on: Date!) {
  recordBankTransfer(paymentReference: $ref, bankTransactionId: $txn, amount: $amount, receivedOn: $on) {
    __typename } }"""
CANCEL = f'mutation($id: ID!) {{ cancelContract(contractId: $id, reason: "the shop closed") {STEP} }}'


async def _state(world: StripeWorld, contract_id: str, party: Party) -> Any:
    return (await world.gql(STATE, {"id": contract_id}, token=party.token))["node"]


async def _refunds_at_stripe(world: StripeWorld, refund_ids: list[str]) -> list[tuple[str, int, str]]:
    def retrieve() -> list[tuple[str, int, str]]:
        at_stripe = sdk(world)
        return [
            (str(r.payment_intent), int(r.amount), str(r.status))
            for r in (at_stripe.v1.refunds.retrieve(refund_id) for refund_id in refund_ids)
        ]

    return await asyncio.to_thread(retrieve)


async def _refunded_per_charge(world: StripeWorld, intent_ids: list[str]) -> dict[str, tuple[int, int]]:
    """Each intent's charge as Stripe has it: (how many refunds, how much refunded)."""

    def retrieve() -> dict[str, tuple[int, int]]:
        at_stripe = sdk(world)
        found = {}
        for intent_id in intent_ids:
            charge = at_stripe.v1.payment_intents.retrieve(intent_id).to_dict()["latest_charge"]
            charge_id = charge if isinstance(charge, str) else charge["id"]
            refunds = at_stripe.v1.refunds.list({"charge": charge_id}).data
            found[intent_id] = (len(refunds), int(at_stripe.v1.charges.retrieve(charge_id).amount_refunded))
        return found

    return await asyncio.to_thread(retrieve)


def _refund_lines(state: Any) -> dict[str, tuple[str, str]]:
    """Each refund off the escrow account: the payment it went back through -> (amount, provider reference). The
    pieces of one refund are posted at the same instant: the ledger lists them in no set order."""
    lines = [
        line for line in state["ledgerLines"] if line["kind"] == "refund" and line["account"].startswith("escrow:")
    ]
    by_source = {line["sourceReference"]: (line["amount"]["amount"], line["providerReference"]) for line in lines}
    assert len(by_source) == len(lines), "two refund lines out of one payment"
    return by_source


async def test_a_contract_paid_by_two_card_payments_is_refunded_through_each_for_its_share(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)  # 150,000.00 RUB
    ops = await operator(world)
    first = await card_paid(world, await part_payment_intent(world, contract_id, 100_000_00))
    partly = await _state(world, contract_id, buyer)
    world.clock.advance(timedelta(hours=2))
    second = await card_paid(world, await client_secret(world, contract_id, buyer))
    funded = await _state(world, contract_id, buyer)

    cancelled = await world.gql(CANCEL, {"id": contract_id}, token=ops.token)

    assert (partly["status"], partly["escrowBalance"]) == ("PENDING_FUNDING", {"amount": "100000.00"})
    assert (funded["status"], funded["escrowBalance"]) == ("FUNDED", {"amount": "150000.00"})
    assert cancelled["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = await _state(world, contract_id, buyer)
    assert state["escrowBalance"] == {"amount": "0.00"} and state["paymentInstructions"] == []
    lines = _refund_lines(state)
    assert {source: amount for source, (amount, _) in lines.items()} == {second: "-50000.00", first: "-100000.00"}
    assert await _refunds_at_stripe(world, [lines[second][1], lines[first][1]]) == [
        (second, 50_000_00, "succeeded"),
        (first, 100_000_00, "succeeded"),
    ]
    assert await _refunded_per_charge(world, [first, second]) == {first: (1, 100_000_00), second: (1, 50_000_00)}


async def test_with_a_wire_besides_the_cards_the_wired_part_becomes_a_payment_instruction(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    ops = await operator(world)
    reference = (await _state(world, contract_id, buyer))["fundingInstructions"]["paymentReference"]
    wired = await world.gql(
        RECORD,
        {
            "ref": reference,
            "txn": f"BANK-{contract_id_uuid(contract_id)[:8]}",
            "amount": {"amount": "30000.00", "currency": "RUB"},
            "on": world.clock.now().date().isoformat(),
        },
        token=ops.token,
    )
    world.clock.advance(timedelta(hours=1))
    first = await card_paid(world, await part_payment_intent(world, contract_id, 70_000_00))
    world.clock.advance(timedelta(hours=1))
    second = await card_paid(world, await client_secret(world, contract_id, buyer))

    cancelled = await world.gql(CANCEL, {"id": contract_id}, token=ops.token)

    assert wired["recordBankTransfer"]["__typename"] == "ContractSuccess"
    assert cancelled["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = await _state(world, contract_id, buyer)
    assert state["escrowBalance"] == {"amount": "0.00"}
    lines = _refund_lines(state)
    bank = f"BANK-{contract_id_uuid(contract_id)[:8]}"
    assert {source: amount for source, (amount, _) in lines.items()} == {
        second: "-50000.00",
        first: "-70000.00",
        bank: "-30000.00",
    }
    assert await _refunds_at_stripe(world, [lines[second][1], lines[first][1]]) == [
        (second, 50_000_00, "succeeded"),
        (first, 70_000_00, "succeeded"),
    ]
    assert state["paymentInstructions"] == [{"kind": "refund", "amount": {"amount": "30000.00"}, "status": "pending"}]
    assert await _refunded_per_charge(world, [first, second]) == {first: (1, 70_000_00), second: (1, 50_000_00)}


async def test_a_cancellation_retried_after_a_failure_refunds_each_payment_once(
    world: StripeWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer, _, contract_id = await awarded(world)
    ops = await operator(world)
    first = await card_paid(world, await part_payment_intent(world, contract_id, 100_000_00))
    world.clock.advance(timedelta(hours=2))
    second = await card_paid(world, await client_secret(world, contract_id, buyer))
    give_back = lifecycle.give_award_back
    failures: list[str] = []

    async def fails_once(*args: Any, **kwargs: Any) -> Any:
        if not failures:
            failures.append("the database went away after the refunds were made")
            raise ConnectionError(failures[0])
        return await give_back(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "give_award_back", fails_once)
    requests_before = CONNECT.refund_requests

    failed = await world.client.post(
        "/graphql",
        json={"query": CANCEL, "variables": {"id": contract_id}},
        headers={"Authorization": f"Bearer {ops.token}"},
    )
    after_failure = await _state(world, contract_id, buyer)
    retried = await world.gql(CANCEL, {"id": contract_id}, token=ops.token)

    assert failed.status_code == 503 and failures  # "briefly unavailable; try again"
    assert (after_failure["status"], after_failure["escrowBalance"]) == ("FUNDED", {"amount": "150000.00"})
    assert retried["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = await _state(world, contract_id, buyer)
    assert state["escrowBalance"] == {"amount": "0.00"}
    assert {source: amount for source, (amount, _) in _refund_lines(state).items()} == {
        second: "-50000.00",
        first: "-100000.00",
    }
    # The refunds are called after the commit: the attempt that failed before it called nothing, the retry one
    # call per payment (and had both been called twice, their idempotency keys would have replayed them).
    assert CONNECT.refund_requests - requests_before == 2
    assert await _refunded_per_charge(world, [first, second]) == {first: (1, 100_000_00), second: (1, 50_000_00)}


async def test_the_refunded_part_of_a_dispute_settlement_comes_out_of_the_newest_payment_first(
    world: StripeWorld,
) -> None:
    buyer, maker, contract_id = await awarded(world)
    ops = await operator(world)
    first = await card_paid(world, await part_payment_intent(world, contract_id, 100_000_00))
    world.clock.advance(timedelta(hours=2))
    second = await card_paid(world, await client_secret(world, contract_id, buyer))
    await steps_succeed(
        world,
        contract_id,
        [
            (maker.token, "startProduction(contractId: $id)"),
            (maker.token, 'ship(contractId: $id, trackingReference: "TRK")'),
            (buyer.token, "confirmDelivery(contractId: $id)"),
            (buyer.token, 'openDispute(contractId: $id, reason: "20% out of tolerance")'),
        ],
    )

    resolved = await world.gql(
        f"mutation($id: ID!) {{ resolveDispute(contractId: $id, "
        f'release: {{amount: "80000", currency: "RUB"}}) {STEP} }}',
        {"id": contract_id},
        token=ops.token,
    )

    assert resolved["resolveDispute"]["contract"]["status"] == "COMPLETED"
    state = await _state(world, contract_id, buyer)
    assert state["escrowBalance"] == {"amount": "0.00"}
    # 70,000 back: all of the second payment (50,000), then 20,000 of the first; the 80,000 released counts as
    # the first payment's.
    lines = _refund_lines(state)
    assert {source: amount for source, (amount, _) in lines.items()} == {second: "-50000.00", first: "-20000.00"}
    assert await _refunds_at_stripe(world, [lines[second][1], lines[first][1]]) == [
        (second, 50_000_00, "succeeded"),
        (first, 20_000_00, "succeeded"),
    ]
    assert await _refunded_per_charge(world, [first, second]) == {first: (1, 20_000_00), second: (1, 50_000_00)}
