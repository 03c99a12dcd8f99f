"""The operator's console over GraphQL: the exchange at a glance, the verification queue, bank transfers by
payment reference, payment instructions across contracts, disputes and the settlement preview. Operators
only: anyone else gets null (queries) or PermissionDeniedError, and nothing changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.api.contracts import awarded, contract, fund, operator, settings, step
from tests.api.graphql import GraphQL, Party, make_manufacturer, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

__all__ = ["settings"]  # the lifecycle tests' long-lived tokens

OVERVIEW = """{ exchangeOverview {
  ordersByStatus { status count } contractsByStatus { status count }
  escrowHeld { amount currency } feesEarned { amount currency }
  outbox { topic pending failing oldestPendingAt lastRelayedAt }
  failingOutboxMessages { topic key attempts lastError }
  users organisations unverifiedOrganisations pendingPaymentInstructions
} }"""

QUEUE = """query($first: Int!, $after: String) { verificationQueue(first: $first, after: $after) {
  edges { node { id name legalId verified members { user { email } } certifications { standard } } }
  pageInfo { hasNextPage endCursor }
} }"""

BY_REFERENCE = """query($ref: String!) { contractByPaymentReference(paymentReference: $ref) {
  contract { id status } amountDue { amount } received { amount } remaining { amount }
  transfers { bankTransactionId amount { amount currency } receivedOn }
} }"""

INSTRUCTIONS = """query($status: PaymentInstructionStatus!, $first: Int!) {
  paymentInstructions(status: $status, first: $first) {
    edges { node {
      instruction { id kind amount { amount } status }
      beneficiary { name legalId } contract { id status buyer { name } manufacturer { name } }
    } }
  }
}"""

PREVIEW = """query($id: ID!, $amount: Decimal!) {
  settlementPreview(contractId: $id, release: {amount: $amount, currency: "RUB"}) {
    __typename
    ... on SettlementPreview {
      escrowHeld { amount } release { amount } platformFee { amount } manufacturerNet { amount }
      buyerRefund { amount }
    }
    ... on UserError { code message field }
  }
}"""

DISPUTED = "{ disputedContracts(first: 10) { edges { node { id status } } } }"

CONFIRM = """mutation($id: ID!) { confirmPaymentInstruction(id: $id, bankReference: "п/п № 1842") {
  __typename ... on PaymentInstructionSuccess { paymentInstruction { status } } ... on UserError { code }
} }"""


async def _disputed(gql: GraphQL, clock: FakeClock, ops: Party) -> tuple[Party, Party, str]:
    """A 150,000.00 RUB contract, funded by wire, shipped, delivered and disputed by the buyer."""
    buyer, maker, contract_id = await awarded(gql, clock)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", f"BANK-{contract_id[-6:]}")
    await gql(step("startProduction"), {"id": contract_id}, token=maker.token)
    await gql(step("ship", ', trackingReference: "TRK"'), {"id": contract_id}, token=maker.token)
    await gql(step("confirmDelivery"), {"id": contract_id}, token=buyer.token)
    await gql(step("openDispute", ', reason: "out of tolerance"'), {"id": contract_id}, token=buyer.token)
    return buyer, maker, contract_id


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["status"]: row["count"] for row in rows if row["count"]}


async def test_the_exchange_at_a_glance_adds_up_orders_contracts_money_and_the_outbox(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    ops = await operator(gql, engine)
    _, _, disputed_id = await _disputed(gql, clock, ops)
    buyer, _, pending_id = await awarded(gql, clock)
    reference = (await contract(gql, pending_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "40000", "BANK-PART")
    await gql(step("resolveDispute", ', release: {amount: "120000", currency: "RUB"}'), {"id": disputed_id}, ops.token)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE outbox SET done_at = now()"))
        await conn.execute(
            text(
                "INSERT INTO outbox (topic, key, created_at, attempts, next_attempt_at, last_error) "
                "VALUES ('order', 'k-1', now(), 4, now(), 'meilisearch: 503')"
            )
        )

    with sql.counting() as counter:
        overview = (await gql(OVERVIEW, token=ops.token))["exchangeOverview"]
    by_buyer = await gql(OVERVIEW, token=buyer.token)
    anonymous = await gql(OVERVIEW)

    assert _counts(overview["ordersByStatus"]) == {"AWARDED": 2}
    assert _counts(overview["contractsByStatus"]) == {"COMPLETED": 1, "PENDING_FUNDING": 1}
    assert overview["escrowHeld"] == [{"amount": "40000.00", "currency": "RUB"}]
    # 120,000 released out of 45,000 + 105,000 at 5 %: 2,250 + 75,000/105,000 of 5,250 = 3,750.
    assert overview["feesEarned"] == [{"amount": "6000.00", "currency": "RUB"}]
    order_topic = next(t for t in overview["outbox"] if t["topic"] == "order")
    assert (order_topic["pending"], order_topic["failing"]) == (1, 1)
    assert order_topic["oldestPendingAt"] is not None and order_topic["lastRelayedAt"] is not None
    assert overview["failingOutboxMessages"] == [
        {"topic": "order", "key": "k-1", "attempts": 4, "lastError": "meilisearch: 503"}
    ]
    assert (overview["users"], overview["organisations"], overview["unverifiedOrganisations"]) == (5, 5, 5)
    assert overview["pendingPaymentInstructions"] == 3  # two payouts and the refund
    assert counter.count <= 7
    assert by_buyer == {"exchangeOverview": None} and anonymous == {"exchangeOverview": None}


async def test_the_verification_queue_lists_unverified_organisations_newest_first_until_verified(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    clock.advance(timedelta(minutes=1))
    first = await sign_up(gql, kind="MANUFACTURER", name="Первый завод")
    clock.advance(timedelta(minutes=1))
    second = await sign_up(gql, kind="BUYER", name="Второй покупатель")
    clock.advance(timedelta(minutes=1))
    third = await sign_up(gql, kind="BOTH", name="Третий")

    page_one = (await gql(QUEUE, {"first": 2}, ops.token))["verificationQueue"]
    page_two = await gql(QUEUE, {"first": 2, "after": page_one["pageInfo"]["endCursor"]}, ops.token)
    names = [e["node"]["name"] for e in page_one["edges"] + page_two["verificationQueue"]["edges"]]
    refused = await gql(
        "mutation($id: ID!) { verifyOrganisation(id: $id) { __typename } }", {"id": first.organisation_id}, third.token
    )
    after_refusal = (await gql(QUEUE, {"first": 10}, ops.token))["verificationQueue"]
    verified = await gql(
        "mutation($id: ID!) { verifyOrganisation(id: $id) { __typename } }", {"id": second.organisation_id}, ops.token
    )
    after = (await gql(QUEUE, {"first": 10}, ops.token))["verificationQueue"]

    assert names[:3] == ["Третий", "Второй покупатель", "Первый завод"]
    assert page_one["pageInfo"]["hasNextPage"] is True
    assert page_one["edges"][0]["node"]["members"] == [{"user": {"email": third.email}}]
    assert refused["verifyOrganisation"]["__typename"] == "PermissionDeniedError"
    assert [e["node"]["id"] for e in after_refusal["edges"]][:3] == [
        third.organisation_id,
        second.organisation_id,
        first.organisation_id,
    ]
    assert verified["verifyOrganisation"]["__typename"] == "OrganisationSuccess"
    assert second.organisation_id not in [e["node"]["id"] for e in after["edges"]]
    assert (await gql(QUEUE, {"first": 10}, first.token)) == {"verificationQueue": None}


async def test_a_contract_is_found_by_its_payment_reference_and_part_payments_add_up_to_funded(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    buyer, _, contract_id = await awarded(gql, clock)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    as_bank_wrote_it = reference.lower().replace("-", " ")

    before = (await gql(BY_REFERENCE, {"ref": as_bank_wrote_it}, ops.token))["contractByPaymentReference"]
    first = await fund(gql, ops, as_bank_wrote_it, clock, "60000", "BANK-A")
    partly = (await gql(BY_REFERENCE, {"ref": reference}, ops.token))["contractByPaymentReference"]
    too_much = await fund(gql, ops, reference, clock, "90000.01", "BANK-B")
    unchanged = (await gql(BY_REFERENCE, {"ref": reference}, ops.token))["contractByPaymentReference"]
    clock.advance(timedelta(days=1))
    await fund(gql, ops, reference, clock, "90000", "BANK-C")
    funded = (await gql(BY_REFERENCE, {"ref": reference}, ops.token))["contractByPaymentReference"]

    assert before["contract"] == {"id": contract_id, "status": "PENDING_FUNDING"}
    assert (before["amountDue"], before["received"], before["remaining"]) == (
        {"amount": "150000.00"},
        {"amount": "0.00"},
        {"amount": "150000.00"},
    )
    assert first["contract"]["status"] == "PENDING_FUNDING"
    assert (partly["received"], partly["remaining"]) == ({"amount": "60000.00"}, {"amount": "90000.00"})
    assert too_much["field"] == "amount.amount"
    assert unchanged == partly
    assert funded["contract"]["status"] == "FUNDED"
    assert (funded["received"], funded["remaining"]) == ({"amount": "150000.00"}, {"amount": "0.00"})
    assert [(t["bankTransactionId"], t["amount"]["amount"]) for t in funded["transfers"]] == [
        ("BANK-A", "60000.00"),
        ("BANK-C", "90000.00"),
    ]
    assert (await gql(BY_REFERENCE, {"ref": "CPX-NOPE0-NOPE0"}, ops.token)) == {"contractByPaymentReference": None}
    assert (await gql(BY_REFERENCE, {"ref": reference}, buyer.token)) == {"contractByPaymentReference": None}


async def test_payment_instructions_are_listed_across_contracts_and_confirmed_by_operators_only(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    ops = await operator(gql, engine)
    buyer, maker, contract_id = await _disputed(gql, clock, ops)
    await gql(step("resolveDispute", ', release: {amount: "45000", currency: "RUB"}'), {"id": contract_id}, ops.token)

    with sql.counting() as one_contract:
        pending = (await gql(INSTRUCTIONS, {"status": "PENDING", "first": 20}, ops.token))["paymentInstructions"]
    nodes = [e["node"] for e in pending["edges"]]
    payout = next(n for n in nodes if n["instruction"]["kind"] == "payout")
    by_maker = await gql(CONFIRM, {"id": payout["instruction"]["id"]}, maker.token)
    still_pending = (await gql(INSTRUCTIONS, {"status": "PENDING", "first": 20}, ops.token))["paymentInstructions"]
    confirmed = await gql(CONFIRM, {"id": payout["instruction"]["id"]}, ops.token)
    done = (await gql(INSTRUCTIONS, {"status": "CONFIRMED", "first": 20}, ops.token))["paymentInstructions"]
    for _ in range(2):
        await _disputed(gql, clock, ops)
    more_id = (await gql(DISPUTED, token=ops.token))["disputedContracts"]["edges"][0]["node"]["id"]
    await gql(step("resolveDispute", ', release: {amount: "1000", currency: "RUB"}'), {"id": more_id}, ops.token)
    with sql.counting() as more_contracts:
        more = (await gql(INSTRUCTIONS, {"status": "PENDING", "first": 20}, ops.token))["paymentInstructions"]

    assert sorted((n["instruction"]["kind"], n["instruction"]["amount"]["amount"]) for n in nodes) == [
        ("payout", "42750.00"),
        ("refund", "105000.00"),
    ]
    refund = next(n for n in nodes if n["instruction"]["kind"] == "refund")
    assert payout["beneficiary"]["name"] == payout["contract"]["manufacturer"]["name"]
    assert refund["beneficiary"]["name"] == refund["contract"]["buyer"]["name"]
    assert payout["contract"] == {**payout["contract"], "id": contract_id, "status": "COMPLETED"}
    assert by_maker["confirmPaymentInstruction"]["__typename"] == "PermissionDeniedError"
    assert still_pending == pending
    assert confirmed["confirmPaymentInstruction"]["paymentInstruction"] == {"status": "confirmed"}
    assert [e["node"]["instruction"]["id"] for e in done["edges"]] == [payout["instruction"]["id"]]
    assert len(more["edges"]) == 3
    assert more_contracts.count == one_contract.count
    assert (await gql(INSTRUCTIONS, {"status": "PENDING", "first": 20}, buyer.token)) == {"paymentInstructions": None}


async def test_the_settlement_preview_shows_what_resolving_then_moves(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    buyer, maker, contract_id = await _disputed(gql, clock, ops)
    before = await contract(gql, contract_id, ops.token)

    listed = (await gql(DISPUTED, token=ops.token))["disputedContracts"]["edges"]
    preview = (await gql(PREVIEW, {"id": contract_id, "amount": "120000"}, ops.token))["settlementPreview"]
    too_much = (await gql(PREVIEW, {"id": contract_id, "amount": "150000.01"}, ops.token))["settlementPreview"]
    resolve_too_much = await gql(
        step("resolveDispute", ', release: {amount: "150000.01", currency: "RUB"}'), {"id": contract_id}, ops.token
    )
    by_buyer = (await gql(PREVIEW, {"id": contract_id, "amount": "1"}, buyer.token))["settlementPreview"]
    after_previews = await contract(gql, contract_id, ops.token)
    await gql(step("resolveDispute", ', release: {amount: "120000", currency: "RUB"}'), {"id": contract_id}, ops.token)
    done = await contract(gql, contract_id, maker.token)
    on_completed = (await gql(PREVIEW, {"id": contract_id, "amount": "0"}, ops.token))["settlementPreview"]

    assert [e["node"]["id"] for e in listed] == [contract_id]
    assert preview == {
        "__typename": "SettlementPreview",
        "escrowHeld": {"amount": "150000.00"},
        "release": {"amount": "120000.00"},
        "platformFee": {"amount": "6000.00"},
        "manufacturerNet": {"amount": "114000.00"},
        "buyerRefund": {"amount": "30000.00"},
    }
    assert too_much == {**resolve_too_much["resolveDispute"], "__typename": "ValidationError"}
    assert too_much["field"] == "release.amount"
    assert by_buyer["__typename"] == "PermissionDeniedError"
    assert after_previews == before
    payouts = sum(float(p["amount"]["amount"]) for p in done["paymentInstructions"] if p["kind"] == "payout")
    refunds = sum(float(p["amount"]["amount"]) for p in done["paymentInstructions"] if p["kind"] == "refund")
    assert (payouts, refunds) == (114000.00, 30000.00)
    assert on_completed["__typename"] == "InvalidStateError"
    assert (await gql(DISPUTED, token=buyer.token)) == {"disputedContracts": None}


async def test_a_wire_dated_by_a_bank_east_of_utc_is_today_not_the_future(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    buyer, _, contract_id = await awarded(gql, clock)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    clock.set(clock.now().replace(hour=22, minute=30))  # 01:30 the next day in Moscow
    moscow_today = (clock.now() + timedelta(hours=3)).date().isoformat()
    day_after = (clock.now() + timedelta(days=2)).date().isoformat()

    future = await gql(
        RECORD_ON, {"ref": reference, "txn": "B-FUTURE", "on": day_after, "amount": "1000"}, token=ops.token
    )
    unchanged = (await gql(BY_REFERENCE, {"ref": reference}, ops.token))["contractByPaymentReference"]
    today = await gql(RECORD_ON, {"ref": reference, "txn": "B-MSK", "on": moscow_today, "amount": "1000"}, ops.token)

    assert (future["recordBankTransfer"]["__typename"], future["recordBankTransfer"]["field"]) == (
        "ValidationError",
        "receivedOn",
    )
    # The latest date a bank anywhere (UTC+14) can have written on it: the refusal says it.
    latest = (clock.now() + timedelta(hours=14)).date().isoformat()
    assert future["recordBankTransfer"]["dateLimits"] == {"latest": latest}
    assert unchanged["transfers"] == [] and unchanged["received"] == {"amount": "0.00"}
    assert today["recordBankTransfer"]["__typename"] == "ContractSuccess"


RECORD_ON = """mutation($ref: String!, $txn: String!, $amount: Decimal!, $on: Date!) {
  recordBankTransfer(paymentReference: $ref, bankTransactionId: $txn, amount: {amount: $amount, currency: "RUB"},
    receivedOn: $on) { __typename ... on UserError { code field } ... on ValidationError { dateLimits { latest } } }
}"""


CERTIFICATES = """{ certificatesToCheck(first: 20) { edges { node {
  certification { id standard certificateNumber verified } organisation { id name }
} } } }"""

VERIFY_CERTIFICATE = """mutation($id: ID!, $verified: Boolean!) { verifyCertification(id: $id, verified: $verified) {
  __typename ... on CertificationSuccess { certification { verified verifiedAt } } ... on UserError { code field }
} }"""

SET_CERTIFICATE = """mutation($input: CertificationInput!) { setCertification(input: $input) { __typename } }"""


async def test_certificates_wait_for_a_check_until_an_operator_verifies_them_and_a_renewal_waits_again(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    maker = await make_manufacturer(gql, clock, certifications=("ISO_9001", "AS9100"))
    queue = (await gql(CERTIFICATES, token=ops.token))["certificatesToCheck"]["edges"]
    iso = next(e["node"] for e in queue if e["node"]["certification"]["standard"] == "ISO_9001")
    certificate_id = iso["certification"]["id"]

    by_maker = await gql(VERIFY_CERTIFICATE, {"id": certificate_id, "verified": True}, maker.token)
    after_refusal = (await gql(CERTIFICATES, token=ops.token))["certificatesToCheck"]["edges"]
    verified = await gql(VERIFY_CERTIFICATE, {"id": certificate_id, "verified": True}, ops.token)
    after = (await gql(CERTIFICATES, token=ops.token))["certificatesToCheck"]["edges"]
    public = await gql(
        "query($id: ID!) { organisation(id: $id) { certifications { standard verified } } }",
        {"id": maker.organisation_id},
    )
    renewal = {
        "organisationId": maker.organisation_id,
        "standard": "ISO_9001",
        "certificateNumber": "RU-NEW-2",
        "validUntil": (clock.now().date() + timedelta(days=700)).isoformat(),
    }
    await gql(SET_CERTIFICATE, {"input": renewal}, maker.token)
    after_renewal = (await gql(CERTIFICATES, token=ops.token))["certificatesToCheck"]["edges"]

    assert {e["node"]["certification"]["standard"] for e in queue} == {"ISO_9001", "AS9100"}
    assert iso["organisation"]["id"] == maker.organisation_id
    assert by_maker["verifyCertification"]["__typename"] == "PermissionDeniedError"
    assert after_refusal == queue
    assert verified["verifyCertification"]["certification"]["verified"] is True
    assert [e["node"]["certification"]["standard"] for e in after] == ["AS9100"]
    assert sorted((c["standard"], c["verified"]) for c in public["organisation"]["certifications"]) == [
        ("AS9100", False),
        ("ISO_9001", True),
    ]
    assert {e["node"]["certification"]["certificateNumber"] for e in after_renewal} >= {"RU-NEW-2"}
    assert (await gql(CERTIFICATES, token=maker.token)) == {"certificatesToCheck": None}


DISPUTED_WITH_PARTIES = """{ disputedContracts(first: 20) { edges { node {
  id total { amount } escrowBalance { amount } order { title } buyer { name } manufacturer { name }
} } } }"""

QUEUE_WITH_DETAILS = """{ verificationQueue(first: 50) { edges { node {
  id name legalId members { role user { email } } certifications { standard verified }
} } } certificatesToCheck(first: 50) { edges { node { certification { id } organisation { name } } } } }"""


async def test_the_operator_lists_run_as_many_statements_for_one_row_as_for_many(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    ops = await operator(gql, engine)
    await _disputed(gql, clock, ops)
    with sql.counting() as one_dispute:
        one = (await gql(DISPUTED_WITH_PARTIES, token=ops.token))["disputedContracts"]["edges"]
    with sql.counting() as few_organisations:
        await gql(QUEUE_WITH_DETAILS, token=ops.token)
    for _ in range(2):
        await _disputed(gql, clock, ops)
        await make_manufacturer(gql, clock)
    with sql.counting() as three_disputes:
        three = (await gql(DISPUTED_WITH_PARTIES, token=ops.token))["disputedContracts"]["edges"]
    with sql.counting() as more_organisations:
        queue = await gql(QUEUE_WITH_DETAILS, token=ops.token)

    assert (len(one), len(three)) == (1, 3)
    assert three_disputes.count == one_dispute.count
    assert len(queue["verificationQueue"]["edges"]) == 9 and len(queue["certificatesToCheck"]["edges"]) == 5
    assert more_organisations.count == few_organisations.count


INVALID_QUEUE = """query($verified: Boolean!) {
  verificationQueue(first: 10, verified: $verified, invalidLegalId: true) {
    edges { node { name legalId legalIdKind legalIdValid } }
  }
}"""

OWN_ORGANISATION = """query($id: ID!) { organisation(id: $id) { legalId legalIdKind legalIdValid } }"""


async def test_organisations_holding_an_id_that_fails_todays_check_are_flagged_and_listed_for_the_operator(
    gql: GraphQL, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    good = await sign_up(gql, kind="BUYER", name="Верный ИНН")
    old = await sign_up(gql, kind="BUYER", name="Старый ИНН")
    verified_old = await sign_up(gql, kind="MANUFACTURER", name="Проверенный, старый ИНН")
    async with engine.begin() as conn:
        # Signed up before the ИНН check: what the old rule (any 4 to 32 letters and digits) let through.
        await conn.execute(
            text("UPDATE organisation SET legal_id = :legal_id, verified = :verified WHERE id = :id"),
            [
                {
                    "legal_id": "7700000001",
                    "verified": False,
                    "id": relay.GlobalID.from_id(old.organisation_id).node_id,
                },
                {
                    "legal_id": "OGRN-1027700132195",
                    "verified": True,
                    "id": relay.GlobalID.from_id(verified_old.organisation_id).node_id,
                },
            ],
        )

    unverified = (await gql(INVALID_QUEUE, {"verified": False}, ops.token))["verificationQueue"]
    verified = (await gql(INVALID_QUEUE, {"verified": True}, ops.token))["verificationQueue"]
    own_good = (await gql(OWN_ORGANISATION, {"id": good.organisation_id}, good.token))["organisation"]
    own_old = (await gql(OWN_ORGANISATION, {"id": old.organisation_id}, old.token))["organisation"]
    anyone_else = await gql(INVALID_QUEUE, {"verified": False}, good.token)

    assert unverified["edges"] == [
        {"node": {"name": "Старый ИНН", "legalId": "7700000001", "legalIdKind": "INN", "legalIdValid": False}}
    ]
    assert [e["node"]["name"] for e in verified["edges"]] == ["Проверенный, старый ИНН"]
    assert own_good["legalIdValid"] is True and own_good["legalIdKind"] == "INN"
    assert own_old == {"legalId": "7700000001", "legalIdKind": "INN", "legalIdValid": False}
    assert anyone_else == {"verificationQueue": None}
