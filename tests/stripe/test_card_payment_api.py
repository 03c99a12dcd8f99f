"""What the browser gets for card payment: the publishable key and the Stripe.js address on the contract's
funding instructions (the buyer's members only; never a secret), and a `fundContract` that hands out the same
PaymentIntent's secret however often it is called while that intent can still be paid."""

from __future__ import annotations

import asyncio
import json

import httpx

from api.app import create_app
from api.context import AppDeps
from exchange.bootstrap import payments
from exchange.settings import Settings
from tests.api.graphql import GraphQL
from tests.stripe.conftest import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET
from tests.stripe.support import (
    FUND,
    awarded,
    decline_card,
    operator,
    pay_by_card,
    payment_intent,
    payment_reference,
    stored_intent_id,
)
from tests.stripe.world import StripeWorld

FUNDING = """query($id: ID!) { node(id: $id) { ... on Contract { status paymentMethod
  fundingInstructions { method amountDue { amount currency } card { publishableKey jsUrl } } } } }"""


async def test_the_buyer_gets_the_publishable_key_and_the_script_address_and_nobody_a_secret(
    world: StripeWorld,
) -> None:
    buyer, maker, contract_id = await awarded(world)
    ops = await operator(world)

    seen = {
        name: await world.gql(FUNDING, {"id": contract_id}, token=party.token)
        for name, party in [("buyer", buyer), ("maker", maker), ("operator", ops)]
    }

    instructions = {name: data["node"]["fundingInstructions"] for name, data in seen.items()}
    assert instructions["buyer"]["card"] == {
        "publishableKey": PUBLISHABLE_KEY,
        "jsUrl": f"{world.localstripe.url}/js.stripe.com/v3/",
    }
    assert instructions["maker"]["card"] is None  # a manufacturer does not pay escrow
    assert instructions["operator"]["card"] is None  # operators record wires; they do not pay by card
    assert instructions["buyer"]["amountDue"] == {"amount": "150000.00", "currency": "RUB"}
    everything = json.dumps(seen)
    assert SECRET_KEY not in everything and WEBHOOK_SECRET not in everything


async def test_without_a_publishable_key_no_card_payment_is_offered(world: StripeWorld) -> None:
    assert isinstance(world.deps.settings, Settings)
    settings = world.deps.settings.model_copy(update={"stripe_publishable_key": None})
    deps = AppDeps(
        settings=settings,
        session_factory=world.deps.session_factory,
        clock=world.deps.clock,
        payments=payments(settings),
        stripe_webhook_verifier=world.deps.stripe_webhook_verifier,
    )
    buyer, _, contract_id = await awarded(world)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(deps)), base_url="http://test") as c:
        data = await GraphQL(c)(FUNDING, {"id": contract_id}, token=buyer.token)

    assert data["node"]["fundingInstructions"]["card"] is None
    assert data["node"]["fundingInstructions"]["method"] == "bank_transfer"


async def test_funding_twice_returns_the_same_payment_intent_not_a_second_charge(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)

    first = await world.gql(FUND, {"id": contract_id}, token=buyer.token)
    first_intent = await stored_intent_id(world, contract_id)
    second = await world.gql(FUND, {"id": contract_id}, token=buyer.token)
    third = await world.gql(FUND, {"id": contract_id}, token=buyer.token)

    secrets = [r["fundContract"]["clientSecret"] for r in (first, second, third)]
    assert first["fundContract"]["contract"] == {"status": "PENDING_FUNDING", "paymentMethod": "stripe"}
    assert secrets[0] and secrets == [secrets[0]] * 3
    assert first_intent is not None and secrets[0].startswith(f"{first_intent}_secret_")
    assert await stored_intent_id(world, contract_id) == first_intent
    assert payment_intent(world, first_intent).amount == 150_000_00


async def test_two_tabs_funding_at_once_get_one_payment_intent(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)

    results = await asyncio.gather(*(world.gql(FUND, {"id": contract_id}, token=buyer.token) for _ in range(3)))

    secrets = {r["fundContract"]["clientSecret"] for r in results}
    assert len(secrets) == 1
    intent_id = await stored_intent_id(world, contract_id)
    assert intent_id is not None and secrets.pop().startswith(f"{intent_id}_secret_")


async def test_after_a_declined_attempt_the_same_intent_is_offered_again(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    secret = (await world.gql(FUND, {"id": contract_id}, token=buyer.token))["fundContract"]["clientSecret"]
    intent_id = secret.split("_secret_")[0]
    await decline_card(world, intent_id)

    again = await world.gql(FUND, {"id": contract_id}, token=buyer.token)

    assert payment_intent(world, intent_id).status == "requires_payment_method"
    assert again["fundContract"]["clientSecret"] == secret
    assert await stored_intent_id(world, contract_id) == intent_id


async def test_a_payment_under_way_is_not_started_again_and_nothing_changes(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    secret = (await world.gql(FUND, {"id": contract_id}, token=buyer.token))["fundContract"]["clientSecret"]
    intent_id = await pay_by_card(world, secret)  # paid; its webhook not processed yet

    refused = await world.gql(FUND, {"id": contract_id}, token=buyer.token)

    assert refused["fundContract"]["__typename"] == "InvalidStateError"
    assert refused["fundContract"]["code"] == "INVALID_TRANSITION"
    assert "already being processed" in refused["fundContract"]["message"]
    assert await stored_intent_id(world, contract_id) == intent_id
    state = (await world.gql(FUNDING, {"id": contract_id}, token=buyer.token))["node"]
    assert state["status"] == "PENDING_FUNDING"


async def test_money_arriving_by_wire_meanwhile_replaces_the_intent_with_one_for_the_rest(world: StripeWorld) -> None:
    buyer, _, contract_id = await awarded(world)
    ops = await operator(world)
    first = (await world.gql(FUND, {"id": contract_id}, token=buyer.token))["fundContract"]["clientSecret"]
    reference = await payment_reference(world, contract_id, buyer)
    wired = await world.gql(
        """mutation($ref: String!) { recordBankTransfer(paymentReference: $ref, bankTransactionId: "TX-1",
             amount: {amount: "50000", currency: "RUB"}, receivedOn: "2026-01-10") { __typename } }""",
        {"ref": reference},
        token=ops.token,
    )

    second = (await world.gql(FUND, {"id": contract_id}, token=buyer.token))["fundContract"]["clientSecret"]

    assert wired["recordBankTransfer"]["__typename"] == "ContractSuccess"
    old_id, new_id = first.split("_secret_")[0], second.split("_secret_")[0]
    assert old_id != new_id
    assert payment_intent(world, old_id).status == "canceled"  # the full amount can no longer be charged
    assert payment_intent(world, new_id).amount == 100_000_00
    assert await stored_intent_id(world, contract_id) == new_id


async def test_a_manufacturer_cannot_start_a_card_payment_and_nothing_changes(world: StripeWorld) -> None:
    _, maker, contract_id = await awarded(world)

    refused = await world.gql(FUND, {"id": contract_id}, token=maker.token)

    assert refused["fundContract"]["__typename"] == "PermissionDeniedError"
    assert refused["fundContract"]["field"] == "contractId"
    assert await stored_intent_id(world, contract_id) is None
