"""VAT through the API, to the kopeck: a VAT-paying buyer, a manufacturer charging VAT at the general rate and one
on the simplified system without VAT bid on the same order; the contract's amounts, milestones, fee, escrow due,
ledger (summing to zero, the fee's VAT on its own account) and the operators' fee report."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.contracts import fund, operator, step
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.taxes import BIDS, NO_VAT, SET_STATUS, TAXED, declare, taxed
from tests.clock import FakeClock
from tests.conftest import StatementCounter

CONTRACT = f"""query($id: ID!) {{ node(id: $id) {{ ... on Contract {{
  vatTreatment total {{ amount }} totalTaxed {TAXED} platformFeeTaxed {TAXED} manufacturerNetTaxed {TAXED}
  escrowDueTaxed {TAXED} fundingInstructions {{ paymentReference amountDueTaxed {TAXED} }}
  milestones {{ name amountTaxed {TAXED} platformFeeTaxed {TAXED} manufacturerNetTaxed {TAXED} }}
  ledgerLines {{ kind account amount {{ amount }} }}
}} }} }}"""
CHECK_STATUS = """mutation($id: ID!) { checkTaxStatus(id: $id) {
  __typename ... on OrganisationSuccess { organisation { taxStatus taxStatusCheckedAt } }
  ... on UserError { code field message } } }"""
REPORT = """query($since: Date!, $until: Date!) { platformFeeReport(since: $since, until: $until) {
  __typename ... on PlatformFeeReport { months { month net { amount currency } vat { amount } gross { amount }
  releases } totals { currency net { amount } vat { amount } gross { amount } releases } }
  ... on UserError { code field } } }"""


async def order_with_two_bids(gql: GraphQL, clock: FakeClock) -> tuple[Party, Party, Party, str, dict[str, Any]]:
    buyer = await sign_up(gql, kind="BUYER")
    await declare(gql, buyer, "VAT_GENERAL")
    vat_payer = await make_manufacturer(gql, clock)
    await declare(gql, vat_payer, "VAT_GENERAL")
    simplified = await make_manufacturer(gql, clock)
    await declare(gql, simplified, NO_VAT)
    order_id = await create_order(gql, buyer, clock)
    tooling = {"amount": "1000.01", "currency": "RUB"}
    await place_bid(gql, vat_payer, order_id, clock, unit_price="300.00", tooling=tooling)  # 151,000.01 gross
    await place_bid(gql, simplified, order_id, clock, unit_price="290.00")  # 145,000.00, no VAT
    data = await gql(BIDS, {"id": order_id}, token=buyer.token)
    bids = {edge["node"]["manufacturer"]["id"]: edge["node"] for edge in data["node"]["bids"]["edges"]}
    assert data["node"]["budget"] == {"includesVat": True}
    return buyer, vat_payer, simplified, order_id, bids


async def test_bids_state_their_vat_from_the_bidders_tax_status(gql: GraphQL, clock: FakeClock) -> None:
    _, vat_payer, simplified, _, bids = await order_with_two_bids(gql, clock)

    charging = bids[vat_payer.organisation_id]
    # Per line, half up: parts 150,000.00 hold 27,049.18; tooling 1,000.01 holds 180.33.
    assert charging["vatTreatment"] == "VAT"
    assert charging["totalTaxed"] == taxed("123770.50", "27229.51", "151000.01", "22.00", "VAT")
    assert charging["total"] == {"amount": "151000.01"}  # the existing field is the gross
    # The fee (5 % of gross: 7,550.00) is the platform's service with 22 % VAT, per milestone line (2,265 + 5,285).
    assert charging["platformFeeTaxed"] == taxed("6188.53", "1361.47", "7550.00", "22.00", "VAT")
    assert charging["manufacturerNetTaxed"] == taxed("116220.50", "27229.51", "143450.01", "22.00", "VAT")

    without = bids[simplified.organisation_id]
    assert without["vatTreatment"] == NO_VAT
    assert without["manufacturer"]["taxStatus"] == NO_VAT
    assert without["totalTaxed"] == taxed("145000.00", "0.00", "145000.00", None, NO_VAT)
    # Per milestone line: 2,175.00 holds 392.21 and 5,075.00 holds 915.16 (one line of 7,250.00 would hold 1,307.38).
    assert without["platformFeeTaxed"] == taxed("5942.63", "1307.37", "7250.00", "22.00", "VAT")


async def test_a_vat_payers_contract_is_right_to_the_kopeck_and_the_ledger_sums_to_zero(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, vat_payer, simplified, _, bids = await order_with_two_bids(gql, clock)
    ops = await operator(gql, engine)
    award = await gql(
        """mutation($id: ID!) { awardBid(bidId: $id) { __typename ... on AwardBidSuccess { contract { id } }
             ... on UserError { code message } } }""",
        {"id": bids[vat_payer.organisation_id]["id"]},
        token=buyer.token,
    )
    contract_id = award["awardBid"]["contract"]["id"]
    start = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]

    total = taxed("123770.50", "27229.51", "151000.01", "22.00", "VAT")
    assert start["vatTreatment"] == "VAT"
    assert start["totalTaxed"] == total
    assert start["escrowDueTaxed"] == total
    assert start["fundingInstructions"]["amountDueTaxed"] == total
    assert start["platformFeeTaxed"] == taxed("6188.53", "1361.47", "7550.00", "22.00", "VAT")
    assert start["manufacturerNetTaxed"] == taxed("116220.50", "27229.51", "143450.01", "22.00", "VAT")
    # 30 % on first article: 45,300.00 with its own VAT (8,168.85); acceptance takes the rest of the VAT.
    assert [(m["name"], m["amountTaxed"], m["platformFeeTaxed"]) for m in start["milestones"]] == [
        (
            "first_article",
            taxed("37131.15", "8168.85", "45300.00", "22.00", "VAT"),
            taxed("1856.56", "408.44", "2265.00", "22.00", "VAT"),
        ),
        (
            "acceptance",
            taxed("86639.35", "19060.66", "105700.01", "22.00", "VAT"),
            taxed("4331.97", "953.03", "5285.00", "22.00", "VAT"),
        ),
    ]
    assert start["milestones"][1]["manufacturerNetTaxed"] == taxed("81354.35", "19060.66", "100415.01", "22.00", "VAT")

    # Part paid: what is still due, with its VAT as one line.
    reference = start["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "100000", "BANK-1")
    partly = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]
    assert partly["escrowDueTaxed"] == taxed("41803.29", "9196.72", "51000.01", "22.00", "VAT")
    await fund(gql, ops, reference, clock, "51000.01", "BANK-2")

    for token, name, args, params in [
        (vat_payer.token, "startProduction", "", ""),
        (vat_payer.token, "submitFirstArticle", ', note: "FAI"', ""),
        (buyer.token, "approveFirstArticle", "", ""),
        (vat_payer.token, "ship", ', trackingReference: "CDEK 1"', ""),
        (buyer.token, "confirmDelivery", "", ""),
        (buyer.token, "acceptDelivery", "", ""),
    ]:
        result = (await gql(step(name, args, params), {"id": contract_id}, token=token))[name]
        assert result["__typename"] == "ContractSuccess", result
    done = (await gql(CONTRACT, {"id": contract_id}, token=buyer.token))["node"]

    balances: dict[str, Decimal] = defaultdict(Decimal)
    for line in done["ledgerLines"]:
        balances[line["account"].split(":")[0]] += Decimal(line["amount"]["amount"])
    assert balances == {
        "buyer_funding": Decimal("-151000.01"),
        "escrow": Decimal("0.00"),
        "manufacturer_payable": Decimal("143450.01"),
        "platform_fees": Decimal("6188.53"),
        "platform_vat_payable": Decimal("1361.47"),
    }
    assert sum(balances.values()) == 0
    assert done["escrowDueTaxed"] == taxed("0.00", "0.00", "0.00", "22.00", "VAT")

    report = (await gql(REPORT, {"since": "2027-01-01", "until": "2028-01-01"}, token=ops.token))["platformFeeReport"]
    assert report["months"] == [
        {
            "month": "2027-03-01",
            "net": {"amount": "6188.53", "currency": "RUB"},
            "vat": {"amount": "1361.47"},
            "gross": {"amount": "7550.00"},
            "releases": 2,
        }
    ]
    assert report["totals"] == [
        {
            "currency": "RUB",
            "net": {"amount": "6188.53"},
            "vat": {"amount": "1361.47"},
            "gross": {"amount": "7550.00"},
            "releases": 2,
        }
    ]
    # The losing simplified bidder's feedback says it compared gross prices.
    lost = await gql(
        """query($id: ID!) { node(id: $id) { ... on Bid { status feedback { priceBand priceBasis } } } }""",
        {"id": bids[simplified.organisation_id]["id"]},
        token=simplified.token,
    )
    assert lost["node"]["feedback"] == {"priceBand": "BELOW_WINNER", "priceBasis": "GROSS"}


async def test_a_simplified_sellers_contract_carries_no_vat_but_the_fee_does(gql: GraphQL, clock: FakeClock) -> None:
    buyer, _, simplified, _, bids = await order_with_two_bids(gql, clock)
    award = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
        {"id": bids[simplified.organisation_id]["id"]},
        token=buyer.token,
    )
    contract_id = award["awardBid"]["contract"]["id"]
    start = (await gql(CONTRACT, {"id": contract_id}, token=simplified.token))["node"]

    assert start["vatTreatment"] == NO_VAT
    assert start["totalTaxed"] == taxed("145000.00", "0.00", "145000.00", None, NO_VAT)
    assert start["platformFeeTaxed"] == taxed("5942.63", "1307.37", "7250.00", "22.00", "VAT")
    assert start["manufacturerNetTaxed"] == taxed("137750.00", "0.00", "137750.00", None, NO_VAT)
    assert [m["amountTaxed"]["vat"] for m in start["milestones"]] == [{"amount": "0.00"}, {"amount": "0.00"}]


async def test_a_tax_status_is_declared_by_admins_and_checked_by_operators(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    maker = await make_manufacturer(gql, clock)
    stranger = await sign_up(gql, kind="BUYER")
    ops = await operator(gql, engine)

    refused = await gql(SET_STATUS, {"id": maker.organisation_id, "s": "EXEMPT"}, token=stranger.token)
    too_early = await gql(CHECK_STATUS, {"id": maker.organisation_id}, token=ops.token)
    assert refused["setTaxStatus"]["__typename"] == "PermissionDeniedError"
    assert too_early["checkTaxStatus"]["__typename"] == "ValidationError"
    assert await _tax_status(engine, maker) == ("not_stated", None)  # neither refusal changed anything

    await declare(gql, maker, "SIMPLIFIED_VAT_5")
    queue = await gql("{ taxStatusesToCheck(first: 10) { edges { node { id taxStatus } } } }", token=ops.token)
    assert {"id": maker.organisation_id, "taxStatus": "SIMPLIFIED_VAT_5"} in [
        edge["node"] for edge in queue["taxStatusesToCheck"]["edges"]
    ]
    not_operator = await gql(CHECK_STATUS, {"id": maker.organisation_id}, token=maker.token)
    assert not_operator["checkTaxStatus"]["__typename"] == "PermissionDeniedError"
    assert await _tax_status(engine, maker) == ("simplified_vat_5", None)  # a member cannot check its own
    checked = await gql(CHECK_STATUS, {"id": maker.organisation_id}, token=ops.token)
    assert checked["checkTaxStatus"]["organisation"]["taxStatusCheckedAt"] == clock.now().isoformat()

    # A new declaration waits for a new check; bids placed from now on carry 5 % VAT.
    await declare(gql, maker, "SIMPLIFIED_VAT_7")
    again = await gql(SET_STATUS, {"id": maker.organisation_id, "s": "SIMPLIFIED_VAT_7"}, token=maker.token)
    assert again["setTaxStatus"]["organisation"]["taxStatusCheckedAt"] is None
    terms = await gql(
        "query($id: ID!) { organisation(id: $id) { vatTerms { treatment rate } } }", {"id": maker.organisation_id}
    )
    assert terms["organisation"]["vatTerms"] == {"treatment": "REDUCED", "rate": "7.00"}
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, budgetIncludesVat=False)
    await place_bid(gql, maker, order_id, clock, unit_price="107.00")  # 53,500.00 incl. 7 %: 3,500.00
    data = await gql(BIDS, {"id": order_id}, token=buyer.token)
    assert data["node"]["budget"] == {"includesVat": False}
    assert data["node"]["bids"]["edges"][0]["node"]["totalTaxed"] == taxed(
        "50000.00", "3500.00", "53500.00", "7.00", "REDUCED"
    )


async def _tax_status(engine: AsyncEngine, party: Party) -> tuple[Any, ...]:
    async with engine.connect() as conn:
        row = await conn.execute(
            text("SELECT tax_status, tax_status_checked_at FROM organisation WHERE id = :id"),
            {"id": _uuid(party.organisation_id)},
        )
        return tuple(row.one())


def _uuid(global_id: str) -> str:
    from api.relay import decode_id

    return str(decode_id(global_id, "Organisation", "id"))


async def test_the_fee_report_is_for_operators_and_refuses_a_backwards_period(
    gql: GraphQL, engine: AsyncEngine
) -> None:
    ops = await operator(gql, engine)
    buyer = await sign_up(gql, kind="BUYER")
    period = {"since": "2027-02-01", "until": "2027-01-01"}
    backwards = (await gql(REPORT, period, token=ops.token))["platformFeeReport"]
    forbidden = (await gql(REPORT, {**period, "until": "2027-03-01"}, token=buyer.token))["platformFeeReport"]
    assert backwards == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "until"}
    assert forbidden["__typename"] == "PermissionDeniedError"
    rates = await gql("{ vatRates { kind percent validFrom validUntil } }")
    general = [r for r in rates["vatRates"] if r["kind"] == "GENERAL"]
    assert general == [
        {"kind": "GENERAL", "percent": "20.00", "validFrom": "2019-01-01", "validUntil": "2026-01-01"},
        {"kind": "GENERAL", "percent": "22.00", "validFrom": "2026-01-01", "validUntil": None},
    ]


MY_CONTRACTS = f"""query {{ myContracts(first: 20) {{ edges {{ node {{ id totalTaxed {TAXED} platformFeeTaxed {TAXED}
  manufacturerNetTaxed {TAXED} escrowDueTaxed {TAXED} milestones {{ amountTaxed {TAXED} platformFeeTaxed {TAXED} }}
  fundingInstructions {{ amountDueTaxed {TAXED} }} }} }} }} }}"""
ORDER_BIDS = f"""query($id: ID!) {{ node(id: $id) {{ ... on Order {{ bids(first: 20) {{ edges {{ node {{ id
  totalTaxed {TAXED} platformFeeTaxed {TAXED} manufacturerNetTaxed {TAXED} manufacturer {{ vatTerms {{ rate }} }}
}} }} }} }} }} }}"""


async def test_taxed_lists_run_the_same_statements_whatever_their_length(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    makers = [await make_manufacturer(gql, clock) for _ in range(5)]
    for n, maker in enumerate(makers):
        await declare(gql, maker, "VAT_GENERAL" if n % 2 else NO_VAT)
    orders = [await create_order(gql, buyer, clock, title=f"Part {n}") for n in range(5)]
    for n, order_id in enumerate(orders):
        for maker in makers[: 1 + n]:
            await place_bid(gql, maker, order_id, clock)

    async def counted(query: str, variables: dict[str, Any] | None = None) -> tuple[int, Any]:
        with sql.counting():
            data = await gql(query, variables, token=buyer.token)
        return sql.count, data

    bids_1, few = await counted(ORDER_BIDS, {"id": orders[0]})
    bids_5, many = await counted(ORDER_BIDS, {"id": orders[4]})
    assert (len(few["node"]["bids"]["edges"]), len(many["node"]["bids"]["edges"])) == (1, 5)
    assert bids_5 == bids_1

    bids = (await gql(ORDER_BIDS, {"id": orders[4]}, token=buyer.token))["node"]["bids"]["edges"]
    award = "mutation($id: ID!) { awardBid(bidId: $id) { __typename } }"
    await gql(award, {"id": bids[0]["node"]["id"]}, token=buyer.token)
    contracts_1, one = await counted(MY_CONTRACTS)
    for n in range(4):
        first_bid = (await gql(ORDER_BIDS, {"id": orders[n]}, token=buyer.token))["node"]["bids"]["edges"][0]
        await gql(award, {"id": first_bid["node"]["id"]}, token=buyer.token)
    contracts_5, five = await counted(MY_CONTRACTS)
    assert (len(one["myContracts"]["edges"]), len(five["myContracts"]["edges"])) == (1, 5)
    assert contracts_5 == contracts_1
