"""A select riding with a connection's next read (domain/driver.py Rider): sent in the read's own statement, its rows
settled before the read's are returned, the read's rows as the read alone gives them — their order, no row, a row of
nulls — and run alone before a statement that cannot carry it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import Integer, column, false, func, literal, null, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.driver import DriverSelect, Rider, fetch_on_driver, ride_with_next_read, unride
from domain.uow import SessionFactory

NUMBERS: Any = (
    select(column("n", Integer), (column("n", Integer) * 7 % 11).label("k"))
    .select_from(func.generate_series(1, 200).alias("n"))
    .order_by(text("k DESC, n"))
)
NONE: Any = select(literal(1).label("x")).where(false())
NULLS: Any = select(null().label("a"), null().label("b"))
RIDER = DriverSelect(select(literal("checked").label("word"), func.now().label("at")))
NOBODY = DriverSelect(select(literal("checked").label("word")).where(false()))


class Settled:
    def __init__(self, refuse: bool = False) -> None:
        self.rows: list[Sequence[Any]] = []
        self.refuse = refuse

    def __call__(self, rows: Sequence[Any]) -> None:
        self.rows.append(list(rows))
        if self.refuse:
            raise LookupError("refused")


def _failed(error: Exception) -> BaseException:
    return RuntimeError(f"carrier failed: {error!r}")


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


async def test_the_reads_rows_come_in_their_own_order_after_the_rider_is_settled(connection: AsyncConnection) -> None:
    alone = await fetch_on_driver(connection, NUMBERS, {})
    assert alone is not None and len(alone) == 200
    settled = Settled()
    ride_with_next_read(connection, Rider(RIDER, {}, settled, _failed))

    riding = await fetch_on_driver(connection, NUMBERS, {})

    assert riding is not None
    assert [tuple(row) for row in riding] == [tuple(row) for row in alone]
    assert len(settled.rows) == 1 and len(settled.rows[0]) == 1 and settled.rows[0][0][0] == "checked"
    assert unride(connection) is None  # it ran once: the next read goes alone
    assert [tuple(row) for row in await fetch_on_driver(connection, NUMBERS, {}) or []] == [tuple(r) for r in alone]
    assert len(settled.rows) == 1


async def test_no_row_and_a_row_of_nulls_are_told_apart(connection: AsyncConnection) -> None:
    for read, expected in ((NONE, []), (NULLS, [(None, None)])):
        settled = Settled()
        ride_with_next_read(connection, Rider(RIDER, {}, settled, _failed))
        rows = await fetch_on_driver(connection, read, {})
        assert rows is not None and [tuple(row) for row in rows] == expected
        assert len(settled.rows) == 1


async def test_a_rider_that_refuses_keeps_the_reads_rows_and_one_that_finds_nothing_leaves_the_read_to_run_alone(
    connection: AsyncConnection,
) -> None:
    refusing = Settled(refuse=True)
    ride_with_next_read(connection, Rider(RIDER, {}, refusing, _failed))
    with pytest.raises(LookupError):
        await fetch_on_driver(connection, NUMBERS, {})

    nobody = Settled()
    ride_with_next_read(connection, Rider(NOBODY, {}, nobody, _failed))
    assert await fetch_on_driver(connection, NUMBERS, {}) is None  # the read's rows are not known
    assert nobody.rows == [[]]


async def test_a_statement_that_cannot_carry_the_rider_runs_after_it(
    connection: AsyncConnection, session_factory: SessionFactory
) -> None:
    settled = Settled()
    ride_with_next_read(connection, Rider(RIDER, {}, settled, _failed))
    async with session_factory(bind=connection) as session:
        assert (await session.execute(text("SELECT 41 + 1"))).scalar_one() == 42
    assert len(settled.rows) == 1 and settled.rows[0][0][0] == "checked"


async def test_a_failing_carrier_raises_what_the_rider_says(connection: AsyncConnection) -> None:
    broken: Any = select(literal(1).label("x")).where(text("1 / (SELECT 0) = 1"))
    settled = Settled()
    ride_with_next_read(connection, Rider(RIDER, {}, settled, _failed))
    with pytest.raises(RuntimeError, match="carrier failed"):
        await fetch_on_driver(connection, broken, {})
    assert settled.rows == []
