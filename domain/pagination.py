"""Keyset (cursor) pagination: stable under inserts and as fast on page 1,000 as on page 1."""

from __future__ import annotations

import base64
import binascii
from binascii import b2a_base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar, overload
from uuid import UUID

import orjson
from sqlalchemy import Integer, Select, bindparam, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from domain.errors import ErrorCode, InvalidInput
from domain.rows import fetch_record_pairs, fetch_records

T = TypeVar("T")
R = TypeVar("R", bound=tuple[Any, ...])
S = TypeVar("S", bound=tuple[Any, ...])

MAX_PAGE_SIZE = 100


def check_first(first: int, max_size: int = MAX_PAGE_SIZE) -> int:
    """The page-size rule of every list (keyset pages, search pages, nested lists): 1 to `max_size` items."""
    if not 1 <= first <= max_size:
        raise InvalidInput(f"first must be between 1 and {max_size}", "first", ErrorCode.OUT_OF_RANGE)
    return first


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int = 20
    after: str | None = None

    def checked(self, max_size: int = MAX_PAGE_SIZE) -> PageRequest:
        check_first(self.first, max_size)
        return self


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    cursors: Sequence[str]  # a keyset page's are `Cursors`: each written when read
    has_next_page: bool
    has_previous_page: bool


@dataclass(frozen=True, slots=True)
class SortKey:
    """Order by `column` then `tiebreak` (a unique column: a UUID or a sequence number), both in one direction."""

    column: InstrumentedAttribute[Any]
    tiebreak: InstrumentedAttribute[Any]
    descending: bool = False

    def encode(self, row: Any) -> str:
        """The cursor of `row`: its two sort values as a JSON array, base64url. A page gives one per row; the
        common keys (a time or a date, then a UUID) are written without a JSON encoder, to the same bytes."""
        value, tiebreak = getattr(row, self.column.key), getattr(row, self.tiebreak.key)
        if isinstance(value, datetime | date) and isinstance(tiebreak, UUID):
            # ISO dates and times and UUIDs are JSON strings with nothing to escape: orjson writes the same.
            raw = b'["%s","%s"]' % (value.isoformat().encode(), str(tiebreak).encode())
        else:
            raw = orjson.dumps([_plain(value), _plain(tiebreak)])
        return b2a_base64(raw, newline=False).translate(_URLSAFE).decode()

    def decode(self, cursor: str) -> tuple[Any, Any]:
        try:
            value, tiebreak = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
            return _parse(self.column, value), _parse(self.tiebreak, tiebreak)
        except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
            raise InvalidInput("not a cursor this list gave out", "after") from None


_URLSAFE = bytes.maketrans(b"+/", b"-_")


class Cursors(Sequence[str]):
    """A keyset page's cursors, one per item, each encoded (`SortKey.encode`, ~2.5 µs) only when read: a query
    that reads only `endCursor` (the order board) pays for one, not for every edge. The same text as encoding them
    all up front; `of_pairs`: the items are (row, related row) pairs whose first holds the sort's columns."""

    __slots__ = ("items", "of_pairs", "sort")

    def __init__(self, sort: SortKey, items: Sequence[Any], *, of_pairs: bool = False) -> None:
        self.sort = sort
        self.items = items
        self.of_pairs = of_pairs

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self.items))[index]]
        item = self.items[index]
        return self.sort.encode(item[0] if self.of_pairs else item)

    def __eq__(self, other: object) -> bool:
        return (
            list(self) == list(other) if isinstance(other, Sequence) and not isinstance(other, str) else NotImplemented
        )

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return f"Cursors({list(self)!r})"


def _parse(column: InstrumentedAttribute[Any], value: Any) -> Any:
    python_type = column.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is UUID:
        return UUID(value)
    if python_type is int and (isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63):
        raise ValueError("cursor value out of range")
    if not isinstance(value, python_type):
        raise ValueError("cursor value of the wrong type")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def keyset(stmt: Select[T], sort: SortKey, *, after: bool) -> Select[T]:
    """`stmt` in the sort's order, from the row after a cursor's (the parameters `page_after_value`,
    `page_after_tiebreak`) when `after`, at most `page_limit` rows: a page's select with its values as parameters,
    so that a select built once serves every page (`keyset_params` gives the values)."""
    if after:
        keys = tuple_(sort.column, sort.tiebreak)
        bound = tuple_(
            bindparam("page_after_value", type_=sort.column.type),
            bindparam("page_after_tiebreak", type_=sort.tiebreak.type),
        )
        stmt = stmt.where(keys < bound if sort.descending else keys > bound)
    if sort.descending:
        stmt = stmt.order_by(sort.column.desc(), sort.tiebreak.desc())
    else:
        stmt = stmt.order_by(sort.column.asc(), sort.tiebreak.asc())
    return stmt.limit(bindparam("page_limit", type_=Integer()))


def keyset_params(sort: SortKey, page: PageRequest) -> dict[str, Any]:
    """The values of `keyset(stmt, sort, after=bool(page.after))`'s parameters for `page` (checked): one row
    more than the page, to know whether there is a next one."""
    params: dict[str, Any] = {"page_limit": page.first + 1}
    if page.after:
        params["page_after_value"], params["page_after_tiebreak"] = sort.decode(page.after)
    return params


@overload
async def paginate(session: AsyncSession, stmt: Select[T], sort: SortKey, page: PageRequest) -> Page[T]: ...
@overload
async def paginate(
    session: AsyncSession, stmt: Select[Any], sort: SortKey, page: PageRequest, *, into: type[R]
) -> Page[R]: ...
@overload
async def paginate(
    session: AsyncSession, stmt: Select[Any], sort: SortKey, page: PageRequest, *, into: tuple[type[R], type[S]]
) -> Page[tuple[R, S]]: ...
async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    sort: SortKey,
    page: PageRequest,
    *,
    into: type[R] | tuple[type[R], type[S]] | None = None,
) -> Page[Any]:
    """Run `stmt` for one page; one SQL statement, fetching first + 1 rows.

    `stmt` selects one entity (the page holds ORM objects), or, with `into`, is a Core select of a table read
    into that read type (domain/rows.py: read-only rows, cheaper by far for a long list), or of a join of two
    tables read into a pair of read types (`into=(First, Second)`; the sort's columns are the first's)."""
    page = page.checked()
    params = keyset_params(sort, page)
    return await read_page(session, keyset(stmt, sort, after=bool(page.after)), sort, page, params, into=into)


async def read_page(
    session: AsyncSession,
    stmt: Select[Any],
    sort: SortKey,
    page: PageRequest,
    params: dict[str, Any],
    *,
    into: type[R] | tuple[type[R], type[S]] | None,
) -> Page[Any]:
    """Run a `keyset` select (`page` checked, `params` with `keyset_params`'s values) and make its page."""
    items: list[Any]
    if isinstance(into, tuple):
        items = await fetch_record_pairs(session, stmt, into, params)
    elif into is not None:
        items = await fetch_records(session, stmt, into, params)
    else:
        items = list((await session.scalars(stmt, params)).all())
    has_next = len(items) > page.first
    items = items[: page.first]
    return Page(
        items=items,
        cursors=Cursors(sort, items, of_pairs=isinstance(into, tuple)),
        has_next_page=has_next,
        has_previous_page=page.after is not None,
    )
