"""A request takes one pooled connection for its sign-in check and its reads, and never holds two at once: a
mutation's unit of work and the search backend take their own only after the read one went back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.graphql import GraphQL, create_order, make_manufacturer, sign_up
from tests.clock import FakeClock

BOARD = """
query { orders(first: 10, filter: {statuses: [OPEN]}) { edges { node { id title buyer { id name } } } } }
"""

SEARCH = """
query {
  searchManufacturers(query: "", first: 5) { ... on ManufacturerSearch { total edges { node { id name } } } }
}
"""

RENAME = """
mutation($id: ID!, $input: UpdateOrderInput!) {
  updateOrder(id: $id, input: $input) {
    __typename ... on OrderSuccess { order { id title } } ... on UserError { code }
  }
}
"""


@dataclass
class Checkouts:
    count: int = 0
    held: int = 0
    most_held: int = 0
    statements: list[str] = field(default_factory=list)


@contextmanager
def watching(engine: AsyncEngine) -> Iterator[Checkouts]:
    """Pool checkouts (each is one connection taken) and the most connections held at once while watching."""
    seen = Checkouts()
    pool = engine.sync_engine.pool

    def checkout(*_: Any) -> None:
        seen.count += 1
        seen.held += 1
        seen.most_held = max(seen.most_held, seen.held)

    def checkin(*_: Any) -> None:
        seen.held -= 1

    def statement(conn: Any, cursor: Any, text: str, *_: Any) -> None:
        seen.statements.append(" ".join(text.split())[:60])

    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)
    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    try:
        yield seen
    finally:
        event.remove(pool, "checkout", checkout)
        event.remove(pool, "checkin", checkin)
        event.remove(engine.sync_engine, "before_cursor_execute", statement)


async def test_a_signed_in_query_checks_its_token_and_reads_on_one_connection(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    for n in range(3):
        await create_order(gql, buyer, clock, title=f"Part {n}")
    maker = await make_manufacturer(gql, clock)
    await gql(BOARD, token=maker.token)  # the read has run once (then on the driver), the token checked once

    with watching(engine) as seen:
        data = await gql(BOARD, token=maker.token)

    assert len(data["orders"]["edges"]) == 3
    assert all(edge["node"]["buyer"]["name"] for edge in data["orders"]["edges"])
    # the orders with their buyers (a join), the token check riding in front (api/auth_guess.py): one statement on
    # one connection
    assert len(seen.statements) == 1 and "auth_token" in seen.statements[0], seen.statements
    assert (seen.count, seen.most_held) == (1, 1), seen
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_mutation_gives_the_read_connection_back_before_its_unit_of_work(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, title="Old title", publish=False)

    with watching(engine) as seen:
        data = await gql(RENAME, {"id": order_id, "input": {"title": "New title"}}, token=buyer.token)

    assert data["updateOrder"]["order"]["title"] == "New title"
    # the sign-in check's connection, the unit of work's, and the payload's read: one at a time
    assert seen.most_held == 1, seen
    assert seen.count >= 2


async def test_a_search_gives_the_read_connection_back_before_the_backend_takes_its_own(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    maker = await make_manufacturer(gql, clock)

    with watching(engine) as seen:
        data = await gql(SEARCH, token=maker.token)

    assert data["searchManufacturers"]["total"] >= 0
    assert seen.most_held == 1, seen
    assert seen.count == 2, seen
