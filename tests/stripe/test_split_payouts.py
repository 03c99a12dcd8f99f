"""A contract funded by several card payments (several cards, top-ups) pays the manufacturer by transfers split
across the payments' charges, the oldest first: each transfer is tied to one charge (`source_transaction`) and
never exceeds what that charge has left after its refunds and earlier transfers. The real `stripe` SDK against
localstripe (whose test-only transfers refuse more than a source charge holds, and list like Stripe's)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from exchange.worker import run_timers_once
from tests.api.graphql import Party
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.support import (
    STEP,
    awarded,
    card_paid,
    client_secret,
    contract_id_uuid,
    onboarded,
    operator,
    part_payment_intent,
    payout_references,
    sdk,
)
from tests.stripe.world import StripeWorld

STATE = """query($id: ID!) { node(id: $id) { ... on Contract {
  status escrowBalance { amount }
  ledgerLines { kind account amount { amount } providerReference sourceReference pending }
  paymentInstructions { kind amount { amount } }
  milestones { trigger status }
} } }"""


async def _step(world: StripeWorld, contract_id: str, party: Party, mutation: str) -> None:
    result = await world.gql(f"mutation($id: ID!) {{ {mutation} {STEP} }}", {"id": contract_id}, token=party.token)
    assert next(iter(result.values()))["__typename"] == "ContractSuccess", result


async def _state(world: StripeWorld, contract_id: str, party: Party) -> Any:
    return (await world.gql(STATE, {"id": contract_id}, token=party.token))["node"]


def _charges(world: StripeWorld, intent_ids: list[str]) -> dict[str, tuple[str, int, int]]:
    """Each intent's charge as Stripe has it: (charge id, amount, amount refunded)."""
    at_stripe = sdk(world)
    found = {}
    for intent_id in intent_ids:
        charge = at_stripe.v1.payment_intents.retrieve(intent_id).to_dict()["latest_charge"]
        charge_id = charge if isinstance(charge, str) else charge["id"]
        retrieved = at_stripe.v1.charges.retrieve(charge_id)
        found[intent_id] = (charge_id, int(retrieved.amount), int(retrieved.amount_refunded))
    return found


async def _at_stripe(world: StripeWorld, contract_id: str, intents: list[str]) -> tuple[list[Any], dict[str, Any]]:
    """The contract's transfers as the SDK lists them (oldest first here), and each funding charge."""

    def fetch() -> tuple[list[Any], dict[str, Any]]:
        listed = sdk(world).v1.transfers.list({"transfer_group": contract_id_uuid(contract_id)}).data
        return [t.to_dict() for t in reversed(listed)], _charges(world, intents)

    return await asyncio.to_thread(fetch)


