"""Notifications carry typed params: every shape comes out of the API typed and complete (Money as Money, instants
as DateTime, enums as enums), and the flows that tell people things store the figures of what happened."""

from __future__ import annotations

import base64
import dataclasses
import typing
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from api.notifications.params import _TYPES
from domain.bids.feedback import LostReason, PriceBand, RankBand
from domain.contracts.process import ContractStatus
from domain.money import Money
from domain.notifications import params as notice
from domain.notifications.service import notify
from domain.payments.card_events import card_payment_failed
from domain.uow import SessionFactory, UnitOfWork
from exchange.settings import Environment, Settings
from exchange.worker import relay_outbox_once, relay_saved_searches_once, run_timers_once
from tests.api.contracts import step
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.notifications import camel, inbox, params
from tests.api.reviews import completed, review
from tests.api.saved_searches import SAVE
from tests.clock import FakeClock

AWARD = """mutation($id: ID!, $reason: LostReason) { awardBid(bidId: $id, lostBidReason: $reason) {
  __typename ... on AwardBidSuccess { contract { id } } } }"""
ASK = """mutation($order: ID!, $q: String!) { askQuestion(orderId: $order, question: $q) {
  __typename ... on OrderQuestionSuccess { question { id } } } }"""
ANSWER = """mutation($id: ID!, $a: String!) { answerQuestion(questionId: $id, answer: $a) { __typename } }"""
POST = """mutation($id: ID!, $body: String!) { postContractMessage(contractId: $id, body: $body) { __typename } }"""


@pytest.fixture
def settings() -> Settings:
    """Tokens outlive the deadlines these tests pass (the default lifetime is 14 days)."""
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


def uuid_of(global_id: str) -> UUID:
    return UUID(base64.b64decode(global_id).decode().split(":", 1)[1])


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


# Every shape --------------------------------------------------------------------------------------


# Figures that are enum values in the domain (stored as their values) and enums in the API.
ENUMS: dict[str, type[StrEnum]] = {
    "rank_band": RankBand,
    "price_band": PriceBand,
    "lost_reason": LostReason,
    "status": ContractStatus,
}


