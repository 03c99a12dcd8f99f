"""The contract room's fields: what each side may do now (availableActions, from the process table), the
timeline, who took each step, the deadline's outcome, money per milestone; and myContracts' statement count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.settings import Environment, Settings
from tests.api.contracts import awarded, contract, fund, operator, step
from tests.api.graphql import GraphQL, Party, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

ROOM = """query($id: ID!) { contract(id: $id) {
  status viewerParty
  availableActions { action needs irreversible }
  timeline { status state reachedAt reachedBy reachedByName }
  deadline { at timer toStatus }
  milestones { name amount { amount } platformFee { amount } manufacturerNet { amount } status }
  events { transition actor actorName note noteKind organisation { name } }
} }"""


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 90)


async def room(gql: GraphQL, contract_id: str, party: Party) -> Any:
    return (await gql(ROOM, {"id": contract_id}, token=party.token))["contract"]


def actions(data: Any) -> list[str]:
    return [a["action"] for a in data["availableActions"]]


def states(data: Any) -> list[tuple[str, str]]:
    return [(s["status"], s["state"]) for s in data["timeline"]]


async def take(gql: GraphQL, party: Party, contract_id: str, name: str, **args: str) -> Any:
    extra_args = "".join(f", {k}: ${k}" for k in args)
    extra_vars = "".join(f", ${k}: String!" for k in args)
    result = (await gql(step(name, extra_args, extra_vars), {"id": contract_id, **args}, token=party.token))[name]
    assert result["__typename"] == "ContractSuccess", result
    return result


async def funded_by_transfer(gql: GraphQL, clock: FakeClock, ops: Party, buyer: Party, contract_id: str) -> None:
    """The operator books the buyer's whole transfer (150,000) against the contract's payment reference."""
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "BANK-1")


async def test_each_side_is_offered_only_its_own_steps_through_the_lifecycle(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    stranger = await sign_up(gql, kind="BUYER")

    start = await room(gql, contract_id, buyer)
    assert start["viewerParty"] == "BUYER"
    assert start["availableActions"] == [
        {"action": "FUND", "needs": [], "irreversible": False},
        {"action": "CANCEL", "needs": ["REASON"], "irreversible": True},
    ]
    assert (await room(gql, contract_id, maker))["viewerParty"] == "MANUFACTURER"
    assert actions(await room(gql, contract_id, maker)) == ["CANCEL"]
    assert (await room(gql, contract_id, ops))["viewerParty"] == "OPERATOR"
    assert (await gql(ROOM, {"id": contract_id}, token=stranger.token))["contract"] is None
    assert start["deadline"] == {
        "at": (clock.now() + timedelta(days=14)).isoformat(),
        "timer": "FUNDING_EXPIRED",
        "toStatus": "CANCELLED",
    }

    await funded_by_transfer(gql, clock, ops, buyer, contract_id)
    funded = await room(gql, contract_id, maker)
    assert actions(funded) == ["START_PRODUCTION"]
    assert actions(await room(gql, contract_id, buyer)) == []
    assert actions(await room(gql, contract_id, ops)) == ["CANCEL"]
    assert funded["deadline"] is None

    await take(gql, maker, contract_id, "startProduction")
    producing = await room(gql, contract_id, maker)
    assert producing["availableActions"] == [
        {"action": "SUBMIT_FIRST_ARTICLE", "needs": ["NOTE"], "irreversible": False},
        {"action": "SHIP", "needs": ["TRACKING_REFERENCE"], "irreversible": True},
    ]
    await take(gql, maker, contract_id, "submitFirstArticle")
    assert actions(await room(gql, contract_id, buyer)) == ["APPROVE_FIRST_ARTICLE", "REJECT_FIRST_ARTICLE"]
    assert actions(await room(gql, contract_id, maker)) == []
    await take(gql, buyer, contract_id, "approveFirstArticle")
    # Approved: production goes on to shipping; another first article is not offered (nor accepted, below).
    assert actions(await room(gql, contract_id, maker)) == ["SHIP"]
    assert actions(await room(gql, contract_id, ops)) == ["CANCEL"]
    await take(gql, maker, contract_id, "ship", trackingReference="CDEK 42")
    shipped = await room(gql, contract_id, buyer)
    assert actions(shipped) == ["CONFIRM_DELIVERY"]
    assert shipped["deadline"]["timer"] == "CONFIRM_DELIVERY" and shipped["deadline"]["toStatus"] == "INSPECTION"
    await take(gql, buyer, contract_id, "confirmDelivery")
    inspecting = await room(gql, contract_id, buyer)
    assert actions(inspecting) == ["ACCEPT", "OPEN_DISPUTE"]
    assert inspecting["deadline"]["timer"] == "AUTO_ACCEPT" and inspecting["deadline"]["toStatus"] == "COMPLETED"
    assert actions(await room(gql, contract_id, maker)) == []

    await take(gql, buyer, contract_id, "acceptDelivery")
    done = await room(gql, contract_id, buyer)
    assert actions(done) == ["REVIEW"]
    assert actions(await room(gql, contract_id, maker)) == ["REVIEW"]
    assert actions(await room(gql, contract_id, ops)) == []
    review = await gql(
        "mutation($id: ID!) { submitReview(contractId: $id, rating: 5) { __typename } }",
        {"id": contract_id},
        token=buyer.token,
    )
    assert review["submitReview"]["__typename"] == "ReviewSuccess"
    assert actions(await room(gql, contract_id, buyer)) == []
    assert actions(await room(gql, contract_id, maker)) == ["REVIEW"]
    clock.advance(timedelta(days=15))
    assert actions(await room(gql, contract_id, maker)) == []


async def test_what_is_not_offered_is_refused_and_changes_nothing(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    await funded_by_transfer(gql, clock, ops, buyer, contract_id)
    await take(gql, maker, contract_id, "startProduction")
    await take(gql, maker, contract_id, "ship", trackingReference="CDEK 42")
    await take(gql, buyer, contract_id, "confirmDelivery")
    before = await room(gql, contract_id, buyer)
    assert "ACCEPT" not in actions(await room(gql, contract_id, maker))

    refused = (await gql(step("acceptDelivery"), {"id": contract_id}, token=maker.token))["acceptDelivery"]

    assert refused["__typename"] == "PermissionDeniedError"
    assert await room(gql, contract_id, buyer) == before


async def test_the_timeline_shows_who_reached_each_state_and_what_was_said(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    awarded_at = clock.now().isoformat()
    clock.advance(timedelta(hours=2))
    await fund(gql, ops, reference, clock, "150000", "BANK-1")
    await take(gql, maker, contract_id, "startProduction")
    await take(gql, maker, contract_id, "submitFirstArticle")
    await take(gql, buyer, contract_id, "rejectFirstArticle", reason="Bore out of tolerance")

    data = await room(gql, contract_id, maker)

    assert states(data) == [
        ("PENDING_FUNDING", "DONE"),
        ("FUNDED", "DONE"),
        ("IN_PRODUCTION", "CURRENT"),
        ("FIRST_ARTICLE_REVIEW", "UPCOMING"),
        ("SHIPPED", "UPCOMING"),
        ("INSPECTION", "UPCOMING"),
        ("COMPLETED", "UPCOMING"),
    ]
    assert data["timeline"][0]["reachedAt"] == awarded_at and data["timeline"][0]["reachedBy"] == "BUYER"
    assert data["timeline"][1]["reachedBy"] == "OPERATOR"
    assert data["timeline"][2]["reachedBy"] == "BUYER"  # back into production by the rejection
    assert data["timeline"][2]["reachedByName"] is not None
    assert [(e["transition"], e["actor"], e["note"], e["noteKind"]) for e in data["events"]] == [
        ("award", "BUYER", "", None),
        ("fund", "OPERATOR", "", None),
        ("start_production", "MANUFACTURER", "", None),
        ("submit_first_article", "MANUFACTURER", "", None),
        ("reject_first_article", "BUYER", "Bore out of tolerance", "REASON"),
    ]
    assert data["events"][0]["organisation"]["name"] == data["events"][4]["organisation"]["name"]
    assert data["events"][1]["organisation"] is None
    assert data["events"][2]["organisation"]["name"] != data["events"][0]["organisation"]["name"]
    assert [
        (m["name"], m["amount"]["amount"], m["platformFee"]["amount"], m["manufacturerNet"]["amount"], m["status"])
        for m in data["milestones"]
    ] == [
        ("first_article", "45000.00", "2250.00", "42750.00", "pending"),
        ("acceptance", "105000.00", "5250.00", "99750.00", "pending"),
    ]


def lifecycle(*marks: str) -> list[tuple[str, str]]:
    """The main path's seven states with their marks, in order."""
    path = ["PENDING_FUNDING", "FUNDED", "IN_PRODUCTION", "FIRST_ARTICLE_REVIEW", "SHIPPED", "INSPECTION", "COMPLETED"]
    return list(zip(path, marks, strict=True))


