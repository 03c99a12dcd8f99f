"""Stripe's events tell people with typed figures: a chargeback's amount as Money, whether the bank took the payment
back, a refund made in Stripe's dashboard (the events built and delivered as in tests/stripe/test_stripe_events.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from exchange.worker import run_timers_once
from tests.api.graphql import Party
from tests.api.notifications import INBOX
from tests.stripe import events
from tests.stripe.support import card_funded, given_up_payout, operator, sdk
from tests.stripe.world import StripeWorld


async def told(world: StripeWorld, party: Party, typename: str) -> list[dict[str, Any]]:
    data = await world.gql(INBOX, token=party.token)
    return [
        e["node"]["params"] for e in data["notifications"]["edges"] if e["node"]["params"]["__typename"] == typename
    ]


async def test_a_chargeback_and_a_dashboard_refund_store_their_amounts(world: StripeWorld) -> None:
    buyer, maker, _, intent_id = await card_funded(world)
    ops = await operator(world)
    charge = (await asyncio.to_thread(sdk(world).v1.payment_intents.retrieve, intent_id)).to_dict()["latest_charge"]
    charge_id = charge if isinstance(charge, str) else charge["id"]
    await events.send(
        world.client, "charge.dispute.created", events.dispute(intent_id, charge_id, 150_000_00, "needs_response")
    )
    await run_timers_once(world.deps)
    await events.send(world.client, "charge.dispute.closed", events.dispute(intent_id, charge_id, 150_000_00, "lost"))
    await run_timers_once(world.deps)
    refund = await asyncio.to_thread(sdk(world).v1.refunds.create, {"payment_intent": intent_id, "amount": 10_000_00})
    refunded = {
        "id": "ch_dashboard",
        "object": "charge",
        "payment_intent": intent_id,
        "currency": "rub",
        "amount_refunded": 10_000_00,
        "refunds": {"object": "list", "data": [{"id": refund.id, "object": "refund", "amount": 10_000_00}]},
    }
    await events.send(world.client, "charge.refunded", refunded)
    await run_timers_once(world.deps)

    opened = [await told(world, party, "ChargebackOpenedNotice") for party in (buyer, maker, ops)]
    closed = await told(world, ops, "ChargebackClosedNotice")
    refunds = await told(world, ops, "CardRefundRecordedNotice")

    assert all(len(seen) == 1 for seen in opened)
    [[first], _, _] = opened
    assert first["amount"] == {"amount": "150000.00", "currency": "RUB"}
    assert first["orderTitle"]
    assert [(c["lost"], c["outcome"]) for c in closed] == [(True, "lost")]
    assert [r["amount"] for r in refunds] == [{"amount": "10000.00", "currency": "RUB"}]
    assert await told(world, buyer, "ChargebackClosedNotice") == []  # operators settle it


async def test_a_payout_given_up_tells_operators_its_kind_attempts_and_the_providers_answer(world: StripeWorld) -> None:
    ops = await operator(world)
    await given_up_payout(world)

    [alert] = await told(world, ops, "ProviderPaymentGivenUpNotice")

    assert (alert["paymentKind"], alert["attempts"]) == ("payout", 20)
    assert alert["lastError"]  # Stripe's answer, as given
    async with world.engine.connect() as conn:
        stored = await conn.scalar(text("SELECT last_error FROM provider_payment"))
    assert stored.startswith(alert["lastError"][:100])
