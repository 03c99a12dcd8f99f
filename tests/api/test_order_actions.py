"""Order.viewerActions: what the buyer may do with its order now, from the tables the mutations check."""

from __future__ import annotations

from tests.api.graphql import GraphQL, create_order, sign_up
from tests.clock import FakeClock

ACTIONS = "query($id: ID!) { order(id: $id) { status viewerActions } }"

CANCEL = """
mutation($id: ID!) { result: cancelOrder(id: $id, reason: "Not needed") { __typename ... on UserError { code } } }
"""
PUBLISH = "mutation($id: ID!) { result: publishOrder(id: $id) { __typename ... on UserError { code } } }"
UPDATE = """
mutation($id: ID!) { result: updateOrder(id: $id, input: {description: "x"}) { __typename ... on UserError { code } } }
"""


async def actions(gql: GraphQL, order_id: str, token: str) -> list[str]:
    data = await gql(ACTIONS, {"id": order_id}, token=token)
    return list(data["order"]["viewerActions"])


async def test_a_draft_may_be_edited_published_and_cancelled(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    public = await create_order(gql, buyer, clock, publish=False)
    invited = await create_order(gql, buyer, clock, publish=False, visibility="INVITED")

    assert await actions(gql, public, buyer.token) == ["EDIT", "PUBLISH", "CANCEL"]
    assert await actions(gql, invited, buyer.token) == ["EDIT", "PUBLISH", "CANCEL", "INVITE"]


async def test_an_open_order_may_be_edited_and_cancelled_and_a_cancelled_one_nothing(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order = await create_order(gql, buyer, clock, publish=True)
    assert await actions(gql, order, buyer.token) == ["EDIT", "CANCEL"]

    cancelled = await gql(CANCEL, {"id": order}, token=buyer.token)
    assert cancelled["result"]["__typename"] == "OrderSuccess"

    assert await actions(gql, order, buyer.token) == []
    # What is not offered is indeed refused.
    for document in (PUBLISH, UPDATE, CANCEL):
        refused = await gql(document, {"id": order}, token=buyer.token)
        assert refused["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_EDITABLE"}


async def test_others_who_see_the_order_may_do_nothing_with_it(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    manufacturer = await sign_up(gql, kind="MANUFACTURER")
    order = await create_order(gql, buyer, clock, publish=True)

    assert await actions(gql, order, manufacturer.token) == []