def _sample(cls: type[notice.Notice]) -> notice.Notice:
    """An instance with a distinct value of each field's type."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for n, field in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        kind = hints[field.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        kind = args[0] if args else kind
        if field.name in ENUMS:
            values[field.name] = list(ENUMS[field.name])[-1]
        elif kind is str:
            values[field.name] = f"{field.name} «{n}»"
        elif kind is bool:
            values[field.name] = n % 2 == 0
        elif kind is int:
            values[field.name] = 1000 + n
        elif kind is Money:
            values[field.name] = Money(123456789 + n, "RUB")
        elif kind is datetime:
            values[field.name] = datetime(2026, 12, 13, 6, 51, 46, tzinfo=UTC) + timedelta(hours=n)
        elif kind is date:
            values[field.name] = date(2026, 12, 20)
        else:
            raise AssertionError(f"{cls.__name__}.{field.name}: no sample for {kind}")
    return cls(**values)


def _expected(sample: notice.Notice) -> dict[str, Any]:
    out: dict[str, Any] = {"__typename": type(sample).__name__ + "Notice"}
    for field in dataclasses.fields(sample):  # type: ignore[arg-type]
        value = getattr(sample, field.name)
        if isinstance(value, Money):
            value = {"amount": f"{value.minor_units // 100}.{value.minor_units % 100:02d}", "currency": value.currency}
        elif isinstance(value, StrEnum):
            value = value.name.upper()
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = value.isoformat()
        out[camel(field.name)] = value
    return out


async def test_every_shape_comes_out_typed_and_complete(
    gql: GraphQL, session_factory: SessionFactory, clock: FakeClock
) -> None:
    someone = await sign_up(gql, kind="BUYER")
    samples = [_sample(cls) for cls in notice.NOTICES.values()]
    for sample in samples:
        async with UnitOfWork(session_factory, clock) as uow:
            await notify(uow, kind=sample.kind, params=sample, title="English", user_ids=[uuid_of(someone.user_id)])
            await uow.commit()
        clock.advance(timedelta(seconds=1))

    got = list(reversed(await inbox(gql, someone)))

    assert set(notice.NOTICES) == {cls.shape for cls in _TYPES}  # each stored shape has its API type
    assert [n["kind"] for n in got] == [s.kind.name.upper() for s in samples]
    for item, sample in zip(got, samples, strict=True):
        stored = item["params"]
        want = _expected(sample)
        for key, value in want.items():
            if isinstance(value, datetime):
                assert instant(stored[key]) == value, (sample.shape, key)
            else:
                assert stored[key] == value, (sample.shape, key)
        assert set(stored) == set(want)


async def test_params_of_the_wrong_kind_are_refused_and_nothing_is_written(
    gql: GraphQL, session_factory: SessionFactory, clock: FakeClock
) -> None:
    someone = await sign_up(gql, kind="BUYER")
    wrong = notice.ReviewReceived(visible_now=True)

    with pytest.raises(ValueError, match="review_received"):
        async with UnitOfWork(session_factory, clock) as uow:
            told = [uuid_of(someone.user_id)]
            await notify(uow, kind=notice.NotificationKind.bid_received, params=wrong, title="x", user_ids=told)

    assert await inbox(gql, someone) == []


def test_rows_written_before_params_read_as_none() -> None:
    assert notice.notice_of(None) is None
    assert notice.notice_of({"shape": "retired_shape", "x": 1}) is None
    assert notice.notice_of({"shape": "bid_awarded", "order_title": "Housing"}) is None  # incomplete
    assert notice.notice_of({"shape": "bid_awarded", "order_title": "Housing", "quantity": 5}) == notice.BidAwarded(
        "Housing", 5
    )


# The flows ---------------------------------------------------------------------------------------


async def test_bids_the_award_and_a_cancellation_store_their_figures(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    winner = await make_manufacturer(gql, clock)
    loser = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, title="Housing")
    bid_id = await place_bid(gql, winner, order_id, clock, unit_price="300.00")
    await place_bid(gql, loser, order_id, clock, unit_price="310.00")
    award = await gql(AWARD, {"id": bid_id, "reason": "LEAD_TIME"}, token=buyer.token)
    contract_id = award["awardBid"]["contract"]["id"]
    clock.advance(timedelta(minutes=1))
    await gql(step("cancelContract", ', reason: "plans changed"'), {"id": contract_id}, token=buyer.token)

    won, lost, bought = await inbox(gql, winner), await inbox(gql, loser), await inbox(gql, buyer)

    assert params(won) == [
        {
            "__typename": "ContractStepTakenNotice",
            "orderTitle": "Housing",
            "transition": "cancel",
            "status": "CANCELLED",
        },
        {"__typename": "BidAwardedNotice", "orderTitle": "Housing", "quantity": 500},
    ]
    reinstated, lost_notice = params(lost)
    assert lost_notice == {
        "__typename": "BidLostNotice",
        "orderTitle": "Housing",
        "rankBand": "TOP_3",
        "priceBand": "WITHIN_5_PCT",
        "byUnitPrice": False,
        "lostReason": "LEAD_TIME",
    }
    assert reinstated["__typename"] == "BidReinstatedNotice"
    assert reinstated["orderTitle"] == "Housing"
    assert date.fromisoformat(reinstated["validUntil"]) > clock.now().date()
    assert params(bought) == [
        {"__typename": "AwardReopenedNotice", "orderTitle": "Housing", "quantity": 500, "bidsReinstated": 1},
        {
            "__typename": "BidReceivedNotice",
            "orderTitle": "Housing",
            "total": {"amount": "155000.00", "currency": "RUB"},
            "leadTimeDays": 30,
        },
        {
            "__typename": "BidReceivedNotice",
            "orderTitle": "Housing",
            "total": {"amount": "150000.00", "currency": "RUB"},
            "leadTimeDays": 30,
        },
    ]


async def test_deadline_reminders_store_the_deadline_and_the_step(
    gql: GraphQL, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    invitee = await make_manufacturer(gql, clock)
    maker = await make_manufacturer(gql, clock)
    deadline = clock.now() + timedelta(days=14)
    await create_order(
        gql,
        buyer,
        clock,
        title="Gear",
        visibility="INVITED",
        biddingDeadline=deadline.isoformat(),
        invitedManufacturerIds=[invitee.organisation_id, maker.organisation_id],
    )
    other_order = await create_order(gql, buyer, clock, title="Bushing")
    bid_id = await place_bid(gql, maker, other_order, clock)
    await gql(AWARD, {"id": bid_id, "reason": None}, token=buyer.token)  # funding is due in 14 days
    clock.advance(timedelta(days=13, hours=2))

    await run_timers_once(deps)
    bought, invited = await inbox(gql, buyer), await inbox(gql, invitee)

    due = {p["__typename"]: p for p in params(bought) if p["__typename"] in ("ContractStepDueNotice",)}
    closes = [p for p in params(bought) if p["__typename"] == "BiddingClosesSoonNotice"]
    assert [(p["orderTitle"], p["invited"], instant(p["biddingDeadline"])) for p in closes] == [
        ("Gear", False, deadline)
    ]
    assert due["ContractStepDueNotice"]["orderTitle"] == "Bushing"
    assert due["ContractStepDueNotice"]["status"] == "PENDING_FUNDING"
    assert instant(due["ContractStepDueNotice"]["dueAt"]) > clock.now()
    assert [(p["__typename"], p["orderTitle"], p["invited"]) for p in params(invited)] == [
        ("BiddingClosesSoonNotice", "Gear", True)
    ]


async def test_questions_and_messages_store_their_excerpts(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, title="Valve body")
    bid_id = await place_bid(gql, maker, order_id, clock)
    asked = await gql(ASK, {"order": order_id, "q": "Is   rev. C final?"}, token=maker.token)
    await gql(ANSWER, {"id": asked["askQuestion"]["question"]["id"], "a": "Yes."}, token=buyer.token)
    contract_id = (await gql(AWARD, {"id": bid_id, "reason": None}, token=buyer.token))["awardBid"]["contract"]["id"]
    await gql(POST, {"id": contract_id, "body": "Clear anodised,\n as drawn."}, token=buyer.token)

    bought, made = await inbox(gql, buyer), await inbox(gql, maker)

    assert {"__typename": "QuestionAskedNotice", "orderTitle": "Valve body", "question": "Is rev. C final?"} in params(
        bought
    )
    assert params(made)[0] == {
        "__typename": "MessageReceivedNotice",
        "excerpt": "Clear anodised, as drawn.",
        "attachmentCount": 0,
    }
    assert {
        "__typename": "QuestionAnsweredNotice",
        "orderTitle": "Valve body",
        "question": "Is rev. C final?",
        "answer": "Yes.",
    } in params(made)


async def test_a_failed_card_payment_stores_the_banks_reason(
    gql: GraphQL, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    bid_id = await place_bid(gql, maker, await create_order(gql, buyer, clock, title="Shaft"), clock)
    contract_id = (await gql(AWARD, {"id": bid_id, "reason": None}, token=buyer.token))["awardBid"]["contract"]["id"]

    async with UnitOfWork(session_factory, clock) as uow:
        said = await card_payment_failed(uow, contract_id=uuid_of(contract_id), reason="Insufficient funds.")
    bought = await inbox(gql, buyer)

    assert said == "buyer told"
    assert bought[0]["subjectId"] == contract_id
    assert bought[0]["params"] == {
        "__typename": "CardPaymentFailedNotice",
        "orderTitle": "Shaft",
        "bankReason": "Insufficient funds.",
    }


async def test_a_saved_search_match_stores_the_orders_figures(gql: GraphQL, clock: FakeClock, deps: AppDeps) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    saved = await gql(SAVE, {"name": "Фрезеровка", "query": "bracket"}, token=maker.token)
    deadline = clock.now() + timedelta(days=10)
    await create_order(
        gql,
        buyer,
        clock,
        title="Bracket",
        quantity=12500,
        deliveryRegion="RU-SVE",
        biddingDeadline=deadline.isoformat(),
    )

    await relay_outbox_once(deps)
    await relay_saved_searches_once(deps)
    [matched] = params(await inbox(gql, maker))

    assert saved["saveSearch"]["__typename"] == "SavedSearchSuccess"
    assert instant(matched.pop("biddingDeadline")) == deadline
    assert matched == {
        "__typename": "OrderMatchedNotice",
        "orderTitle": "Bracket",
        "searchName": "Фрезеровка",
        "quantity": 12500,
        "material": "Aluminium 6061",
        "deliveryRegion": "RU-SVE",
    }


async def test_contract_steps_and_reviews_store_the_step_and_whether_the_review_shows(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await completed(gql, clock, engine)
    await review(gql, buyer, contract_id, 5, "On time.")
    await review(gql, maker, contract_id, 5, "Paid promptly.")

    made, bought = params(await inbox(gql, maker)), params(await inbox(gql, buyer))

    steps = [(p["transition"], p["status"]) for p in made if p["__typename"] == "ContractStepTakenNotice"]
    assert steps == [("accept", "COMPLETED"), ("confirm_delivery", "INSPECTION"), ("fund", "FUNDED")]
    assert made[0] == {"__typename": "ReviewReceivedNotice", "visibleNow": False}  # the buyer reviewed first
    assert bought[0] == {"__typename": "ReviewReceivedNotice", "visibleNow": True}  # both in: published
    assert [(p["transition"], p["status"]) for p in bought if p["__typename"] == "ContractStepTakenNotice"] == [
        ("ship", "SHIPPED"),
        ("start_production", "IN_PRODUCTION"),
        ("fund", "FUNDED"),  # an operator recorded the transfer: both parties hear of it
    ]
