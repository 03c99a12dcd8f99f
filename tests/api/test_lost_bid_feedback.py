"""Lost-bid feedback: at award each losing bidder learns its rank band, its price band against the winner
and the buyer's optional reason; never the winner's identity or price."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.bids.models import BidFeedback
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

AWARD = """mutation($id: ID!, $reason: LostReason) { awardBid(bidId: $id, lostBidReason: $reason) {
  __typename ... on AwardBidSuccess { contract { id } } ... on UserError { code field } } }"""
FEEDBACK = """query($id: ID!) { node(id: $id) { ... on Bid { status feedback { rankBand priceBand reason } } } }"""
WITHDRAW = "mutation($id: ID!) { withdrawBid(bidId: $id) { __typename } }"


async def test_each_loser_learns_where_it_stood_and_nothing_about_the_winner(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, title="Impeller")
    prices = ["300.00", "290.00", "310.00", "320.00", "340.00", "400.00", "450.00", "280.00"]
    makers = [await make_manufacturer(gql, clock) for _ in prices]
    bids = [
        await place_bid(gql, maker, order_id, clock, unit_price=price)
        for maker, price in zip(makers, prices, strict=True)
    ]
    await gql(WITHDRAW, {"id": bids[-1]}, token=makers[-1].token)  # gone before the award: no feedback

    awarded = (await gql(AWARD, {"id": bids[0], "reason": "TRACK_RECORD"}, token=buyer.token))["awardBid"]
    seen = [
        (await gql(FEEDBACK, {"id": bid}, token=maker.token))["node"] for bid, maker in zip(bids, makers, strict=True)
    ]
    buyer_view = (await gql(FEEDBACK, {"id": bids[1]}, token=buyer.token))["node"]
    other_loser_view = (await gql(FEEDBACK, {"id": bids[1]}, token=makers[2].token))["node"]
    lost_notice = (await gql("{ notifications { edges { node { kind body } } } }", token=makers[1].token))[
        "notifications"
    ]["edges"][0]["node"]

    assert awarded["__typename"] == "AwardBidSuccess"
    reason = "TRACK_RECORD"
    assert seen == [
        {"status": "ACCEPTED", "feedback": None},
        {"status": "REJECTED", "feedback": {"rankBand": "TOP_3", "priceBand": "BELOW_WINNER", "reason": reason}},
        {"status": "REJECTED", "feedback": {"rankBand": "TOP_3", "priceBand": "WITHIN_5_PCT", "reason": reason}},
        {"status": "REJECTED", "feedback": {"rankBand": "TOP_HALF", "priceBand": "WITHIN_15_PCT", "reason": reason}},
        {"status": "REJECTED", "feedback": {"rankBand": "LOWER_HALF", "priceBand": "WITHIN_15_PCT", "reason": reason}},
        {"status": "REJECTED", "feedback": {"rankBand": "LOWER_HALF", "priceBand": "OVER_30_PCT", "reason": reason}},
        {"status": "REJECTED", "feedback": {"rankBand": "LOWER_HALF", "priceBand": "OVER_30_PCT", "reason": reason}},
        {"status": "WITHDRAWN", "feedback": None},
    ]
    assert buyer_view == {"status": "REJECTED", "feedback": None}  # the bidder's to read
    assert other_loser_view is None  # sealed: another bidder's bid is invisible
    assert lost_notice["kind"] == "BID_LOST"
    assert lost_notice["body"] == (
        "Your bid ranked top 3 by price; its total was below winner against the winning bid. "
        "The buyer's reason: track record."
    )
    assert "150" not in lost_notice["body"] and makers[0].organisation_id not in lost_notice["body"]


async def test_award_without_a_reason_still_gives_bands_and_a_refused_award_gives_nothing(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    winner, loser = await make_manufacturer(gql, clock), await make_manufacturer(gql, clock)
    winning = await place_bid(gql, winner, order_id, clock, unit_price="300.00")
    losing = await place_bid(gql, loser, order_id, clock, unit_price="330.00")

    refused = (await gql(AWARD, {"id": winning, "reason": "PRICE"}, token=loser.token))["awardBid"]
    async with engine.connect() as conn:
        stored_after_refusal = await conn.scalar(select(func.count()).select_from(BidFeedback))
    await gql(AWARD, {"id": winning}, token=buyer.token)
    seen = (await gql(FEEDBACK, {"id": losing}, token=loser.token))["node"]

    assert refused == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "bidId"}
    assert stored_after_refusal == 0
    assert seen["feedback"] == {"rankBand": "TOP_3", "priceBand": "WITHIN_15_PCT", "reason": None}


async def test_an_award_runs_the_same_statements_for_two_and_six_losers(
    gql: GraphQL, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    counts = []
    for losers in (2, 6):
        order_id = await create_order(gql, buyer, clock, title=f"Impeller {losers}")
        bids = [await place_bid(gql, await make_manufacturer(gql, clock), order_id, clock) for _ in range(losers + 1)]
        with sql.counting():
            awarded = (await gql(AWARD, {"id": bids[0], "reason": "PRICE"}, token=buyer.token))["awardBid"]
        assert awarded["__typename"] == "AwardBidSuccess"
        counts.append(sql.count)

    assert counts[0] == counts[1]
