"""The fields whose type sits above their own in the import graph (api/schema_types.py): a bid's order and
contract, a review's author. Their module does not import the type; the value is built with the class the schema
holds, and answers as the other way round does (run with the engine and, in `make test`'s second run, without)."""

from __future__ import annotations

from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock

BID = """query($id: ID!) { node(id: $id) { ... on Bid {
  id order { __typename id title status buyer { id name } }
  contract { __typename id status bid { id } }
} } }"""


async def test_a_bid_answers_its_order_and_its_contract(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, title="Фланец 40")
    bid_id = await place_bid(gql, maker, order_id, clock)
    buyer_org = (await gql("{ me { memberships { organisation { id name } } } }", token=buyer.token))["me"]

    before = (await gql(BID, {"id": bid_id}, token=maker.token))["node"]
    award = await gql(
        "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
        {"id": bid_id},
        token=buyer.token,
    )
    contract_id = award["awardBid"]["contract"]["id"]
    after = [(await gql(BID, {"id": bid_id}, token=party.token))["node"] for party in (buyer, maker)]

    organisation = buyer_org["memberships"][0]["organisation"]
    order = {"__typename": "Order", "id": order_id, "title": "Фланец 40", "status": "OPEN", "buyer": organisation}
    assert before == {"id": bid_id, "order": order, "contract": None}
    contract = {"__typename": "Contract", "id": contract_id, "status": "PENDING_FUNDING", "bid": {"id": bid_id}}
    for seen in after:
        assert seen["contract"] == contract
        assert seen["order"]["id"] == order_id and seen["order"]["__typename"] == "Order"
