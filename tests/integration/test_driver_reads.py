"""The hot reads built once (domain/rows.py) run on the driver after their first run (domain/driver.py
`fetch_on_driver`): the same rows as through SQLAlchemy, the statement events still seen, and SQLAlchemy's path
kept wherever the driver's would change what runs (a transaction whose BEGIN has not been sent, SQL that is rendered
per run)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.actor import Actor
from domain.bids.service import bids_with_bidders_for_orders
from domain.orders.models import OrderStatus
from domain.orders.service import OrderFilter, list_orders_with_buyers, order_rows_with_buyers
from domain.organisations.models import OrganisationKind
from domain.pagination import PageRequest
from domain.uow import SessionFactory
from tests.integration.factories import Market

BOARD = OrderFilter(statuses=[OrderStatus.open], processes=["cnc_milling"])


class Seen:
    """Each statement's SQL, and whether SQLAlchemy ran it (with a cursor) or the driver did (none)."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, bool]] = []

    def before(self, _conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        self.runs.append((statement, cursor is not None))

    def by_driver(self) -> list[bool]:
        return [not through_sqlalchemy for _, through_sqlalchemy in self.runs]


@asynccontextmanager
async def reads(engine: AsyncEngine, session_factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """A session on a connection in autocommit, as a request's reads run (api/context.py `db`)."""
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with session_factory(bind=connection) as session:
            yield session


@pytest.fixture
def seen(engine: AsyncEngine) -> Iterator[Seen]:
    recorder = Seen()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder.before)
    yield recorder
    event.remove(engine.sync_engine, "before_cursor_execute", recorder.before)


async def test_the_board_detail_and_bids_reads_run_on_the_driver_with_the_rows_sqlalchemy_gives(
    market: Market, engine: AsyncEngine, session_factory: SessionFactory, seen: Seen
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    makers = [await market.manufacturer() for _ in range(3)]
    orders = [await market.open_order(buyer, title=f"order {n}") for n in range(3)]
    for maker in makers:
        await market.bid(maker, orders[0].id)
    operator = Actor(user_id=uuid4(), is_operator=True)

    async def board(session: AsyncSession) -> Any:
        return await list_orders_with_buyers(session, actor=makers[0], filter=BOARD, sort="NEWEST", page=PageRequest(2))

    async def detail(session: AsyncSession) -> Any:
        return await order_rows_with_buyers(session, actor=buyer, ids=[orders[0].id])

    async def bids(session: AsyncSession) -> Any:
        found = await bids_with_bidders_for_orders(
            session, actor=operator, order_ids=[order.id for order in orders], first=2
        )
        return dict(found)

    # Through SQLAlchemy: each read the first statement of a transaction (SQLAlchemy sends BEGIN before it).
    reference = []
    for read in (board, detail, bids):
        async with session_factory() as session, session.begin():
            reference.append(await read(session))
    assert seen.by_driver()[-3:] == [False, False, False]
    seen.runs.clear()

    # A request's reads: on the driver, beginning no session transaction, seen by the statement listeners.
    async with reads(engine, session_factory) as session:
        driven = [await read(session) for read in (board, detail, bids)]
        began = session.in_transaction()

    assert driven == reference
    assert not began
    assert seen.by_driver() == [True, True, True]
    assert len(reference[0].items) == 2 and reference[0].has_next_page
    assert len(reference[2][orders[0].id][0]) == 2 and reference[2][orders[0].id][1]  # two of the three bids, and more


async def test_a_transaction_whose_begin_is_not_sent_yet_reads_through_sqlalchemy_then_on_the_driver(
    market: Market, session_factory: SessionFactory, seen: Seen
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    await market.open_order(buyer)
    async with session_factory() as session:
        await list_orders_with_buyers(session, actor=maker, filter=BOARD, sort="NEWEST", page=PageRequest(5))
    seen.runs.clear()

    async with session_factory() as session, session.begin():
        # The first statement of a transaction goes through SQLAlchemy, which sends BEGIN before it.
        once = await list_orders_with_buyers(session, actor=maker, filter=BOARD, sort="NEWEST", page=PageRequest(5))
        twice = await list_orders_with_buyers(session, actor=maker, filter=BOARD, sort="NEWEST", page=PageRequest(5))

    assert once == twice and len(once.items) == 1
    assert seen.by_driver() == [False, True]


async def test_a_select_whose_sql_is_rendered_per_run_stays_with_sqlalchemy(
    market: Market, engine: AsyncEngine, session_factory: SessionFactory, seen: Seen
) -> None:
    """A viewer of no organisation: the invitations' `IN` of no organisations is rendered by SQLAlchemy per run."""
    buyer = await market.organisation(OrganisationKind.buyer)
    await market.open_order(buyer)
    nobody = Actor(user_id=uuid4())
    pages = []
    seen.runs.clear()
    for _ in range(2):
        async with reads(engine, session_factory) as session:
            pages.append(
                await list_orders_with_buyers(session, actor=nobody, filter=BOARD, sort="NEWEST", page=PageRequest(5))
            )

    assert pages[0] == pages[1] and len(pages[0].items) == 1
    assert seen.by_driver() == [False, False]
