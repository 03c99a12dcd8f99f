"""The Stripe provider with the real `stripe` SDK against localstripe on 127.0.0.1: card funding through a
PaymentIntent, signed webhooks stored once and processed by the worker, Connect transfers on release,
refunds on cancellation."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import random
import time
from typing import Any

import httpx
import stripe
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.payments.models import ProviderEvent
from exchange.worker import run_timers_once
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.test_contract_lifecycle import operator
from tests.clock import FakeClock
from tests.stripe import events
from tests.stripe.conftest import WEBHOOK_SECRET
from tests.stripe.localstripe_server import CONNECT, LocalStripe

CONTRACT = """query($id: ID!) { node(id: $id) { ... on Contract {
  status paymentMethod escrowBalance { amount }
  ledgerLines { kind account amount { amount } providerReference }
  paymentInstructions { kind }
} } }"""
STEP = "{ __typename ... on ContractSuccess { contract { status } } ... on UserError { code message field } }"


async def _awarded(gql: GraphQL, clock: FakeClock) -> tuple[Party, Party, str]:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    data = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
        {"id": bid_id},
        token=buyer.token,
    )
    return buyer, maker, data["awardBid"]["contract"]["id"]


async def _pay_by_card(localstripe: LocalStripe, client_secret: str) -> str:
    """What Stripe.js does in the buyer's browser: attach a card and confirm the PaymentIntent."""
    intent_id = client_secret.split("_secret_")[0]
    client = stripe.StripeClient("sk_test_spa", base_addresses={"api": localstripe.url})

    def confirm() -> None:
        card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
        method = client.v1.payment_methods.create({"type": "card", "card": card})
        client.v1.payment_intents.update(intent_id, {"payment_method": method.id})
        client.v1.payment_intents.confirm(intent_id)

    await asyncio.to_thread(confirm)
    return intent_id


async def _webhook(event_type: str, intent_id: str) -> tuple[bytes, dict[str, str]]:
    for _ in range(100):
        for body, headers in CONNECT.webhooks:
            event = json.loads(body)
            if event["type"] == event_type and event["data"]["object"]["id"] == intent_id:
                return body, headers
        await asyncio.sleep(0.05)
    raise AssertionError(f"localstripe sent no {event_type} for {intent_id}")


