"""Refused bids and awards, and sealed bids, over GraphQL: each refusal is typed and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import (
    SIGN_UP,
    GraphQL,
    Party,
    bid_terms,
    create_order,
    make_manufacturer,
    place_bid,
    sign_up,
)
from tests.clock import FakeClock

PLACE = """
mutation($input: PlaceBidInput!) {
  result: placeBid(input: $input) { __typename ... on UserError { code field } }
}
"""

PLACE_WITH_MESSAGE = """
mutation($input: PlaceBidInput!) {
  result: placeBid(input: $input) { __typename ... on UserError { code field message } }
}
"""

REVISE = """
mutation($bid: ID!, $terms: BidTermsInput!) {
  result: reviseBid(bidId: $bid, terms: $terms) { __typename ... on UserError { code field } }
}
"""

WITHDRAW = """
mutation($bid: ID!) { result: withdrawBid(bidId: $bid) { __typename ... on UserError { code field } } }
"""

AWARD = """
mutation($bid: ID!) { result: awardBid(bidId: $bid) { __typename ... on UserError { code field } } }
"""

CANCEL = """
mutation($id: ID!) { result: cancelOrder(id: $id, reason: "Design changed") { __typename } }
"""

ORDER_WITH_BIDS = """
query($id: ID!) {
  order(id: $id) {
    status closedAt updatedAt
    bids(statuses: [ACTIVE, WITHDRAWN, SUPERSEDED, ACCEPTED, REJECTED, EXPIRED]) {
      edges { node { id status revision unitPrice { amount currency } updatedAt manufacturer { id } } }
    }
  }
}
"""

MY_BIDS = "{ myBids { edges { node { id status revision unitPrice { amount currency } updatedAt } } } }"

MY_CONTRACTS = "{ myContracts { edges { node { id status } } } }"

BID_NODE = "query($id: ID!) { node(id: $id) { ... on Bid { id status } } }"


async def count_rows(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(f"select count(*) from {table}")))


async def order_with_bids(gql: GraphQL, order_id: str, party: Party) -> Any:
    data = await gql(ORDER_WITH_BIDS, {"id": order_id}, token=party.token)
    assert data["order"] is not None
    return data["order"]


async def my_bids(gql: GraphQL, party: Party) -> list[Any]:
    data = await gql(MY_BIDS, token=party.token)
    return [edge["node"] for edge in data["myBids"]["edges"]]


async def my_contracts(gql: GraphQL, party: Party) -> list[Any]:
    data = await gql(MY_CONTRACTS, token=party.token)
    return [edge["node"] for edge in data["myContracts"]["edges"]]


def bid_input(order_id: str, clock: FakeClock, **terms: Any) -> dict[str, Any]:
    return {"input": {"orderId": order_id, "terms": bid_terms(clock, **terms)}}


async def member_of(gql: GraphQL, admin: Party, *, role: str) -> Party:
    """A second user, signed up without an organisation, added to the admin's organisation."""
    email = f"member-of-{admin.organisation_id[:8].lower()}-{role.lower()}@example.com"
    data = await gql(SIGN_UP, {"input": {"email": email, "password": "correct horse battery", "fullName": "A. Member"}})
    signed_up = data["signUp"]
    assert signed_up["__typename"] == "AuthPayload", signed_up
    assert signed_up["organisation"] is None
    added = await gql(
        """mutation($org: ID!, $email: String!, $role: Role!) {
             addOrganisationMember(organisationId: $org, email: $email, role: $role) {
               __typename ... on UserError { code field } } }""",
        {"org": admin.organisation_id, "email": email, "role": role},
        token=admin.token,
    )
    assert added["addOrganisationMember"] == {"__typename": "AddOrganisationMemberSuccess"}
    return Party(signed_up["token"], signed_up["user"]["id"], admin.organisation_id, email)


# Placing a bid: timing and the order's state ----------------------------------------------------


