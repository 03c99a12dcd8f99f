"""Reviews after completion (blind until both are in or 14 days pass) and KPIs computed from contract
events, bids and invitations, shown on profiles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.reviews.models import Review
from exchange.worker import run_timers_once
from tests.api.contracts import operator, step
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.reviews import (
    REVIEW,
    award,
    completed,
    deliver,
    produce,
    review,
    run,
    settings,  # noqa: F401  (the long token lifetime)
)
from tests.clock import FakeClock

CONTRACT_REVIEWS = """query($id: ID!) { node(id: $id) { ... on Contract {
  reviews { rating text published byBuyer author { id } } } } }"""
PROFILE = """query($id: ID!) { node(id: $id) { ... on Organisation {
  reviews { edges { node { rating text byBuyer } } }
  kpis {
    onTimeDeliveryRate { value successes total } disputeRate { value successes total }
    invitationResponseRate { value successes total } medianInvitationResponseHours
    awardRate { value successes total } onTimeFundingRate { value successes total }
    ratingAverage ratingCount
  } } } }"""


async def reviews_on(gql: GraphQL, contract_id: str, party: Party) -> Any:
    return (await gql(CONTRACT_REVIEWS, {"id": contract_id}, token=party.token))["node"]["reviews"]


async def profile(gql: GraphQL, organisation_id: str, party: Party) -> Any:
    return (await gql(PROFILE, {"id": organisation_id}, token=party.token))["node"]


async def test_reviews_stay_hidden_until_both_sides_reviewed(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await completed(gql, clock, engine)
    stranger = await sign_up(gql, kind="BUYER")

    first = await review(gql, buyer, contract_id, 5, "  On time, clean parts.  ")
    while_blind = {
        "buyer sees": await reviews_on(gql, contract_id, buyer),
        "maker sees": await reviews_on(gql, contract_id, maker),
        "profile": (await profile(gql, maker.organisation_id, stranger))["reviews"]["edges"],
    }
    clock.advance(timedelta(days=2))
    second = await review(gql, maker, contract_id, 4, "Paid promptly.")
    maker_profile = await profile(gql, maker.organisation_id, stranger)
    buyer_profile = await profile(gql, buyer.organisation_id, stranger)

    assert first == {
        "__typename": "ReviewSuccess",
        "review": {"rating": 5, "text": "On time, clean parts.", "published": False, "byBuyer": True},
    }
    own = {"rating": 5, "text": "On time, clean parts.", "published": False, "byBuyer": True}
    assert while_blind == {
        "buyer sees": [{**own, "author": {"id": buyer.organisation_id}}],
        "maker sees": [],
        "profile": [],
    }
    assert second["review"] == {"rating": 4, "text": "Paid promptly.", "published": True, "byBuyer": False}
    assert [(r["rating"], r["published"]) for r in await reviews_on(gql, contract_id, maker)] == [(5, True), (4, True)]
    assert maker_profile["reviews"]["edges"] == [
        {"node": {"rating": 5, "text": "On time, clean parts.", "byBuyer": True}}
    ]
    assert buyer_profile["reviews"]["edges"] == [{"node": {"rating": 4, "text": "Paid promptly.", "byBuyer": False}}]
    assert (maker_profile["kpis"]["ratingAverage"], maker_profile["kpis"]["ratingCount"]) == (5.0, 1)
    assert (buyer_profile["kpis"]["ratingAverage"], buyer_profile["kpis"]["ratingCount"]) == (4.0, 1)


async def test_after_14_days_a_lone_review_shows_and_the_other_side_can_no_longer_review(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await completed(gql, clock, engine)
    await review(gql, buyer, contract_id, 2, "Late and rough.")
    clock.advance(timedelta(days=13, hours=23))
    hidden = await reviews_on(gql, contract_id, maker)
    clock.advance(timedelta(hours=1))
    shown = await reviews_on(gql, contract_id, maker)
    late = await review(gql, maker, contract_id, 1, "Retaliation.")

    assert hidden == []
    assert [(r["rating"], r["published"]) for r in shown] == [(2, True)]
    assert (late["__typename"], late["code"], late["field"]) == (
        "InvalidStateError",
        "REVIEW_PERIOD_OVER",
        "contractId",
    )


async def test_refused_reviews_store_nothing(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    _, pending = await award(gql, buyer, maker, clock)
    other_buyer, other_maker, done = await completed(gql, clock, engine)
    first = await review(gql, other_buyer, done, 4)
    async with engine.connect() as conn:
        before = await conn.scalar(select(func.count()).select_from(Review))

    refusals = {
        "before completion": await review(gql, buyer, pending, 5),
        "second review": await review(gql, other_buyer, done, 1),
        "stranger": await review(gql, buyer, done, 1),
        "rating 6": await review(gql, other_maker, done, 6),
        "rating 0": await review(gql, other_maker, done, 0),
        "text too long": await review(gql, other_maker, done, 3, "x" * 5001),
        "anonymous": (await gql(REVIEW, {"id": done, "rating": 3, "text": ""}))["submitReview"],
    }

    assert first["__typename"] == "ReviewSuccess"
    assert {k: (v["__typename"], v["code"], v["field"]) for k, v in refusals.items()} == {
        "before completion": ("InvalidStateError", "CONTRACT_NOT_COMPLETED", "contractId"),
        "second review": ("ConflictError", "ALREADY_EXISTS", "contractId"),
        "stranger": ("NotFoundError", "NOT_FOUND", "contractId"),
        "rating 6": ("ValidationError", "OUT_OF_RANGE", "rating"),
        "rating 0": ("ValidationError", "OUT_OF_RANGE", "rating"),
        "text too long": ("ValidationError", "OUT_OF_RANGE", "text"),
        "anonymous": ("NotAuthenticatedError", "UNAUTHENTICATED", None),
    }
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Review)) == before == 1
        assert await conn.scalar(select(Review.rating)) == 4


async def test_kpis_come_from_what_happened(gql: GraphQL, clock: FakeClock, engine: AsyncEngine, deps: AppDeps) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    # A: delivered on time and accepted.  B: delivered late and disputed.  C: never funded.
    _, on_time = await award(gql, buyer, maker, clock)
    await produce(gql, ops, buyer, maker, clock, on_time)
    await deliver(gql, buyer, maker, on_time)
    await run(gql, buyer.token, "acceptDelivery", on_time)
    _, late = await award(gql, buyer, maker, clock)
    await produce(gql, ops, buyer, maker, clock, late)
    await award(gql, buyer, maker, clock)
    # D: the maker is invited and bids five hours later (the order stays open). E: cancelled.
    invited = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[maker.organisation_id]
    )
    clock.advance(timedelta(hours=5))
    await place_bid(gql, maker, invited, clock)
    cancelled = await create_order(gql, buyer, clock)
    await gql("mutation($id: ID!) { cancelOrder(id: $id) { __typename } }", {"id": cancelled}, token=buyer.token)

    clock.advance(timedelta(days=15))
    assert (await run_timers_once(deps))["contract_timers"] == 1  # C's funding window ran out
    clock.advance(timedelta(days=46))  # past B's need-by date
    await deliver(gql, buyer, maker, late)
    await run(gql, buyer.token, "openDispute", late, step("openDispute", ', reason: "burrs"'))
    maker_kpis = (await profile(gql, maker.organisation_id, buyer))["kpis"]
    buyer_kpis = (await profile(gql, buyer.organisation_id, maker))["kpis"]

    assert maker_kpis["onTimeDeliveryRate"] == {"value": 0.5, "successes": 1, "total": 2}
    assert maker_kpis["disputeRate"] == {"value": 0.5, "successes": 1, "total": 2}
    assert maker_kpis["invitationResponseRate"] == {"value": 1.0, "successes": 1, "total": 1}
    assert maker_kpis["medianInvitationResponseHours"] == 5.0
    # C's contract expired unfunded, which gave its order back to award (open again): A and B awarded, E cancelled.
    assert buyer_kpis["awardRate"] == {"value": 2 / 3, "successes": 2, "total": 3}
    assert buyer_kpis["onTimeFundingRate"]["successes"] == 2
    assert buyer_kpis["onTimeFundingRate"]["total"] == 3
    assert buyer_kpis["onTimeDeliveryRate"] == {"value": None, "successes": 0, "total": 0}
    assert (maker_kpis["ratingAverage"], maker_kpis["ratingCount"]) == (None, 0)


async def test_kpis_on_a_list_of_organisations_run_a_constant_number_of_statements(
    gql: GraphQL, clock: FakeClock, sql: Any
) -> None:
    query = """{ manufacturers(first: 50) { edges { node { id kpis { onTimeDeliveryRate { value }
      medianInvitationResponseHours awardRate { value } ratingAverage } reviews { edges { node { rating } } } } } } }"""
    viewer = await sign_up(gql, kind="BUYER")
    counts = []
    for n in (2, 5):
        while len((await gql(query, token=viewer.token))["manufacturers"]["edges"]) < n:
            await make_manufacturer(gql, clock)
        with sql.counting():
            await gql(query, token=viewer.token)
        counts.append(sql.count)

    assert counts[0] == counts[1]
