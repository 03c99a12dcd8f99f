"""Stripe transfers and refunds are made after the step that decided them commits (domain/payments/pending.py):
the contract's row lock is not held while Stripe answers, and a call whose answer is lost stays pending until the
worker makes it — once, as the stand-in honours Idempotency-Key like Stripe."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from localstripe import resources
from sqlalchemy import text

from domain.payments import pending
from exchange.worker import run_timers_once
from tests.api.graphql import Party
from tests.stripe import events
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.support import (
    CONTRACT,
    FUND,
    LEDGER,
    awarded,
    card_funded,
    contract_id_uuid,
    deliver,
    in_first_article_review,
    operator,
    part_payment_intent,
    pay_by_card,
    payment_intent,
    payment_reference,
    payout_references,
    sdk,
    step,
    stored_intent_id,
    titles,
    transfers_of,
    webhook,
)
from tests.stripe.world import StripeWorld


async def _provider_payments(world: StripeWorld) -> list[tuple[str, str, int, bool]]:
    async with world.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT kind, status, attempts, last_error <> '' FROM provider_payment ORDER BY created_at")
        )
        return [tuple(row) for row in rows]


async def test_a_transfer_whose_answer_is_lost_stays_pending_and_the_worker_makes_it_once(world: StripeWorld) -> None:
    buyer, _, contract_id = await in_first_article_review(world)
    # Stripe makes the transfer but the answer never arrives, three times over: the SDK's two retries (same
    # Idempotency-Key) are lost too, and the call fails after the step committed.
    CONNECT.lose_transfer_answers = 3
    calls_before = CONNECT.transfer_requests

    approved = await step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token)
    pending_state = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]
    pending_rows = await _provider_payments(world)
    calls_by_the_request = CONNECT.transfer_requests - calls_before
    too_soon = await run_timers_once(world.deps)  # a failed payment waits 30 s before its next attempt
    world.clock.advance(timedelta(seconds=31))
    first_pass = await run_timers_once(world.deps)
    second_pass = await run_timers_once(world.deps)

    # The client sees the step done; the payout's ledger line says it is still being made.
    assert approved == {"__typename": "ContractSuccess", "contract": {"status": "IN_PRODUCTION"}}
    [reference] = payout_references(pending_state)
    assert reference.startswith("pending:")
    assert pending_rows == [("payout", "pending", 1, True)]
    assert calls_by_the_request == 3
    # The worker made it with the same key: Stripe answered with the transfer it had made, not a second one.
    assert [p["provider_payments"] for p in (too_soon, first_pass, second_pass)] == [0, 1, 0]
    assert CONNECT.transfer_requests - calls_before == 4
    [transfer] = transfers_of(contract_id)
    assert transfer["amount"] == 42_750_00
    done_state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert payout_references(done_state) == [transfer["id"]]
    assert await _provider_payments(world) == [("payout", "made", 2, False)]


async def test_while_a_transfer_is_in_flight_the_contract_is_not_locked_and_another_step_goes_through(
    world: StripeWorld,
) -> None:
    buyer, maker, contract_id = await in_first_article_review(world)
    gate = CONNECT.transfer_gate = threading.Event()  # Stripe is slow: the transfer waits until the gate opens
    CONNECT.transfer_arrived.clear()
    try:
        await _while_in_flight(world, buyer, maker, contract_id, gate)
    finally:
        gate.set()


async def _while_in_flight(
    world: StripeWorld, buyer: Party, maker: Party, contract_id: str, gate: threading.Event
) -> None:
    approving = asyncio.create_task(step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token))
    for _ in range(500):
        if CONNECT.transfer_arrived.is_set():
            break
        await asyncio.sleep(0.01)
    async with world.engine.connect() as conn:
        # Nobody holds a row lock on the contract (FOR UPDATE takes RowShareLock on the table for its transaction)
        # and no transaction stands open while Stripe is called…
        contract_locks = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'contract' AND l.mode = 'RowShareLock' AND l.pid <> pg_backend_pid()"
            )
        )
        open_transactions = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
            )
        )
        await conn.rollback()
        # …so the row can be locked at once.
        async with conn.begin():
            locked = await conn.scalar(
                text("SELECT status FROM contract WHERE id = :id FOR UPDATE NOWAIT"),
                {"id": contract_id_uuid(contract_id)},
            )
    # …and the manufacturer's next step goes through while the payout is still being made.
    shipped = await asyncio.wait_for(
        step(world, 'ship(contractId: $id, trackingReference: "DHL 7")', contract_id, maker.token), timeout=5
    )
    in_flight_after_ship = not approving.done()
    gate.set()
    approved = await asyncio.wait_for(approving, timeout=10)

    assert CONNECT.transfer_arrived.is_set()
    assert (contract_locks, open_transactions, locked) == (0, 0, "in_production")
    assert shipped == {"__typename": "ContractSuccess", "contract": {"status": "SHIPPED"}}
    assert in_flight_after_ship
    assert approved["__typename"] == "ContractSuccess"
    [transfer] = transfers_of(contract_id)
    state = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "SHIPPED" and payout_references(state) == [transfer["id"]]


async def test_while_stripe_makes_a_payment_intent_a_wire_goes_through_and_the_stale_intent_is_dropped(
    world: StripeWorld,
) -> None:
    buyer, _, contract_id = await awarded(world)
    ops = await operator(world)
    reference = await payment_reference(world, contract_id, buyer)
    gate = CONNECT.intent_gate = threading.Event()  # Stripe is slow to make the PaymentIntent
    CONNECT.intent_arrived.clear()
    try:
        funding = asyncio.create_task(world.gql(FUND, {"id": contract_id}, token=buyer.token))
        for _ in range(500):
            if CONNECT.intent_arrived.is_set():
                break
            await asyncio.sleep(0.01)
        # The operator records a wire on the same contract (it locks the row) while the intent is being made.
        wired = await asyncio.wait_for(
            world.gql(
                """mutation($ref: String!) { recordBankTransfer(paymentReference: $ref, bankTransactionId: "TX-9",
                     amount: {amount: "50000", currency: "RUB"}, receivedOn: "2027-03-01") { __typename } }""",
                {"ref": reference},
                token=ops.token,
            ),
            timeout=5,
        )
        in_flight_after_wire = not funding.done()
    finally:
        gate.set()
    refused = (await asyncio.wait_for(funding, timeout=10))["fundContract"]
    again = (await world.gql(FUND, {"id": contract_id}, token=buyer.token))["fundContract"]

    assert CONNECT.intent_arrived.is_set() and in_flight_after_wire
    assert wired["recordBankTransfer"]["__typename"] == "ContractSuccess"
    # The intent for the full price came back after the wire: it is not kept (it would overcharge), but cancelled.
    assert (refused["__typename"], refused["code"]) == ("InvalidStateError", "INVALID_TRANSITION")
    [(status, body)] = [
        answer
        for key, answer in CONNECT.answers_by_key.items()
        if key == f"fund:{contract_id_uuid(contract_id)}:15000000:first"
    ]
    stale = json.loads(body)["id"]
    assert status == 200 and payment_intent(world, stale).status == "canceled"
    fresh = again["clientSecret"].split("_secret_")[0]
    assert payment_intent(world, fresh).amount == 100_000_00
    assert await stored_intent_id(world, contract_id) == fresh


async def test_a_refund_whose_answer_was_lost_is_not_taken_from_escrow_again_by_its_charge_refunded_event(
    world: StripeWorld,
) -> None:
    buyer, _, contract_id, _ = await card_funded(world)
    # A second card payment of 20,000.00 on a funded contract: the excess goes straight back through it — Stripe
    # makes the refund, but its answers are lost, so it stays pending.
    CONNECT.lose_refund_answers = 3
    excess = await pay_by_card(world, await part_payment_intent(world, contract_id, 20_000_00))
    await deliver(world, *await webhook("payment_intent.succeeded", excess))
    await run_timers_once(world.deps)
    pending_rows = await _provider_payments(world)
    [(_, body)] = [
        a for k, a in CONNECT.answers_by_key.items() if k.startswith(f"refund:{contract_id_uuid(contract_id)}")
    ]
    refund = json.loads(body)
    # Stripe tells of the refund (charge.refunded) before the exchange has heard back from its own call.
    await events.send(
        world.client,
        "charge.refunded",
        {
            "id": refund["charge"],
            "object": "charge",
            "payment_intent": excess,
            "currency": "rub",
            "amount_refunded": 20_000_00,
            "refunds": {"object": "list", "data": [refund]},
        },
    )

    world.clock.advance(timedelta(seconds=31))
    passed = await run_timers_once(world.deps)

    assert pending_rows == [("refund", "pending", 1, True)]
    assert passed["provider_payments"] == 1  # made again with its key: Stripe's answer is the same refund
    state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "FUNDED" and state["escrowBalance"] == {"amount": "150000.00"}
    refunds = [line for line in state["ledgerLines"] if line["kind"] == "refund"]
    assert {line["providerReference"] for line in refunds} == {refund["id"]} and len(refunds) == 2  # two postings
    assert refund["metadata"]["exchange_payment"]


async def test_a_payout_stripe_never_answers_is_given_up_after_twenty_attempts_and_operators_are_told(
    world: StripeWorld,
) -> None:
    buyer, _, contract_id = await in_first_article_review(world)
    ops = await operator(world)
    CONNECT.lose_transfer_answers = 1_000
    await step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token)
    async with world.engine.begin() as conn:  # eighteen more passes went the same way, days apart
        await conn.execute(text("UPDATE provider_payment SET attempts = 19"))
    world.clock.advance(timedelta(minutes=1))

    last = await run_timers_once(world.deps)
    calls = CONNECT.transfer_requests
    world.clock.advance(timedelta(days=1))
    after = await run_timers_once(world.deps)

    assert (last["provider_payments"], after["provider_payments"]) == (0, 0)
    assert await _provider_payments(world) == [("payout", "failed", 20, True)]
    assert CONNECT.transfer_requests == calls  # not called again
    assert any(title.startswith("A payout could not be made") for title in await titles(world, ops))
    state = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]
    assert payout_references(state)[0].startswith("pending:")


async def test_a_refund_committed_by_a_request_that_died_before_calling_stripe_is_made_by_the_worker_once(
    world: StripeWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer, _, contract_id, intent_id = await card_funded(world)
    ops = await operator(world)

    async def dies(*args: Any, **kwargs: Any) -> None:  # the process went away right after the commit
        return None

    monkeypatch.setattr(pending, "make_after_commit", dies)
    calls = CONNECT.refund_requests

    cancelled = await step(world, 'cancelContract(contractId: $id, reason: "fraud check")', contract_id, ops.token)
    committed = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]
    while_made = await refund_of(world, contract_id, buyer.token)
    calls_by_the_request = CONNECT.refund_requests - calls
    passes = [(await run_timers_once(world.deps))["provider_payments"] for _ in range(2)]

    assert cancelled == {"__typename": "ContractSuccess", "contract": {"status": "CANCELLED"}}
    [(reference, source)] = [
        (line["providerReference"], line["amount"]["amount"])
        for line in committed["ledgerLines"]
        if line["kind"] == "refund" and line["account"].startswith("escrow:")
    ]
    assert reference.startswith("pending:") and source == "-150000.00"
    assert while_made["cardRefundId"] is None and while_made["method"] == "CARD"
    assert calls_by_the_request == 0
    assert passes == [1, 0] and CONNECT.refund_requests - calls == 1
    state = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]
    [refund_id] = {line["providerReference"] for line in state["ledgerLines"] if line["kind"] == "refund"}
    refund = await asyncio.to_thread(sdk(world).v1.refunds.retrieve, refund_id)
    assert (refund.payment_intent, refund.amount) == (intent_id, 150_000_00)

    # The refund's line says what it came from (the operator's cancellation) and how it went out: back to the card,
    # with the card refund's id once made (none while it was being made).
    assert await refund_of(world, contract_id, buyer.token) == {
        "reason": "CANCELLED_BY_OPERATOR",
        "method": "CARD",
        "cardRefundId": refund_id,
        "paymentInstruction": None,
        "decision": {"transition": "operator_cancel", "note": "fraud check"},
    }


async def test_two_tabs_whose_intents_differ_end_with_one_intent_kept_and_the_others_cancelled(
    world: StripeWorld,
) -> None:
    buyer, _, contract_id = await awarded(world)
    CONNECT.intent_keys_honoured = False  # each tab gets an intent of its own from Stripe
    gate = CONNECT.intent_gate = threading.Event()  # all three are being made before any is recorded
    before = CONNECT.intent_requests
    try:
        tabs = [asyncio.create_task(world.gql(FUND, {"id": contract_id}, token=buyer.token)) for _ in range(3)]
        for _ in range(500):
            if CONNECT.intent_requests - before == 3:
                break
            await asyncio.sleep(0.01)
    finally:
        gate.set()
    results = [(await asyncio.wait_for(tab, timeout=10))["fundContract"] for tab in tabs]

    kept = await stored_intent_id(world, contract_id)
    intents = {
        intent.id: intent.status
        for key, intent in resources.store.items()
        if key.startswith("payment_intent:") and intent.metadata.get("contract_id") == contract_id_uuid(contract_id)
    }
    assert CONNECT.intent_requests - before == 3 and len(intents) == 3
    assert kept is not None and intents.pop(kept) == "requires_payment_method"
    assert set(intents.values()) == {"canceled"}  # the tabs that lost cancelled theirs
    assert {result["clientSecret"].split("_secret_")[0] for result in results} == {kept}


REFUND = """query($id: ID!) { node(id: $id) { ... on Contract { ledgerLines { kind account
  refund { reason method cardRefundId paymentInstruction { id } decision { transition note } } } } } }"""


async def refund_of(world: StripeWorld, contract_id: str, token: str) -> Any:
    """The `refund` of the contract's one refund line on the escrow account."""
    lines = (await world.gql(REFUND, {"id": contract_id}, token=token))["node"]["ledgerLines"]
    [line] = [line for line in lines if line["kind"] == "refund" and line["account"].startswith("escrow:")]
    return line["refund"]
