"""domain/rows.py on real PostgreSQL: declared read types that read like the model, and id lists bound as one array."""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID, uuid4

import pytest
from sqlalchemy import any_, func, literal_column, select, type_coerce

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus, RankedBidRow
from domain.bids.service import bids_for_orders
from domain.columns import table_of
from domain.organisations.models import Organisation, OrganisationKind, OrganisationRow
from domain.organisations.service import organisations_by_ids
from domain.rows import bound_uuids, fetch_records, uuid_array
from exchange.db import SessionFactory
from tests.conftest import StatementCounter
from tests.integration.factories import Market, org


class Id(NamedTuple):
    id: UUID


class Status(NamedTuple):
    status: BidStatus | None


# OrganisationRow's fields and a window column: a read type is the select's columns, whatever they are.
RankedOrganisation = NamedTuple(  # type: ignore[misc]  # its fields are read at run time, not by the type checker
    "RankedOrganisation", [(name, Any) for name in OrganisationRow._fields] + [("position", int)]
)


async def test_records_read_like_the_model_and_keep_the_column_types(
    market: Market, session_factory: SessionFactory
) -> None:
    buyer = org(await market.organisation(OrganisationKind.buyer))
    maker = org(await market.manufacturer())
    table = table_of(Organisation)

    async with session_factory() as session:
        rows: list[Any] = await fetch_records(
            session,
            select(table, func.row_number().over(order_by=table.c.name).label("position")).where(
                table.c.id == any_(uuid_array("ids"))
            ),
            RankedOrganisation,
            {"ids": [maker, buyer]},
        )
        with pytest.raises(TypeError, match="RankedOrganisation has fields"):
            await fetch_records(session, select(table).where(table.c.id == maker), RankedOrganisation)
        orm = {o.id: o for o in (await session.scalars(select(Organisation))).all()}

    assert sorted(row.id for row in rows) == sorted([maker, buyer])
    for row in rows:
        model = orm[row.id]
        assert row._fields == (*(c.name for c in table.columns), "position")
        # Every column as the ORM reads it: the driver's values, and the enums converted by their column type.
        assert tuple(row[:-1]) == tuple(getattr(model, c.name) for c in table.columns)
        assert isinstance(row.kind, OrganisationKind)
        assert type(row.membership) is type(model.membership)
    assert sorted(row.position for row in rows) == [1, 2]


async def test_a_select_built_per_call_binds_its_ids_as_one_array(
    market: Market, session_factory: SessionFactory, sql: StatementCounter
) -> None:
    makers = [org(await market.manufacturer()) for _ in range(3)]
    table = table_of(Organisation)

    async with session_factory() as session:
        with sql.counting():
            one = await fetch_records(
                session, select(table.c.id).where(table.c.id == any_(bound_uuids(makers[:1]))), Id
            )
            three = await fetch_records(session, select(table.c.id).where(table.c.id == any_(bound_uuids(makers))), Id)

    assert [row.id for row in one] == makers[:1]
    assert sorted(row.id for row in three) == sorted(makers)
    assert len(sql.statements) == 2 and sql.statements[0] == sql.statements[1]


async def test_organisations_by_ids_finds_the_listed_ids_and_nothing_for_an_empty_list(
    market: Market, session_factory: SessionFactory, sql: StatementCounter
) -> None:
    makers = [org(await market.manufacturer()) for _ in range(3)]

    async with session_factory() as session:
        found = await organisations_by_ids(session, [makers[0], makers[2], uuid4()])
        with sql.counting():
            none = await organisations_by_ids(session, [])

    assert set(found) == {makers[0], makers[2]}
    assert all(type(row) is OrganisationRow and row.id == key for key, row in found.items())
    assert none == {}
    assert sql.count == 0  # nothing to look up: no statement


async def test_organisations_by_ids_sends_the_same_statement_whatever_the_number_of_ids(
    market: Market, session_factory: SessionFactory, sql: StatementCounter
) -> None:
    makers = [org(await market.manufacturer()) for _ in range(3)]

    async with session_factory() as session:
        with sql.counting():
            await organisations_by_ids(session, makers[:1])
            await organisations_by_ids(session, makers)

    texts = sql.statements
    assert len(texts) == 2 and texts[0] == texts[1]
    assert "ANY" in texts[0]


async def test_the_prebuilt_bids_page_takes_each_calls_values(
    market: Market, session_factory: SessionFactory, sql: StatementCounter
) -> None:
    """bids_for_orders' select is built once: the orders, the statuses, the page size and the viewer's
    organisations come with each call, never from an earlier one."""
    buyer = await market.organisation(OrganisationKind.buyer)
    makers = [await market.manufacturer() for _ in range(3)]
    orders = [await market.open_order(buyer) for _ in range(2)]
    placed = {
        (order.id, maker_index): await market.bid(maker, order.id, unit_minor=100_00 * (maker_index + 1))
        for order in orders
        for maker_index, maker in enumerate(makers)
    }
    operator = Actor(is_operator=True)
    first, second = orders[0].id, orders[1].id
    stranger_maker = await market.manufacturer()

    async with session_factory() as session:
        with sql.counting():
            all_of_first = await bids_for_orders(session, actor=operator, order_ids=[first], first=5)
            cheapest_two = await bids_for_orders(session, actor=operator, order_ids=[first, second], first=2)
            withdrawn = await bids_for_orders(
                session, actor=operator, order_ids=[first], first=5, statuses=[BidStatus.withdrawn]
            )
            own = await bids_for_orders(session, actor=makers[1], order_ids=[first, second], first=5)
            buyers = await bids_for_orders(session, actor=buyer, order_ids=[second], first=5)
            stranger = await bids_for_orders(session, actor=stranger_maker, order_ids=[first, second], first=5)
        nobody = await bids_for_orders(session, actor=Actor(), order_ids=[first], first=5)

    def ids(page: tuple[list[RankedBidRow], bool]) -> list[object]:
        return [row.id for row in page[0]]

    assert set(all_of_first) == {first}
    assert ids(all_of_first[first]) == [placed[(first, i)].id for i in range(3)] and not all_of_first[first][1]
    for order_id in (first, second):  # cheapest first, and more exist
        assert ids(cheapest_two[order_id]) == [placed[(order_id, 0)].id, placed[(order_id, 1)].id]
        assert cheapest_two[order_id][1] is True
    assert dict(withdrawn) == {}
    assert {key: ids(page) for key, page in own.items()} == {
        first: [placed[(first, 1)].id],
        second: [placed[(second, 1)].id],
    }
    assert ids(buyers[second]) == [placed[(second, i)].id for i in range(3)]
    assert dict(stranger) == {}
    assert dict(nobody) == {}
    row = all_of_first[first][0][0]
    assert isinstance(row.status, BidStatus) and row.status is BidStatus.active
    assert len(set(sql.statements)) == 2  # one text for operators, one for members, whatever the values


async def test_an_enum_column_reads_members_null_and_refuses_an_unknown_value(session_factory: SessionFactory) -> None:
    status = table_of(Bid).c.status.type

    def read(sql: str) -> Any:
        return select(type_coerce(literal_column(sql), status).label("status"))

    async with session_factory() as session:
        (known,) = await fetch_records(session, read("'withdrawn'"), Status)
        (null,) = await fetch_records(session, read("NULL"), Status)
        with pytest.raises(LookupError):
            await fetch_records(session, read("'bogus'"), Status)

    assert known.status is BidStatus.withdrawn
    assert null.status is None
