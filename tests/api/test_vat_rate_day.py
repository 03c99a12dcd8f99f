"""A VAT rate is chosen by the day in the exchange's reporting zone (EXCHANGE_REPORTING_TIMEZONE, Moscow by default),
not by the UTC day: the general rate went from 20 % to 22 % on 1 January 2026, which began at 21:00 UTC on 31 December
in Moscow. Each place that picks a rate by date is tested on both sides of that midnight: a bid's VAT, the planned fee
on a bid, the bid form's live split, an organisation's VAT terms, the fee VAT fixed at award, and the date the
award's documents print (so that an invoice and the rate on it agree)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pypdf import PdfReader

from api.context import AppDeps
from exchange.settings import Environment, Settings
from exchange.worker import relay_documents_once
from tests.api.documents import documents, download, pdf_text, with_legal_details
from tests.api.graphql import GraphQL, Party, bid_terms, create_order, make_manufacturer, place_bid, sign_up
from tests.api.taxes import BIDS, TAXED, declare
from tests.clock import FakeClock

LAST_MINUTE_OF_2025 = datetime(2025, 12, 31, 20, 59, tzinfo=UTC)  # 23:59 on 31 December in Moscow: 20 %
FIRST_HALF_HOUR_OF_2026 = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)  # 00:30 on 1 January in Moscow (UTC: 31 Dec)
SIDES = [
    pytest.param(LAST_MINUTE_OF_2025, "20.00", id="23:59 MSK"),
    pytest.param(FIRST_HALF_HOUR_OF_2026, "22.00", id="00:30 MSK"),
]

SPLIT = """query($org: ID!) { bidPriceSplit(unitPrice: {amount: "300.00", currency: "RUB"}, quantity: 500,
  organisationId: $org) { __typename ... on BidPriceSplit { total { rate } } ... on UserError { code field } } }"""
TERMS = "query($id: ID!) { node(id: $id) { ... on Organisation { vatTerms { treatment rate } } } }"
AWARD = """mutation($id: ID!) { awardBid(bidId: $id) { __typename ... on AwardBidSuccess { contract { id } }
  ... on UserError { code message } } }"""
CONTRACT = (
    f"query($id: ID!) {{ node(id: $id) {{ ... on Contract {{ totalTaxed {TAXED} platformFeeTaxed {TAXED} }} }} }}"
)


async def _vat_payers(gql: GraphQL, clock: FakeClock) -> tuple[Party, Party, str]:
    """A buyer's open order and a manufacturer on the general VAT rate, both paying VAT."""
    buyer = await sign_up(gql, kind="BUYER")
    await declare(gql, buyer, "VAT_GENERAL")
    maker = await make_manufacturer(gql, clock)
    await declare(gql, maker, "VAT_GENERAL")
    return buyer, maker, await create_order(gql, buyer, clock)


@pytest.mark.parametrize(("moment", "rate"), SIDES)
async def test_a_bid_and_what_is_shown_before_it_take_the_rate_of_the_moscow_day(
    gql: GraphQL, clock: FakeClock, moment: datetime, rate: str
) -> None:
    clock.set(moment)
    buyer, maker, order_id = await _vat_payers(gql, clock)

    terms = (await gql(TERMS, {"id": maker.organisation_id}, token=maker.token))["node"]["vatTerms"]
    split = (await gql(SPLIT, {"org": maker.organisation_id}, token=maker.token))["bidPriceSplit"]
    await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    bid = (await gql(BIDS, {"id": order_id}, token=buyer.token))["node"]["bids"]["edges"][0]["node"]

    assert terms == {"treatment": "VAT", "rate": rate}
    assert split == {"__typename": "BidPriceSplit", "total": {"rate": rate}}
    assert (bid["totalTaxed"]["rate"], bid["platformFeeTaxed"]["rate"]) == (rate, rate)
    # 150,000.00 gross holds 25,000.00 at 20 % and 27,049.18 at 22 %.
    assert bid["totalTaxed"]["vat"] == {"amount": {"20.00": "25000.00", "22.00": "27049.18"}[rate]}


REVISE = """mutation($id: ID!, $terms: BidTermsInput!) { reviseBid(bidId: $id, terms: $terms) {
  __typename ... on BidSuccess { bid { id } } ... on UserError { code message } } }"""


