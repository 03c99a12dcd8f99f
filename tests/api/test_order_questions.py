"""Order Q&A: bidders ask, the buyer answers once, and the answer reaches every bidder and invitee
without the asker's identity; unanswered questions stay between the asker and the buyer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.notifications.models import Notification
from domain.questions.models import OrderQuestion
from exchange.settings import Environment, Settings
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.orders import ASK, QUESTIONS
from tests.clock import FakeClock

ANSWER = """mutation($id: ID!, $a: String!) { answerQuestion(questionId: $id, answer: $a) {
  __typename ... on OrderQuestionSuccess { question { id answer answeredAt } } ... on UserError { code field } } }"""
KINDS = "{ notifications { edges { node { kind title body } } } }"


@pytest.fixture
def settings() -> Settings:
    """Tokens outlive the bidding deadline these tests pass (the default lifetime is 14 days)."""
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


async def questions(gql: GraphQL, order_id: str, party: Party) -> Any:
    node = (await gql(QUESTIONS, {"id": order_id}, token=party.token))["node"]
    return node["questions"] if node else None


async def notices(gql: GraphQL, party: Party) -> list[dict[str, str]]:
    return [e["node"] for e in (await gql(KINDS, token=party.token))["notifications"]["edges"]]


async def count(engine: AsyncEngine, what: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(what)) or 0)


async def test_an_answer_reaches_every_bidder_and_invitee_without_the_askers_identity(
    gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    asker, bidder, invitee = [await make_manufacturer(gql, clock) for _ in range(3)]
    outsider = await make_manufacturer(gql, clock)
    order_id = await create_order(
        gql,
        buyer,
        clock,
        title="Valve body",
        visibility="INVITED",
        invitedManufacturerIds=[asker.organisation_id, bidder.organisation_id, invitee.organisation_id],
    )
    await place_bid(gql, bidder, order_id, clock)

    asked = (await gql(ASK, {"order": order_id, "q": "  Is the drawing rev. C final?  "}, token=asker.token))[
        "askQuestion"
    ]
    before = {p.email: await questions(gql, order_id, p) for p in (buyer, asker, bidder)}
    answered = (await gql(ANSWER, {"id": asked["question"]["id"], "a": "Yes, rev. C is final."}, token=buyer.token))[
        "answerQuestion"
    ]
    after = {p.email: await questions(gql, order_id, p) for p in (buyer, asker, bidder, invitee)}

    assert asked["__typename"] == "OrderQuestionSuccess"
    assert asked["question"] == {
        "id": asked["question"]["id"],
        "question": "Is the drawing rev. C final?",
        "answer": None,
        "askedByYourOrganisation": True,
    }
    assert before == {
        buyer.email: [{"question": "Is the drawing rev. C final?", "answer": None, "askedByYourOrganisation": False}],
        asker.email: [{"question": "Is the drawing rev. C final?", "answer": None, "askedByYourOrganisation": True}],
        bidder.email: [],
    }
    assert answered["question"]["answer"] == "Yes, rev. C is final."
    published = {"question": "Is the drawing rev. C final?", "answer": "Yes, rev. C is final."}
    assert after == {
        buyer.email: [{**published, "askedByYourOrganisation": False}],
        asker.email: [{**published, "askedByYourOrganisation": True}],
        bidder.email: [{**published, "askedByYourOrganisation": False}],
        invitee.email: [{**published, "askedByYourOrganisation": False}],
    }
    assert await questions(gql, order_id, outsider) is None  # not invited: the order itself is invisible
    told = {
        "kind": "QUESTION_ANSWERED",
        "title": "A question on “Valve body” was answered",
        "body": "Q: Is the drawing rev. C final?\nA: Yes, rev. C is final.",
    }
    for party in (asker, invitee):
        assert await notices(gql, party) == [told]
    assert (await notices(gql, bidder))[0] == told
    assert sorted(n["kind"] for n in await notices(gql, buyer)) == ["BID_RECEIVED", "QUESTION_ASKED"]
    assert await notices(gql, outsider) == []


async def test_refused_questions_and_answers_store_nothing(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    other = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    invited_only = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[other.organisation_id]
    )
    cancelled = await create_order(gql, buyer, clock)
    await gql("mutation($id: ID!) { cancelOrder(id: $id) { __typename } }", {"id": cancelled}, token=buyer.token)
    question_id = (await gql(ASK, {"order": order_id, "q": "Material certificate 3.1?"}, token=maker.token))[
        "askQuestion"
    ]["question"]["id"]
    await gql(ANSWER, {"id": question_id, "a": "Yes."}, token=buyer.token)
    questions_before = await count(engine, OrderQuestion)
    notifications_before = await count(engine, Notification)

    async def ask(party: Party | None, order: str, text: str) -> Any:
        return (await gql(ASK, {"order": order, "q": text}, token=party.token if party else None))["askQuestion"]

    async def answer(party: Party, text: str) -> Any:
        return (await gql(ANSWER, {"id": question_id, "a": text}, token=party.token))["answerQuestion"]

    refusals = {
        "cancelled order": await ask(maker, cancelled, "Still on?"),
        "own order": await ask(buyer, order_id, "Hello?"),
        "not invited": await ask(maker, invited_only, "May I?"),
        "empty": await ask(maker, order_id, "   "),
        "too long": await ask(maker, order_id, "x" * 2001),
        "anonymous": await ask(None, order_id, "Who am I?"),
        "bidder answers": await answer(maker, "I know!"),
        "second answer": await answer(buyer, "Actually, no."),
    }
    clock.advance(timedelta(days=14, minutes=1))  # past the bidding deadline
    refusals["bidding closed"] = await ask(maker, order_id, "Too late?")

    assert {k: (v["__typename"], v["code"], v["field"]) for k, v in refusals.items()} == {
        "cancelled order": ("InvalidStateError", "ORDER_NOT_OPEN", "orderId"),
        "own order": ("NotEligibleError", "OWN_ORDER", "orderId"),
        "not invited": ("NotFoundError", "NOT_FOUND", "orderId"),
        "empty": ("ValidationError", "REQUIRED", "question"),
        "too long": ("ValidationError", "OUT_OF_RANGE", "question"),
        "anonymous": ("NotAuthenticatedError", "UNAUTHENTICATED", None),
        "bidder answers": ("PermissionDeniedError", "FORBIDDEN", "questionId"),
        "second answer": ("ConflictError", "ALREADY_EXISTS", "questionId"),
        "bidding closed": ("InvalidStateError", "BIDDING_CLOSED", "orderId"),
    }
    assert await count(engine, OrderQuestion) == questions_before
    assert await count(engine, Notification) == notifications_before
    async with engine.connect() as conn:
        assert await conn.scalar(select(OrderQuestion.answer)) == "Yes."


async def test_questions_on_a_list_of_orders_load_in_one_statement(gql: GraphQL, clock: FakeClock, sql: Any) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    query = "{ orders(first: 50) { edges { node { id questions { question answer } } } } }"
    counts = []
    for n in (2, 6):
        while len((await gql(query, token=maker.token))["orders"]["edges"]) < n:
            order_id = await create_order(gql, buyer, clock)
            await gql(ASK, {"order": order_id, "q": "Packaging?"}, token=maker.token)
        with sql.counting():
            data = await gql(query, token=maker.token)
        counts.append(sql.count)
        assert all(len(e["node"]["questions"]) == 1 for e in data["orders"]["edges"])

    assert counts[0] == counts[1]


PAGE = """query($id: ID!, $first: Int!, $after: ID) { node(id: $id) { ... on Order {
  questions(first: $first, after: $after) { id question } } } }"""


async def test_questions_come_in_pages_oldest_first(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    other_order = await create_order(gql, buyer, clock)
    asked = []
    for n in range(5):
        clock.advance(timedelta(minutes=1))
        result = await gql(ASK, {"order": order_id, "q": f"Question {n}?"}, token=maker.token)
        asked.append(result["askQuestion"]["question"]["id"])
    elsewhere = (await gql(ASK, {"order": other_order, "q": "Elsewhere?"}, token=maker.token))["askQuestion"]

    pages, after = [], None
    while True:
        page = (await gql(PAGE, {"id": order_id, "first": 2, "after": after}, token=buyer.token))["node"]["questions"]
        pages.append([q["question"] for q in page])
        if len(page) < 2:
            break
        after = page[-1]["id"]
    assert pages == [["Question 0?", "Question 1?"], ["Question 2?", "Question 3?"], ["Question 4?"]]
    default = (await gql(QUESTIONS, {"id": order_id}, token=buyer.token))["node"]["questions"]
    assert [q["question"] for q in default] == [f"Question {n}?" for n in range(5)]

    refused = {
        "another order's question": ({"first": 2, "after": elsewhere["question"]["id"]}, "NOT_FOUND", "after"),
        "not a question id": ({"first": 2, "after": order_id}, "NOT_FOUND", "after"),
        "first 0": ({"first": 0}, "OUT_OF_RANGE", "first"),
        "first 101": ({"first": 101}, "OUT_OF_RANGE", "first"),
    }
    for name, (variables, code, field) in refused.items():
        body = await gql.raw(PAGE, {"id": order_id, **variables}, token=buyer.token)
        assert [e["extensions"] for e in body["errors"]] == [{"code": code, "field": field}], name
