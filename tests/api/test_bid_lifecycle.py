"""Bids over their life: revise with history, withdraw, cancellation of the order, my bids and contracts."""

from __future__ import annotations

from tests.api.graphql import GraphQL, bid_terms, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock

REVISE = """
mutation($bid: ID!, $terms: BidTermsInput!) {
  reviseBid(bidId: $bid, terms: $terms) {
    __typename
    ... on BidSuccess { bid { id revision status total { amount } previousBid { id status revision } } }
    ... on UserError { code field }
  }
}
"""
ORDER_BIDS = """
query($id: ID!, $statuses: [BidStatus!]) {
  node(id: $id) { ... on Order { status bids(statuses: $statuses) { edges { node { id status revision } } } } }
}
"""


async def test_a_revision_supersedes_the_old_bid_and_keeps_it_as_history(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    original = await place_bid(gql, maker, order_id, clock, unit_price="300.00")

    data = await gql(REVISE, {"bid": original, "terms": bid_terms(clock, "280.00")}, token=maker.token)

    revised = data["reviseBid"]["bid"]
    assert revised["revision"] == 2
    assert revised["status"] == "ACTIVE"
    assert revised["total"] == {"amount": "140000.00"}
    assert revised["previousBid"] == {"id": original, "status": "SUPERSEDED", "revision": 1}
    current = await gql(ORDER_BIDS, {"id": order_id}, token=buyer.token)
    assert current["node"]["bids"]["edges"] == [{"node": {"id": revised["id"], "status": "ACTIVE", "revision": 2}}]
    history = await gql(ORDER_BIDS, {"id": order_id, "statuses": ["SUPERSEDED"]}, token=buyer.token)
    assert [e["node"]["id"] for e in history["node"]["bids"]["edges"]] == [original]


async def test_a_withdrawn_bid_leaves_room_for_a_new_one(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    first = await place_bid(gql, maker, order_id, clock)

    data = await gql(
        "mutation($id: ID!) { withdrawBid(bidId: $id) { __typename ... on BidSuccess { bid { status } } } }",
        {"id": first},
        token=maker.token,
    )
    second = await place_bid(gql, maker, order_id, clock, unit_price="310.00")

    assert data["withdrawBid"] == {"__typename": "BidSuccess", "bid": {"status": "WITHDRAWN"}}
    mine = await gql(
        "{ myBids { edges { node { id status } } } }",
        token=maker.token,
    )
    assert sorted((e["node"]["id"], e["node"]["status"]) for e in mine["myBids"]["edges"]) == sorted(
        [(first, "WITHDRAWN"), (second, "ACTIVE")]
    )


async def test_cancelling_an_order_rejects_its_active_bids(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)

    data = await gql(
        """mutation($id: ID!) { cancelOrder(id: $id, reason: "Design changed") {
             __typename ... on OrderSuccess { order { status cancelReason closedAt } } } }""",
        {"id": order_id},
        token=buyer.token,
    )

    order = data["cancelOrder"]["order"]
    assert (order["status"], order["cancelReason"]) == ("CANCELLED", "Design changed")
    assert order["closedAt"] is not None
    bid = await gql("query($id: ID!) { node(id: $id) { ... on Bid { status } } }", {"id": bid_id}, maker.token)
    assert bid["node"] == {"status": "REJECTED"}


async def test_a_draft_is_edited_then_published(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, publish=False)

    edited = await gql(
        """mutation($id: ID!, $input: UpdateOrderInput!) { updateOrder(id: $id, input: $input) {
             __typename ... on OrderSuccess { order { quantity material budget { max { amount currency } } } } } }""",
        {
            "id": order_id,
            "input": {
                "quantity": 750,
                "material": "Steel 1.4301",
                "budgetMax": {"amount": "300000", "currency": "RUB"},
            },
        },
        token=buyer.token,
    )
    published = await gql(
        """mutation($id: ID!) { publishOrder(id: $id) {
             __typename ... on OrderSuccess { order { status publishedAt } } } }""",
        {"id": order_id},
        token=buyer.token,
    )

    assert edited["updateOrder"]["order"] == {
        "quantity": 750,
        "material": "Steel 1.4301",
        "budget": {"max": {"amount": "300000.00", "currency": "RUB"}},
    }
    assert published["publishOrder"]["order"]["status"] == "OPEN"
    assert published["publishOrder"]["order"]["publishedAt"] == clock.now().isoformat()


async def test_both_parties_find_the_contract_under_my_contracts(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    bystander = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    award = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
        {"id": bid_id},
        token=buyer.token,
    )
    contract_id = award["awardBid"]["contract"]["id"]
    query = "{ myContracts(statuses: [PENDING_FUNDING]) { edges { node { id status order { id } } } } }"

    for party in (buyer, maker):
        data = await gql(query, token=party.token)
        assert data["myContracts"]["edges"] == [
            {"node": {"id": contract_id, "status": "PENDING_FUNDING", "order": {"id": order_id}}}
        ]
    assert (await gql(query, token=bystander.token))["myContracts"]["edges"] == []
    hidden = await gql("query($id: ID!) { contract(id: $id) { id } }", {"id": contract_id}, bystander.token)
    assert hidden == {"contract": None}