@pytest.mark.parametrize(
    ("revised_at", "rate"),
    [
        pytest.param(LAST_MINUTE_OF_2025 + timedelta(seconds=30), "20.00", id="23:59:30 MSK"),
        pytest.param(FIRST_HALF_HOUR_OF_2026, "22.00", id="00:30 MSK"),
    ],
)
async def test_a_revision_takes_the_rate_of_its_own_moscow_day(
    gql: GraphQL, clock: FakeClock, revised_at: datetime, rate: str
) -> None:
    clock.set(LAST_MINUTE_OF_2025)
    buyer, maker, order_id = await _vat_payers(gql, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")  # at 20 %

    clock.set(revised_at)
    revised = (await gql(REVISE, {"id": bid_id, "terms": bid_terms(clock, "290.00")}, token=maker.token))["reviseBid"]
    bid = (await gql(BIDS, {"id": order_id}, token=buyer.token))["node"]["bids"]["edges"][0]["node"]

    assert revised["__typename"] == "BidSuccess", revised
    assert bid["id"] == revised["bid"]["id"]  # the order's active bid is the revision
    assert (bid["totalTaxed"]["gross"], bid["totalTaxed"]["rate"]) == ({"amount": "145000.00"}, rate)


@pytest.mark.parametrize(
    ("award_at", "fee_rate", "dated", "pay_by"),
    [
        pytest.param(
            LAST_MINUTE_OF_2025 + timedelta(seconds=30), "20.00", date(2025, 12, 31), "14.01.2026", id="23:59:30"
        ),
        pytest.param(FIRST_HALF_HOUR_OF_2026, "22.00", date(2026, 1, 1), "15.01.2026", id="00:30 MSK"),
    ],
)
async def test_an_award_fixes_the_fee_rate_and_dates_its_documents_by_the_moscow_day(
    gql: GraphQL,
    client: httpx.AsyncClient,
    deps: AppDeps,
    clock: FakeClock,
    award_at: datetime,
    fee_rate: str,
    dated: date,
    pay_by: str,
) -> None:
    clock.set(LAST_MINUTE_OF_2025)
    buyer, maker, order_id = await _vat_payers(gql, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")  # at 20 %, fixed on the bid
    await with_legal_details(gql, buyer, maker)

    clock.set(award_at)
    award = (await gql(AWARD, {"id": bid_id}, token=buyer.token))["awardBid"]
    assert award["__typename"] == "AwardBidSuccess", award
    cid = award["contract"]["id"]
    contract = (await gql(CONTRACT, {"id": cid}, token=buyer.token))["node"]
    await relay_documents_once(deps)
    issued = await documents(gql, cid, buyer.token)
    pdf = await download(gql, client, buyer, issued[1]["id"])
    invoice = " ".join(pdf_text(pdf).replace("\u00a0", " ").split())
    metadata = PdfReader(io.BytesIO(pdf)).metadata

    assert contract["totalTaxed"]["rate"] == "20.00"  # the seller's rate is the bid's, whenever it is awarded
    assert contract["platformFeeTaxed"]["rate"] == fee_rate  # the platform's fee: the rate of the award's day
    assert [d["kind"] for d in issued] == ["CONTRACT", "ESCROW_INVOICE"]
    # The invoice is dated the award's Moscow day, and its funding window (14 days) counts from that day.
    assert metadata is not None and metadata.creation_date is not None
    assert metadata.creation_date.date() == dated
    assert f"Оплатить до {pay_by}" in invoice


class TestAnotherReportingZone:
    """The zone is the setting's: on Vladivostok time (UTC+10) 2026 began at 14:00 UTC on 31 December."""

    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(env=Environment.test, reporting_timezone="Asia/Vladivostok")

    @pytest.mark.parametrize(
        ("moment", "rate"),
        [
            pytest.param(datetime(2025, 12, 31, 13, 59, tzinfo=UTC), "20.00", id="23:59 VLAT"),
            pytest.param(datetime(2025, 12, 31, 14, 0, tzinfo=UTC), "22.00", id="00:00 VLAT"),
        ],
    )
    async def test_a_bid_takes_the_rate_of_the_configured_zones_day(
        self, gql: GraphQL, clock: FakeClock, moment: datetime, rate: str
    ) -> None:
        clock.set(moment)
        buyer, maker, order_id = await _vat_payers(gql, clock)

        await place_bid(gql, maker, order_id, clock, unit_price="300.00")
        bid = (await gql(BIDS, {"id": order_id}, token=buyer.token))["node"]["bids"]["edges"][0]["node"]

        assert (bid["totalTaxed"]["rate"], bid["platformFeeTaxed"]["rate"]) == (rate, rate)
