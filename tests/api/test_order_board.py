"""The order board: visibility, filters, sorting and cursor pagination."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.graphql import GraphQL, create_order, make_manufacturer, sign_up
from tests.clock import FakeClock

BOARD = """
query($filter: OrderFilterInput, $sort: OrderSort, $first: Int, $after: String) {
  orders(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { id title status deliveryRegion process } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


def titles(data: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in data["orders"]["edges"]]


async def test_drafts_are_seen_by_their_buyer_only(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other = await sign_up(gql, kind="BUYER")
    await create_order(gql, buyer, clock, title="Draft", publish=False)
    clock.advance(timedelta(minutes=1))
    await create_order(gql, buyer, clock, title="Open")

    assert titles(await gql(BOARD, token=buyer.token)) == ["Open", "Draft"]
    assert titles(await gql(BOARD, token=other.token)) == ["Open"]
    assert titles(await gql(BOARD)) == []  # the board needs a signed-in user


async def test_invited_only_orders_are_seen_by_invitees_only(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    invited = await make_manufacturer(gql, clock)
    outsider = await make_manufacturer(gql, clock)
    order_id = await create_order(
        gql,
        buyer,
        clock,
        title="Secret",
        visibility="INVITED",
        invitedManufacturerIds=[invited.organisation_id],
    )
    node = "query($id: ID!) { node(id: $id) { ... on Order { title invitedManufacturers { id } } } }"

    assert titles(await gql(BOARD, token=invited.token)) == ["Secret"]
    assert titles(await gql(BOARD, token=outsider.token)) == []
    assert (await gql(node, {"id": order_id}, token=outsider.token))["node"] is None
    assert (await gql(node, {"id": order_id}, token=invited.token))["node"] == {
        "title": "Secret",
        "invitedManufacturers": None,
    }
    assert (await gql(node, {"id": order_id}, token=buyer.token))["node"]["invitedManufacturers"] == [
        {"id": invited.organisation_id}
    ]


async def test_filters_combine(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    await create_order(gql, buyer, clock, title="Moscow milling")
    await create_order(gql, buyer, clock, title="Kazan milling", deliveryRegion="RU-TA")
    await create_order(gql, buyer, clock, title="Kazan turning", deliveryRegion="RU-TA", process="CNC_TURNING")
    await create_order(gql, buyer, clock, title="Kazan draft", deliveryRegion="RU-TA", publish=False)

    data = await gql(
        BOARD,
        {"filter": {"regions": ["ru-ta"], "processes": ["CNC_MILLING", "CNC_TURNING"], "statuses": ["OPEN"]}},
        token=buyer.token,
    )

    assert sorted(titles(data)) == ["Kazan milling", "Kazan turning"]


async def test_sort_by_deadline_and_page_through_with_cursors(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    for days in (9, 3, 7, 5, 11):
        deadline = (clock.now() + timedelta(days=days)).isoformat()
        await create_order(gql, buyer, clock, title=f"due in {days}", biddingDeadline=deadline)

    first = await gql(BOARD, {"sort": "DEADLINE", "first": 2}, token=buyer.token)
    second = await gql(
        BOARD,
        {"sort": "DEADLINE", "first": 2, "after": first["orders"]["pageInfo"]["endCursor"]},
        buyer.token,
    )
    third = await gql(
        BOARD,
        {"sort": "DEADLINE", "first": 2, "after": second["orders"]["pageInfo"]["endCursor"]},
        buyer.token,
    )

    assert titles(first) + titles(second) + titles(third) == [
        "due in 3",
        "due in 5",
        "due in 7",
        "due in 9",
        "due in 11",
    ]
    assert first["orders"]["pageInfo"] == {
        **first["orders"]["pageInfo"],
        "hasNextPage": True,
        "hasPreviousPage": False,
    }
    assert second["orders"]["pageInfo"]["hasPreviousPage"] is True
    assert third["orders"]["pageInfo"]["hasNextPage"] is False


async def test_mine_filter_lists_my_organisations_orders(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other = await sign_up(gql, kind="BUYER")
    await create_order(gql, buyer, clock, title="Mine")
    await create_order(gql, other, clock, title="Theirs")

    assert titles(await gql(BOARD, {"filter": {"mine": True}}, token=buyer.token)) == ["Mine"]
    by_buyer = await gql(BOARD, {"filter": {"buyerId": other.organisation_id}}, token=buyer.token)
    assert titles(by_buyer) == ["Theirs"]


async def test_each_order_on_the_board_names_its_own_buyer(gql: GraphQL, clock: FakeClock) -> None:
    first, second = await sign_up(gql, kind="BUYER"), await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    for buyer, title in [(first, "A1"), (second, "B1"), (first, "A2"), (second, "B2")]:
        await create_order(gql, buyer, clock, title=title)
    query = """query { orders(first: 10) { edges { node { title ...Who } } } }
      fragment Who on Order { buyer { id } who: buyer { id } }"""

    data = await gql(query, token=maker.token)

    buyers = {e["node"]["title"]: (e["node"]["buyer"]["id"], e["node"]["who"]["id"]) for e in data["orders"]["edges"]}
    assert buyers == {
        "A1": (first.organisation_id, first.organisation_id),
        "A2": (first.organisation_id, first.organisation_id),
        "B1": (second.organisation_id, second.organisation_id),
        "B2": (second.organisation_id, second.organisation_id),
    }
