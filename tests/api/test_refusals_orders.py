"""Refused actions on production orders, over GraphQL: each gets a typed error, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.api.graphql import CREATE_ORDER, GraphQL, create_order, order_input, sign_up
from tests.api.orders import ORDER_STATE, UPDATE, count_rows
from tests.clock import FakeClock

CREATE = """
mutation($input: CreateOrderInput!) {
  result: createOrder(input: $input) { __typename ... on UserError { code field } }
}
"""


PUBLISH = """
mutation($id: ID!) { result: publishOrder(id: $id) { __typename ... on UserError { code field } } }
"""

CANCEL = """
mutation($id: ID!, $reason: String!) {
  result: cancelOrder(id: $id, reason: $reason) { __typename ... on UserError { code field } }
}
"""

# One call of each buyer-only mutation on an order, in the same shape: variables given the order's ID.
BUYER_ACTIONS: dict[str, tuple[str, Callable[[str], dict[str, Any]]]] = {
    "updateOrder": (UPDATE, lambda order_id: {"id": order_id, "input": {"description": "Changed"}}),
    "publishOrder": (PUBLISH, lambda order_id: {"id": order_id}),
    "cancelOrder": (CANCEL, lambda order_id: {"id": order_id, "reason": "Changed my mind"}),
}


async def order_state(gql: GraphQL, order_id: str, token: str) -> Any:
    data = await gql(ORDER_STATE, {"id": order_id}, token=token)
    assert data["order"] is not None
    return data["order"]


# Unknown and invisible orders -------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(BUYER_ACTIONS))
async def test_an_unknown_order_id_is_not_found(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, action: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    existing = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, existing, buyer.token)
    document, variables = BUYER_ACTIONS[action]
    unknown = str(relay.GlobalID("Order", str(uuid4())))

    data = await gql(document, variables(unknown), token=buyer.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "id"}
    assert await order_state(gql, existing, buyer.token) == before
    assert await count_rows(engine, "production_order") == 1


@pytest.mark.parametrize("action", sorted(BUYER_ACTIONS))
@pytest.mark.parametrize("bogus", ["not-a-global-id", "", "T3JkZXI6bm90LWEtdXVpZA=="])
async def test_a_bogus_order_id_is_not_found(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, action: str, bogus: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    existing = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, existing, buyer.token)
    document, variables = BUYER_ACTIONS[action]

    data = await gql(document, variables(bogus), token=buyer.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "id"}
    assert await order_state(gql, existing, buyer.token) == before
    assert await count_rows(engine, "production_order") == 1


@pytest.mark.parametrize("action", sorted(BUYER_ACTIONS))
async def test_the_id_of_another_kind_of_node_is_not_an_order(gql: GraphQL, clock: FakeClock, action: str) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, order_id, buyer.token)
    document, variables = BUYER_ACTIONS[action]

    data = await gql(document, variables(buyer.organisation_id), token=buyer.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "id"}
    assert await order_state(gql, order_id, buyer.token) == before


@pytest.mark.parametrize("action", sorted(BUYER_ACTIONS))
async def test_another_organisations_draft_is_not_found(gql: GraphQL, clock: FakeClock, action: str) -> None:
    owner = await sign_up(gql, kind="BUYER")
    intruder = await sign_up(gql, kind="BUYER")
    draft = await create_order(gql, owner, clock, publish=False)
    before = await order_state(gql, draft, owner.token)
    document, variables = BUYER_ACTIONS[action]

    data = await gql(document, variables(draft), token=intruder.token)

    assert data["result"] == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "id"}
    assert await order_state(gql, draft, owner.token) == before
    assert before["status"] == "DRAFT"


@pytest.mark.parametrize("action", sorted(BUYER_ACTIONS))
async def test_another_organisations_published_order_is_permission_denied(
    gql: GraphQL, clock: FakeClock, action: str
) -> None:
    owner = await sign_up(gql, kind="BUYER")
    intruder = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, owner, clock)
    before = await order_state(gql, order_id, owner.token)
    document, variables = BUYER_ACTIONS[action]

    data = await gql(document, variables(order_id), token=intruder.token)

    assert data["result"] == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN", "field": "id"}
    assert await order_state(gql, order_id, owner.token) == before
    assert before["status"] == "OPEN"


@pytest.mark.parametrize("action", sorted(BUYER_ACTIONS))
async def test_an_anonymous_user_cannot_act_on_an_order(gql: GraphQL, clock: FakeClock, action: str) -> None:
    owner = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, owner, clock, publish=False)
    before = await order_state(gql, order_id, owner.token)
    document, variables = BUYER_ACTIONS[action]

    data = await gql(document, variables(order_id))

    assert data["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await order_state(gql, order_id, owner.token) == before


# Creating ---------------------------------------------------------------------------------------


async def test_a_manufacturer_only_organisation_cannot_create_an_order(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    maker = await sign_up(gql, kind="MANUFACTURER")

    data = await gql(CREATE, {"input": order_input(clock)}, token=maker.token)

    assert data["result"] == {"__typename": "NotEligibleError", "code": "NOT_A_BUYER", "field": "organisationId"}
    assert await count_rows(engine, "production_order") == 0


async def test_an_anonymous_user_cannot_create_an_order(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    data = await gql(CREATE, {"input": order_input(clock)})

    assert data["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await count_rows(engine, "production_order") == 0


async def test_a_user_cannot_create_an_order_for_an_organisation_it_does_not_belong_to(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other = await sign_up(gql, kind="BUYER")

    data = await gql(CREATE, {"input": order_input(clock, organisationId=other.organisation_id)}, token=buyer.token)

    assert data["result"] == {
        "__typename": "PermissionDeniedError",
        "code": "FORBIDDEN",
        "field": "organisationId",
    }
    assert await count_rows(engine, "production_order") == 0


def _money(amount: str, currency: str = "RUB") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


# (overrides of the valid order input, given the clock) -> (code, field)
INVALID_ORDERS: dict[str, tuple[Callable[[FakeClock], dict[str, Any]], str, str]] = {
    "negative budget": (lambda c: {"budgetMin": _money("-1.00")}, "OUT_OF_RANGE", "budgetMin.amount"),
    "mixed currencies": (
        lambda c: {"budgetMin": _money("100000.00", "RUB"), "budgetMax": _money("2500.00", "EUR")},
        "CURRENCY_MISMATCH",
        "budgetMax",
    ),
    "unknown currency": (
        lambda c: {"budgetMin": _money("1.00", "XXX"), "budgetMax": _money("2.00", "XXX")},
        "UNKNOWN_CURRENCY",
        "budgetMin.currency",
    ),
    "fractions of a kopeck": (lambda c: {"budgetMin": _money("100.005")}, "INVALID", "budgetMin.amount"),
    "budget max below min": (
        lambda c: {"budgetMin": _money("250000.00"), "budgetMax": _money("100000.00")},
        "OUT_OF_RANGE",
        "budgetMax",
    ),
    "deadline in the past": (
        lambda c: {"biddingDeadline": (c.now() - timedelta(hours=1)).isoformat()},
        "DEADLINE_IN_PAST",
        "biddingDeadline",
    ),
    "deadline without a time zone": (
        lambda c: {"biddingDeadline": (c.now() + timedelta(days=14)).replace(tzinfo=None).isoformat()},
        "INVALID",
        "biddingDeadline",
    ),
    "need-by before the deadline": (
        lambda c: {"needBy": (c.now() + timedelta(days=7)).date().isoformat()},
        "OUT_OF_RANGE",
        "needBy",
    ),
    "blank title": (lambda c: {"title": "  "}, "REQUIRED", "title"),
    "zero quantity": (lambda c: {"quantity": 0}, "OUT_OF_RANGE", "quantity"),
    "negative quantity": (lambda c: {"quantity": -5}, "OUT_OF_RANGE", "quantity"),
    "region not ISO 3166-2": (lambda c: {"deliveryRegion": "Moscow"}, "INVALID", "deliveryRegion"),
    "blank material": (lambda c: {"material": ""}, "REQUIRED", "material"),
}


@pytest.mark.parametrize("case", sorted(INVALID_ORDERS))
async def test_an_invalid_order_is_refused(gql: GraphQL, clock: FakeClock, engine: AsyncEngine, case: str) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    overrides, code, field = INVALID_ORDERS[case]

    data = await gql(CREATE, {"input": order_input(clock, **overrides(clock))}, token=buyer.token)

    assert data["result"] == {"__typename": "ValidationError", "code": code, "field": field}
    assert await count_rows(engine, "production_order") == 0


async def test_an_order_cannot_be_published_with_less_than_an_hour_to_bid(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    soon = (clock.now() + timedelta(minutes=30)).isoformat()

    data = await gql(CREATE, {"input": order_input(clock, biddingDeadline=soon, publish=True)}, token=buyer.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "DEADLINE_IN_PAST", "field": "biddingDeadline"}
    assert await count_rows(engine, "production_order") == 0


async def test_an_anonymous_user_with_invalid_input_is_told_to_sign_in(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    data = await gql(CREATE, {"input": order_input(clock, budgetMin={"amount": "-1", "currency": "RUB"})})

    assert data["result"] == {"__typename": "NotAuthenticatedError", "code": "UNAUTHENTICATED", "field": None}
    assert await count_rows(engine, "production_order") == 0


async def test_an_invited_only_order_cannot_be_published_without_invitations(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    data = await gql(CREATE, {"input": order_input(clock, visibility="INVITED", publish=True)}, token=buyer.token)

    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "REQUIRED",
        "field": "invitedManufacturerIds",
    }
    assert await count_rows(engine, "production_order") == 0
    assert await count_rows(engine, "order_invitation") == 0


async def test_an_order_cannot_invite_a_buyer_only_organisation(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    other_buyer = await sign_up(gql, kind="BUYER")

    data = await gql(
        CREATE,
        {"input": order_input(clock, visibility="INVITED", invitedManufacturerIds=[other_buyer.organisation_id])},
        token=buyer.token,
    )

    assert data["result"] == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
        "field": "invitedManufacturerIds",
    }
    assert await count_rows(engine, "production_order") == 0


async def test_an_omitted_required_argument_is_rejected_by_graphql_validation(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, order_id, buyer.token)

    body = await gql.raw("mutation { publishOrder { __typename } }", token=buyer.token)

    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == [
        "Argument 'Mutation.publishOrder(id:)' of type 'ID!' is required, but it was not provided."
    ]
    assert await order_state(gql, order_id, buyer.token) == before


async def test_an_omitted_required_input_field_is_rejected_by_graphql_validation(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    incomplete = order_input(clock)
    del incomplete["quantity"]

    body = await gql.raw(CREATE_ORDER, {"input": incomplete}, token=buyer.token)

    assert "data" not in body or body["data"] is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["message"].startswith(
        "Variable '$input' has invalid value: Expected value of type 'CreateOrderInput' to include required field "
        "'quantity', found: "
    )
    assert await count_rows(engine, "production_order") == 0


# Editing, publishing, cancelling ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 1000}, "quantity"),
        ({"title": "Bracket, cast"}, "title"),
        ({"budgetMax": {"amount": "300000.00", "currency": "RUB"}}, "budgetMax"),
        ({"requiredCertifications": []}, "requiredCertifications"),
        ({"visibility": "INVITED"}, "visibility"),
    ],
)
async def test_a_frozen_field_of_a_published_order_cannot_change(
    gql: GraphQL, clock: FakeClock, change: dict[str, Any], field: str
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    before = await order_state(gql, order_id, buyer.token)
    clock.advance(timedelta(hours=1))

    data = await gql(UPDATE, {"id": order_id, "input": change}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_EDITABLE", "field": field}
    assert await order_state(gql, order_id, buyer.token) == before


async def test_a_frozen_field_is_refused_even_alongside_an_allowed_one(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    before = await order_state(gql, order_id, buyer.token)

    data = await gql(
        UPDATE, {"id": order_id, "input": {"description": "New drawing", "quantity": 600}}, token=buyer.token
    )

    assert data["result"] == {
        "__typename": "InvalidStateError",
        "code": "ORDER_NOT_EDITABLE",
        "field": "quantity",
    }
    assert await order_state(gql, order_id, buyer.token) == before


async def test_a_published_deadline_cannot_be_brought_forward(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    before = await order_state(gql, order_id, buyer.token)
    earlier = (clock.now() + timedelta(days=7)).isoformat()

    data = await gql(UPDATE, {"id": order_id, "input": {"biddingDeadline": earlier}}, token=buyer.token)

    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "OUT_OF_RANGE",
        "field": "biddingDeadline",
    }
    assert await order_state(gql, order_id, buyer.token) == before


async def test_a_published_need_by_date_cannot_move_earlier(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    before = await order_state(gql, order_id, buyer.token)
    earlier = (clock.now() + timedelta(days=30)).date().isoformat()

    data = await gql(UPDATE, {"id": order_id, "input": {"needBy": earlier}}, token=buyer.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "needBy"}
    assert await order_state(gql, order_id, buyer.token) == before


async def test_invitations_to_a_published_order_cannot_be_withdrawn(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    invited = await sign_up(gql, kind="MANUFACTURER")
    order_id = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[invited.organisation_id]
    )
    before = await order_state(gql, order_id, buyer.token)

    data = await gql(UPDATE, {"id": order_id, "input": {"invitedManufacturerIds": []}}, token=buyer.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "INVALID", "field": "invitedManufacturerIds"}
    assert await order_state(gql, order_id, buyer.token) == before
    assert before["invitedManufacturers"] == [{"id": invited.organisation_id}]
    assert await count_rows(engine, "order_invitation") == 1


async def test_an_order_cannot_invite_its_own_buyer(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> None:
    both = await sign_up(gql, kind="BOTH")
    draft = await create_order(gql, both, clock, publish=False)
    before = await order_state(gql, draft, both.token)

    data = await gql(
        UPDATE,
        {"id": draft, "input": {"visibility": "INVITED", "invitedManufacturerIds": [both.organisation_id]}},
        token=both.token,
    )

    assert data["result"] == {"__typename": "ValidationError", "code": "INVALID", "field": "invitedManufacturerIds"}
    assert await order_state(gql, draft, both.token) == before
    assert await count_rows(engine, "order_invitation") == 0


async def test_a_draft_cannot_be_edited_into_an_invalid_order(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    draft = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, draft, buyer.token)

    data = await gql(
        UPDATE, {"id": draft, "input": {"budgetMax": {"amount": "10.00", "currency": "RUB"}}}, token=buyer.token
    )

    assert data["result"] == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "budgetMax"}
    assert await order_state(gql, draft, buyer.token) == before


async def test_a_required_field_cannot_be_set_to_null(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    draft = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, draft, buyer.token)

    data = await gql(UPDATE, {"id": draft, "input": {"title": None}}, token=buyer.token)

    assert data["result"] == {"__typename": "ValidationError", "code": "REQUIRED", "field": "title"}
    assert await order_state(gql, draft, buyer.token) == before


async def test_a_cancelled_order_cannot_be_edited(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    cancelled = await gql(CANCEL, {"id": order_id, "reason": "Budget cut"}, token=buyer.token)
    assert cancelled["result"] == {"__typename": "OrderSuccess"}
    before = await order_state(gql, order_id, buyer.token)

    data = await gql(UPDATE, {"id": order_id, "input": {"description": "Revived"}}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_EDITABLE", "field": None}
    assert await order_state(gql, order_id, buyer.token) == before


async def test_an_open_order_cannot_be_published_again(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    before = await order_state(gql, order_id, buyer.token)
    clock.advance(timedelta(hours=2))

    data = await gql(PUBLISH, {"id": order_id}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_EDITABLE", "field": None}
    assert await order_state(gql, order_id, buyer.token) == before
    assert before["status"] == "OPEN"


async def test_a_draft_whose_deadline_has_passed_cannot_be_published(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    deadline = clock.now() + timedelta(days=2)
    draft = await create_order(gql, buyer, clock, biddingDeadline=deadline.isoformat(), publish=False)
    before = await order_state(gql, draft, buyer.token)
    clock.advance(timedelta(days=3))

    data = await gql(PUBLISH, {"id": draft}, token=buyer.token)

    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "DEADLINE_IN_PAST",
        "field": "biddingDeadline",
    }
    assert await order_state(gql, draft, buyer.token) == before


async def test_a_draft_cannot_be_published_with_less_than_an_hour_to_bid(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    draft = await create_order(gql, buyer, clock, publish=False)
    before = await order_state(gql, draft, buyer.token)
    clock.advance(timedelta(days=14) - timedelta(minutes=30))

    data = await gql(PUBLISH, {"id": draft}, token=buyer.token)

    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "DEADLINE_IN_PAST",
        "field": "biddingDeadline",
    }
    assert await order_state(gql, draft, buyer.token) == before


async def test_an_invited_only_draft_without_invitations_cannot_be_published(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    draft = await create_order(gql, buyer, clock, visibility="INVITED", publish=False)
    before = await order_state(gql, draft, buyer.token)

    data = await gql(PUBLISH, {"id": draft}, token=buyer.token)

    assert data["result"] == {
        "__typename": "ValidationError",
        "code": "REQUIRED",
        "field": "invitedManufacturerIds",
    }
    assert await order_state(gql, draft, buyer.token) == before
    assert before["status"] == "DRAFT"
    assert before["invitedManufacturers"] == []


async def test_a_cancelled_order_cannot_be_cancelled_again(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    first = await gql(CANCEL, {"id": order_id, "reason": "Budget cut"}, token=buyer.token)
    assert first["result"] == {"__typename": "OrderSuccess"}
    before = await order_state(gql, order_id, buyer.token)
    clock.advance(timedelta(hours=1))

    data = await gql(CANCEL, {"id": order_id, "reason": "Really"}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_EDITABLE", "field": None}
    assert await order_state(gql, order_id, buyer.token) == before
    assert before["status"] == "CANCELLED"
    assert before["cancelReason"] == "Budget cut"


async def test_a_cancelled_order_cannot_be_published(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    draft = await create_order(gql, buyer, clock, publish=False)
    first = await gql(CANCEL, {"id": draft, "reason": ""}, token=buyer.token)
    assert first["result"] == {"__typename": "OrderSuccess"}
    before = await order_state(gql, draft, buyer.token)

    data = await gql(PUBLISH, {"id": draft}, token=buyer.token)

    assert data["result"] == {"__typename": "InvalidStateError", "code": "ORDER_NOT_EDITABLE", "field": None}
    assert await order_state(gql, draft, buyer.token) == before
