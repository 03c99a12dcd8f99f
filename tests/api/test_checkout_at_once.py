"""A request's read connection is taken from the pool and given back without greenlets when that needs no I/O
(domain/driver.py checkout_at_once, close_at_once, close_session_at_once; switched to autocommit only when a session
begins on it: autocommit_when_begun), and the usual way when it does: a connection the pool must re-open, a driver
transaction to roll back."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from api.relay import decode_id
from domain.driver import ReadSession, checkout_at_once, close_at_once, close_session_at_once, read_session
from domain.organisations.models import Organisation
from exchange.db import create_engine, create_session_factory
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, sign_up

ME = "query { me { id email } }"
BOARD = "query { orders(first: 5) { edges { node { id } } } }"


@pytest.fixture
def greenlets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the SQLAlchemy calls run in a greenlet (AsyncEngine/AsyncConnection/AsyncSession) from now on."""
    import sqlalchemy.ext.asyncio.engine as async_engine
    import sqlalchemy.ext.asyncio.session as async_session

    spawned: list[str] = []
    for module in (async_engine, async_session):
        original = module.greenlet_spawn

        def counting(fn: Callable[..., Any], *args: Any, _original: Any = original, **kwargs: Any) -> Awaitable[Any]:
            spawned.append(getattr(fn, "__qualname__", repr(fn)))
            return _original(fn, *args, **kwargs)

        monkeypatch.setattr(module, "greenlet_spawn", counting)
    return spawned


async def test_a_signed_in_request_takes_and_gives_back_its_connection_without_a_greenlet(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine, greenlets: list[str]
) -> None:
    user = await sign_up(gql, kind="MANUFACTURER")
    await small(ME, token=user.token)  # the pool's one connection is open
    greenlets.clear()

    floor = await small("query { __typename }", token=user.token)

    assert floor == {"__typename": "Query"}
    assert greenlets == [], greenlets  # the token check on the driver: checkout and check-in without a greenlet

    board = await small(BOARD, token=user.token)

    assert board["orders"]["edges"] == []
    # The board's select may go through SQLAlchemy (its first run on a dialect: `Session.connection`,
    # `Connection.execute`, then `Session.close` of the session that began); taking the connection, switching it to
    # autocommit and giving it back do not.
    assert not {"Engine.connect", "Connection.execution_options", "Connection.close"} & set(greenlets), greenlets
    pool: Any = one_connection.pool
    assert (pool.checkedout(), pool.checkedin()) == (0, 1)


async def test_a_checkout_that_must_reopen_the_connection_goes_the_usual_way(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine
) -> None:
    user = await sign_up(gql, kind="BUYER")
    await small(ME, token=user.token)
    async with one_connection.connect() as connection:
        # the record goes back to the pool without a connection: the next checkout must open one
        await connection.invalidate()
    pool: Any = one_connection.pool
    assert pool.checkedin() == 1

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert checkout_at_once(one_connection, unpinged=True) is None
        gc.collect()
    assert (pool.checkedout(), pool.checkedin()) == (0, 1)  # the record is back, nothing leaked
    assert not [w for w in caught if "never awaited" in str(w.message)], [str(w.message) for w in caught]

    data = await small(ME, token=user.token)

    assert data["me"]["email"] == user.email
    assert (pool.checkedout(), pool.checkedin()) == (0, 1)


async def test_a_connection_with_a_driver_transaction_is_closed_the_usual_way(one_connection: AsyncEngine) -> None:
    pool: Any = one_connection.pool
    connection = await one_connection.connect()
    await connection.begin()
    await connection.execute(text("SELECT 1"))  # the driver has begun a transaction: its check-in must roll it back

    assert close_at_once(connection) is False
    assert not connection.closed and pool.checkedout() == 1

    await connection.close()
    assert (pool.checkedout(), pool.checkedin()) == (0, 1)
    async with one_connection.connect() as again:  # the transaction was rolled back: the connection is usable
        assert (await again.execute(text("SELECT 1"))).scalar_one() == 1


async def test_an_overflow_connection_given_back_to_a_full_pool_is_closed_the_usual_way(database_url: str) -> None:
    """A pool of one with one overflow: the second connection back finds the pool full, and the pool closes it —
    I/O that needs the usual, greenlet-run close. Given back without one, it stayed open on the server (200
    subscriptions at once then ran PostgreSQL out of connections: tests/realtime/test_fanout_memory.py)."""
    engine = create_engine(database_url, pool_size=1, max_overflow=1, pool_timeout=3)
    try:
        first, second = await engine.connect(), await engine.connect()
        pids = {(await c.execute(text("SELECT pg_backend_pid()"))).scalar_one() for c in (first, second)}
        await first.commit()
        await second.commit()
        pool: Any = engine.pool

        assert close_at_once(first) is True
        assert (pool.checkedout(), pool.checkedin()) == (1, 1)
        assert close_at_once(second) is False  # the pool is full: this one is closed, not kept
        await second.close()

        assert (pool.checkedout(), pool.checkedin(), pool.overflow()) == (0, 1, 0)
        async with engine.connect() as probe:
            alive = set(
                (
                    await probe.execute(
                        text("SELECT pid FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": list(pids)}
                    )
                ).scalars()
            )
        assert len(alive) == 1  # the kept one (running this probe); the overflow connection is gone
    finally:
        await engine.dispose()