async def test_a_bid_after_the_deadline_is_refused(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, biddingDeadline=(clock.now() + timedelta(days=2)).isoformat())
    terms = bid_terms(clock)
    clock.advance(timedelta(days=2, seconds=1))

    data = await gql(PLACE, {"input": {"orderId": order_id, "terms": terms}}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BIDDING_CLOSED", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, maker) == []


async def test_a_bid_exactly_at_the_deadline_is_refused(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, biddingDeadline=(clock.now() + timedelta(days=2)).isoformat())
    terms = bid_terms(clock)
    clock.advance(timedelta(days=2))

    data = await gql(PLACE, {"input": {"orderId": order_id, "terms": terms}}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BIDDING_CLOSED", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0


async def test_a_bid_on_a_draft_is_not_found(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    draft = await create_order(gql, buyer, clock, publish=False)

    data = await gql(PLACE, bid_input(draft, clock), token=maker.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, maker) == []


async def test_a_bid_on_a_cancelled_order_is_refused(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    cancelled = await gql(CANCEL, {"id": order_id}, token=buyer.token)
    assert cancelled["result"] == {"__typename": "OrderSuccess"}

    data = await gql(PLACE, bid_input(order_id, clock), token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_OPEN", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0
    assert (await order_with_bids(gql, order_id, buyer))["bids"]["edges"] == []


async def test_a_bid_with_a_bogus_order_id_is_not_found(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    maker = await make_manufacturer(gql, clock)

    data = await gql(PLACE, bid_input("bogus", clock), token=maker.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0


async def test_an_anonymous_bid_is_refused(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)

    data = await gql(PLACE, bid_input(order_id, clock))

    assert data["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await count_rows(engine, "bid") == 0


# Placing a bid: the terms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "code", "field"),
    [
        ({"unitPrice": {"amount": "300.00", "currency": "USD"}}, "CURRENCY_MISMATCH", "unitPrice.currency"),
        ({"unitPrice": {"amount": "-5.00", "currency": "RUB"}}, "OUT_OF_RANGE", "unitPrice.amount"),
        ({"unitPrice": {"amount": "0.00", "currency": "RUB"}}, "OUT_OF_RANGE", "unitPrice.amount"),
        ({"unitPrice": {"amount": "300.001", "currency": "RUB"}}, "INVALID", "unitPrice.amount"),
        ({"unitPrice": {"amount": "300.00", "currency": "XXX"}}, "UNKNOWN_CURRENCY", "unitPrice.currency"),
        ({"tooling": {"amount": "5000.00", "currency": "EUR"}}, "CURRENCY_MISMATCH", "tooling.currency"),
        ({"tooling": {"amount": "-1.00", "currency": "RUB"}}, "OUT_OF_RANGE", "tooling.amount"),
        ({"leadTimeDays": 0}, "OUT_OF_RANGE", "leadTimeDays"),
        ({"leadTimeDays": -3}, "OUT_OF_RANGE", "leadTimeDays"),
        ({"leadTimeDays": 3651}, "OUT_OF_RANGE", "leadTimeDays"),
        ({"validUntil": "2027-03-14"}, "OUT_OF_RANGE", "validUntil"),
    ],
)
async def test_invalid_bid_terms_are_refused(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, terms: dict[str, Any], code: str, field: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    # Priced in RUB; the bidding deadline is 2027-03-15 (the clock starts on 2027-03-01).
    order_id = await create_order(gql, buyer, clock)

    data = await gql(PLACE, bid_input(order_id, clock, **terms), token=maker.token)

    assert data["result"] == {"__typename": "ValidationError", "code": code, "field": field}
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, maker) == []


async def test_a_second_active_bid_by_the_same_manufacturer_is_a_conflict(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(PLACE, bid_input(order_id, clock, unit_price="290.00"), token=maker.token)

    assert data["result"] == {"__typename": "ConflictError", "code": "DUPLICATE_BID", "field": "orderId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert [(b["status"], b["unitPrice"]["amount"]) for b in await my_bids(gql, maker)] == [("ACTIVE", "300.00")]


# Placing a bid: who may bid ---------------------------------------------------------------------


async def test_an_organisation_that_buys_and_makes_cannot_bid_on_its_own_order(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    both = await sign_up(gql, kind="BOTH")
    profile = await gql(
        """mutation($org: ID!) { updateManufacturerProfile(organisationId: $org,
             input: {processes: [CNC_MILLING], minQuantity: 1, maxQuantity: 100000}) { __typename } }""",
        {"org": both.organisation_id},
        token=both.token,
    )
    assert profile["updateManufacturerProfile"] == {"__typename": "ManufacturerProfileSuccess"}
    order_id = await create_order(gql, both, clock, requiredCertifications=[])

    data = await gql(PLACE, bid_input(order_id, clock), token=both.token)

    assert data["result"] == {"__typename": "NotEligibleError", "code": "OWN_ORDER", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0
    assert (await order_with_bids(gql, order_id, both))["bids"]["edges"] == []


async def test_a_buyer_only_organisation_cannot_bid(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other_buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)

    data = await gql(PLACE, bid_input(order_id, clock), token=other_buyer.token)

    assert data["result"] == {
        "__typename": "NotEligibleError",
        "code": "NOT_A_MANUFACTURER",
        "field": "organisationId",
    }
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, other_buyer) == []


async def test_a_manufacturer_cannot_bid_for_an_organisation_it_does_not_belong_to(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    variables = bid_input(order_id, clock)
    variables["input"]["organisationId"] = other.organisation_id

    data = await gql(PLACE, variables, token=maker.token)

    assert data["result"] == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN", "field": "organisationId"}
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, other) == []


@pytest.mark.parametrize(
    ("profile", "order", "reason"),
    [
        ({"processes": ("CNC_TURNING",)}, {}, "the profile does not list the process cnc_milling"),
        ({}, {"requiredCertifications": ["AS9100"]}, "certification as9100 is required"),
        ({"max_quantity": 100}, {}, "quantity 500 is above the profile maximum 100"),
        ({"min_quantity": 1000}, {}, "quantity 500 is below the profile minimum 1000"),
    ],
)
async def test_a_manufacturer_that_cannot_make_the_order_may_not_bid(
    gql: GraphQL,
    clock: FakeClock,
    engine: AsyncEngine,
    profile: dict[str, Any],
    order: dict[str, Any],
    reason: str,
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock, **profile)
    order_id = await create_order(gql, buyer, clock, **order)  # CNC milling, 500 pieces, ISO 9001

    data = await gql(PLACE_WITH_MESSAGE, bid_input(order_id, clock), token=maker.token)

    assert data["result"] == {
        "__typename": "NotEligibleError",
        "code": "CAPABILITY_MISMATCH",
        "field": "orderId",
        "message": reason,
    }
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, maker) == []


async def test_a_manufacturer_without_a_profile_may_not_bid(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await sign_up(gql, kind="MANUFACTURER")
    order_id = await create_order(gql, buyer, clock, requiredCertifications=[])

    data = await gql(PLACE_WITH_MESSAGE, bid_input(order_id, clock), token=maker.token)

    assert data["result"] == {
        "__typename": "NotEligibleError",
        "code": "CAPABILITY_MISMATCH",
        "field": "orderId",
        "message": "the organisation has no manufacturer profile yet",
    }
    assert await count_rows(engine, "bid") == 0


async def test_an_invited_only_order_is_not_found_by_a_manufacturer_not_invited(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    invited = await make_manufacturer(gql, clock)
    outsider = await make_manufacturer(gql, clock)
    order_id = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[invited.organisation_id]
    )

    data = await gql(PLACE, bid_input(order_id, clock), token=outsider.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "orderId"}
    assert await count_rows(engine, "bid") == 0
    assert await my_bids(gql, outsider) == []


# Revising and withdrawing -----------------------------------------------------------------------


async def test_someone_elses_bid_cannot_be_revised(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(REVISE, {"bid": bid_id, "terms": bid_terms(clock, "1.00")}, token=rival.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert await my_bids(gql, rival) == []


@pytest.mark.parametrize("by", ["rival", "buyer"])
async def test_someone_elses_bid_cannot_be_withdrawn(gql: GraphQL, clock: FakeClock, by: str) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(WITHDRAW, {"bid": bid_id}, token={"rival": rival, "buyer": buyer}[by].token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert [b["status"] for b in await my_bids(gql, maker)] == ["ACTIVE"]


async def test_a_withdrawn_bid_cannot_be_revised(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    withdrawn = await gql(WITHDRAW, {"bid": bid_id}, token=maker.token)
    assert withdrawn["result"] == {"__typename": "BidSuccess"}
    before = await my_bids(gql, maker)

    data = await gql(REVISE, {"bid": bid_id, "terms": bid_terms(clock, "280.00")}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BID_NOT_ACTIVE", "field": "bidId"}
    assert await my_bids(gql, maker) == before
    assert [b["status"] for b in before] == ["WITHDRAWN"]
    assert await count_rows(engine, "bid") == 1


async def test_a_withdrawn_bid_cannot_be_withdrawn_again(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    withdrawn = await gql(WITHDRAW, {"bid": bid_id}, token=maker.token)
    assert withdrawn["result"] == {"__typename": "BidSuccess"}
    before = await my_bids(gql, maker)
    clock.advance(timedelta(hours=1))

    data = await gql(WITHDRAW, {"bid": bid_id}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BID_NOT_ACTIVE", "field": "bidId"}
    assert await my_bids(gql, maker) == before


async def test_a_superseded_bid_cannot_be_revised(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    original = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    revised = await gql(REVISE, {"bid": original, "terms": bid_terms(clock, "290.00")}, token=maker.token)
    assert revised["result"] == {"__typename": "BidSuccess"}
    before = await my_bids(gql, maker)

    data = await gql(REVISE, {"bid": original, "terms": bid_terms(clock, "280.00")}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BID_NOT_ACTIVE", "field": "bidId"}
    assert await my_bids(gql, maker) == before
    assert await count_rows(engine, "bid") == 2


async def test_a_revision_with_invalid_terms_leaves_the_bid_active(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(REVISE, {"bid": bid_id, "terms": bid_terms(clock, "0.00")}, token=maker.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "unitPrice.amount"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert await count_rows(engine, "bid") == 1


async def test_a_bid_cannot_be_withdrawn_after_the_deadline(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, biddingDeadline=(clock.now() + timedelta(days=2)).isoformat())
    bid_id = await place_bid(gql, maker, order_id, clock)
    clock.advance(timedelta(days=2, seconds=1))
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(WITHDRAW, {"bid": bid_id}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BIDDING_CLOSED", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert [b["status"] for b in await my_bids(gql, maker)] == ["ACTIVE"]


async def test_a_bid_cannot_be_revised_after_the_deadline(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, biddingDeadline=(clock.now() + timedelta(days=2)).isoformat())
    bid_id = await place_bid(gql, maker, order_id, clock)
    clock.advance(timedelta(days=2, seconds=1))
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(REVISE, {"bid": bid_id, "terms": bid_terms(clock, "280.00")}, token=maker.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BIDDING_CLOSED", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert await count_rows(engine, "bid") == 1


# Awarding ---------------------------------------------------------------------------------------


async def test_the_manufacturer_cannot_award_its_own_bid(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(AWARD, {"bid": bid_id}, token=maker.token)

    assert data["result"] == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert before["status"] == "OPEN"
    assert await my_contracts(gql, maker) == []
    assert await count_rows(engine, "contract") == 0


async def test_another_buyer_cannot_award_a_bid_and_learns_nothing(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other_buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(AWARD, {"bid": bid_id}, token=other_buyer.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert await my_contracts(gql, other_buyer) == []
    assert await count_rows(engine, "contract") == 0


async def test_a_member_who_is_not_an_admin_cannot_award(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    member = await member_of(gql, buyer, role="MEMBER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(AWARD, {"bid": bid_id}, token=member.token)

    assert data["result"] == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert await my_contracts(gql, member) == []
    assert await count_rows(engine, "contract") == 0


async def test_an_anonymous_user_cannot_award(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(AWARD, {"bid": bid_id})

    assert data["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert await count_rows(engine, "contract") == 0


async def test_a_bogus_bid_id_cannot_be_awarded(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)

    data = await gql(AWARD, {"bid": order_id}, token=buyer.token)  # an order's ID is not a bid's

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "bidId"}
    assert (await order_with_bids(gql, order_id, buyer))["status"] == "OPEN"
    assert await count_rows(engine, "contract") == 0


async def test_a_withdrawn_bid_cannot_be_awarded(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    bid_id = await place_bid(gql, maker, order_id, clock)
    withdrawn = await gql(WITHDRAW, {"bid": bid_id}, token=maker.token)
    assert withdrawn["result"] == {"__typename": "BidSuccess"}
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(AWARD, {"bid": bid_id}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BID_NOT_ACTIVE", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert before["status"] == "OPEN"
    assert await my_contracts(gql, buyer) == []
    assert await count_rows(engine, "contract") == 0


async def test_an_order_cannot_be_awarded_twice(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    winning = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    losing = await place_bid(gql, rival, order_id, clock, unit_price="320.00")
    first = await gql(AWARD, {"bid": winning}, token=buyer.token)
    assert first["result"] == {"__typename": "AwardBidSuccess"}
    before = await order_with_bids(gql, order_id, buyer)
    contracts = await my_contracts(gql, buyer)
    clock.advance(timedelta(hours=1))

    again = await gql(AWARD, {"bid": winning}, token=buyer.token)
    other = await gql(AWARD, {"bid": losing}, token=buyer.token)

    assert again["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_OPEN", "field": None}
    assert other["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_OPEN", "field": None}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert before["status"] == "AWARDED"
    assert await my_contracts(gql, buyer) == contracts
    assert await count_rows(engine, "contract") == 1
    assert await count_rows(engine, "contract_event") == 1


async def test_an_expired_bid_cannot_be_awarded(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, biddingDeadline="2027-03-03T09:00:00+00:00")
    # Valid until the day of the bidding deadline, the earliest allowed.
    bid_id = await place_bid(gql, maker, order_id, clock, validUntil="2027-03-03")
    clock.advance(timedelta(days=3))  # 2027-03-04 09:00: the bid lapsed yesterday
    before = await order_with_bids(gql, order_id, buyer)

    data = await gql(AWARD, {"bid": bid_id}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "BID_EXPIRED", "field": "bidId"}
    assert await order_with_bids(gql, order_id, buyer) == before
    assert before["status"] == "OPEN"
    assert [edge["node"]["status"] for edge in before["bids"]["edges"]] == ["ACTIVE"]
    assert await count_rows(engine, "contract") == 0


# Sealed bids ------------------------------------------------------------------------------------


async def test_a_manufacturer_sees_only_its_own_bid_on_an_order(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    own = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
    competitor = await place_bid(gql, rival, order_id, clock, unit_price="290.00")

    seen_by_maker = await order_with_bids(gql, order_id, maker)
    seen_by_buyer = await order_with_bids(gql, order_id, buyer)

    assert [edge["node"]["id"] for edge in seen_by_maker["bids"]["edges"]] == [own]
    assert [edge["node"]["id"] for edge in seen_by_buyer["bids"]["edges"]] == [competitor, own]


async def test_a_competitors_bid_is_not_reachable_by_its_id(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    outsider = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    competitor = await place_bid(gql, rival, order_id, clock, unit_price="290.00")

    by_maker = await gql(BID_NODE, {"id": competitor}, token=maker.token)
    by_outsider = await gql(BID_NODE, {"id": competitor}, token=outsider.token)
    by_anonymous = await gql(BID_NODE, {"id": competitor})
    by_buyer = await gql(BID_NODE, {"id": competitor}, token=buyer.token)

    assert by_maker == {"node": None}
    assert by_outsider == {"node": None}
    assert by_anonymous == {"node": None}
    assert by_buyer == {"node": {"id": competitor, "status": "ACTIVE"}}
