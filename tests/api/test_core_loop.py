"""The exchange's core loop, end to end over GraphQL: sign up, describe, post, bid, award."""

from __future__ import annotations

from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock

AWARD = """
mutation($bid: ID!) {
  awardBid(bidId: $bid) {
    __typename
    ... on AwardBidSuccess {
      contract {
        id status quantity total { amount currency }
        order { id status }
        bid { id status }
        buyer { id } manufacturer { id }
        events { transition fromStatus toStatus }
      }
    }
    ... on UserError { code message field }
  }
}
"""


async def test_buyer_and_manufacturer_go_from_sign_up_to_award(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)

    winning = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    losing = await place_bid(gql, rival, order_id, clock, unit_price="320.00")

    data = await gql(AWARD, {"bid": winning}, token=buyer.token)

    contract = data["awardBid"]["contract"]
    assert contract["status"] == "PENDING_FUNDING"
    assert contract["quantity"] == 500
    assert contract["total"] == {"amount": "150000.00", "currency": "RUB"}
    assert contract["order"] == {"id": order_id, "status": "AWARDED"}
    assert contract["bid"] == {"id": winning, "status": "ACCEPTED"}
    assert contract["buyer"]["id"] == buyer.organisation_id
    assert contract["manufacturer"]["id"] == maker.organisation_id
    assert contract["events"] == [{"transition": "award", "fromStatus": None, "toStatus": "PENDING_FUNDING"}]
    loser = await gql("query($id: ID!) { node(id: $id) { ... on Bid { status } } }", {"id": losing}, rival.token)
    assert loser["node"] == {"status": "REJECTED"}


async def test_both_sides_see_the_platform_fee_on_a_bid_before_the_award(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    query = """query($id: ID!) { node(id: $id) { ... on Bid {
      total { amount } platformFee { amount } manufacturerNet { amount } } } }"""

    for party in (buyer, maker):
        data = await gql(query, {"id": bid_id}, token=party.token)
        assert data["node"] == {
            "total": {"amount": "150000.00"},
            "platformFee": {"amount": "7500.00"},
            "manufacturerNet": {"amount": "142500.00"},
        }
