"""Big list reads: rows as declared read types straight from the driver, and a list of ids bound as one array.

The order board reads a page of orders with their bids and bidders: too many rows to build ORM objects for, and
none of them is changed. `fetch_records()` runs a Core select through SQLAlchemy (its compiled cache, the session's
transaction, the engine's events: statement counters see it), takes the rows from the result's DBAPI cursor as
the driver decoded them, applies only the result processors the selected columns have (the enums' str -> member),
and builds each row as the NamedTuple the caller names (`into`): a read type declared next to its table, with the
select's columns as its fields, in order (checked once per select shape). A named tuple answers `row.status` in C,
where SQLAlchemy's `Row` first fails a lookup on its class.

`id IN (...)` with a list is rendered parameter by parameter and is a new statement for PostgreSQL at every length;
`= ANY` of one `uuid[]` parameter (`uuid_array()`, `bound_uuids()`) keeps the statement text the same for every
page. The hottest reads build their select once, with named parameters (`uuid_array()`), and run it with each
call's values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID
from weakref import WeakKeyDictionary

from sqlalchemy import BindParameter, Integer, Select, String, Uuid, bindparam
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.driver import fetch_on_driver

UUID_ARRAY = ARRAY(Uuid())


R = TypeVar("R", bound=tuple[Any, ...])
S = TypeVar("S", bound=tuple[Any, ...])


@lru_cache(maxsize=256)
def check_fields(into: type[tuple[Any, ...]], columns: tuple[str, ...]) -> None:
    """The read type's fields are the select's columns, in order: a row never lands in the wrong field."""
    fields = getattr(into, "_fields", None)
    if fields != columns:
        raise TypeError(f"{into.__name__} has fields {fields}, the select gives {columns}")


# Per select (kept while the select lives: the hot ones are module constants or cached per shape), per read type
# and dialect: how a row of it becomes the read type(s).
_READERS: WeakKeyDictionary[Select[Any], dict[tuple[Any, ...], Callable[[Any], Any]]] = WeakKeyDictionary()


def _processors(stmt: Select[Any], dialect: Dialect, description: Any) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, processor) for the selected columns whose type converts what the driver gives. The driver's type
    code of each column (the cursor's description) goes to the processor as SQLAlchemy's own results pass it: a
    Numeric column's processor depends on it (asyncpg gives NUMERIC as a Decimal already)."""
    found = []
    for position, column in enumerate(stmt.selected_columns):
        coltype = description[position][1] if description else None
        if _kept_as_given(column.type):
            continue
        processor = column.type.dialect_impl(dialect).result_processor(dialect, coltype)
        if processor is not None:
            found.append((position, _as_lookup(column.type, processor)))
    return found


def _kept_as_given(column_type: Any) -> bool:
    """An array of items the driver already gives as Python values (asyncpg: a list of str, int, ...): SQLAlchemy's
    processor would only copy the list (`list(value)`); the driver's list is the same value."""
    if not isinstance(column_type, ARRAY) or column_type.as_tuple or column_type.dimensions not in (None, 1):
        return False
    item = column_type.item_type
    return isinstance(item, String | Integer) and not isinstance(item, SAEnum)


def _as_lookup(column_type: Any, processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An Enum column's processor as a dict lookup of what it gives for each stored value (and None): the same
    members without a call per value; an unknown value raises a LookupError as SQLAlchemy's does."""
    if not isinstance(column_type, SAEnum):
        return processor
    lookup: dict[str | None, Any] = {stored: processor(stored) for stored in column_type.enums}
    lookup[None] = None
    return lookup.__getitem__


@lru_cache(maxsize=256)
def _row_builder_factory(width: int, split: int | None, converted: tuple[int, ...]) -> Callable[..., Any]:
    """A function making row builders for rows of `width` columns, read into one read type (`split` None) or into
    two (the first `split` columns, then the rest), the columns at `converted` passed through their processor: one
    expression per row instead of a loop over its columns (a page of the big board reads ~1,000 rows of 36)."""
    # The row unpacked into locals (faster than indexing it column by column), each converted one passed through.
    names = [f"v{position}" for position in range(width)]
    values = [f"p{position}({name})" if position in converted else name for position, name in enumerate(names)]
    if split is None:
        built = f"new(first, ({', '.join(values)},))"
    else:
        built = f"(new(first, ({', '.join(values[:split])},)), new(second, ({', '.join(values[split:])},)))"
    arguments = ", ".join(["new", "first", "second", *(f"p{position}" for position in converted)])
    source = (
        f"def make({arguments}):\n"
        f"    def build(row):\n"
        f"        {', '.join(names)}, = row\n"
        f"        return {built}\n"
        f"    return build\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<row builder {width}/{split}/{converted}>", "exec"), namespace)
    return namespace["make"]


