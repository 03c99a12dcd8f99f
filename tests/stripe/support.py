"""What the Stripe tests share: the queries they all ask, and the steps a card-paid contract goes through on its
way (awarded, funded by card as Stripe.js would, the webhook delivered and processed, the shop onboarded to
Connect). Plain functions of the `world` fixture (tests/stripe/world.py; conftest.py holds the stand-in's keys)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from datetime import timedelta
from typing import Any

import httpx
import stripe
from sqlalchemy import text

from exchange.worker import run_timers_once
from tests.api import contracts
from tests.api.graphql import Party
from tests.stripe import events
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.world import StripeWorld

CONTRACT = """query($id: ID!) { node(id: $id) { ... on Contract {
  status paymentMethod escrowBalance { amount }
  ledgerLines { kind account amount { amount } providerReference }
  paymentInstructions { kind }
} } }"""
LEDGER = """query($id: ID!) { node(id: $id) { ... on Contract { status
  ledgerLines { kind account amount { amount } providerReference } } } }"""
STEP = contracts.STEP_FIELDS
FUND = """mutation($id: ID!) { fundContract(contractId: $id) { __typename
  ... on FundContractSuccess { clientSecret contract { status paymentMethod } }
  ... on UserError { code message field } } }"""
LINK = """mutation($org: ID!) { createStripeOnboardingLink(organisationId: $org, returnUrl: "https://spa.test/ok",
  refreshUrl: "https://spa.test/again") { ... on PayoutAccountLinkSuccess { url } } }"""
INBOX = "{ notifications(first: 20) { edges { node { kind title body } } } }"


def contract_id_uuid(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


def account_in(onboarding_url: str) -> str:
    """The Connect account an onboarding link is for (the stand-in's links end in /<account>?…)."""
    return onboarding_url.rsplit("/", 1)[1].split("?")[0]


def sdk(world: StripeWorld) -> stripe.StripeClient:
    """The `stripe` SDK as a test looks at what Stripe holds."""
    return stripe.StripeClient("sk_test_check", base_addresses={"api": world.localstripe.url})


async def awarded(world: StripeWorld) -> tuple[Party, Party, str]:
    """A buyer's order of 150,000.00 RUB awarded to a manufacturer's bid: (buyer, maker, contract id)."""
    return await contracts.awarded(world.gql, world.clock)


async def operator(world: StripeWorld) -> Party:
    """A platform operator (records wires, resolves disputes, sees the provider payments)."""
    return await contracts.operator(world.gql, world.engine)


async def step(world: StripeWorld, mutation: str, contract_id: str, token: str) -> Any:
    """One lifecycle mutation on the contract; its payload (ContractSuccess or a UserError)."""
    result = await world.gql(f"mutation($id: ID!) {{ {mutation} {STEP} }}", {"id": contract_id}, token=token)
    return next(iter(result.values()))


async def steps_succeed(world: StripeWorld, contract_id: str, steps: list[tuple[str, str]]) -> None:
    """Each (token, mutation) in turn, each answered with ContractSuccess."""
    for token, mutation in steps:
        payload = await step(world, mutation, contract_id, token)
        assert payload["__typename"] == "ContractSuccess", payload


async def titles(world: StripeWorld, party: Party) -> list[str]:
    """The titles in the party's notification inbox."""
    data = await world.gql(INBOX, token=party.token)
    return [edge["node"]["title"] for edge in data["notifications"]["edges"]]


async def client_secret(world: StripeWorld, contract_id: str, buyer: Party) -> str:
    data = await world.gql(
        "mutation($id: ID!) { fundContract(contractId: $id) { ... on FundContractSuccess { clientSecret } } }",
        {"id": contract_id},
        token=buyer.token,
    )
    return str(data["fundContract"]["clientSecret"])


async def payment_reference(world: StripeWorld, contract_id: str, party: Party) -> str:
    data = await world.gql(
        "query($id: ID!) { node(id: $id) { ... on Contract { fundingInstructions { paymentReference } } } }",
        {"id": contract_id},
        token=party.token,
    )
    return str(data["node"]["fundingInstructions"]["paymentReference"])


async def stored_intent_id(world: StripeWorld, contract_id: str) -> str | None:
    """The PaymentIntent the contract's row holds."""
    async with world.engine.connect() as conn:
        value: Any = await conn.scalar(
            text("SELECT stripe_payment_intent_id FROM contract WHERE id = :id"), {"id": contract_id_uuid(contract_id)}
        )
    return value


def payment_intent(world: StripeWorld, intent_id: str) -> stripe.PaymentIntent:
    return sdk(world).v1.payment_intents.retrieve(intent_id)


async def part_payment_intent(world: StripeWorld, contract_id: str, amount_minor: int) -> str:
    """A PaymentIntent for part of the price, made on the platform's key as the exchange makes its own (contract in
    its metadata, the contract as transfer group): the first of two card payments."""

    def create() -> str:
        intent = sdk(world).v1.payment_intents.create(
            {
                "amount": amount_minor,
                "currency": "rub",
                "transfer_group": contract_id_uuid(contract_id),
                "metadata": {"contract_id": contract_id_uuid(contract_id)},
            }
        )
        return str(intent.client_secret)

    return await asyncio.to_thread(create)


async def _confirm_with_card(world: StripeWorld, intent_id: str, number: str) -> None:
    """What Stripe.js does in the buyer's browser: attach a card and confirm the PaymentIntent."""
    browser = stripe.StripeClient("sk_test_spa", base_addresses={"api": world.localstripe.url})

    def confirm() -> None:
        method = browser.v1.payment_methods.create(
            {"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
        )
        browser.v1.payment_intents.update(intent_id, {"payment_method": method.id})
        browser.v1.payment_intents.confirm(intent_id)

    await asyncio.to_thread(confirm)


async def pay_by_card(world: StripeWorld, client_secret: str) -> str:
    """The buyer pays with a card that goes through; the PaymentIntent's id."""
    intent_id = client_secret.split("_secret_")[0]
    await _confirm_with_card(world, intent_id, "4242424242424242")
    return intent_id


async def decline_card(world: StripeWorld, intent_id: str) -> None:
    """The buyer tries a card whose charge is declined: the PaymentIntent is left awaiting a payment method."""
    with contextlib.suppress(stripe.CardError):
        await _confirm_with_card(world, intent_id, "4000000000000341")


async def webhook(event_type: str, intent_id: str) -> tuple[bytes, dict[str, str]]:
    """The signed event localstripe sent for the intent (waits up to 5 s for it)."""
    for _ in range(100):
        for body, headers in CONNECT.webhooks:
            event = json.loads(body)
            if event["type"] == event_type and event["data"]["object"]["id"] == intent_id:
                return body, headers
        await asyncio.sleep(0.05)
    raise AssertionError(f"localstripe sent no {event_type} for {intent_id}")


async def deliver(world: StripeWorld, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """Posts a localstripe event to the exchange's webhook endpoint as Stripe would."""
    return await world.client.post(
        "/webhooks/stripe",
        content=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": headers["Stripe-Signature"]},
    )


async def card_paid(world: StripeWorld, client_secret: str) -> str:
    """Paid by card, the payment_intent.succeeded webhook delivered and processed by the worker: the intent's id."""
    intent_id = await pay_by_card(world, client_secret)
    await deliver(world, *await webhook("payment_intent.succeeded", intent_id))
    await run_timers_once(world.deps)
    return intent_id


async def card_funded(world: StripeWorld) -> tuple[Party, Party, str, str]:
    """An awarded contract funded in full by one card payment: (buyer, maker, contract id, intent id)."""
    buyer, maker, contract_id = await awarded(world)
    intent_id = await card_paid(world, await client_secret(world, contract_id, buyer))
    return buyer, maker, contract_id, intent_id


async def onboarded(world: StripeWorld, maker: Party) -> str:
    """The shop's Connect account, opened through an onboarding link and cleared by Stripe for payouts."""
    link = await world.gql(LINK, {"org": maker.organisation_id}, token=maker.token)
    account = account_in(str(link["createStripeOnboardingLink"]["url"]))
    await events.payouts_enabled(world.client, account)
    await run_timers_once(world.deps)
    return account


async def in_first_article_review(world: StripeWorld) -> tuple[Party, Party, str]:
    """Card-funded, the shop's Connect account cleared for payouts, the first article submitted."""
    buyer, maker, contract_id, _ = await card_funded(world)
    await onboarded(world, maker)
    await steps_succeed(
        world,
        contract_id,
        [(maker.token, "startProduction(contractId: $id)"), (maker.token, "submitFirstArticle(contractId: $id)")],
    )
    return buyer, maker, contract_id


def transfers_of(contract_id: str) -> list[dict[str, Any]]:
    """The Connect transfers localstripe made for the contract (its transfer group)."""
    return [t for t in CONNECT.transfers.values() if t["transfer_group"] == contract_id_uuid(contract_id)]


def payout_references(state: Any) -> list[str]:
    """The provider references of the contract's releases to the manufacturer, in ledger order."""
    return [
        line["providerReference"]
        for line in state["ledgerLines"]
        if line["kind"] == "release" and line["account"].startswith("manufacturer_payable:")
    ]


async def given_up_payout(world: StripeWorld) -> tuple[Party, Party, str, str]:
    """The first-article payout refused by Stripe (the shop's Connect account is gone) until given up."""
    buyer, maker, contract_id = await in_first_article_review(world)
    account = list(CONNECT.accounts)[-1]  # the shop's, opened by in_first_article_review
    removed = CONNECT.accounts.pop(account)
    assert (await step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token))[
        "__typename"
    ] == "ContractSuccess"
    async with world.engine.begin() as conn:  # as after nineteen refusals
        await conn.execute(text("UPDATE provider_payment SET attempts = 19"))
    world.clock.advance(timedelta(hours=2))
    await run_timers_once(world.deps)
    CONNECT.accounts[account] = removed  # the shop's account is back (Stripe support restored it)
    return buyer, maker, contract_id, account
