"""domain/driver.py `_bind_processor`: the values a driver read binds are what SQLAlchemy's own bind processors make of
them — an array of items that need no processing is copied as a list without SQLAlchemy's walk."""

from __future__ import annotations

import enum
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import ARRAY, Enum, Integer, String, Uuid
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from domain.driver import _bind_processor
from domain.rows import UUID_ARRAY


class Colour(enum.Enum):
    red = "red"


DIALECT = asyncpg_dialect()
IDS = [uuid4(), uuid4()]


def _sqlalchemys(type_: Any) -> Any:
    return type_.dialect_impl(DIALECT).bind_processor(DIALECT)


@pytest.mark.parametrize(
    ("type_", "values"),
    [
        (UUID_ARRAY, [IDS, tuple(IDS), [IDS[0]], [], None, [tuple(IDS)], [IDS, IDS]]),
        (ARRAY(String()), [["open", "awarded"], ("open",), [], None, [["a", "b"], ["c", "d"]]]),
        (ARRAY(Integer()), [[1, 2, 3], (4,), [], None, [[1], [2]]]),
        (ARRAY(Integer(), dimensions=2), [[[1, 2], [3, 4]], [], None]),
    ],
)
def test_the_driver_binds_what_sqlalchemy_would(type_: Any, values: list[Any]) -> None:
    ours, theirs = _bind_processor(type_, DIALECT), _sqlalchemys(type_)
    assert ours is not None and theirs is not None
    for value in values:
        assert ours(value) == theirs(value), value
        assert type(ours(value)) is type(theirs(value)), value


def test_a_flat_array_of_plain_items_is_copied_without_sqlalchemys_walk() -> None:
    flat = _bind_processor(UUID_ARRAY, DIALECT)
    assert flat is not _sqlalchemys(UUID_ARRAY)
    given = list(IDS)
    bound = flat(given) if flat is not None else None
    assert bound == given and bound is not given  # a copy, as SQLAlchemy's is


@pytest.mark.parametrize("type_", [ARRAY(Enum(Colour)), Uuid(), String(), Integer()])
def test_anything_else_keeps_sqlalchemys_processor(type_: Any) -> None:
    theirs = _sqlalchemys(type_)
    ours = _bind_processor(type_, DIALECT)
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None
        assert ours.__qualname__ == theirs.__qualname__  # SQLAlchemy's own, not the flat copy
        if isinstance(type_, ARRAY):
            assert ours([Colour.red]) == theirs([Colour.red])


def test_a_statements_values_by_position_each_as_its_type_binds_it() -> None:
    """_Compiled.args: the caller's value or the select's own, in the order of the SQL's $n, through each type's bind
    processor; a parameter without a value of its own that the caller leaves out is a KeyError naming it."""
    from sqlalchemy import Column, MetaData, Table, bindparam, select

    from domain.driver import _Compiled

    table = Table("t", MetaData(), Column("id", Uuid), Column("status", String), Column("n", Integer))
    stmt = select(table.c.id).where(
        table.c.id == bindparam("id", type_=Uuid),
        table.c.status != "draft",
        table.c.id == bindparam("ids", type_=UUID_ARRAY).any_(),
        table.c.n < bindparam("limit", type_=Integer),
    )
    compiled = _Compiled(stmt, DIALECT)
    named = dict(zip(compiled.names, range(len(compiled.names)), strict=True))

    values = compiled.args({"id": IDS[0], "ids": tuple(IDS), "limit": 5})

    assert len(values) == 4 and "id" in named and "ids" in named and "limit" in named
    process = _sqlalchemys(Uuid())
    assert values[named["id"]] == (IDS[0] if process is None else process(IDS[0]))
    assert values[named["ids"]] == IDS  # a tuple of ids bound as a list
    assert values[named["limit"]] == 5
    assert "draft" in values  # the select's own value, not given by the caller
    with pytest.raises(KeyError, match="limit"):
        compiled.args({"id": IDS[0], "ids": IDS})
