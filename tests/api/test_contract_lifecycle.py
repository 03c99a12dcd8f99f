"""The contract lifecycle over GraphQL with the bank-transfer provider: fund, produce, ship, accept, and
the escrow ledger, milestones and payment instructions at every step."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from exchange.worker import run_timers_once
from tests.api.contracts import MILESTONE_SHARES, awarded, contract, fund, operator, settings, step
from tests.api.graphql import GraphQL, make_manufacturer
from tests.clock import FakeClock

__all__ = ["settings"]  # tokens that outlive the timers these tests wait for


async def test_a_contract_runs_from_funding_to_acceptance_with_the_money_following(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    start = await contract(gql, contract_id, buyer.token)
    reference = start["fundingInstructions"]["paymentReference"]

    assert start["status"] == "PENDING_FUNDING"
    assert (start["total"], start["platformFee"], start["manufacturerNet"]) == (
        {"amount": "150000.00"},
        {"amount": "7500.00"},
        {"amount": "142500.00"},
    )
    assert start["fundingInstructions"]["amountDue"] == {"amount": "150000.00", "currency": "RUB"}
    assert start["dueAt"] == (clock.now() + timedelta(days=14)).isoformat()
    assert [(m["name"], m["amount"]["amount"], m["platformFee"]["amount"]) for m in start["milestones"]] == [
        ("first_article", "45000.00", "2250.00"),
        ("acceptance", "105000.00", "5250.00"),
    ]

    # The buyer wires in two parts; the bank's retry of the first changes nothing.
    assert (await fund(gql, ops, reference, clock, "100000", "BANK-1"))["contract"]["status"] == "PENDING_FUNDING"
    assert (await fund(gql, ops, reference, clock, "100000", "BANK-1"))["contract"]["status"] == "PENDING_FUNDING"
    partly = await contract(gql, contract_id, buyer.token)
    assert partly["escrowBalance"] == {"amount": "100000.00"}
    assert partly["fundingInstructions"]["amountDue"]["amount"] == "50000.00"
    assert (await fund(gql, ops, reference.lower(), clock, "50000", "BANK-2"))["contract"]["status"] == "FUNDED"

    for token, name, args, params in [
        (maker.token, "startProduction", "", ""),
        (maker.token, "submitFirstArticle", ', note: "FAI report attached"', ""),
        (buyer.token, "approveFirstArticle", "", ""),
    ]:
        result = (await gql(step(name, args, params), {"id": contract_id}, token=token))[name]
        assert result["__typename"] == "ContractSuccess", result
    after_first_article = await contract(gql, contract_id, maker.token)
    assert after_first_article["escrowBalance"] == {"amount": "105000.00"}
    assert [(p["kind"], p["amount"]["amount"]) for p in after_first_article["paymentInstructions"]] == [
        ("payout", "42750.00")
    ]

    shipped = await gql(
        step("ship", ", trackingReference: $t", ", $t: String!"), {"id": contract_id, "t": "CDEK 1234567"}, maker.token
    )
    delivered = await gql(step("confirmDelivery"), {"id": contract_id}, token=buyer.token)
    inspection = await contract(gql, contract_id, buyer.token)
    accepted = await gql(step("acceptDelivery"), {"id": contract_id}, token=buyer.token)

    assert shipped["ship"]["contract"]["status"] == "SHIPPED"
    assert delivered["confirmDelivery"]["contract"]["status"] == "INSPECTION"
    assert inspection["dueAt"] == (clock.now() + timedelta(days=7)).isoformat()
    assert inspection["trackingReference"] == "CDEK 1234567"
    assert accepted["acceptDelivery"]["contract"]["status"] == "COMPLETED"
    done = await contract(gql, contract_id, buyer.token)
    assert done["escrowBalance"] == {"amount": "0.00"}
    assert done["fundingInstructions"] is None and done["dueAt"] is None
    assert [m["status"] for m in done["milestones"]] == ["released", "released"]
    assert sum(float(p["amount"]["amount"]) for p in done["paymentInstructions"]) == 142500.00
    balances: dict[str, float] = {}
    for line in done["ledgerLines"]:
        balances[line["account"].split(":")[0]] = balances.get(line["account"].split(":")[0], 0) + float(
            line["amount"]["amount"]
        )
    assert balances == {
        "buyer_funding": -150000.0,
        "escrow": 0.0,
        "manufacturer_payable": 142500.0,
        # The fee (7,500.00) is the platform's taxable service: 22 % VAT in it, per milestone's fee line.
        "platform_fees": 6147.54,
        "platform_vat_payable": 1352.46,
    }
    assert [e["transition"] for e in done["events"]] == [
        "award",
        "fund",
        "start_production",
        "submit_first_article",
        "approve_first_article",
        "ship",
        "confirm_delivery",
        "accept",
    ]


async def test_a_dispute_is_resolved_by_an_operator_splitting_escrow(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "BANK-9")
    await gql(step("startProduction"), {"id": contract_id}, token=maker.token)
    await gql(step("ship", ', trackingReference: "TRK"'), {"id": contract_id}, token=maker.token)
    await gql(step("confirmDelivery"), {"id": contract_id}, token=buyer.token)

    disputed = await gql(step("openDispute", ', reason: "20% out of tolerance"'), {"id": contract_id}, buyer.token)
    too_much = await gql(
        step("resolveDispute", ', release: {amount: "150000.01", currency: "RUB"}'), {"id": contract_id}, ops.token
    )
    by_buyer = await gql(
        step("resolveDispute", ', release: {amount: "1", currency: "RUB"}'), {"id": contract_id}, buyer.token
    )
    resolved = await gql(
        step("resolveDispute", ', release: {amount: "120000", currency: "RUB"}'), {"id": contract_id}, ops.token
    )

    assert disputed["openDispute"]["contract"]["status"] == "DISPUTED"
    assert too_much["resolveDispute"]["field"] == "release.amount"
    assert by_buyer["resolveDispute"]["__typename"] == "PermissionDeniedError"
    assert resolved["resolveDispute"]["contract"]["status"] == "COMPLETED"
    done = await contract(gql, contract_id, ops.token)
    assert done["escrowBalance"] == {"amount": "0.00"}
    # 120,000 released across both milestones (45,000 + 75,000), less their 5 % fee; 30,000 back to the buyer.
    assert sorted((p["kind"], p["amount"]["amount"]) for p in done["paymentInstructions"]) == [
        ("payout", "42750.00"),
        ("payout", "71250.00"),
        ("refund", "30000.00"),
    ]
    # The first article was never approved, yet its share was paid out; acceptance was paid in part and refunded in
    # part: each milestone says so, with the amounts.
    shares = await gql(MILESTONE_SHARES, {"id": contract_id}, token=buyer.token)
    assert shares["node"]["milestones"] == [
        {
            "name": "first_article",
            "status": "released",
            "released": {"amount": "45000.00"},
            "refunded": {"amount": "0.00"},
        },
        {
            "name": "acceptance",
            "status": "partly_released",
            "released": {"amount": "75000.00"},
            "refunded": {"amount": "30000.00"},
        },
    ]


async def test_refused_steps_change_nothing(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    stranger = await make_manufacturer(gql, clock)
    before = await contract(gql, contract_id, buyer.token)

    early = await gql(step("startProduction"), {"id": contract_id}, token=maker.token)
    wrong_side = await gql(step("confirmDelivery"), {"id": contract_id}, token=maker.token)
    outsider = await gql(step("cancelContract", ', reason: "x"'), {"id": contract_id}, token=stranger.token)
    no_reason = await gql(step("cancelContract", ', reason: " "'), {"id": contract_id}, token=buyer.token)
    not_operator = await fund(gql, buyer, before["fundingInstructions"]["paymentReference"], clock, "1", "B-1")

    assert early["startProduction"]["__typename"] == "InvalidStateError"
    assert early["startProduction"]["code"] == "INVALID_TRANSITION"
    assert wrong_side["confirmDelivery"]["__typename"] == "PermissionDeniedError"
    assert outsider["cancelContract"] == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
        "message": "contract not found",
        "field": "contractId",
    }
    assert no_reason["cancelContract"]["field"] == "reason"
    assert not_operator["__typename"] == "PermissionDeniedError"
    assert await contract(gql, contract_id, buyer.token) == before


async def test_cancelling_a_funded_contract_takes_an_operator_and_refunds_escrow(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "BANK-5")

    by_buyer = await gql(step("cancelContract", ', reason: "changed our mind"'), {"id": contract_id}, buyer.token)
    by_operator = await gql(step("cancelContract", ', reason: "supplier insolvent"'), {"id": contract_id}, ops.token)

    assert by_buyer["cancelContract"]["__typename"] == "InvalidStateError"
    assert by_buyer["cancelContract"]["message"] == "cannot cancel a funded contract"
    assert by_operator["cancelContract"]["contract"]["status"] == "CANCELLED"
    done = await contract(gql, contract_id, buyer.token)
    assert done["escrowBalance"] == {"amount": "0.00"}
    assert [(p["kind"], p["amount"]["amount"], p["status"]) for p in done["paymentInstructions"]] == [
        ("refund", "150000.00", "pending")
    ]
    instruction = done["paymentInstructions"][0]["id"]
    confirm = """mutation($id: ID!) { confirmPaymentInstruction(id: $id, bankReference: "п/п № 1842") { __typename
      ... on PaymentInstructionSuccess { paymentInstruction { status } } } }"""
    refused = await gql(confirm, {"id": instruction}, token=buyer.token)
    confirmed = await gql(confirm, {"id": instruction}, token=ops.token)
    assert refused["confirmPaymentInstruction"]["__typename"] == "PermissionDeniedError"
    assert confirmed["confirmPaymentInstruction"]["paymentInstruction"] == {"status": "confirmed"}


async def test_timers_expire_unfunded_contracts_and_auto_accept_after_inspection(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, deps: AppDeps
) -> None:
    buyer, _, unfunded = await awarded(gql, clock)
    buyer2, maker2, inspected = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, inspected, buyer2.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "BANK-7")
    await gql(step("startProduction"), {"id": inspected}, token=maker2.token)
    await gql(step("ship", ', trackingReference: "TRK"'), {"id": inspected}, token=maker2.token)

    clock.advance(timedelta(days=10, seconds=1))  # delivery confirmation window: auto-confirm
    first = await run_timers_once(deps)
    clock.advance(timedelta(days=4))  # 14 days after award: the unfunded one expires
    second = await run_timers_once(deps)
    clock.advance(timedelta(days=3))  # 7 days of inspection: auto-accept
    third = await run_timers_once(deps)

    assert [first["contract_timers"], second["contract_timers"], third["contract_timers"]] == [1, 1, 1]
    expired = await contract(gql, unfunded, buyer.token)
    accepted = await contract(gql, inspected, buyer2.token)
    assert expired["status"] == "CANCELLED" and expired["events"][-1]["transition"] == "funding_expired"
    assert accepted["status"] == "COMPLETED"
    assert [e["transition"] for e in accepted["events"]][-2:] == ["confirm_delivery", "auto_accept"]
    assert accepted["escrowBalance"] == {"amount": "0.00"}
