"""A Core select run on the driver connection itself: for the few statements every request pays (the token check).

Through SQLAlchemy a statement costs its execution machinery on every call — the compiled-cache lookup, the execution
context, the cursor adapter, the result object, greenlet switches — several times the cost of the statement itself.
`DriverSelect` compiles its select once for the connection's dialect (asyncpg) and runs the SQL with asyncpg's
`fetch` on the connection's driver connection: asyncpg prepares it once per connection (its statement cache) and each
call is one Bind/Execute round trip. The connection stays the caller's (its pool checkout, its transaction if any):
which connection a request uses does not change.

What the engine's listeners see is kept: before_cursor_execute and after_cursor_execute are dispatched around the
statement when any are listening (the statement counters of tests and benchmarks, tracing), with no cursor and no
execution context, as SQLAlchemy passes them for a statement it has no context for.

A checkout needs no ping when its first statement is one of these and the caller retries it on a fresh connection if
it finds the connection lost (`connect_unpinged`): the pool's ping (exchange/db.py) was a round trip on
every request, the largest part of a signed-in request's fixed cost after its token check.

Parameters go through their types' bind processors as SQLAlchemy's would. Rows are the driver's (asyncpg Records),
without result processing: for selects of columns the driver decodes as the caller wants them (UUIDs, datetimes,
booleans, text; an enum column stored as text comes back as its str value).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar, copy_context
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import ARRAY, Select, event
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

# Read by the pool's checkout ping (exchange/db.py ping_on_checkout): SQLAlchemy runs a checkout in a greenlet that
# carries the caller's context variables.
_FIRST_STATEMENT_CHECKS: ContextVar[bool] = ContextVar("first_statement_checks", default=False)


async def connect_unpinged(engine: AsyncEngine) -> AsyncConnection:
    """`engine.connect()` without the pool's checkout ping: the caller's first statement on the connection finds a
    lost one (a server restart, an idle timeout, pg_terminate_backend) and the caller retries that statement on a
    connection taken the usual way, which is pinged. Only for a first statement that is safe to run twice (a read).

    The setting lives in a context of its own, the checkout's task: a resolver's coroutine may be resumed in another
    task than the one it started in (graphql-core gathers sibling fields into tasks with copied contexts), where a
    context variable set before an await could neither be reset (ValueError) nor be left set without leaking into
    the request's later checkouts."""
    context = copy_context()
    context.run(_FIRST_STATEMENT_CHECKS.set, True)
    return await asyncio.create_task(engine.connect().start(), context=context)


def checkout_needs_ping() -> bool:
    return not _FIRST_STATEMENT_CHECKS.get()


def checkout_at_once(engine: AsyncEngine, *, unpinged: bool = False) -> AsyncConnection | None:
    """A pooled connection taken without a greenlet, when its checkout needs no I/O — or None: the caller takes one
    the usual way (`await engine.connect()`). `unpinged`: as `connect_unpinged`.

    AsyncEngine.connect() runs the pool's synchronous checkout in a greenlet, and AsyncConnection.close() its check-in,
    so that the I/O they may need (opening a connection, the checkout ping, a rollback) can be awaited: two greenlet
    switches and their bookkeeping on every request, most of a signed-in request's fixed cost besides its token check.
    When the pool holds an idle connection and the checkout is not pinged, the checkout is plain Python: it runs here
    directly, on the same code path, with the same events. If it turns out to need I/O after all — the idle connection
    must be re-opened (the pool was invalidated after a lost connection, or it is past its recycle time) — SQLAlchemy
    refuses the await (MissingGreenlet) before starting it and puts the record back, as after any failed connect; the
    caller then takes the connection the usual way."""
    sync_engine = engine.sync_engine
    idle = getattr(sync_engine.pool, "checkedin", None)
    if idle is None or idle() == 0:
        return None
    if not unpinged:
        if checkout_needs_ping():
            return None
        token = None
    else:
        token = _FIRST_STATEMENT_CHECKS.set(True)
    try:
        sync = sync_engine.connect()
    except MissingGreenlet:
        return None
    finally:
        if token is not None:
            _FIRST_STATEMENT_CHECKS.reset(token)
    return AsyncConnection(engine, sync)


def _idle_driver(connection: AsyncConnection) -> bool:
    """Whether the connection is open, valid and its driver has no transaction (nothing to roll back)."""
    return _idle(connection.sync_connection)


