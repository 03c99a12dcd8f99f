"""bidPriceSplit: the bid form's live net / VAT / gross, worked out by the rule placeBid fixes on the bid (the
bidder's tax status, today's rate, VAT per line half up), so what the form shows is what the bid carries."""

from __future__ import annotations

from typing import Any

from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.taxes import BIDS, NO_VAT, declare, taxed
from tests.clock import FakeClock

TAXED = "{ net { amount } vat { amount } gross { amount } rate treatment }"
SPLIT = f"""query($price: MoneyInput!, $quantity: Int!, $tooling: MoneyInput, $org: ID) {{
  bidPriceSplit(unitPrice: $price, quantity: $quantity, tooling: $tooling, organisationId: $org) {{
    __typename ... on BidPriceSplit {{ parts {TAXED} tooling {TAXED} total {TAXED} }}
    ... on UserError {{ code field }} }} }}"""


def rub(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "RUB"}


async def split(gql: GraphQL, token: str | None, price: str, quantity: int, tooling: str | None = None) -> Any:
    variables = {"price": rub(price), "quantity": quantity, "tooling": rub(tooling) if tooling else None, "org": None}
    return (await gql(SPLIT, variables, token=token))["bidPriceSplit"]


async def test_the_split_is_the_one_the_bid_then_carries(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    vat_payer = await make_manufacturer(gql, clock)
    await declare(gql, vat_payer, "VAT_GENERAL")
    simplified = await make_manufacturer(gql, clock)
    await declare(gql, simplified, NO_VAT)

    shown = await split(gql, vat_payer.token, "300.00", 500, "1000.01")
    shown_simplified = await split(gql, simplified.token, "290.00", 500)

    # 150,000.00 x 22/122 = 27,049.18 and 1,000.01 x 22/122 = 180.33, each line rounded half up on its own.
    assert shown["parts"] == taxed("122950.82", "27049.18", "150000.00", "22.00", "VAT")
    assert shown["tooling"] == taxed("819.68", "180.33", "1000.01", "22.00", "VAT")
    assert shown["total"] == taxed("123770.50", "27229.51", "151000.01", "22.00", "VAT")
    assert shown_simplified["total"] == taxed("145000.00", "0.00", "145000.00", None, NO_VAT)

    order_id = await create_order(gql, buyer, clock)
    await place_bid(gql, vat_payer, order_id, clock, unit_price="300.00", tooling=rub("1000.01"))
    await place_bid(gql, simplified, order_id, clock, unit_price="290.00")
    data = await gql(BIDS, {"id": order_id}, token=buyer.token)
    carried = {edge["node"]["manufacturer"]["id"]: edge["node"]["totalTaxed"] for edge in data["node"]["bids"]["edges"]}
    assert carried[vat_payer.organisation_id] == shown["total"]
    assert carried[simplified.organisation_id] == shown_simplified["total"]


async def test_numbers_placebid_would_refuse_are_refused_at_their_field(gql: GraphQL, clock: FakeClock) -> None:
    maker = await make_manufacturer(gql, clock)
    answers = [
        await split(gql, maker.token, "0", 10),
        await split(gql, maker.token, "12.345", 10),
        await split(gql, maker.token, "10.00", 0),
        await split(gql, maker.token, "10.00", 10, "abc"),
        (
            await gql(
                SPLIT,
                {"price": rub("10"), "quantity": 1, "tooling": {"amount": "5", "currency": "EUR"}},
                token=maker.token,
            )
        )["bidPriceSplit"],
        await split(gql, maker.token, "1000000000.00", 100_000),  # 10^16 kopecks: the total placeBid refuses
        await split(gql, None, "10.00", 10),
    ]
    assert [(a["__typename"], a["code"], a["field"]) for a in answers] == [
        ("ValidationError", "OUT_OF_RANGE", "unitPrice.amount"),
        ("ValidationError", "INVALID", "unitPrice.amount"),
        ("ValidationError", "OUT_OF_RANGE", "quantity"),
        ("ValidationError", "INVALID", "tooling.amount"),
        ("ValidationError", "CURRENCY_MISMATCH", "tooling.currency"),
        ("ValidationError", "OUT_OF_RANGE", "unitPrice.amount"),
        ("NotAuthenticatedError", "UNAUTHENTICATED", None),
    ]
