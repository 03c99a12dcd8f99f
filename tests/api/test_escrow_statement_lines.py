"""What the escrow statement names on each line, so that a person recognises it without the payment system's ids:
a bank transfer's number as the bank statement shows it, a card payment as one, and a release's milestone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.contracts import awarded, contract, fund, operator, settings, step
from tests.api.graphql import GraphQL
from tests.clock import FakeClock
from tests.conftest import StatementCounter

__all__ = ["settings"]

LINES = """query($id: ID!) { node(id: $id) { ... on Contract {
  ledgerLines { kind account amount { amount } providerReference milestoneName bankTransactionId cardPayment }
} } }"""


async def escrow_lines(gql: GraphQL, contract_id: str, token: str) -> list[dict[str, object]]:
    lines = (await gql(LINES, {"id": contract_id}, token=token))["node"]["ledgerLines"]
    return [line for line in lines if str(line["account"]).startswith("escrow:")]


async def test_fund_lines_name_the_bank_transaction_and_a_release_its_milestone(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    # The clock moves between postings so that the statement's order (by time) is the order they were made.
    await fund(gql, ops, reference, clock, "100000", "ПП 000123 от банка")
    clock.advance(timedelta(minutes=1))
    await fund(gql, ops, reference, clock, "50000", "BANK-2")
    steps: list[tuple[str, str, str]] = [
        (maker.token, "startProduction", ""),
        (maker.token, "submitFirstArticle", ', note: "FAI report attached"'),
        (buyer.token, "approveFirstArticle", ""),
    ]
    for token, name, args in steps:
        clock.advance(timedelta(minutes=1))
        result = (await gql(step(name, args), {"id": contract_id}, token=token))[name]
        assert result["__typename"] == "ContractSuccess", result

    lines = await escrow_lines(gql, contract_id, buyer.token)
    assert [
        (line["kind"], line["amount"]["amount"], line["bankTransactionId"], line["cardPayment"], line["milestoneName"])  # type: ignore[index]
        for line in lines
    ] == [
        ("fund", "100000.00", "ПП 000123 от банка", False, None),
        ("fund", "50000.00", "BANK-2", False, None),
        ("release", "-45000.00", None, False, "first_article"),
    ]
    # The release's reference is the payment instruction's id: kept for support, not what the statement leads with.
    assert lines[2]["providerReference"] not in ("", None)
    assert await escrow_lines(gql, contract_id, maker.token) == lines

    # The milestone names come from one batched load: a longer statement costs no more SQL statements.
    with sql.counting():
        await gql(LINES, {"id": contract_id}, token=buyer.token)
    before = sql.count
    shipped = await gql(
        step("ship", ", trackingReference: $t", ", $t: String!"), {"id": contract_id, "t": "CDEK 1"}, maker.token
    )
    assert shipped["ship"]["__typename"] == "ContractSuccess", shipped
    for name in ("confirmDelivery", "acceptDelivery"):
        result = (await gql(step(name), {"id": contract_id}, token=buyer.token))[name]
        assert result["__typename"] == "ContractSuccess", result
    with sql.counting():
        done = await gql(LINES, {"id": contract_id}, token=buyer.token)
    assert sql.count == before
    releases = [line for line in done["node"]["ledgerLines"] if line["kind"] == "release"]
    assert {line["milestoneName"] for line in releases} == {"first_article", "acceptance"}