def _idle(sync: Connection | None) -> bool:
    if sync is None or sync.closed or sync.invalidated:
        return False
    adapted = sync.connection.dbapi_connection
    return adapted is not None and getattr(adapted, "_transaction", True) is None


# Connections whose reads are to run without a transaction (a request's read connection, api/context.py): on the
# driver they do as they are (no transaction open: each statement is its own, as in autocommit); a session that begins
# on one switches it to AUTOCOMMIT first (`_autocommit_before_session`).
_AUTOCOMMIT_ON_BEGIN: WeakKeyDictionary[Connection, bool] = WeakKeyDictionary()


def autocommit_when_begun(connection: AsyncConnection) -> None:
    """Reads on `connection` run without a transaction, switched to AUTOCOMMIT only when something goes through
    SQLAlchemy on it: a session bound to it, as it begins. A request whose reads all run on the driver (the board,
    an order's detail: `fetch_on_driver`) never switches — the switch and the pool's reset of it at check-in were
    ~490 Python opcodes a request. Until then, fetch_on_driver runs on it as on a connection in autocommit."""
    sync = connection.sync_connection
    assert sync is not None
    _AUTOCOMMIT_ON_BEGIN[sync] = True


@event.listens_for(Session, "after_transaction_create")
def _autocommit_before_session(session: Session, transaction: Any) -> None:
    """A session bound to a connection marked by `autocommit_when_begun` is about to begin on it (its outermost
    transaction is made before it takes the connection): the connection is switched to AUTOCOMMIT first, so that
    SQLAlchemy sends no BEGIN. When the driver has a transaction of its own (nothing here begins one), the session
    runs in it as it would have without the mark."""
    if _AUTOCOMMIT_ON_BEGIN and transaction.parent is None:
        bind = session.bind
        if isinstance(bind, Connection) and _AUTOCOMMIT_ON_BEGIN.pop(bind, False):
            if not bind.in_transaction() and _idle(bind):
                # No I/O: the driver has no transaction to roll back first; the adapter records the level, and the
                # pool restores it at check-in.
                bind.execution_options(isolation_level="AUTOCOMMIT")


class ReadSession(AsyncSession):
    """A request's read session bound to its connection (api/context.py Context.db), its Session made only when
    something goes through it. Reads on the driver (domain/rows.py fetch_records: the board, an order's detail) ask
    it only for its connection (`bind`) and whether it has begun (`in_transaction`): a request whose reads all run
    there never makes the Session, its identity map and its transaction bookkeeping (~300 Python opcodes a request,
    and its close). Anything else — a statement through SQLAlchemy, an ORM load, `connection()`, `info` — makes it
    first, from the factory's settings, exactly as `factory(bind=connection)` would have made it."""

    def __init__(self, factory: async_sessionmaker[AsyncSession], bind: AsyncConnection) -> None:
        # Not AsyncSession.__init__ yet: that is `_make`, on first use.
        self._factory: async_sessionmaker[AsyncSession] | None = factory
        self._read_bind = bind

    @property
    def made(self) -> bool:
        """Whether the Session has been made (something went through it)."""
        return self._factory is None

    def _make(self) -> None:
        factory, self._factory = self._factory, None
        assert factory is not None
        kw = dict(factory.kw)
        kw["bind"] = self._read_bind
        AsyncSession.__init__(self, **kw)

    def __getattr__(self, name: str) -> Any:
        # Only for what is not there yet: the state AsyncSession.__init__ sets (sync_session, _proxied, ...).
        if name in _MADE_ON_USE and self.__dict__.get("_factory") is not None:
            self._make()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def bind(self) -> Any:
        if self._factory is not None:
            return self._read_bind
        return AsyncSession.bind.fget(self)  # type: ignore[attr-defined]

    @bind.setter
    def bind(self, bind: Any) -> None:
        if self._factory is not None:
            self._make()
        AsyncSession.bind.fset(self, bind)  # type: ignore[attr-defined]

    def in_transaction(self) -> bool:
        return self._factory is None and AsyncSession.in_transaction(self)

    async def close(self) -> None:
        if self._factory is None:
            await AsyncSession.close(self)


# What AsyncSession.__init__ sets on the instance: asked for, they make a ReadSession's Session.
_MADE_ON_USE = frozenset({"sync_session", "_proxied", "_async_bind", "_async_binds"})


def read_session(factory: async_sessionmaker[AsyncSession], connection: AsyncConnection) -> AsyncSession:
    """`factory(bind=connection)`, its Session made on first use (`ReadSession`) — or made now when the factory makes
    something else than a plain AsyncSession."""
    if factory.class_ is not AsyncSession:
        return factory(bind=connection)
    return ReadSession(factory, connection)


