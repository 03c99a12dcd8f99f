"""What the signed-in person may do with an order, a bid and a question: the fields screens read instead of
restating the rules (viewerCanBid, viewerCanRevise, viewerCanAward, viewerCanAnswer…), and the board's
certification filter."""

from __future__ import annotations

from datetime import timedelta

from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

ORDER = """
query($id: ID!) {
  order(id: $id) {
    viewerIsBuyer viewerCanEdit viewerCanAskQuestion viewerCanBid
    bids { edges { node { id viewerCanRevise viewerCanWithdraw viewerCanAward } } }
    questions { id viewerCanAnswer }
  }
}
"""
ASK = """mutation($order: ID!) { askQuestion(orderId: $order, question: "Anodise black?") {
  __typename ... on OrderQuestionSuccess { question { id viewerCanAnswer } } } }"""


def flags(order: dict) -> tuple[bool, bool, bool, bool]:
    return (order["viewerIsBuyer"], order["viewerCanEdit"], order["viewerCanAskQuestion"], order["viewerCanBid"])


async def test_an_open_order_tells_buyer_and_manufacturer_what_each_may_do(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)

    before = (await gql(ORDER, {"id": order_id}, token=maker.token))["order"]
    asked = await gql(ASK, {"order": order_id}, token=maker.token)
    bid_id = await place_bid(gql, maker, order_id, clock)
    as_maker = (await gql(ORDER, {"id": order_id}, token=maker.token))["order"]
    as_buyer = (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]

    assert flags(before) == (False, False, True, True)
    assert asked["askQuestion"]["question"]["viewerCanAnswer"] is False
    # One active bid per manufacturer: it revises or withdraws that one and places no other.
    assert flags(as_maker) == (False, False, True, False)
    assert as_maker["bids"]["edges"] == [
        {"node": {"id": bid_id, "viewerCanRevise": True, "viewerCanWithdraw": True, "viewerCanAward": False}}
    ]
    assert [q["viewerCanAnswer"] for q in as_maker["questions"]] == [False]
    assert flags(as_buyer) == (True, True, False, False)
    assert as_buyer["bids"]["edges"] == [
        {"node": {"id": bid_id, "viewerCanRevise": False, "viewerCanWithdraw": False, "viewerCanAward": True}}
    ]
    assert [q["viewerCanAnswer"] for q in as_buyer["questions"]] == [True]


async def test_after_the_deadline_nobody_bids_asks_revises_or_answers(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, biddingDeadline=(clock.now() + timedelta(days=2)).isoformat())
    await gql(ASK, {"order": order_id}, token=maker.token)
    await place_bid(gql, maker, order_id, clock)

    clock.advance(timedelta(days=3))
    as_maker = (await gql(ORDER, {"id": order_id}, token=maker.token))["order"]
    as_other = (await gql(ORDER, {"id": order_id}, token=other.token))["order"]
    as_buyer = (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]

    assert flags(as_other) == (False, False, False, False)
    assert as_maker["bids"]["edges"][0]["node"]["viewerCanRevise"] is False
    assert as_maker["bids"]["edges"][0]["node"]["viewerCanWithdraw"] is False
    assert as_buyer["questions"][0]["viewerCanAnswer"] is False
    # The buyer may still award an active, valid bid after bidding closes.
    assert as_buyer["bids"]["edges"][0]["node"]["viewerCanAward"] is True


async def test_an_awarded_order_offers_no_award_and_a_buyer_only_company_no_bid(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other_buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    as_other_buyer = (await gql(ORDER, {"id": order_id}, token=other_buyer.token))["order"]

    awarded = await gql(
        "mutation($bid: ID!) { awardBid(bidId: $bid) { __typename } }", {"bid": bid_id}, token=buyer.token
    )
    as_buyer = (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]

    assert flags(as_other_buyer) == (False, False, False, False)
    assert awarded["awardBid"]["__typename"] == "AwardBidSuccess"
    assert as_buyer["viewerCanEdit"] is False
    assert as_buyer["bids"]["edges"][0]["node"]["viewerCanAward"] is False


async def test_the_board_filters_by_required_certification(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    iso = await create_order(gql, buyer, clock, requiredCertifications=["ISO_9001"])
    aero = await create_order(gql, buyer, clock, requiredCertifications=["AS9100", "ISO_9001"])
    await create_order(gql, buyer, clock, requiredCertifications=[])
    query = """query($certs: [CertificationStandard!]) {
      orders(filter: {mine: true, certifications: $certs}) { edges { node { id } } } }"""

    as9100 = await gql(query, {"certs": ["AS9100"]}, token=buyer.token)
    either = await gql(query, {"certs": ["AS9100", "ISO_9001"]}, token=buyer.token)

    assert [e["node"]["id"] for e in as9100["orders"]["edges"]] == [aero]
    assert sorted(e["node"]["id"] for e in either["orders"]["edges"]) == sorted([iso, aero])


BOARD_FLAGS = """query($first: Int!) { orders(first: $first) { edges { node {
  id viewerIsBuyer viewerCanEdit viewerCanAskQuestion viewerCanBid
  bids { edges { node { id viewerCanRevise viewerCanWithdraw viewerCanAward } } }
} } } }"""


async def test_a_board_page_answers_the_viewer_fields_in_the_same_statements_for_2_and_8_orders(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    order_ids = [await create_order(gql, buyer, clock, title=f"Part {n}") for n in range(8)]
    for order_id in order_ids:
        await place_bid(gql, maker, order_id, clock)

    counts = []
    for first in (2, 8):
        with sql.counting():
            as_maker = await gql(BOARD_FLAGS, {"first": first}, token=maker.token)
        counts.append(sql.count)
        assert len(as_maker["orders"]["edges"]) == first
    as_other = await gql(BOARD_FLAGS, {"first": 8}, token=other.token)

    # Its own active bid on each: it asks, revises and withdraws, and places no second bid; the other shop bids.
    assert {flags(edge["node"]) for edge in as_maker["orders"]["edges"]} == {(False, False, True, False)}
    assert {
        bid["node"]["viewerCanRevise"] for edge in as_maker["orders"]["edges"] for bid in edge["node"]["bids"]["edges"]
    } == {True}
    assert {flags(edge["node"]) for edge in as_other["orders"]["edges"]} == {(False, False, True, True)}
    assert counts[0] == counts[1]