async def _deliver(client: httpx.AsyncClient, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return await client.post(
        "/webhooks/stripe",
        content=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": headers["Stripe-Signature"]},
    )


async def test_card_funding_to_release_by_connect_transfers(
    gql: GraphQL,
    clock: FakeClock,
    localstripe: LocalStripe,
    stripe_client: httpx.AsyncClient,
    stripe_deps: AppDeps,
    engine: AsyncEngine,
) -> None:
    buyer, maker, contract_id = await _awarded(gql, clock)
    link = await gql(
        """mutation($org: ID!) { createStripeOnboardingLink(organisationId: $org, returnUrl: "https://spa.test/ok",
             refreshUrl: "https://spa.test/again") { __typename ... on PayoutAccountLinkSuccess { url } } }""",
        {"org": maker.organisation_id},
        token=maker.token,
    )
    funding = await gql(
        """mutation($id: ID!) { fundContract(contractId: $id) { __typename
             ... on FundContractSuccess { clientSecret contract { paymentMethod } } } }""",
        {"id": contract_id},
        token=buyer.token,
    )
    assert link["createStripeOnboardingLink"]["url"].startswith("https://connect.test/onboarding/acct_test")
    account = link["createStripeOnboardingLink"]["url"].rsplit("/", 1)[1].split("?")[0]
    await events.payouts_enabled(stripe_client, account)  # Stripe cleared the finished onboarding
    secret = funding["fundContract"]["clientSecret"]
    assert secret and funding["fundContract"]["contract"] == {"paymentMethod": "stripe"}

    intent_id = await _pay_by_card(localstripe, secret)
    body, headers = await _webhook("payment_intent.succeeded", intent_id)
    responses = [await _deliver(stripe_client, body, headers) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["duplicate"] for r in responses] == [False, True, True]
    before_worker = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert before_worker["status"] == "PENDING_FUNDING"  # stored, not yet processed

    await run_timers_once(stripe_deps)
    await run_timers_once(stripe_deps)

    funded = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert funded["status"] == "FUNDED"
    assert funded["escrowBalance"] == {"amount": "150000.00"}
    assert [(line["kind"], line["providerReference"]) for line in funded["ledgerLines"]] == [
        ("fund", intent_id),
        ("fund", intent_id),
    ]
    for token, mutation in [
        (maker.token, "startProduction(contractId: $id)"),
        (maker.token, "submitFirstArticle(contractId: $id)"),
        (buyer.token, "approveFirstArticle(contractId: $id)"),
        (maker.token, 'ship(contractId: $id, trackingReference: "DHL 1")'),
        (buyer.token, "confirmDelivery(contractId: $id)"),
        (buyer.token, "acceptDelivery(contractId: $id)"),
    ]:
        result = await gql(f"mutation($id: ID!) {{ {mutation} {STEP} }}", {"id": contract_id}, token=token)
        assert next(iter(result.values()))["__typename"] == "ContractSuccess", result

    done = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    transfers = [t for t in CONNECT.transfers.values() if t["transfer_group"] == contract_id_uuid(contract_id)]
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


async def _client_secret(gql: GraphQL, contract_id: str, buyer: Party) -> str:
    data = await gql(
        "mutation($id: ID!) { fundContract(contractId: $id) { ... on FundContractSuccess { clientSecret } } }",
        {"id": contract_id},
        token=buyer.token,
    )
    return str(data["fundContract"]["clientSecret"])


def contract_id_uuid(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def test_webhooks_in_any_order_and_repeated_end_in_the_same_state(
    gql: GraphQL,
    clock: FakeClock,
    localstripe: LocalStripe,
    stripe_client: httpx.AsyncClient,
    stripe_deps: AppDeps,
) -> None:
    buyer, _, contract_id = await _awarded(gql, clock)
    secret = await _client_secret(gql, contract_id, buyer)
    intent_id = await _pay_by_card(localstripe, secret)
    await _webhook("payment_intent.succeeded", intent_id)
    await asyncio.sleep(1.2)  # let the other events of this payment arrive too
    deliveries = [d for d in CONNECT.webhooks if intent_id.encode() in d[0]] * 3
    random.Random(7).shuffle(deliveries)

    for body, headers in deliveries:
        assert (await _deliver(stripe_client, body, headers)).status_code == 200
        await run_timers_once(stripe_deps)

    state = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "FUNDED"
    assert state["escrowBalance"] == {"amount": "150000.00"}
    assert [line["kind"] for line in state["ledgerLines"]] == ["fund", "fund"]


async def test_a_wrong_signature_or_a_stale_timestamp_is_refused_and_nothing_stored(
    stripe_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    payload = json.dumps(
        {
            "id": "evt_forged",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {"object": {"id": "pi_x", "metadata": {}}},
        }
    ).encode()

    def signed(timestamp: int, secret: str) -> str:
        mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={mac}"

    wrong = await stripe_client.post(
        "/webhooks/stripe", content=payload, headers={"Stripe-Signature": signed(int(time.time()), "whsec_wrong")}
    )
    stale = await stripe_client.post(
        "/webhooks/stripe",
        content=payload,
        headers={"Stripe-Signature": signed(int(time.time()) - 3600, WEBHOOK_SECRET)},
    )
    missing = await stripe_client.post("/webhooks/stripe", content=payload)
    fresh = await stripe_client.post(
        "/webhooks/stripe", content=payload, headers={"Stripe-Signature": signed(int(time.time()), WEBHOOK_SECRET)}
    )

    assert [wrong.status_code, stale.status_code, missing.status_code] == [400, 400, 400]
    assert fresh.status_code == 200
    async with engine.connect() as conn:
        stored: Any = await conn.scalar(select(func.count()).select_from(ProviderEvent.__table__))
    assert stored == 1


async def test_an_operator_cancelling_a_card_funded_contract_refunds_through_stripe(
    gql: GraphQL,
    clock: FakeClock,
    localstripe: LocalStripe,
    stripe_client: httpx.AsyncClient,
    stripe_deps: AppDeps,
    engine: AsyncEngine,
) -> None:
    buyer, _, contract_id = await _awarded(gql, clock)
    ops = await operator(gql, engine)
    secret = await _client_secret(gql, contract_id, buyer)
    intent_id = await _pay_by_card(localstripe, secret)
    await _deliver(stripe_client, *await _webhook("payment_intent.succeeded", intent_id))
    await run_timers_once(stripe_deps)

    cancelled = await gql(
        f'mutation($id: ID!) {{ cancelContract(contractId: $id, reason: "fraud check") {STEP} }}',
        {"id": contract_id},
        token=ops.token,
    )

    assert cancelled["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    refund_lines = [line for line in state["ledgerLines"] if line["kind"] == "refund"]
    assert state["escrowBalance"] == {"amount": "0.00"} and state["paymentInstructions"] == []
    refund_id = refund_lines[0]["providerReference"]
    refund = stripe.StripeClient("sk_test_check", base_addresses={"api": localstripe.url}).v1.refunds.retrieve(
        refund_id
    )
    assert (refund.payment_intent, refund.amount, refund.status) == (intent_id, 150_000_00, "succeeded")


async def test_a_card_payment_arriving_after_cancellation_goes_back_through_its_payment_intent(
    gql: GraphQL,
    clock: FakeClock,
    localstripe: LocalStripe,
    stripe_client: httpx.AsyncClient,
    stripe_deps: AppDeps,
) -> None:
    buyer, _, contract_id = await _awarded(gql, clock)
    secret = await _client_secret(gql, contract_id, buyer)
    cancelled = await gql(
        f'mutation($id: ID!) {{ cancelContract(contractId: $id, reason: "wrong part") {STEP} }}',
        {"id": contract_id},
        token=buyer.token,
    )
    intent_id = await _pay_by_card(localstripe, secret)
    await _deliver(stripe_client, *await _webhook("payment_intent.succeeded", intent_id))

    await run_timers_once(stripe_deps)

    assert cancelled["cancelContract"]["contract"]["status"] == "CANCELLED"
    state = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "CANCELLED" and state["escrowBalance"] == {"amount": "0.00"}
    refund_id = next(line["providerReference"] for line in state["ledgerLines"] if line["kind"] == "refund")
    refund = stripe.StripeClient("sk_test_check", base_addresses={"api": localstripe.url}).v1.refunds.retrieve(
        refund_id
    )
    assert (refund.payment_intent, refund.amount) == (intent_id, 150_000_00)
