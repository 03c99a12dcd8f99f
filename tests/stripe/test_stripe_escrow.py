"""The Stripe provider with the real `stripe` SDK against localstripe on 127.0.0.1: card funding through a
PaymentIntent, signed webhooks stored once and processed by the worker, Connect transfers on release,
refunds on cancellation."""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

from sqlalchemy import func, select

from domain.payments.models import ProviderEvent
from exchange.worker import run_timers_once
from tests.stripe import events
from tests.stripe.conftest import WEBHOOK_SECRET
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.support import (
    CONTRACT,
    STEP,
    account_in,
    awarded,
    client_secret,
    deliver,
    operator,
    pay_by_card,
    sdk,
    steps_succeed,
    transfers_of,
    webhook,
)
from tests.stripe.world import StripeWorld

NAMED_LINES = """query($id: ID!) { node(id: $id) { ... on Contract {
  ledgerLines { kind account cardPayment bankTransactionId milestoneName } } } }"""


async def test_card_funding_to_release_by_connect_transfers(world: StripeWorld) -> None:
    buyer, maker, contract_id = await awarded(world)
    link = await world.gql(
        """mutation($org: ID!) { createStripeOnboardingLink(organisationId: $org, returnUrl: "https://spa.test/ok",
             refreshUrl: "https://spa.test/again") { __typename ... on PayoutAccountLinkSuccess { url } } }""",
        {"org": maker.organisation_id},
        token=maker.token,
    )
    funding = await world.gql(
        """mutation($id: ID!) { fundContract(contractId: $id) { __typename
             ... on FundContractSuccess { clientSecret contract { paymentMethod } } } }""",
        {"id": contract_id},
        token=buyer.token,
    )
    assert link["createStripeOnboardingLink"]["url"].startswith("https://connect.test/onboarding/acct_test")
    account = account_in(link["createStripeOnboardingLink"]["url"])
    await events.payouts_enabled(world.client, account)  # Stripe cleared the finished onboarding
    secret = funding["fundContract"]["clientSecret"]
    assert secret and funding["fundContract"]["contract"] == {"paymentMethod": "stripe"}

    intent_id = await pay_by_card(world, secret)
    body, headers = await webhook("payment_intent.succeeded", intent_id)
    responses = [await deliver(world, body, headers) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["duplicate"] for r in responses] == [False, True, True]
    before_worker = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert before_worker["status"] == "PENDING_FUNDING"  # stored, not yet processed

    await run_timers_once(world.deps)
    await run_timers_once(world.deps)

    funded = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert funded["status"] == "FUNDED"
    assert funded["escrowBalance"] == {"amount": "150000.00"}
    assert [(line["kind"], line["providerReference"]) for line in funded["ledgerLines"]] == [
        ("fund", intent_id),
        ("fund", intent_id),
    ]
    await steps_succeed(
        world,
        contract_id,
        [
            (maker.token, "startProduction(contractId: $id)"),
            (maker.token, "submitFirstArticle(contractId: $id)"),
            (buyer.token, "approveFirstArticle(contractId: $id)"),
            (maker.token, 'ship(contractId: $id, trackingReference: "DHL 1")'),
            (buyer.token, "confirmDelivery(contractId: $id)"),
            (buyer.token, "acceptDelivery(contractId: $id)"),
        ],
    )

    done = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    transfers = transfers_of(contract_id)
    assert done["status"] == "COMPLETED" and done["escrowBalance"] == {"amount": "0.00"}
    assert sorted(t["amount"] for t in transfers) == [42_750_00, 99_750_00]
    assert {t["destination"] for t in transfers} == {account}
    # Paid from the card charge itself (the platform's available balance is 0 in the stand-in, as right after
    # a real card payment): the first-article release came days after funding, before the money was available.
    [charge] = {t["source_transaction"] for t in transfers}
    assert charge and charge.startswith("ch_")
    assert done["paymentInstructions"] == []  # paid by Stripe, nothing for an operator to wire
    releases = [line for line in done["ledgerLines"] if line["kind"] == "release" and "payable" in line["account"]]
    assert {line["providerReference"] for line in releases} == {t["id"] for t in transfers}
    # The statement names each line without the provider's ids: the card payment as one, releases by milestone.
    named = (await world.gql(NAMED_LINES, {"id": contract_id}, token=buyer.token))["node"]["ledgerLines"]
    escrow = [line for line in named if line["account"].startswith("escrow:")]
    assert sorted(
        (line["kind"], line["cardPayment"], line["bankTransactionId"], line["milestoneName"]) for line in escrow
    ) == [
        ("fund", True, None, None),
        ("release", False, None, "acceptance"),
        ("release", False, None, "first_article"),
    ]


