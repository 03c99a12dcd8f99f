"""Operators moderate: they read drafts and unanswered questions (nobody else but the buyer, and the asker, does),
never learn who asked, and change nothing of an order they read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.contracts import operator
from tests.api.graphql import GraphQL, create_order, make_manufacturer, sign_up
from tests.api.orders import ASK, ORDER_STATE, QUESTIONS, UPDATE
from tests.clock import FakeClock

DRAFT = "query($id: ID!) { order(id: $id) { status title } }"
BOARD_DRAFTS = "{ orders(filter: {statuses: [DRAFT]}) { edges { node { id } } } }"


async def test_a_draft_is_read_by_its_buyer_and_operators_only(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other_buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    draft_id = await create_order(gql, buyer, clock, publish=False, title="Secret housing")

    seen = {
        name: (await gql(DRAFT, {"id": draft_id}, token=token))["order"]
        for name, token in [
            ("buyer", buyer.token),
            ("operator", ops.token),
            ("other buyer", other_buyer.token),
            ("manufacturer", maker.token),
            ("anonymous", None),
        ]
    }
    boards = {
        name: [e["node"]["id"] for e in (await gql(BOARD_DRAFTS, token=token))["orders"]["edges"]]
        for name, token in [("operator", ops.token), ("other buyer", other_buyer.token), ("manufacturer", maker.token)]
    }

    assert seen == {
        "buyer": {"status": "DRAFT", "title": "Secret housing"},
        "operator": {"status": "DRAFT", "title": "Secret housing"},
        "other buyer": None,
        "manufacturer": None,
        "anonymous": None,
    }
    assert boards == {"operator": [draft_id], "other buyer": [], "manufacturer": []}


async def test_an_operator_reading_a_draft_may_not_change_it(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    ops = await operator(gql, engine)
    draft_id = await create_order(gql, buyer, clock, publish=False)
    before = await gql(ORDER_STATE, {"id": draft_id}, token=buyer.token)

    refused = await gql(UPDATE, {"id": draft_id, "input": {"title": "Changed by ops"}}, token=ops.token)

    assert refused["result"]["__typename"] in {"PermissionDeniedError", "NotFoundError"}
    assert await gql(ORDER_STATE, {"id": draft_id}, token=buyer.token) == before


async def test_an_unanswered_question_is_read_by_the_buyer_the_asker_and_operators_without_the_askers_name(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    asker = await make_manufacturer(gql, clock)
    rival = await make_manufacturer(gql, clock)
    ops = await operator(gql, engine)
    order_id = await create_order(gql, buyer, clock)
    asked = await gql(ASK, {"order": order_id, "q": "Is anodising type II enough?"}, token=asker.token)
    assert asked["askQuestion"]["__typename"] == "OrderQuestionSuccess"

    seen = {
        name: (await gql(QUESTIONS, {"id": order_id}, token=party.token))["node"]["questions"]
        for name, party in [("buyer", buyer), ("asker", asker), ("operator", ops), ("rival", rival)]
    }

    question = "Is anodising type II enough?"
    assert seen == {
        "buyer": [{"question": question, "answer": None, "askedByYourOrganisation": False}],
        "asker": [{"question": question, "answer": None, "askedByYourOrganisation": True}],
        "operator": [{"question": question, "answer": None, "askedByYourOrganisation": False}],
        "rival": [],
    }
