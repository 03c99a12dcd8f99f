"""Contract messages: the two parties write to each other with attachment metadata; operators read;
nobody else learns the contract exists; oversized or malformed messages are refused and store nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.messages.models import ContractMessage
from domain.notifications.models import Notification
from tests.api.contracts import awarded, operator
from tests.api.graphql import GraphQL, Party, sign_up
from tests.clock import FakeClock

POST = """mutation($id: ID!, $body: String!, $files: [AttachmentInput!]) {
  postContractMessage(contractId: $id, body: $body, attachments: $files) {
    __typename
    ... on ContractMessageSuccess { contractMessage { id body fromYourOrganisation
      attachments { name sizeBytes contentType checksum } } }
    ... on UserError { code field message } } }"""
MESSAGES = """query($id: ID!) { contractMessages(contractId: $id) {
  edges { node { body fromYourOrganisation author { id } attachments { name } } } } }"""
CHECKSUM = "sha256:" + "ab" * 32
DRAWING = {"name": "bracket-rev-C.pdf", "sizeBytes": 482113, "contentType": "application/pdf", "checksum": CHECKSUM}


async def post(gql: GraphQL, party: Party | None, contract_id: str, body: str, files: Any = None) -> Any:
    variables = {"id": contract_id, "body": body, "files": files}
    return (await gql(POST, variables, token=party.token if party else None))["postContractMessage"]


async def count(engine: AsyncEngine, table: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


async def test_the_parties_write_to_each_other_and_operators_read_along(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    clock.advance(timedelta(minutes=5))
    first = await post(gql, buyer, contract_id, "Please confirm the anodising colour.", [DRAWING])
    clock.advance(timedelta(minutes=5))
    second = await post(gql, maker, contract_id, "Clear anodised, as drawn.")

    seen = {
        p.email: (await gql(MESSAGES, {"id": contract_id}, token=p.token))["contractMessages"]["edges"]
        for p in (buyer, maker, ops)
    }

    assert first["__typename"] == "ContractMessageSuccess"
    assert first["contractMessage"]["attachments"] == [
        {"name": "bracket-rev-C.pdf", "sizeBytes": 482113, "contentType": "application/pdf", "checksum": CHECKSUM}
    ]
    assert second["contractMessage"]["fromYourOrganisation"] is True
    assert [(e["node"]["body"], e["node"]["fromYourOrganisation"]) for e in seen[buyer.email]] == [
        ("Please confirm the anodising colour.", True),
        ("Clear anodised, as drawn.", False),
    ]
    assert [e["node"]["author"]["id"] for e in seen[ops.email]] == [buyer.organisation_id, maker.organisation_id]
    assert [e["node"]["fromYourOrganisation"] for e in seen[maker.email]] == [False, True]
    inbox = (await gql("{ notifications { edges { node { kind body } } } }", token=maker.token))["notifications"]
    assert inbox["edges"][0]["node"] == {"kind": "MESSAGE_RECEIVED", "body": "Please confirm the anodising colour."}


async def test_strangers_operators_and_bad_messages_are_refused_and_nothing_is_stored(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    stranger = await sign_up(gql, kind="BUYER")
    messages_before = await count(engine, ContractMessage)
    notifications_before = await count(engine, Notification)

    refusals = {
        "stranger": await post(gql, stranger, contract_id, "Hi"),
        "operator": await post(gql, ops, contract_id, "Hi"),
        "anonymous": await post(gql, None, contract_id, "Hi"),
        "empty": await post(gql, buyer, contract_id, "  "),
        # (a megabyte is the edge's to refuse, unread: tests/api/test_hostile_requests.py)
        "a hundred kilobytes": await post(gql, buyer, contract_id, "x" * 100_000),
        "path as name": await post(gql, buyer, contract_id, "see file", [{**DRAWING, "name": "../etc/passwd"}]),
        "bad checksum": await post(gql, buyer, contract_id, "see file", [{**DRAWING, "checksum": "md5:abc"}]),
        "bad type": await post(gql, buyer, contract_id, "see file", [{**DRAWING, "contentType": "pdf"}]),
        "negative size": await post(gql, buyer, contract_id, "see file", [{**DRAWING, "sizeBytes": -1}]),
        "eleven files": await post(gql, buyer, contract_id, "see files", [DRAWING] * 11),
    }
    stranger_read = await gql.raw(MESSAGES, {"id": contract_id}, token=stranger.token)

    assert {k: (v["__typename"], v["code"], v["field"]) for k, v in refusals.items()} == {
        "stranger": ("NotFoundError", "NOT_FOUND", "contractId"),
        "operator": ("PermissionDeniedError", "FORBIDDEN", "contractId"),
        "anonymous": ("NotAuthenticatedError", "UNAUTHENTICATED", None),
        "empty": ("ValidationError", "REQUIRED", "body"),
        "a hundred kilobytes": ("ValidationError", "OUT_OF_RANGE", "body"),
        "path as name": ("ValidationError", "INVALID", "attachments.0.name"),
        "bad checksum": ("ValidationError", "INVALID", "attachments.0.checksum"),
        "bad type": ("ValidationError", "INVALID", "attachments.0.contentType"),
        "negative size": ("ValidationError", "OUT_OF_RANGE", "attachments.0.sizeBytes"),
        "eleven files": ("ValidationError", "OUT_OF_RANGE", "attachments"),
    }
    assert stranger_read["data"] is None
    assert stranger_read["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await count(engine, ContractMessage) == messages_before == 0
    assert await count(engine, Notification) == notifications_before


async def test_reading_messages_runs_a_constant_number_of_statements(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, sql: Any
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    counts = []
    for total in (2, 8):
        while len((await gql(MESSAGES, {"id": contract_id}, token=buyer.token))["contractMessages"]["edges"]) < total:
            clock.advance(timedelta(seconds=1))
            await post(gql, buyer, contract_id, "Status?", [DRAWING])
            await post(gql, maker, contract_id, "On track.")
        with sql.counting():
            await gql(MESSAGES, {"id": contract_id}, token=buyer.token)
        counts.append(sql.count)

    assert counts[0] == counts[1]