def _reader(
    stmt: Select[Any],
    dialect: Dialect,
    description: Any,
    into: tuple[type[Any], type[Any] | None],
    check: Callable[[], None],
) -> Callable[[Any], Any]:
    """The row builder of `stmt`'s rows as `first` (or the pair `first`, `second`), made once per select after
    `check` (the read types' fields are the select's columns) passed."""
    readers = _READERS.get(stmt)
    if readers is None:
        readers = _READERS[stmt] = {}
    first, second = into
    key = (dialect, first, second)
    build = readers.get(key)
    if build is None:
        check()
        processors = _processors(stmt, dialect, description)
        width = len(description) if description else len(stmt.selected_columns)
        split = None if second is None else len(first._fields)
        make = _row_builder_factory(width, split, tuple(position for position, _ in processors))
        build = readers[key] = make(tuple.__new__, first, second, *(process for _, process in processors))
    return build


def _bound_connection(session: AsyncSession) -> AsyncConnection | None:
    """The connection a session bound to one (a request's read session, api/context.py) would read on, while the
    session has begun nothing on it: a statement run there on the driver is the statement the session would run,
    without the session's transaction bookkeeping (begun for it, then closed with the session)."""
    bind = session.bind
    return bind if isinstance(bind, AsyncConnection) and not session.in_transaction() else None


def _known_reader(
    stmt: Select[Any], connection: AsyncConnection, into: tuple[type[Any], type[Any] | None]
) -> Callable[[Any], Any] | None:
    """The row builder of a select already run once through SQLAlchemy (which gave the columns' types for the
    result processors), if there is one: the select can then run on the driver (domain/driver.py)."""
    readers = _READERS.get(stmt)
    return None if readers is None else readers.get((connection.dialect, *into))


async def fetch_records(
    session: AsyncSession, stmt: Select[Any], into: type[R], params: Mapping[str, Any] | None = None
) -> list[R]:
    """Run a Core select on the session's connection (its transaction) and return its rows as `into`, a NamedTuple
    whose fields are the select's columns in order (a select of one table plus labelled extras). `params` are the
    values of the select's named parameters, if it has any."""
    bound = _bound_connection(session)
    if bound is not None:
        build = _known_reader(stmt, bound, (into, None))
        if build is not None and (rows := await fetch_on_driver(bound, stmt, params or {})) is not None:
            return list(map(build, rows))
    connection = await session.connection()
    build = _known_reader(stmt, connection, (into, None))
    if build is not None and (rows := await fetch_on_driver(connection, stmt, params or {})) is not None:
        return list(map(build, rows))
    result = await connection.execute(stmt, params)
    try:
        raw = result.cursor.fetchall()
        description = result.cursor.description
        build = _reader(
            stmt, connection.dialect, description, (into, None), lambda: check_fields(into, tuple(result.keys()))
        )
    finally:
        result.close()
    return list(map(build, raw))


async def fetch_record_pairs(
    session: AsyncSession,
    stmt: Select[Any],
    into: tuple[type[R], type[S]],
    params: Mapping[str, Any] | None = None,
) -> list[tuple[R, S]]:
    """`fetch_records` for a join: a select of one table's columns then another's (each in order), each row as a
    pair of read types — a page and the rows it names in one statement instead of two."""
    first, second = into
    bound = _bound_connection(session)
    if bound is not None:
        known = _known_reader(stmt, bound, into)
        if known is not None and (rows := await fetch_on_driver(bound, stmt, params or {})) is not None:
            return list(map(known, rows))
    connection = await session.connection()
    known = _known_reader(stmt, connection, into)
    if known is not None and (rows := await fetch_on_driver(connection, stmt, params or {})) is not None:
        return list(map(known, rows))
    result = await connection.execute(stmt, params)
    try:
        raw = result.cursor.fetchall()
        description = result.cursor.description
        names = lambda: tuple(column.name for column in stmt.selected_columns)  # noqa: E731
        build = _reader(stmt, connection.dialect, description, into, lambda: check_pair(first, second, names()))
    finally:
        result.close()
    return list(map(build, raw))


@lru_cache(maxsize=256)
def check_pair(first: type[tuple[Any, ...]], second: type[tuple[Any, ...]], columns: tuple[str, ...]) -> None:
    """The two read types' fields are the select's columns, in order."""
    fields = (*getattr(first, "_fields", ()), *getattr(second, "_fields", ()))
    if fields != columns:
        raise TypeError(f"{first.__name__} + {second.__name__} have fields {fields}, the select gives {columns}")


def uuid_array(name: str) -> BindParameter[Any]:
    """A named `uuid[]` parameter, for a select built once and run with a list of ids each time."""
    return bindparam(name, type_=UUID_ARRAY)


def bound_uuids(ids: Iterable[UUID]) -> BindParameter[Any]:
    """A list of ids bound as one `uuid[]` value, for `column == any_(bound_uuids(ids))` in a select built per call."""
    return bindparam(None, list(ids), type_=UUID_ARRAY)