def close_session_at_once(session: AsyncSession) -> bool:
    """`await session.close()` without a greenlet when the session has begun nothing (its reads ran on the driver,
    domain/rows.py): closing it is then forgetting its objects — and when it holds none either (no object loaded,
    added or deleted: a request that read only on the driver), there is nothing to forget, and the session is left
    to the garbage collector as it is (its close made a new identity map and walked the empty old one: ~270 Python
    opcodes a request). False: nothing was done."""
    if isinstance(session, ReadSession) and not session.made:
        return True
    if session.in_transaction():
        return False
    sync = session.sync_session
    if len(sync.identity_map) or sync._new or sync._deleted:
        sync.close()
    return True


def close_at_once(connection: AsyncConnection) -> bool:
    """Give a connection back to the pool without a greenlet when the check-in needs no I/O (see `checkout_at_once`):
    the driver has no transaction to roll back (reads in autocommit, driver reads) and the connection is neither
    invalidated nor mid-reconnect, and the pool has room to keep it (an overflow connection coming back to a full pool
    is closed: a round trip). False: nothing was done, the caller closes it the usual way (`await close()`)."""
    sync = connection.sync_connection
    if sync is None or sync.closed:
        return True
    if not _idle_driver(connection) or not _pool_keeps(sync):
        return False
    sync.close()
    return True


def _pool_keeps(sync: Connection) -> bool:
    """Whether the pool keeps a connection given back now (QueuePool: fewer idle ones than its size), rather than
    closing it."""
    pool: Any = sync.engine.pool
    size = getattr(pool, "size", None)
    checkedin = getattr(pool, "checkedin", None)
    return size is not None and checkedin is not None and checkedin() < size()


def _bind_processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The type's bind processor for the dialect — for an array of items that need none (`uuid[]`, `text[]`: the ids
    and statuses of the hot reads), a plain copy as a list, which is what SQLAlchemy's makes of a flat one (its own
    processor walks the array in Python: ~45 opcodes a value); a nested value still goes to SQLAlchemy's."""
    impl = type_.dialect_impl(dialect)
    process: Callable[[Any], Any] | None = impl.bind_processor(dialect)
    if process is None or not isinstance(impl, ARRAY):
        return process
    if impl.item_type.dialect_impl(dialect).bind_processor(dialect) is not None:
        return process
    walk = process

    def flat(value: Any) -> Any:
        if value is None:
            return None
        items = list(value)
        return walk(items) if items and isinstance(items[0], list | tuple) else items

    return flat


# Stands for a parameter without a value of its own in `_Compiled.fallbacks` (never a value a caller gives).
_REQUIRED: Any = object()


