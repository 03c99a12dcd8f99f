"""allocationPlan over GraphQL: capacity-aware advice for the buyer's own orders only."""

from __future__ import annotations

import pytest

from domain.matching import plan as plan_module
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.matching import AWARD, add_capacity
from tests.clock import FakeClock
from tests.conftest import StatementCounter

PLAN = """
query($ids: [ID!]!, $objective: AllocationObjective!) {
  allocationPlan(orderIds: $ids, objective: $objective) {
    method optimal objectiveValue greedyObjectiveValue notes
    awards { score quantity order { id } bid { id manufacturer { id } } explanations { factor value } }
    unassignedOrders { id }
  }
}
"""


async def test_the_plan_gives_each_order_a_shop_with_room_for_it(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    cheap, dear = await make_manufacturer(gql, clock), await make_manufacturer(gql, clock)
    for maker in (cheap, dear):
        await add_capacity(gql, maker, clock, hours=10)
    # each order takes 10 h in each of the 8 weeks before its need-by date: a shop can make one of them
    first = await create_order(gql, buyer, clock, estimatedMachineHours=80, title="First")
    second = await create_order(gql, buyer, clock, estimatedMachineHours=80, title="Second")
    await place_bid(gql, cheap, first, clock, unit_price="100.00")
    await place_bid(gql, cheap, second, clock, unit_price="100.00")
    await place_bid(gql, dear, first, clock, unit_price="400.00")
    unplaced = await create_order(gql, buyer, clock, title="No bids")

    data = await gql(PLAN, {"ids": [first, second, unplaced], "objective": "SCORE"}, token=buyer.token)

    plan = data["allocationPlan"]
    assert (plan["method"], plan["optimal"]) == ("milp", True)
    assert sorted((a["order"]["id"], a["bid"]["manufacturer"]["id"]) for a in plan["awards"]) == sorted(
        [(first, dear.organisation_id), (second, cheap.organisation_id)]
    )
    assert plan["objectiveValue"] == pytest.approx(sum(a["score"] for a in plan["awards"]), abs=1e-9)
    assert plan["unassignedOrders"] == [{"id": unplaced}]


async def test_a_split_order_is_planned_in_parts_that_two_shops_can_make_and_then_awarded(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    shops = [await make_manufacturer(gql, clock) for _ in range(2)]
    for shop in shops:
        await add_capacity(gql, shop, clock, hours=7)  # 56 h over the 8 weeks: about half of the order each
    order = await create_order(gql, buyer, clock, quantity=100, allowSplit=True, estimatedMachineHours=100)
    bids = {shop.organisation_id: await place_bid(gql, shop, order, clock) for shop in shops}

    plan = (await gql(PLAN, {"ids": [order], "objective": "COST"}, token=buyer.token))["allocationPlan"]
    parts = {a["bid"]["id"]: a["quantity"] for a in plan["awards"]}
    awarded = [
        (await gql(AWARD, {"bid": bid, "quantity": quantity}, token=buyer.token))["awardBid"]["__typename"]
        for bid, quantity in parts.items()
    ]
    state = await gql("query($id: ID!) { order(id: $id) { status awardedQuantity } }", {"id": order}, token=buyer.token)

    assert (plan["method"], plan["optimal"], plan["unassignedOrders"]) == ("milp", True, [])
    assert set(parts) == set(bids.values()) and sum(parts.values()) == 100
    assert all(quantity <= 56 for quantity in parts.values())  # neither shop could make it all
    assert awarded == ["AwardBidSuccess", "AwardBidSuccess"]
    assert state["order"] == {"status": "AWARDED", "awardedQuantity": 100}


async def test_another_buyers_order_is_not_found(gql: GraphQL, clock: FakeClock) -> None:
    buyer, other = await sign_up(gql, kind="BUYER"), await sign_up(gql, kind="BUYER")
    theirs = await create_order(gql, other, clock)

    body = await gql.raw(PLAN, {"ids": [theirs], "objective": "COST"}, token=buyer.token)

    assert body["data"] is None
    assert [e["extensions"] for e in body["errors"]] == [{"code": "NOT_FOUND", "field": "orderIds"}]


async def test_a_request_over_the_size_limit_is_refused(
    gql: GraphQL, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_module, "MAX_ORDERS", 1)
    buyer = await sign_up(gql, kind="BUYER")
    ids = [await create_order(gql, buyer, clock), await create_order(gql, buyer, clock)]

    body = await gql.raw(PLAN, {"ids": ids, "objective": "SCORE"}, token=buyer.token)

    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        ("at most 1 orders per plan", {"code": "OUT_OF_RANGE", "field": "orderIds"})
    ]


async def test_the_plan_runs_a_constant_number_of_statements(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    ids: list[str] = []
    counts = []
    for size in (1, 3):
        while len(ids) < size:
            order_id = await create_order(gql, buyer, clock, estimatedMachineHours=10)
            maker = await make_manufacturer(gql, clock)
            await add_capacity(gql, maker, clock)
            await place_bid(gql, maker, order_id, clock)
            ids.append(order_id)
        with sql.counting():
            await gql(PLAN, {"ids": ids, "objective": "SCORE"}, token=buyer.token)
        counts.append(sql.count)

    assert counts == [8, 8]
