"""domain/rows.py on real PostgreSQL: named tuples that read like the model, and id lists bound as one array."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import func, select

from domain.organisations.models import Organisation, OrganisationKind
from domain.organisations.service import organisations_by_ids
from domain.rows import any_id, fetch_records
from exchange.db import SessionFactory
from tests.conftest import StatementCounter
from tests.integration.factories import Market, org


async def test_records_read_like_the_model_and_keep_the_column_types(
    market: Market, session_factory: SessionFactory
) -> None:
    buyer = org(await market.organisation(OrganisationKind.buyer))
    maker = org(await market.manufacturer())
    table = Organisation.__table__  # type: ignore[attr-defined]

    async with session_factory() as session:
        rows = await fetch_records(
            session,
            select(table, func.row_number().over(order_by=table.c.name).label("position")).where(
                any_id(table.c.id, [maker, buyer])
            ),
        )
        orm = {o.id: o for o in (await session.scalars(select(Organisation))).all()}

    assert sorted(row.id for row in rows) == sorted([maker, buyer])
    for row in rows:
        model = orm[row.id]
        assert row._fields == (*(c.name for c in table.columns), "position")
        assert (row.name, row.kind, row.region, row.created_at) == (
            model.name,
            model.kind,
            model.region,
            model.created_at,
        )
        assert isinstance(row.kind, OrganisationKind)  # the column's type still converts the value
    assert sorted(row.position for row in rows) == [1, 2]


async def test_any_id_finds_the_listed_ids_and_nothing_for_an_empty_list(
    market: Market, session_factory: SessionFactory
) -> None:
    makers = [org(await market.manufacturer()) for _ in range(3)]

    async with session_factory() as session:
        found = await organisations_by_ids(session, [makers[0], makers[2], uuid4()])
        none = await organisations_by_ids(session, [])

    assert set(found) == {makers[0], makers[2]}
    assert none == {}


async def test_any_id_sends_the_same_statement_whatever_the_number_of_ids(
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
