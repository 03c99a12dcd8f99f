"""Stripe's events besides a successful payment: a declined card (from localstripe itself), a Connect account
cleared for payouts or not, a chargeback opened and closed, a refund made in Stripe's dashboard (built as Stripe
documents them, signed, and delivered like the real ones: tests/stripe/events.py)."""

from __future__ import annotations

import asyncio

from exchange.worker import run_timers_once
from tests.stripe import events
from tests.stripe.support import (
    CONTRACT,
    LINK,
    account_in,
    awarded,
    card_funded,
    client_secret,
    decline_card,
    deliver,
    operator,
    sdk,
    step,
    steps_succeed,
    titles,
    transfers_of,
    webhook,
)
from tests.stripe.world import StripeWorld


async def test_a_declined_card_tells_the_buyer_and_the_contract_still_awaits_funding(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    intent_id = (await client_secret(world, contract_id, buyer)).split("_secret_")[0]

    await decline_card(world, intent_id)
    await deliver(world, *await webhook("payment_intent.payment_failed", intent_id))
    await run_timers_once(world.deps)

    state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "PENDING_FUNDING" and state["escrowBalance"] == {"amount": "0.00"}
    assert state["ledgerLines"] == []
    assert any(title.startswith("Card payment failed for") for title in await titles(world, buyer))


async def test_payouts_go_by_bank_until_stripe_clears_the_account_then_by_transfer(world: StripeWorld) -> None:
    buyer, maker, contract_id, _ = await card_funded(world)
    url = (await world.gql(LINK, {"org": maker.organisation_id}, token=maker.token))["createStripeOnboardingLink"][
        "url"
    ]
    account = account_in(url)
    await events.payouts_enabled(world.client, account, enabled=False)  # onboarding not finished
    await run_timers_once(world.deps)
    await steps_succeed(
        world,
        contract_id,
        [
            (maker.token, "startProduction(contractId: $id)"),
            (maker.token, "submitFirstArticle(contractId: $id)"),
            (buyer.token, "approveFirstArticle(contractId: $id)"),
        ],
    )
    early = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]

    await events.payouts_enabled(world.client, account)
    await run_timers_once(world.deps)
    await steps_succeed(
        world,
        contract_id,
        [
            (maker.token, 'ship(contractId: $id, trackingReference: "CDEK 7")'),
            (buyer.token, "confirmDelivery(contractId: $id)"),
            (buyer.token, "acceptDelivery(contractId: $id)"),
        ],
    )

    transfers = transfers_of(contract_id)
    assert [i["kind"] for i in early["paymentInstructions"]] == ["payout"]  # the first article's share, by bank
    assert [(t["amount"], t["destination"]) for t in transfers] == [(99_750_00, account)]  # acceptance, by Stripe


async def test_a_chargeback_freezes_releases_and_timers_until_it_closes(world: StripeWorld) -> None:
    buyer, maker, contract_id, intent_id = await card_funded(world)
    ops = await operator(world)
    charge = (await asyncio.to_thread(sdk(world).v1.payment_intents.retrieve, intent_id)).to_dict()["latest_charge"]
    charge_id = charge if isinstance(charge, str) else charge["id"]
    await steps_succeed(
        world,
        contract_id,
        [
            (maker.token, "startProduction(contractId: $id)"),
            (maker.token, "submitFirstArticle(contractId: $id)"),
        ],
    )
    await events.send(
        world.client, "charge.dispute.created", events.dispute(intent_id, charge_id, 150_000_00, "needs_response")
    )
    await run_timers_once(world.deps)
    before = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]

    refused = await step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token)
    after_refusal = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]

    await events.send(world.client, "charge.dispute.closed", events.dispute(intent_id, charge_id, 150_000_00, "won"))
    await run_timers_once(world.deps)
    approved = await step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token)

    assert refused["__typename"] == "InvalidStateError" and refused["code"] == "PAYMENTS_FROZEN"
    assert after_refusal == before  # nothing moved
    assert before["status"] == "FIRST_ARTICLE_REVIEW" and before["escrowBalance"] == {"amount": "150000.00"}
    assert approved["__typename"] == "ContractSuccess"
    for party in (buyer, maker, ops):
        assert any("chargeback" in title for title in await titles(world, party))
    assert any(title.endswith("closed: won") for title in await titles(world, ops))


async def test_a_refund_made_in_stripe_is_taken_out_of_escrow_once(world: StripeWorld) -> None:
    buyer, _, contract_id, intent_id = await card_funded(world)
    ops = await operator(world)
    refund = await asyncio.to_thread(
        sdk(world).v1.refunds.create, {"payment_intent": intent_id, "amount": 10_000_00}
    )  # made in the dashboard, not by the exchange
    charge = {
        "id": "ch_dashboard",
        "object": "charge",
        "payment_intent": intent_id,
        "currency": "rub",
        "amount_refunded": 10_000_00,
        "refunds": {"object": "list", "data": [{"id": refund.id, "object": "refund", "amount": 10_000_00}]},
    }
    for _ in range(2):  # Stripe may send it again
        await events.send(world.client, "charge.refunded", charge)
        await run_timers_once(world.deps)

    state = (await world.gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    refunds = [line for line in state["ledgerLines"] if line["kind"] == "refund"]
    assert state["escrowBalance"] == {"amount": "140000.00"}
    assert {line["providerReference"] for line in refunds} == {refund.id}
    assert any(title.startswith("Refund made in Stripe") for title in await titles(world, ops))