class _Compiled:
    __slots__ = ("defaults", "dialect", "fallbacks", "fused", "names", "processed", "processors", "sql", "width")

    def __init__(self, stmt: Select[*tuple[Any, ...]], dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.dialect = dialect
        self.sql = str(compiled)
        self.width = len(stmt.selected_columns)
        # id of a rider's compiled select -> (it, the SQL of this read carrying it, the rider's width): Rider.
        self.fused: dict[int, tuple[_Compiled, str, int]] = {}
        # asyncpg binds by position ($1, $2, ...): the names in that order, each with its type's bind processor.
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.processors: tuple[Callable[[Any], Any] | None, ...] = tuple(
            _bind_processor(compiled.binds[name].type, dialect) for name in self.names
        )
        # The values the select carries itself (`status != 'draft'` is bound as a parameter): used when the caller
        # gives none. A parameter without a value of its own must be given (KeyError otherwise, as SQLAlchemy raises).
        self.defaults: dict[str, Any] = {
            name: compiled.binds[name].effective_value
            for name in self.names
            if not compiled.binds[name].required and compiled.binds[name].callable is None
        }

        # Per name, what stands for it when the caller gives none: its default, or `_REQUIRED`.
        self.fallbacks: tuple[Any, ...] = tuple(self.defaults.get(name, _REQUIRED) for name in self.names)
        # The positions whose values go through a bind processor, with it.
        self.processed: tuple[tuple[int, Callable[[Any], Any]], ...] = tuple(
            (position, process) for position, process in enumerate(self.processors) if process is not None
        )

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The values by position: the caller's or the select's own, each through its type's bind processor. The
        look-ups run in C (`map` over the mapping's `get`); a loop in Python per name was ~25 opcodes a value, on every
        statement a request runs on the driver."""
        values = list(map(params.get, self.names, self.fallbacks))
        if _REQUIRED in values:
            raise KeyError(self.names[values.index(_REQUIRED)])
        for position, process in self.processed:
            values[position] = process(values[position])
        return tuple(values)


def _fixed_text(stmt: Select[*tuple[Any, ...]], dialect: Dialect) -> bool:
    """The select's SQL is the same for every run: no parameter SQLAlchemy renders per run (an `IN` of a list,
    empty or not, or a literal-execute value)."""
    compiled = stmt.compile(dialect=dialect)
    return not (compiled.post_compile_params or compiled.literal_execute_params)


class DriverSelect:
    def __init__(self, stmt: Select[*tuple[Any, ...]]) -> None:
        self.stmt = stmt
        self._compiled: _Compiled | None = None

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled
        if compiled is None or compiled.dialect is not dialect:
            compiled = self._compiled = _Compiled(self.stmt, dialect)
        return compiled

    async def fetch(self, connection: AsyncConnection, params: Mapping[str, Any]) -> Sequence[Any]:
        """The rows (asyncpg Records: by position or by column name) of the select with `params`."""
        sync = connection.sync_connection
        assert sync is not None
        compiled = self._for(sync.dialect)
        # The pool's connection as the Connection holds it (no greenlet switch); awaited only when it must reconnect.
        raw = sync.connection if not (sync.closed or sync.invalidated) else await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        return await _fetch(sync, driver, compiled.sql, compiled.args(params))


async def _fetch(sync: Connection, driver: Any, sql: str, args: tuple[Any, ...]) -> Sequence[Any]:
    # SQLAlchemy's own test before it dispatches a connection event: a listener on the connection, its engine or
    # their classes sets the flag. Asking the dispatcher first made each request's connection build its joined
    # listener collections (~230 Python opcodes a request) to find them empty.
    listening = (sync._has_events or sync.engine._has_events) and (
        bool(sync.dispatch.before_cursor_execute) or bool(sync.dispatch.after_cursor_execute)
    )
    if listening:
        sync.dispatch.before_cursor_execute(sync, None, sql, args, None, False)
    try:
        rows: Sequence[Any] = await driver.fetch(sql, *args)
        return rows
    finally:
        if listening:
            sync.dispatch.after_cursor_execute(sync, None, sql, args, None, False)


# Per select (kept while the select lives: the hot ones are module constants or cached per shape): its compiled form
# for the driver, or None when its SQL is not fixed.
_DRIVEN: WeakKeyDictionary[Select[Any], _Compiled | None] = WeakKeyDictionary()


async def fetch_on_driver(
    connection: AsyncConnection, stmt: Select[Any], params: Mapping[str, Any]
) -> Sequence[Any] | None:
    """The rows of a select built once (domain/rows.py), run as `DriverSelect` runs the token check — or None when
    it must go through SQLAlchemy: its SQL is not the same every run, or the connection's transaction has not sent
    its BEGIN yet (SQLAlchemy's driver adapter sends it before its first statement; a statement sent here would run
    outside the transaction the caller began), or the connection must be re-established.

    The connection's statement lock (the adapter's, which SQLAlchemy's own statements take) is held around the
    statement: two reads of one request that overlap wait for each other as they would through SQLAlchemy."""
    sync = connection.sync_connection
    if sync is None or sync.closed or sync.invalidated:
        return None
    dialect = sync.dialect
    try:
        compiled = _DRIVEN[stmt]
    except KeyError:
        compiled = _DRIVEN[stmt] = _Compiled(stmt, dialect) if _fixed_text(stmt, dialect) else None
    if compiled is None:
        return None
    if compiled.dialect is not dialect:  # another engine's (a process has one; tests make several): as DriverSelect
        compiled = _DRIVEN[stmt] = _Compiled(stmt, dialect)
    raw = sync.connection
    adapted = raw.dbapi_connection
    driver = raw.driver_connection
    if adapted is None or driver is None:
        return None
    if (
        getattr(adapted, "_transaction", None) is None
        and getattr(adapted, "isolation_level", None) != "autocommit"
        and (sync not in _AUTOCOMMIT_ON_BEGIN or sync.in_transaction())
    ):
        return None
    args = compiled.args(params)
    mutex = getattr(adapted, "_execute_mutex", None)
    if mutex is None:
        return None
    if _RIDERS and (rider := _RIDERS.pop(sync, None)) is not None:
        return await _fetch_with_rider(sync, driver, mutex, compiled, args, rider)
    async with mutex:
        return await _fetch(sync, driver, compiled.sql, args)


class Rider:
    """A select that rides with the next statement of a connection (`ride_with_next_read`): sent in the same
    statement as the connection's next read on the driver (`fetch_on_driver`), one round trip and one statement for
    both. `settle` gets the rider's own rows before the read's rows are returned, and raises to refuse them (they are
    then never seen). When the next statement on the connection is not such a read — a statement through a session
    bound to the connection — the rider runs alone just before it (the session's `after_begin`). Either way it runs
    once. `failed` is told when the statement carrying it failed (its rows never came) and gives the exception to
    raise instead of the statement's own.

    The read's rows come in their own order: the rider's one row (at most one: an aggregate) is the outer side of a
    `LEFT JOIN LATERAL` over the read, a nested loop over one outer row, which yields the inner rows as the read
    orders them; a marker column tells "the read gave no row" from "a row of nulls"."""

    __slots__ = ("failed", "params", "select", "settle")

    def __init__(
        self,
        select: DriverSelect,
        params: Mapping[str, Any],
        settle: Callable[[Sequence[Any]], None],
        failed: Callable[[Exception], BaseException],
    ) -> None:
        self.select = select
        self.params = params
        self.settle = settle
        self.failed = failed


# Per connection (the request's: a Connection object lives for one checkout), the rider waiting for its next read.
_RIDERS: WeakKeyDictionary[Connection, Rider] = WeakKeyDictionary()


def ride_with_next_read(connection: AsyncConnection, rider: Rider) -> None:
    sync = connection.sync_connection
    assert sync is not None
    _RIDERS[sync] = rider


def unride(connection: AsyncConnection) -> Rider | None:
    """Take back the connection's rider if it has not run yet (the connection is given back, or the caller runs the
    rider itself)."""
    sync = connection.sync_connection
    return None if sync is None or not _RIDERS else _RIDERS.pop(sync, None)


_PARAMETER = re.compile(r"\$(\d+)")


def _fused_sql(read: _Compiled, rider: _Compiled) -> str:
    """The read with the rider in front of it: the rider's columns, a marker (true on every row of the read), the
    read's columns. The rider's parameters come after the read's ($n+1, ...)."""
    shift = len(read.names)
    rider_sql = _PARAMETER.sub(lambda match: f"${int(match.group(1)) + shift}", rider.sql)
    return (
        f"SELECT rider.*, read.* FROM ({rider_sql}) AS rider "
        f"LEFT JOIN LATERAL (SELECT true AS read_row, r.* FROM ({read.sql}) AS r) AS read ON true"
    )


async def _fetch_with_rider(
    sync: Connection, driver: Any, mutex: Any, read: _Compiled, args: tuple[Any, ...], rider: Rider
) -> Sequence[Any] | None:
    """The read's rows, with the rider settled by the same statement's first columns (None: the rider's rows came
    without the read's and `settle` accepted them: the caller runs the read alone)."""
    carried = rider.select._for(read.dialect)
    key = id(carried)
    fused = read.fused.get(key)
    if fused is None or fused[0] is not carried:
        fused = read.fused[key] = (carried, _fused_sql(read, carried), carried.width)
    _, sql, width = fused
    try:
        async with mutex:
            rows = await _fetch(sync, driver, sql, args + carried.args(rider.params))
    except Exception as error:
        raise rider.failed(error) from error
    if not rows:  # the rider found no row: the read's rows are not known either
        rider.settle(rows)
        return None
    first = rows[0]
    rider.settle([first[:width]])
    if first[width] is None:
        return []
    start = width + 1
    return [row[start:] for row in rows]


async def _rider_alone(sync: Connection, rider: Rider) -> None:
    compiled = rider.select._for(sync.dialect)
    raw = sync.connection
    adapted: Any = raw.dbapi_connection
    try:
        async with adapted._execute_mutex:
            rows = await _fetch(sync, raw.driver_connection, compiled.sql, compiled.args(rider.params))
    except Exception as error:
        raise rider.failed(error) from error
    rider.settle(rows)


@event.listens_for(Session, "after_begin")
def _rider_before_session(_session: Session, _transaction: Any, connection: Connection) -> None:
    """A session about to run its first statement on a connection that has a rider waiting: the rider runs alone
    first (in the session's greenlet, as SQLAlchemy awaits its own I/O)."""
    if _RIDERS:
        rider = _RIDERS.pop(connection, None)
        if rider is not None:
            await_only(_rider_alone(connection, rider))
