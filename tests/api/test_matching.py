"""Matching over GraphQL: who may see recommendations and rankings, invitations, and constant statement counts."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from domain.orders.models import OrderInvitation
from domain.outbox import OutboxMessage
from domain.uow import SessionFactory
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.matching import NO_PARAMETERS, RECOMMENDED, RECOMMENDED_ORDERS, add_capacity
from tests.clock import FakeClock
from tests.conftest import StatementCounter

RANKED = """
query($id: ID!) {
  order(id: $id) {
    rankedBids { score bid { id total { amount } manufacturer { id } } explanations { factor value weight } }
  }
}
"""


INVITE = """
mutation($order: ID!, $ids: [ID!]!) {
  inviteManufacturers(orderId: $order, manufacturerIds: $ids) {
    __typename
    ... on OrderSuccess { order { id invitedManufacturers { id } } }
    ... on UserError { code message field }
  }
}
"""


async def test_the_buyer_sees_explained_recommendations_and_the_exclusions(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    fits = await make_manufacturer(gql, clock)
    await add_capacity(gql, fits, clock)
    no_capacity = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)

    data = await gql(RECOMMENDED, {"id": order_id, "weights": {"price": 0}}, token=buyer.token)

    result = data["order"]["recommendedManufacturers"]
    assert (result["fittingCount"], result["excludedCount"]) == (1, 1)
    [match] = result["matches"]
    assert match["manufacturer"]["id"] == fits.organisation_id
    # 8 weeks x 40 h before the need-by date, 120 h needed; other region in the same country; no record;
    # 1,000 RUB/h x 120 h = 120,000 RUB in a 100,000..250,000 budget (weighted 0 here)
    explained = {e["factor"]: (e["value"], e["weight"]) for e in match["explanations"]}
    assert explained == {
        "capacity_slack": (0.625, 1.0),
        "on_time": (0.5, 2.0),
        "dispute_free": (0.5, 2.0),
        "region": (0.5, 1.0),
        "price": (1.0 - 0.5 * 20_000 / 150_000, 0.0),
        "response": (0.5, 1.0),
        "rating": (0.5, 1.0),  # no reviews yet: the neutral prior
    }
    assert match["score"] == pytest.approx((0.625 + 1.0 + 1.0 + 0.5 + 0.5 + 0.5) / 8, abs=1e-12)
    assert result["excluded"] == [
        {
            "filter": "CAPACITY",
            "code": "CAPACITY_SHORT",
            "reason": "0 free machine-hours before the need-by date, 120 needed",
            **NO_PARAMETERS,
            "freeHours": 0,
            "requiredHours": 120,
            "manufacturer": {"id": no_capacity.organisation_id},
        }
    ]


async def test_a_manufacturer_sees_no_recommendations_or_ranking_on_someone_elses_order(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    await place_bid(gql, maker, order_id, clock)
    await place_bid(gql, rival, order_id, clock, unit_price="250.00")

    recommended = await gql(RECOMMENDED, {"id": order_id}, token=maker.token)
    ranked = await gql(RANKED, {"id": order_id}, token=maker.token)

    assert recommended == {"order": {"recommendedManufacturers": None}}
    assert ranked == {"order": {"rankedBids": None}}


async def test_the_buyer_sees_its_bids_ranked_and_explained(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    dear = await make_manufacturer(gql, clock)
    cheap = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    await place_bid(gql, dear, order_id, clock, unit_price="400.00")
    await place_bid(gql, cheap, order_id, clock, unit_price="200.00")

    data = await gql(RANKED, {"id": order_id}, token=buyer.token)

    ranked = data["order"]["rankedBids"]
    assert [r["bid"]["manufacturer"]["id"] for r in ranked] == [cheap.organisation_id, dear.organisation_id]
    # 500 parts: 100,000 RUB (the budget minimum) and 200,000 RUB (2/3 of the way to 250,000); 30 of 60 days
    assert [[e["value"] for e in r["explanations"]] for r in ranked] == [
        [1.0, 0.75, 0.5],
        [1.0 - 0.5 * 2 / 3, 0.75, 0.5],
    ]


async def test_bad_weights_are_a_typed_error_not_a_crash(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    zero = {name: 0 for name in ("capacitySlack", "onTime", "disputeFree", "region", "price", "response", "rating")}

    negative = await gql.raw(RECOMMENDED, {"id": order_id, "weights": {"price": -1}}, token=buyer.token)
    all_zero = await gql.raw(RECOMMENDED, {"id": order_id, "weights": zero}, token=buyer.token)

    assert [(e["message"], e["extensions"]) for e in negative["errors"]] == [
        ("weight of price must be a finite number >= 0", {"code": "OUT_OF_RANGE", "field": "weights"})
    ]
    assert [e["message"] for e in all_zero["errors"]] == ["at least one weight must be above zero"]


async def test_recommended_orders_for_the_signed_in_manufacturer(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock, processes=("CNC_MILLING",))
    other = await make_manufacturer(gql, clock)
    await add_capacity(gql, maker, clock)
    small = await create_order(gql, buyer, clock, title="Small", estimatedMachineHours=10)
    large = await create_order(gql, buyer, clock, title="Large", estimatedMachineHours=200)
    await create_order(gql, buyer, clock, title="Too big", estimatedMachineHours=1000)
    await create_order(gql, buyer, clock, title="Turning", process="CNC_TURNING")
    await create_order(
        gql,
        buyer,
        clock,
        title="Invited elsewhere",
        visibility="INVITED",
        invitedManufacturerIds=[other.organisation_id],
    )

    data = await gql(RECOMMENDED_ORDERS, token=maker.token)
    buyer_view = await gql(RECOMMENDED_ORDERS, token=buyer.token)

    assert [m["order"]["id"] for m in data["recommendedOrders"]] == [small, large]
    assert buyer_view == {"recommendedOrders": []}


async def invitations(session_factory: SessionFactory) -> tuple[int, int]:
    async with session_factory() as session:
        invites = await session.scalar(select(func.count()).select_from(OrderInvitation))
        outbox = await session.scalar(select(func.count()).select_from(OutboxMessage))
    return int(invites or 0), int(outbox or 0)


async def test_the_buyer_invites_manufacturers_to_an_invited_only_order(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    first, second = await make_manufacturer(gql, clock), await make_manufacturer(gql, clock)
    order_id = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[first.organisation_id]
    )
    before = await invitations(session_factory)

    data = await gql(INVITE, {"order": order_id, "ids": [second.organisation_id]}, token=buyer.token)

    result = data["inviteManufacturers"]
    assert result["__typename"] == "OrderSuccess"
    assert sorted(o["id"] for o in result["order"]["invitedManufacturers"]) == sorted(
        [first.organisation_id, second.organisation_id]
    )
    assert await invitations(session_factory) == (before[0] + 1, before[1] + 1)


async def test_inviting_is_refused_to_others_and_on_public_orders_and_changes_nothing(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    first, second = await make_manufacturer(gql, clock), await make_manufacturer(gql, clock)
    invited = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[first.organisation_id]
    )
    public = await create_order(gql, buyer, clock)
    before = await invitations(session_factory)

    by_invitee = await gql(INVITE, {"order": invited, "ids": [second.organisation_id]}, token=first.token)
    by_stranger = await gql(INVITE, {"order": invited, "ids": [second.organisation_id]}, token=second.token)
    on_public = await gql(INVITE, {"order": public, "ids": [second.organisation_id]}, token=buyer.token)
    not_a_maker = await gql(INVITE, {"order": invited, "ids": [buyer.organisation_id]}, token=buyer.token)

    def outcome(data: dict[str, Any]) -> tuple[str, str, str | None]:
        result = data["inviteManufacturers"]
        return result["__typename"], result["code"], result["field"]

    assert outcome(by_invitee) == ("PermissionDeniedError", "FORBIDDEN", "orderId")
    assert outcome(by_stranger) == ("NotFoundError", "NOT_FOUND", "orderId")
    assert outcome(on_public) == ("ValidationError", "INVALID", "orderId")
    assert outcome(not_a_maker) == ("ValidationError", "INVALID", "manufacturerIds")
    assert await invitations(session_factory) == before


async def _statements(sql: StatementCounter, gql: GraphQL, query: str, variables: dict[str, Any], token: str) -> int:
    with sql.counting():
        await gql(query, variables, token=token)
    return sql.count


async def test_matching_lists_run_a_constant_number_of_statements(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, estimatedMachineHours=10)
    counts: dict[str, list[int]] = {"recommended": [], "ranked": [], "orders": []}
    makers: list[Party] = []
    for size in (1, 4):
        while len(makers) < size:
            maker = await make_manufacturer(gql, clock, processes=("CNC_MILLING",))
            await add_capacity(gql, maker, clock)
            await place_bid(gql, maker, order_id, clock)
            makers.append(maker)
        await create_order(gql, buyer, clock, title=f"Another {size}")
        counts["recommended"].append(await _statements(sql, gql, RECOMMENDED, {"id": order_id}, buyer.token))
        counts["ranked"].append(await _statements(sql, gql, RANKED, {"id": order_id}, buyer.token))
        counts["orders"].append(await _statements(sql, gql, RECOMMENDED_ORDERS, {}, makers[0].token))

    assert counts == {"recommended": [7, 7], "ranked": [6, 6], "orders": [7, 7]}