async def test_a_session_is_closed_at_once_and_only_when_it_holds_something(
    gql: GraphQL, one_connection: AsyncEngine
) -> None:
    """close_session_at_once: a session that began nothing and holds nothing (a request that read on the driver) is
    left as it is — there is nothing to forget —; one holding an object forgets it; one that began goes the usual
    way."""
    buyer = await sign_up(gql, kind="BUYER")
    async with one_connection.connect() as connection:
        empty = AsyncSession(bind=connection)
        identity_map = empty.sync_session.identity_map

        assert close_session_at_once(empty) is True
        assert empty.sync_session.identity_map is identity_map  # not closed: nothing was made anew
        assert (await empty.execute(text("SELECT 1"))).scalar_one() == 1  # and usable as a closed one would be
        assert close_session_at_once(empty) is False  # it began: its close must end the transaction
        await empty.close()

        holding = AsyncSession(bind=connection, expire_on_commit=False)
        organisation = await holding.get(Organisation, decode_id(buyer.organisation_id, "Organisation", "id"))
        assert organisation is not None
        await holding.commit()  # the transaction ends, the object stays
        assert organisation in holding and not holding.in_transaction()

        assert close_session_at_once(holding) is True
        assert organisation not in holding and len(holding.sync_session.identity_map) == 0  # forgotten


async def test_a_request_switches_to_autocommit_only_when_a_session_begins_and_never_sends_begin(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """autocommit_when_begun: the board (its reads on the driver, with the execution engine) leaves the connection's
    isolation alone; `me` (a read through the session) switches it as its session begins. Neither sends BEGIN or
    ROLLBACK, and the pool gives the connection back at the database's own level (a unit of work after them is a
    transaction)."""
    user = await sign_up(gql, kind="MANUFACTURER")
    switches: list[object] = []
    original = Connection.execution_options

    def spy(self: Connection, **options: Any) -> Connection:
        if "isolation_level" in options:
            switches.append(options["isolation_level"])
        return original(self, **options)

    monkeypatch.setattr(Connection, "execution_options", spy)
    sent: list[str] = []
    async with one_connection.connect() as probe:
        raw = await probe.get_raw_connection()
        driver: Any = raw.driver_connection
        driver.add_query_logger(lambda record: sent.append(record.query))
        level = await probe.scalar(text("SHOW transaction_isolation"))
    await small(BOARD, token=user.token)
    await small(BOARD, token=user.token)  # warm: the board's read runs on the driver from now on
    switches.clear()
    sent.clear()

    board = await small(BOARD, token=user.token)

    assert board["orders"]["edges"] == []
    assert not [query for query in sent if query.strip(" ;").upper() in {"BEGIN", "ROLLBACK"}], sent
    if not STOCK:  # stock execution may read through the session (which switches as it begins)
        assert switches == [], switches
    switches.clear()
    sent.clear()

    me = await small(ME, token=user.token)

    assert me["me"]["email"] == user.email
    assert "AUTOCOMMIT" in switches, switches  # (and the pool's reset at check-in)
    assert not [query for query in sent if query.strip(" ;").upper() in {"BEGIN", "ROLLBACK"}], sent
    async with one_connection.connect() as after:  # the one connection, back at the database's level
        assert after.sync_connection is not None
        adapted: Any = after.sync_connection.connection.dbapi_connection
        assert adapted.isolation_level != "autocommit"
        assert await after.scalar(text("SHOW transaction_isolation")) == level


async def test_a_read_session_is_made_only_when_something_goes_through_it(
    gql: GraphQL, one_connection: AsyncEngine
) -> None:
    """read_session: until something goes through it, the session answers for its connection and for having begun
    nothing without making its Session, and closes as one that holds nothing; the first statement through it makes
    the Session with the factory's settings, and it then runs, begins and closes as `factory(bind=connection)`."""
    buyer = await sign_up(gql, kind="BUYER")
    factory = create_session_factory(one_connection)
    async with one_connection.connect() as connection:
        unused = read_session(factory, connection)
        assert isinstance(unused, ReadSession)
        assert unused.bind is connection and unused.in_transaction() is False
        assert not unused.made
        assert close_session_at_once(unused) is True
        await unused.close()
        assert not unused.made  # nothing was made to be closed

        session = read_session(factory, connection)
        organisation = await session.get(Organisation, decode_id(buyer.organisation_id, "Organisation", "id"))
        assert organisation is not None
        assert isinstance(session, ReadSession) and session.made
        assert session.in_transaction() and session.bind is connection
        assert session.sync_session.bind is connection.sync_connection
        assert session.sync_session.expire_on_commit is False and session.sync_session.autoflush is False  # factory's
        assert close_session_at_once(session) is False  # it began: its close ends the transaction
        await session.close()
        assert not session.in_transaction() and len(session.sync_session.identity_map) == 0

        informed = read_session(factory, connection)
        informed.info["seen"] = True  # anything else the session has makes it
        assert isinstance(informed, ReadSession) and informed.made and informed.sync_session.info == {"seen": True}
        await informed.close()


async def test_a_request_reading_on_the_driver_makes_no_session(
    gql: GraphQL, small: GraphQL, one_connection: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board (its reads on the driver, with the execution engine) makes no Session; `me` (an ORM read) makes
    one and answers; the pool's one connection is back after each."""
    user = await sign_up(gql, kind="MANUFACTURER")
    made: list[Session] = []
    original = Session.__init__

    def counting(self: Session, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Session, "__init__", counting)
    await small(BOARD, token=user.token)
    await small(BOARD, token=user.token)  # warm: the board's read runs on the driver from now on
    made.clear()

    board = await small(BOARD, token=user.token)

    assert board["orders"]["edges"] == []
    if not STOCK:  # stock execution may read through the session
        assert made == []
    assert one_connection.sync_engine.pool.checkedin() == 1  # type: ignore[attr-defined]
    made.clear()

    me = await small(ME, token=user.token)

    assert me["me"]["email"] == user.email
    assert len(made) == 1
    assert one_connection.sync_engine.pool.checkedin() == 1  # type: ignore[attr-defined]