async def test_webhooks_in_any_order_and_repeated_end_in_the_same_state(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    secret = await client_secret(world, contract_id, buyer)
    intent_id = await pay_by_card(world, secret)
    await webhook("payment_intent.succeeded", intent_id)
    await asyncio.sleep(1.2)  # let the other events of this payment arrive too
    deliveries = [d for d in CONNECT.webhooks if intent_id.encode() in d[0]] * 3
    random.Random(7).shuffle(deliveries)

    for body, headers in deliveries:
        assert (await deliver(world, body, headers)).status_code == 200
        await run_timers_once(world.deps)

    state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "FUNDED"
    assert state["escrowBalance"] == {"amount": "150000.00"}
    assert [line["kind"] for line in state["ledgerLines"]] == ["fund", "fund"]


async def test_a_wrong_signature_or_a_stale_timestamp_is_refused_and_nothing_stored(world: StripeWorld) -> None:
    payload = json.dumps(
        {
            "id": "evt_forged",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {"object": {"id": "pi_x", "metadata": {}}},
        }
    ).encode()

    def signed(timestamp: int, secret: str) -> str:
        return events.signed(payload, secret, timestamp)

    wrong = await world.client.post(
        "/webhooks/stripe", content=payload, headers={"Stripe-Signature": signed(int(time.time()), "whsec_wrong")}
    )
    stale = await world.client.post(
        "/webhooks/stripe",
        content=payload,
        headers={"Stripe-Signature": signed(int(time.time()) - 3600, WEBHOOK_SECRET)},
    )
    missing = await world.client.post("/webhooks/stripe", content=payload)
    fresh = await world.client.post(
        "/webhooks/stripe", content=payload, headers={"Stripe-Signature": signed(int(time.time()), WEBHOOK_SECRET)}
    )

    assert [wrong.status_code, stale.status_code, missing.status_code] == [400, 400, 400]
    assert fresh.status_code == 200
    async with world.engine.connect() as conn:
        stored: Any = await conn.scalar(select(func.count()).select_from(ProviderEvent))
    assert stored == 1


async def test_an_operator_cancelling_a_card_funded_contract_refunds_through_stripe(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    ops = await operator(world)
    secret = await client_secret(world, contract_id, buyer)
    intent_id = await pay_by_card(world, secret)
    await deliver(world, *await webhook("payment_intent.succeeded", intent_id))
    await run_timers_once(world.deps)

    cancelled = await world.gql(
        f'mutation($id: ID!) {{ cancelContract(contractId: $id, reason: "fraud check") {STEP} }}',
        {"id": contract_id},
        token=ops.token,
    )

    assert cancelled["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    refund_lines = [line for line in state["ledgerLines"] if line["kind"] == "refund"]
    assert state["escrowBalance"] == {"amount": "0.00"} and state["paymentInstructions"] == []
    refund_id = refund_lines[0]["providerReference"]
    refund = sdk(world).v1.refunds.retrieve(refund_id)
    assert (refund.payment_intent, refund.amount, refund.status) == (intent_id, 150_000_00, "succeeded")


async def test_a_card_payment_arriving_after_cancellation_goes_back_through_its_payment_intent(
    world: StripeWorld,
) -> None:
    buyer, _, contract_id = await awarded(world)
    secret = await client_secret(world, contract_id, buyer)
    cancelled = await world.gql(
        f'mutation($id: ID!) {{ cancelContract(contractId: $id, reason: "wrong part") {STEP} }}',
        {"id": contract_id},
        token=buyer.token,
    )
    intent_id = await pay_by_card(world, secret)
    await deliver(world, *await webhook("payment_intent.succeeded", intent_id))

    await run_timers_once(world.deps)

    assert cancelled["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "CANCELLED" and state["escrowBalance"] == {"amount": "0.00"}
    refund_id = next(line["providerReference"] for line in state["ledgerLines"] if line["kind"] == "refund")
    refund = sdk(world).v1.refunds.retrieve(refund_id)
    assert (refund.payment_intent, refund.amount) == (intent_id, 150_000_00)
