"""A use case that PostgreSQL rolls back for a deadlock or a serialisation failure runs again; other errors
do not, and nothing of a failed attempt stays."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.uow import ATTEMPTS, UnitOfWork, run_in_transaction
from tests.integration.factories import Market

RAISE = "DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '{code}'; END $$"


async def _marks(market: Market) -> int:
    async with market.uow() as uow:
        return int(await uow.session.scalar(text("SELECT count(*) FROM retry_mark")) or 0)


@pytest.fixture
async def marks(market: Market) -> AsyncIterator[None]:
    """A scratch table, dropped afterwards so the schema stays the migrations' own."""
    async with market.uow() as uow:
        await uow.session.execute(text("CREATE TABLE retry_mark (n int)"))
        await uow.commit()
    yield
    async with market.uow() as uow:
        await uow.session.execute(text("DROP TABLE retry_mark"))
        await uow.commit()


@pytest.mark.parametrize("code", ["40P01", "40001"])
async def test_a_deadlock_or_serialisation_failure_runs_the_use_case_again(
    market: Market, marks: None, code: str
) -> None:
    attempts = 0

    async def use_case(uow: UnitOfWork) -> str:
        nonlocal attempts
        attempts += 1
        await uow.session.execute(text("INSERT INTO retry_mark VALUES (:n)"), {"n": attempts})
        if attempts == 1:
            await uow.session.execute(text(RAISE.format(code=code)))
        await uow.commit()
        return "done"

    assert await run_in_transaction(market.uow, use_case) == "done"
    assert attempts == 2
    assert await _marks(market) == 1  # the first attempt's insert was rolled back


async def test_other_database_errors_are_not_retried(market: Market, marks: None) -> None:
    attempts = 0

    async def use_case(uow: UnitOfWork) -> None:
        nonlocal attempts
        attempts += 1
        await uow.session.execute(text("INSERT INTO retry_mark VALUES (1)"))
        await uow.session.execute(text(RAISE.format(code="23505")))

    with pytest.raises(DBAPIError):
        await run_in_transaction(market.uow, use_case)
    assert attempts == 1
    assert await _marks(market) == 0


async def test_it_gives_up_after_its_attempts(market: Market, marks: None) -> None:
    attempts = 0

    async def use_case(uow: UnitOfWork) -> None:
        nonlocal attempts
        attempts += 1
        await uow.session.execute(text(RAISE.format(code="40P01")))

    with pytest.raises(DBAPIError):
        await run_in_transaction(market.uow, use_case)
    assert attempts == ATTEMPTS