async def test_the_first_article_review_reads_done_once_approved_and_ahead_again_once_returned(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    U, C, D, S = "UPCOMING", "CURRENT", "DONE", "SKIPPED"
    seen: list[list[tuple[str, str]]] = []

    async def then(expected: list[tuple[str, str]]) -> Any:
        data = await room(gql, contract_id, buyer)
        assert states(data) == expected
        assert states(await room(gql, contract_id, maker)) == expected  # both sides see one lifecycle
        seen.append(expected)
        return data

    await then(lifecycle(C, U, U, U, U, U, U))
    await fund(gql, ops, reference, clock, "150000", "BANK-1")
    await then(lifecycle(D, C, U, U, U, U, U))
    clock.advance(timedelta(hours=1))
    await take(gql, maker, contract_id, "startProduction")
    await then(lifecycle(D, D, C, U, U, U, U))
    clock.advance(timedelta(hours=1))
    submitted_at = clock.now().isoformat()
    await take(gql, maker, contract_id, "submitFirstArticle")
    await then(lifecycle(D, D, D, C, U, U, U))
    clock.advance(timedelta(hours=1))
    await take(gql, buyer, contract_id, "rejectFirstArticle", reason="Bore out of tolerance")
    returned = await then(lifecycle(D, D, C, U, U, U, U))  # back in production, the review ahead again
    assert returned["timeline"][3]["reachedAt"] is None
    assert actions(await room(gql, contract_id, maker)) == ["SUBMIT_FIRST_ARTICLE", "SHIP"]  # returned: resubmit
    clock.advance(timedelta(hours=1))
    resubmitted_at = clock.now().isoformat()
    await take(gql, maker, contract_id, "submitFirstArticle")
    resubmitted = await then(lifecycle(D, D, D, C, U, U, U))
    assert resubmitted["timeline"][3]["reachedAt"] == resubmitted_at != submitted_at
    clock.advance(timedelta(hours=1))
    approved_at = clock.now().isoformat()
    await take(gql, buyer, contract_id, "approveFirstArticle")

    approved = await then(lifecycle(D, D, C, D, U, U, U))

    # The review is behind the contract: reached when the approved article was submitted, by the manufacturer;
    # production goes on since the buyer's approval.
    review, production = approved["timeline"][3], approved["timeline"][2]
    assert (review["reachedAt"], review["reachedBy"]) == (resubmitted_at, "MANUFACTURER")
    assert (production["reachedAt"], production["reachedBy"]) == (approved_at, "BUYER")
    assert actions(await room(gql, contract_id, maker)) == ["SHIP"]  # passed: the review is not offered again
    await take(gql, maker, contract_id, "ship", trackingReference="CDEK 42")
    await then(lifecycle(D, D, D, D, C, U, U))
    await take(gql, buyer, contract_id, "confirmDelivery")
    await then(lifecycle(D, D, D, D, D, C, U))
    await take(gql, buyer, contract_id, "acceptDelivery")
    await then(lifecycle(D, D, D, D, D, D, C))
    assert S not in {mark for marks in seen for _, mark in marks}


async def test_a_first_article_submitted_again_after_approval_is_refused_and_changes_nothing(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    await funded_by_transfer(gql, clock, ops, buyer, contract_id)
    await take(gql, maker, contract_id, "startProduction")
    await take(gql, maker, contract_id, "submitFirstArticle", note="FAI report attached")
    await take(gql, buyer, contract_id, "approveFirstArticle")
    clock.advance(timedelta(hours=1))
    before = await contract(gql, contract_id, maker.token)
    rooms_before = [await room(gql, contract_id, party) for party in (buyer, maker)]
    assert before["status"] == "IN_PRODUCTION" and before["escrowBalance"] == {"amount": "105000.00"}
    assert [m["status"] for m in before["milestones"]] == ["released", "pending"]
    assert "SUBMIT_FIRST_ARTICLE" not in actions(rooms_before[1])

    refused = (
        await gql(
            step("submitFirstArticle", ", note: $note", ", $note: String!"),
            {"id": contract_id, "note": "Second sample"},
            token=maker.token,
        )
    )["submitFirstArticle"]

    assert refused == {
        "__typename": "InvalidStateError",
        "code": "FIRST_ARTICLE_APPROVED",
        "message": "the first article was approved already: production goes on to shipping",
        "field": None,
    }
    # Nothing changed: status, events, milestones, escrow, ledger, payouts; both rooms read as before.
    assert await contract(gql, contract_id, maker.token) == before
    assert [await room(gql, contract_id, party) for party in (buyer, maker)] == rooms_before
    # Nor may the buyer approve (or return) a second time: there is no review to decide on.
    again = (await gql(step("approveFirstArticle"), {"id": contract_id}, token=buyer.token))["approveFirstArticle"]
    assert again["__typename"] == "InvalidStateError"
    assert await contract(gql, contract_id, buyer.token) == before


async def test_a_returned_first_article_shipped_regardless_reads_skipped_not_done(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    await funded_by_transfer(gql, clock, ops, buyer, contract_id)
    await take(gql, maker, contract_id, "startProduction")
    await take(gql, maker, contract_id, "submitFirstArticle")
    await take(gql, buyer, contract_id, "rejectFirstArticle", reason="Bore out of tolerance")

    await take(gql, maker, contract_id, "ship", trackingReference="CDEK 42")

    data = await room(gql, contract_id, buyer)
    assert states(data) == lifecycle("DONE", "DONE", "DONE", "SKIPPED", "CURRENT", "UPCOMING", "UPCOMING")
    assert data["timeline"][3]["reachedAt"] is not None  # it was submitted, and returned: the log says why


async def test_a_dispute_and_a_cancellation_are_placed_on_the_timeline(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    await funded_by_transfer(gql, clock, ops, buyer, contract_id)
    await take(gql, maker, contract_id, "startProduction")
    await take(gql, maker, contract_id, "ship", trackingReference="CDEK 42")
    await take(gql, buyer, contract_id, "confirmDelivery")
    await take(gql, buyer, contract_id, "openDispute", reason="Half the parts are scratched")

    disputed = await room(gql, contract_id, buyer)
    assert states(disputed) == [
        ("PENDING_FUNDING", "DONE"),
        ("FUNDED", "DONE"),
        ("IN_PRODUCTION", "DONE"),
        ("FIRST_ARTICLE_REVIEW", "SKIPPED"),
        ("SHIPPED", "DONE"),
        ("INSPECTION", "DONE"),
        ("DISPUTED", "CURRENT"),
        ("COMPLETED", "UPCOMING"),
    ]
    assert actions(disputed) == []
    # What each step's text is, for its label: the shipment's tracking reference, the dispute's reason.
    assert [(e["transition"], e["note"], e["noteKind"]) for e in disputed["events"] if e["note"]] == [
        ("ship", "CDEK 42", "TRACKING_REFERENCE"),
        ("dispute", "Half the parts are scratched", "REASON"),
    ]
    assert actions(await room(gql, contract_id, ops)) == ["RESOLVE_DISPUTE", "CANCEL"]

    _, _, other_id = await awarded(gql, clock)
    cancelled = await gql(
        'mutation($id: ID!) { cancelContract(contractId: $id, reason: "Found cheaper") { __typename } }',
        {"id": other_id},
        token=ops.token,
    )
    assert cancelled["cancelContract"]["__typename"] == "ContractSuccess"
    data = await room(gql, other_id, ops)
    assert states(data)[:3] == [("PENDING_FUNDING", "DONE"), ("CANCELLED", "CURRENT"), ("FUNDED", "SKIPPED")]
    assert data["events"][-1]["note"] == "Found cheaper" and data["deadline"] is None


MY_CONTRACTS = """query($first: Int!) { myContracts(first: $first) { edges { node {
  id status total { amount currency } viewerParty
  order { id title } buyer { id name } manufacturer { id name }
  availableActions { action needs irreversible }
  deadline { at timer }
  timeline { status state reachedAt reachedByName }
  milestones { amount { amount } platformFee { amount } manufacturerNet { amount } status }
  escrowBalance { amount }
  events { actor actorName organisation { name } }
} } pageInfo { hasNextPage endCursor } } }"""


async def test_my_contracts_runs_the_same_statements_for_2_and_8_contracts(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: StatementCounter
) -> None:
    from tests.api.graphql import create_order, make_manufacturer, place_bid

    buyer = await sign_up(gql, kind="BUYER")
    ops = await operator(gql, engine)
    makers = [await make_manufacturer(gql, clock) for _ in range(2)]
    for n in range(8):
        clock.advance(timedelta(minutes=1))  # newest first is Flange 7, 6, …: the first pages are known
        order_id = await create_order(gql, buyer, clock, title=f"Flange {n}")
        bid_id = await place_bid(gql, makers[n % 2], order_id, clock, unit_price="300.00")
        data = await gql(
            "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
            {"id": bid_id},
            token=buyer.token,
        )
        if n % 2:
            contract_id = data["awardBid"]["contract"]["id"]
            reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
            await fund(gql, ops, reference, clock, "150000", f"BANK-{n}")
            if n % 4 == 3:  # in production, one with its first article approved: availableActions reads the log
                maker = makers[n % 2]
                await take(gql, maker, contract_id, "startProduction")
                if n == 3:
                    await take(gql, maker, contract_id, "submitFirstArticle")
                    await take(gql, buyer, contract_id, "approveFirstArticle")

    with sql.counting():
        two = await gql(MY_CONTRACTS, {"first": 2}, token=buyer.token)
    count_2 = sql.count
    with sql.counting():
        eight = await gql(MY_CONTRACTS, {"first": 8}, token=buyer.token)
    count_8 = sql.count

    assert len(two["myContracts"]["edges"]) == 2 and len(eight["myContracts"]["edges"]) == 8
    assert {e["node"]["status"] for e in eight["myContracts"]["edges"]} == {
        "PENDING_FUNDING",
        "FUNDED",
        "IN_PRODUCTION",
    }
    assert all(e["node"]["events"][0]["actorName"] for e in eight["myContracts"]["edges"])
    assert count_8 == count_2, (count_2, count_8)
    # The actions alone (no events asked for): the contracts in production (Flange 7 of the first two, 7 and 3 of
    # four) read their logs in one statement.
    with sql.counting():
        await gql(MY_ACTIONS, {"first": 2}, token=makers[1].token)
    actions_2 = sql.count
    with sql.counting():
        listed = await gql(MY_ACTIONS, {"first": 4}, token=makers[1].token)
    actions_4 = sql.count
    assert {
        e["node"]["order"]["title"]: (e["node"]["status"], [a["action"] for a in e["node"]["availableActions"]])
        for e in listed["myContracts"]["edges"]
    } == {
        "Flange 7": ("IN_PRODUCTION", ["SUBMIT_FIRST_ARTICLE", "SHIP"]),
        "Flange 5": ("FUNDED", ["START_PRODUCTION"]),
        "Flange 3": ("IN_PRODUCTION", ["SHIP"]),  # its first article approved
        "Flange 1": ("FUNDED", ["START_PRODUCTION"]),
    }
    assert actions_4 == actions_2, (actions_2, actions_4)


MY_ACTIONS = """query($first: Int!) { myContracts(first: $first) { edges { node {
  status order { title } availableActions { action }
} } } }"""