def _per_charge(transfers: list[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for transfer in transfers:
        totals[transfer["source_transaction"]] += int(transfer["amount"])
    return dict(totals)


def _assert_within_charges(transfers: list[dict[str, Any]], charges: dict[str, tuple[str, int, int]]) -> None:
    """Refunds and transfers together never exceed a charge."""
    transferred = _per_charge(transfers)
    for charge_id, amount, refunded in charges.values():
        assert transferred.get(charge_id, 0) + refunded <= amount, (charge_id, transferred, refunded, amount)


def _ledger_sums_to_zero(state: Any) -> None:
    assert sum(Decimal(line["amount"]["amount"]) for line in state["ledgerLines"]) == 0
    assert state["escrowBalance"] == {"amount": "0.00"}


async def test_two_card_payments_pay_the_first_article_and_the_final_release_oldest_charge_first(
    world: StripeWorld,
) -> None:
    buyer, maker, contract_id = await awarded(world)  # 150,000.00 RUB: 30% first article, 5% fee
    account = await onboarded(world, maker)
    first = await card_paid(world, await part_payment_intent(world, contract_id, 30_000_00))
    world.clock.advance(timedelta(hours=1))
    second = await card_paid(world, await client_secret(world, contract_id, buyer))
    charges_before = await asyncio.to_thread(_charges, world, [first, second])
    one, two = charges_before[first][0], charges_before[second][0]

    await _step(world, contract_id, maker, "startProduction(contractId: $id)")
    await _step(world, contract_id, maker, "submitFirstArticle(contractId: $id)")
    await _step(world, contract_id, buyer, "approveFirstArticle(contractId: $id)")  # days before the money is available
    early, _ = await _at_stripe(world, contract_id, [first, second])
    for party, mutation in [
        (maker, 'ship(contractId: $id, trackingReference: "CDEK 1")'),
        (buyer, "confirmDelivery(contractId: $id)"),
        (buyer, "acceptDelivery(contractId: $id)"),
    ]:
        await _step(world, contract_id, party, mutation)

    transfers, charges = await _at_stripe(world, contract_id, [first, second])
    state = await _state(world, contract_id, buyer)
    # First article: 45,000 gross, 42,750 net: all of the first charge's 30,000, the rest from the second.
    assert [(t["source_transaction"], t["amount"]) for t in early] == [(one, 30_000_00), (two, 12_750_00)]
    # Acceptance: 99,750 net, all from the second charge (107,250 left of it).
    assert [(t["source_transaction"], t["amount"]) for t in transfers] == [
        (one, 30_000_00),
        (two, 12_750_00),
        (two, 99_750_00),
    ]
    assert {t["destination"] for t in transfers} == {account}
    _assert_within_charges(transfers, charges)
    assert state["status"] == "COMPLETED" and state["paymentInstructions"] == []
    _ledger_sums_to_zero(state)
    # One ledger line per release; a split release names each of its transfers.
    # (Both sides sorted: the stand-in numbers transfers per process, and "tr_test11" sorts before "tr_test9, …".)
    assert sorted(payout_references(state)) == sorted(
        [f"{transfers[0]['id']}, {transfers[1]['id']}", transfers[2]["id"]]
    )
    assert not any(line["pending"] for line in state["ledgerLines"])


async def test_three_card_payments_an_excess_refund_and_a_dispute_settlement(world: StripeWorld) -> None:
    buyer, maker, contract_id = await awarded(world)
    ops = await operator(world)
    await onboarded(world, maker)
    intents = []
    for amount in (40_000_00, 20_000_00):
        intents.append(await card_paid(world, await part_payment_intent(world, contract_id, amount)))
        world.clock.advance(timedelta(hours=1))
    # The third pays 110,000 where 90,000 was due: the 20,000 excess goes straight back through it.
    intents.append(await card_paid(world, await part_payment_intent(world, contract_id, 110_000_00)))
    funded = await _state(world, contract_id, buyer)
    one, two, three = (c[0] for c in (await asyncio.to_thread(_charges, world, intents)).values())

    await _step(world, contract_id, maker, "startProduction(contractId: $id)")
    await _step(world, contract_id, maker, "submitFirstArticle(contractId: $id)")
    await _step(world, contract_id, buyer, "approveFirstArticle(contractId: $id)")
    await _step(world, contract_id, maker, 'ship(contractId: $id, trackingReference: "CDEK 2")')
    await _step(world, contract_id, buyer, "confirmDelivery(contractId: $id)")
    await _step(world, contract_id, buyer, 'openDispute(contractId: $id, reason: "half the lot out of tolerance")')
    await _step(world, contract_id, ops, 'resolveDispute(contractId: $id, release: {amount: "60000", currency: "RUB"})')

    transfers, charges = await _at_stripe(world, contract_id, intents)
    state = await _state(world, contract_id, buyer)
    assert funded["status"] == "FUNDED" and funded["escrowBalance"] == {"amount": "150000.00"}
    # First article, 42,750 net: the first charge's 40,000, then 2,750 of the second. The settlement's 60,000 of
    # acceptance, 57,000 net: the second's remaining 17,250, then 39,750 of the third (90,000 left after its refund).
    assert [(t["source_transaction"], t["amount"]) for t in transfers] == [
        (one, 40_000_00),
        (two, 2_750_00),
        (two, 17_250_00),
        (three, 39_750_00),
    ]
    # The excess (20,000) and the settlement's refund (45,000) both went back through the third payment: the first
    # two have nothing left once their transfers are counted.
    assert {intent: refunded for intent, (_, _, refunded) in charges.items()} == {
        intents[0]: 0,
        intents[1]: 0,
        intents[2]: 65_000_00,
    }
    _assert_within_charges(transfers, charges)
    assert sum(t["amount"] for t in transfers if t["source_transaction"] == three) + 65_000_00 <= 110_000_00
    assert state["status"] == "RESOLVED" or state["status"] == "CANCELLED" or state["status"] == "COMPLETED"
    _ledger_sums_to_zero(state)
    assert state["paymentInstructions"] == []
    assert [m["status"] for m in state["milestones"]] == ["released", "partly_released"]


async def test_a_split_payout_whose_answers_were_lost_is_retried_without_paying_twice(world: StripeWorld) -> None:
    buyer, maker, contract_id = await awarded(world)
    await onboarded(world, maker)
    first = await card_paid(world, await part_payment_intent(world, contract_id, 30_000_00))
    world.clock.advance(timedelta(hours=1))
    second = await card_paid(world, await client_secret(world, contract_id, buyer))
    await _step(world, contract_id, maker, "startProduction(contractId: $id)")
    await _step(world, contract_id, maker, "submitFirstArticle(contractId: $id)")
    # Both transfers are made, and every answer is lost (the SDK's two network retries included).
    CONNECT.lose_transfer_answers = 6
    await _step(world, contract_id, buyer, "approveFirstArticle(contractId: $id)")
    lost = await _state(world, contract_id, buyer)
    made_while_lost, _ = await _at_stripe(world, contract_id, [first, second])
    world.clock.advance(timedelta(minutes=5))  # past the pause after a failed attempt: the worker's turn
    await run_timers_once(world.deps)

    transfers, charges = await _at_stripe(world, contract_id, [first, second])
    state = await _state(world, contract_id, buyer)
    assert len(made_while_lost) == 2  # Stripe made both; the exchange did not hear back
    # escrow out, the payout, the fee net and its VAT (domain/ledger/rules.py): one pending release
    assert [line["pending"] for line in lost["ledgerLines"] if line["kind"] == "release"] == [True] * 4
    assert [t["id"] for t in transfers] == [t["id"] for t in made_while_lost]  # retried, not paid again
    _assert_within_charges(transfers, charges)
    assert payout_references(state) == [f"{transfers[0]['id']}, {transfers[1]['id']}"]
