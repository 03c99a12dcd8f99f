"""The operator's console for Stripe transfers and refunds the exchange could not make: the list of failed and
long-pending ones with the provider's error, retry (the same idempotency key: never a second payment) and resolve by
hand with a reason; refused for anyone but an operator, and a refused action changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text

from exchange.worker import run_timers_once
from tests.api.graphql import Party
from tests.conftest import StatementCounter
from tests.stripe.localstripe_server import CONNECT
from tests.stripe.support import (
    LEDGER,
    awarded,
    contract_id_uuid,
    given_up_payout,
    in_first_article_review,
    operator,
    payout_references,
    step,
    titles,
    transfers_of,
)
from tests.stripe.world import StripeWorld

ISSUES = """{ providerPaymentIssues(first: 20) { edges { node {
  id kind status attempts lastError amount { amount } destination fundingReference providerReference
  resolutionNote contract { id } } } } }"""
FIELDS = """__typename ... on ProviderPaymentSuccess { payment { status attempts lastError providerReference
  resolutionNote resolvedAt } } ... on UserError { code message field }"""
RETRY = f"mutation($id: ID!) {{ retryProviderPayment(id: $id) {{ {FIELDS} }} }}"
RESOLVE = f"""mutation($id: ID!, $reason: String!, $reference: String!) {{
  resolveProviderPayment(id: $id, reason: $reason, reference: $reference) {{ {FIELDS} }} }}"""
ALERT = "A payout could not be made through the payment provider"


async def _issues(world: StripeWorld, party: Party) -> Any:
    data = await world.gql(ISSUES, token=party.token)
    if data["providerPaymentIssues"] is None:
        return None
    return [edge["node"] for edge in data["providerPaymentIssues"]["edges"]]


async def _rows(world: StripeWorld) -> list[tuple[Any, ...]]:
    async with world.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT status, attempts, last_error, provider_reference, resolution_note, resolved_by_user_id "
                "FROM provider_payment ORDER BY created_at"
            )
        )
        return [tuple(row) for row in rows]


async def test_a_failed_payout_is_listed_with_its_error_and_a_retry_pays_it_once(world: StripeWorld) -> None:
    ops = await operator(world)
    buyer, maker, contract_id, account = await given_up_payout(world)
    listed = await _issues(world, ops)
    alerted = await titles(world, ops)
    failed = await _rows(world)

    # Anyone but an operator: no list, and both actions refused with nothing changed.
    refused = [
        (await world.gql(RETRY, {"id": listed[0]["id"]}, token=party.token))["retryProviderPayment"]
        for party in (buyer, maker)
    ] + [
        (await world.gql(RESOLVE, {"id": listed[0]["id"], "reason": "paid", "reference": ""}, token=buyer.token))[
            "resolveProviderPayment"
        ]
    ]
    assert await _issues(world, buyer) is None and await _issues(world, maker) is None
    assert [r["code"] for r in refused] == ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]
    assert await _rows(world) == failed and transfers_of(contract_id) == []

    # The operator retries (the shop's account is back).
    CONNECT.lose_transfer_answers = 3  # Stripe makes it, but every answer (the SDK's retries too) is lost
    again = (await world.gql(RETRY, {"id": listed[0]["id"]}, token=ops.token))["retryProviderPayment"]
    made_while_lost = transfers_of(contract_id)
    retried = (await world.gql(RETRY, {"id": listed[0]["id"]}, token=ops.token))["retryProviderPayment"]
    once_more = (await world.gql(RETRY, {"id": listed[0]["id"]}, token=ops.token))["retryProviderPayment"]
    state = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]

    assert [(i["kind"], i["status"], i["attempts"], i["amount"], i["destination"]) for i in listed] == [
        ("payout", "failed", 20, {"amount": "42750.00"}, account)
    ]
    assert "No such destination" in listed[0]["lastError"] and listed[0]["fundingReference"].startswith("pi_")
    assert listed[0]["contract"] == {"id": contract_id}
    assert failed == [("failed", 20, failed[0][2], "", "", None)]
    assert alerted.count(ALERT) == 1
    # First retry: Stripe made the transfer but the answer was lost: failed again at once, operators told again.
    assert again["payment"]["status"] == "failed" and "unknown error" in again["payment"]["lastError"]
    assert len(made_while_lost) == 1 and (await titles(world, ops)).count(ALERT) == 2
    # Second retry: the same idempotency key, so Stripe answers with the transfer it made: no second payment.
    assert (
        retried["payment"]["status"] == "made" and retried["payment"]["providerReference"] == made_while_lost[0]["id"]
    )
    assert [t["id"] for t in transfers_of(contract_id)] == [made_while_lost[0]["id"]]
    assert payout_references(state) == [made_while_lost[0]["id"]]
    assert once_more["code"] == "INVALID_TRANSITION" and await _issues(world, ops) == []


async def test_a_failed_payout_resolved_by_hand_keeps_the_reason_and_is_never_attempted_again(
    world: StripeWorld,
) -> None:
    ops = await operator(world)
    buyer, _, contract_id, _ = await given_up_payout(world)
    [issue] = await _issues(world, ops)
    failed = await _rows(world)

    blank = (await world.gql(RESOLVE, {"id": issue["id"], "reason": "  ", "reference": ""}, token=ops.token))[
        "resolveProviderPayment"
    ]
    too_long = (await world.gql(RESOLVE, {"id": issue["id"], "reason": "x" * 501, "reference": ""}, token=ops.token))[
        "resolveProviderPayment"
    ]
    unchanged = await _rows(world)
    resolved = (
        await world.gql(
            RESOLVE,
            {"id": issue["id"], "reason": "wired to the shop's bank account", "reference": "SBER-2026-771"},
            token=ops.token,
        )
    )["resolveProviderPayment"]
    requests = CONNECT.transfer_requests
    world.clock.advance(timedelta(days=1))
    await run_timers_once(world.deps)
    twice = (await world.gql(RESOLVE, {"id": issue["id"], "reason": "again", "reference": ""}, token=ops.token))[
        "resolveProviderPayment"
    ]
    retry = (await world.gql(RETRY, {"id": issue["id"]}, token=ops.token))["retryProviderPayment"]
    state = (await world.gql(LEDGER, {"id": contract_id}, token=buyer.token))["node"]
    rows = await _rows(world)

    assert (blank["code"], blank["field"]) == ("REQUIRED", "reason")
    assert (too_long["code"], too_long["field"]) == ("OUT_OF_RANGE", "reason")
    assert unchanged == failed
    assert resolved["payment"]["status"] == "resolved" and resolved["payment"]["resolvedAt"]
    assert resolved["payment"]["resolutionNote"] == "wired to the shop's bank account"
    assert CONNECT.transfer_requests == requests and transfers_of(contract_id) == []  # never attempted again
    assert twice["code"] == "INVALID_TRANSITION" and retry["code"] == "INVALID_TRANSITION"
    assert [(r[0], r[3], r[4], r[5] is not None) for r in rows] == [
        ("resolved", "SBER-2026-771", "wired to the shop's bank account", True)
    ]
    assert payout_references(state) == ["SBER-2026-771"]
    assert await _issues(world, ops) == []


async def test_a_payout_pending_for_over_an_hour_is_listed_while_the_worker_keeps_trying(world: StripeWorld) -> None:
    ops = await operator(world)
    buyer, _, contract_id = await in_first_article_review(world)
    CONNECT.lose_transfer_answers = 3  # the first attempt's answers are lost
    await step(world, "approveFirstArticle(contractId: $id)", contract_id, buyer.token)
    fresh = await _issues(world, ops)
    world.clock.advance(timedelta(minutes=61))
    [stuck] = await _issues(world, ops)
    retried = (await world.gql(RETRY, {"id": stuck["id"]}, token=ops.token))["retryProviderPayment"]

    assert fresh == []  # the worker's business for the first hour
    assert (stuck["status"], stuck["attempts"]) == ("pending", 1) and "unknown error" in stuck["lastError"]
    assert retried["payment"]["status"] == "made" and len(transfers_of(contract_id)) == 1
    assert await _issues(world, ops) == []


async def test_the_list_runs_the_same_few_statements_for_one_payment_and_for_twelve(
    world: StripeWorld, sql: StatementCounter
) -> None:
    ops = await operator(world)
    contract_ids = [contract_id_uuid((await awarded(world))[2]) for _ in range(3)]
    async with world.engine.begin() as conn:
        for n in range(12):
            await conn.execute(
                text(
                    "INSERT INTO provider_payment (id, contract_id, kind, amount_minor, currency, idempotency_key, "
                    "request, status, provider_reference, attempts, last_error, created_at) VALUES (gen_random_uuid(), "
                    ":c, 'refund', 100, 'RUB', :k, '{}', 'failed', '', 20, 'card expired', now() - interval '1 day')"
                ),
                {"c": contract_ids[n % 3], "k": f"count:{n}"},
            )

    counts = []
    for first in (1, 12):
        with sql.counting():
            data = await world.gql(ISSUES.replace("first: 20", f"first: {first}"), token=ops.token)
        counts.append((sql.count, len(data["providerPaymentIssues"]["edges"])))

    assert counts[0][1] == 1 and counts[1][1] == 12
    assert counts[0][0] == counts[1][0], sql.statements
