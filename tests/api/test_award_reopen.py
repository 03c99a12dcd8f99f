"""A cancelled contract gives its award back: the order is open for award again with a new award window, the bids
the award rejected come back while still valid, their bidders are told and may confirm or withdraw them, and the
buyer awards the runner-up — instead of posting the order again and losing its bids."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from exchange.worker import run_timers_once
from tests.api.contracts import contract, fund, operator, step
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock

ORDER = """query($id: ID!) { order(id: $id) { status awardedQuantity awardReopenedAt } }"""
BID = """query($id: ID!) { node(id: $id) { ... on Bid { status reconfirmedAt viewerCanConfirm viewerCanWithdraw } } }"""
AWARD = """mutation($id: ID!) { awardBid(bidId: $id) {
  __typename ... on AwardBidSuccess { contract { id } } ... on UserError { code message } } }"""
CONFIRM = """mutation($id: ID!) { confirmBid(bidId: $id) {
  __typename ... on BidSuccess { bid { status reconfirmedAt } } ... on UserError { code field } } }"""
WITHDRAW = """mutation($id: ID!) { withdrawBid(bidId: $id) {
  __typename ... on BidSuccess { bid { status } } ... on UserError { code } } }"""
EVENTS = "query($id: ID!) { node(id: $id) { ... on Contract { events { transition payload } } } }"
INBOX = "{ notifications(first: 20) { edges { node { title } } } }"


SIGN_IN = """mutation($e: String!) { signIn(email: $e, password: "correct horse battery") {
  ... on AuthPayload { token } } }"""


async def _again(gql: GraphQL, *parties: Party) -> list[Party]:
    """Signed in afresh: the weeks a funding window takes outlast a token."""
    return [replace(party, token=(await gql(SIGN_IN, {"e": party.email}))["signIn"]["token"]) for party in parties]


async def _titles(gql: GraphQL, party: Party) -> list[str]:
    return [e["node"]["title"] for e in (await gql(INBOX, token=party.token))["notifications"]["edges"]]


async def _market(gql: GraphQL, clock: FakeClock) -> tuple[Party, list[Party], str, list[str], str]:
    """An order with three bids (the last valid for 10 days only), the first awarded once bidding closed."""
    buyer = await sign_up(gql, kind="BUYER")
    makers = [await make_manufacturer(gql, clock) for _ in range(3)]
    order_id = await create_order(
        gql, buyer, clock, title="Housing, milled", biddingDeadline=(clock.now() + timedelta(days=2)).isoformat()
    )
    bids = [
        await place_bid(gql, makers[0], order_id, clock, unit_price="300.00"),
        await place_bid(gql, makers[1], order_id, clock, unit_price="310.00"),
        await place_bid(
            gql,
            makers[2],
            order_id,
            clock,
            unit_price="320.00",
            validUntil=(clock.now() + timedelta(days=10)).date().isoformat(),
        ),
    ]
    clock.advance(timedelta(days=3))  # bidding closed
    awarded = (await gql(AWARD, {"id": bids[0]}, token=buyer.token))["awardBid"]
    assert awarded["__typename"] == "AwardBidSuccess", awarded
    return buyer, makers, order_id, bids, awarded["contract"]["id"]


async def test_funding_expired_puts_the_order_back_to_award_and_the_runner_up_wins(
    gql: GraphQL, clock: FakeClock, deps: AppDeps
) -> None:
    buyer, makers, order_id, bids, contract_id = await _market(gql, clock)
    assert (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]["status"] == "AWARDED"

    clock.advance(timedelta(days=14, seconds=1))  # the funding window: the unfunded contract expires
    timers = await run_timers_once(deps)
    buyer, *makers = await _again(gql, buyer, *makers)

    order = (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]
    runner_up = (await gql(BID, {"id": bids[1]}, token=makers[1].token))["node"]
    lapsed = (await gql(BID, {"id": bids[2]}, token=makers[2].token))["node"]
    winner = (await gql(BID, {"id": bids[0]}, token=makers[0].token))["node"]
    assert timers["contract_timers"] == 1
    assert (await contract(gql, contract_id, buyer.token))["status"] == "CANCELLED"
    assert order["status"] == "OPEN" and order["awardedQuantity"] == 0 and order["awardReopenedAt"]
    assert runner_up == {"status": "ACTIVE", "reconfirmedAt": None, "viewerCanConfirm": True, "viewerCanWithdraw": True}
    assert lapsed["status"] == "REJECTED"  # its validity ended meanwhile: not put back
    assert winner["status"] == "ACCEPTED"  # the cancelled contract's bid keeps its history
    assert "“Housing, milled” is open for award again" in await _titles(gql, makers[1])
    assert "“Housing, milled” is open for award again" not in await _titles(gql, makers[2])
    assert any(t.endswith("500 units to award again") for t in await _titles(gql, buyer))

    confirmed = (await gql(CONFIRM, {"id": bids[1]}, token=makers[1].token))["confirmBid"]
    second = (await gql(AWARD, {"id": bids[1]}, token=buyer.token))["awardBid"]
    assert confirmed["__typename"] == "BidSuccess" and confirmed["bid"]["reconfirmedAt"]
    assert second["__typename"] == "AwardBidSuccess"
    assert (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]["status"] == "AWARDED"


async def test_a_cancelled_funded_contract_is_refunded_and_its_award_given_back(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, makers, order_id, bids, contract_id = await _market(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "BANK-REOPEN")

    cancelled = await gql(
        step("cancelContract", ', reason: "the shop lost its machine"'), {"id": contract_id}, token=ops.token
    )

    state = await contract(gql, contract_id, buyer.token)
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess"
    assert state["status"] == "CANCELLED" and state["escrowBalance"] == {"amount": "0.00"}
    events = (await gql(EVENTS, {"id": contract_id}, token=buyer.token))["node"]["events"]
    assert events[-1]["payload"]["returned_quantity"] == 500  # the audit log says what went back
    assert (await gql(ORDER, {"id": order_id}, token=buyer.token))["order"]["status"] == "OPEN"
    withdrawn = (await gql(WITHDRAW, {"id": bids[1]}, token=makers[1].token))["withdrawBid"]
    assert withdrawn == {"__typename": "BidSuccess", "bid": {"status": "WITHDRAWN"}}  # after the deadline


async def test_confirming_someone_elses_bid_or_one_not_put_back_is_refused_and_changes_nothing(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)

    stranger = (await gql(CONFIRM, {"id": bid_id}, token=buyer.token))["confirmBid"]
    not_reopened = (await gql(CONFIRM, {"id": bid_id}, token=maker.token))["confirmBid"]

    assert stranger == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "bidId"}
    assert not_reopened == {"__typename": "InvalidStateError", "code": "ORDER_NOT_OPEN", "field": "bidId"}
    bid: Any = (await gql(BID, {"id": bid_id}, token=maker.token))["node"]
    assert bid["reconfirmedAt"] is None and bid["viewerCanConfirm"] is False
