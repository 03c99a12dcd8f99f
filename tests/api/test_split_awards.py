"""Split awards over GraphQL: an order flagged allowSplit is awarded in parts to several bids, each part its
own contract, the parts adding up to the order's quantity; everything else is refused and changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from domain.capacity.models import CapacityReservation, ReservationKind
from domain.contracts.models import Contract
from domain.uow import SessionFactory
from tests.api.graphql import PLACE_BID, GraphQL, Party, bid_terms, create_order, make_manufacturer, place_bid, sign_up
from tests.api.matching import AWARD, add_capacity
from tests.clock import FakeClock

FEEDBACK = """query($id: ID!) { node(id: $id) { ... on Bid { status feedback { rankBand priceBand reason } } } }"""

ORDER = """
query($id: ID!) {
  order(id: $id) {
    status quantity allowSplit awardedQuantity
    bids(first: 10) { edges { node { id status quantity total { amount } } } }
  }
}
"""


async def _order(gql: GraphQL, buyer: Party, order_id: str) -> dict[str, Any]:
    order = (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]
    order["bids"] = [edge["node"] for edge in order["bids"]["edges"]]
    return dict(order)


async def _contracts(session_factory: SessionFactory) -> list[tuple[int, int]]:
    async with session_factory() as session:
        rows = await session.execute(select(Contract.quantity, Contract.total_minor).order_by(Contract.created_at))
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _market(gql: GraphQL, clock: FakeClock, *, allow_split: bool = True) -> tuple[Party, str, list[Party]]:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, quantity=1000, allowSplit=allow_split, estimatedMachineHours=100)
    makers = [await make_manufacturer(gql, clock, processes=("CNC_MILLING",)) for _ in range(3)]
    return buyer, order_id, makers


async def test_a_split_order_is_awarded_in_parts_that_add_up_to_its_quantity(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer, order_id, (a, b, c) = await _market(gql, clock)
    bid_a = await place_bid(gql, a, order_id, clock, unit_price="10.00", quantity=600)
    bid_b = await place_bid(
        gql, b, order_id, clock, unit_price="12.00", tooling={"amount": "500.00", "currency": "RUB"}
    )
    bid_c = await place_bid(gql, c, order_id, clock, unit_price="15.00")

    first = (await gql(AWARD, {"bid": bid_a}, token=buyer.token))["awardBid"]  # all it quotes for: 600
    partway = await _order(gql, buyer, order_id)
    feedback_partway = (await gql(FEEDBACK, {"id": bid_c}, token=c.token))["node"]
    second = (await gql(AWARD, {"bid": bid_b, "quantity": 400}, token=buyer.token))["awardBid"]
    done = await _order(gql, buyer, order_id)
    feedback_done = (await gql(FEEDBACK, {"id": bid_c}, token=c.token))["node"]

    assert first["__typename"] == second["__typename"] == "AwardBidSuccess"
    assert (first["contract"]["quantity"], first["contract"]["total"]["amount"]) == (600, "6000.00")
    # 400 x 12.00 + the tooling, which a part needs as much as the whole
    assert (second["contract"]["quantity"], second["contract"]["total"]["amount"]) == (400, "5300.00")
    assert (partway["status"], partway["awardedQuantity"]) == ("OPEN", 600)
    assert (done["status"], done["awardedQuantity"], done["allowSplit"]) == ("AWARDED", 1000, True)
    statuses = {bid["id"]: (bid["status"], bid["quantity"]) for bid in done["bids"]}
    assert statuses == {bid_a: ("ACCEPTED", 600), bid_b: ("ACCEPTED", 1000), bid_c: ("REJECTED", 1000)}
    assert await _contracts(session_factory) == [(600, 600_000), (400, 530_000)]
    # a losing bid hears it lost, with its feedback, once the whole quantity is awarded — not before
    assert feedback_partway == {"status": "ACTIVE", "feedback": None}
    assert feedback_done["status"] == "REJECTED" and feedback_done["feedback"]["rankBand"] is not None


async def test_a_part_of_a_bid_keeps_that_share_of_its_capacity_hold(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer, order_id, (a, _, _) = await _market(gql, clock)
    await add_capacity(gql, a, clock, hours=100)
    bid = await place_bid(gql, a, order_id, clock, quantity=800)  # 80 of the order's 100 hours, held softly

    async def held(kind: ReservationKind) -> int:
        async with session_factory() as session:
            hours = await session.scalar(
                select(func.coalesce(func.sum(CapacityReservation.hours), 0)).where(CapacityReservation.kind == kind)
            )
            return int(hours or 0)

    soft_before = await held(ReservationKind.soft)
    awarded = (await gql(AWARD, {"bid": bid, "quantity": 300}, token=buyer.token))["awardBid"]

    assert awarded["__typename"] == "AwardBidSuccess"
    assert soft_before == 80
    assert (await held(ReservationKind.soft), await held(ReservationKind.firm)) == (0, 30)


async def test_refused_split_awards_change_nothing(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer, order_id, (a, b, _) = await _market(gql, clock)
    bid_a = await place_bid(gql, a, order_id, clock, quantity=600)
    bid_b = await place_bid(gql, b, order_id, clock)
    assert (await gql(AWARD, {"bid": bid_a, "quantity": 500}, token=buyer.token))["awardBid"]["__typename"] == (
        "AwardBidSuccess"
    )
    before = (await _order(gql, buyer, order_id), await _contracts(session_factory))

    attempts = {
        "more than is left": (bid_b, 501),
        "more than the bid quotes": (bid_a, 601),
        "nothing": (bid_b, 0),
        "negative": (bid_b, -5),
        "the same bid again": (bid_a, 100),
    }
    outcomes = {}
    for name, (bid, quantity) in attempts.items():
        result = (await gql(AWARD, {"bid": bid, "quantity": quantity}, token=buyer.token))["awardBid"]
        outcomes[name] = (result["__typename"], result["code"], result["field"])

    assert outcomes == {
        "more than is left": ("ValidationError", "OUT_OF_RANGE", "quantity"),
        "more than the bid quotes": ("InvalidStateError", "BID_NOT_ACTIVE", "bidId"),
        "nothing": ("ValidationError", "OUT_OF_RANGE", "quantity"),
        "negative": ("ValidationError", "OUT_OF_RANGE", "quantity"),
        "the same bid again": ("InvalidStateError", "BID_NOT_ACTIVE", "bidId"),
    }
    assert (await _order(gql, buyer, order_id), await _contracts(session_factory)) == before


async def test_an_order_awarded_whole_takes_neither_partial_bids_nor_partial_awards(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer, order_id, (a, b, _) = await _market(gql, clock, allow_split=False)
    partial_bid = await gql(
        PLACE_BID, {"input": {"orderId": order_id, "terms": bid_terms(clock, quantity=500)}}, token=a.token
    )
    whole = await place_bid(gql, b, order_id, clock)
    partial_award = (await gql(AWARD, {"bid": whole, "quantity": 500}, token=buyer.token))["awardBid"]
    state = await _order(gql, buyer, order_id)

    assert (partial_bid["placeBid"]["code"], partial_bid["placeBid"]["field"]) == ("SPLIT_NOT_ALLOWED", "quantity")
    assert (partial_award["code"], partial_award["field"]) == ("SPLIT_NOT_ALLOWED", "quantity")
    assert (state["status"], state["awardedQuantity"], [bid["status"] for bid in state["bids"]]) == (
        "OPEN",
        0,
        ["ACTIVE"],
    )
    assert await _contracts(session_factory) == []
    whole_award = (await gql(AWARD, {"bid": whole}, token=buyer.token))["awardBid"]
    assert (whole_award["contract"]["quantity"], (await _order(gql, buyer, order_id))["status"]) == (1000, "AWARDED")
