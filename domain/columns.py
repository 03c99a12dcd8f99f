"""Column types shared by the tables: enums as checked VARCHARs, times with zones, text arrays."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import DateTime, String, Table
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import SQLModel

# Explicit, deterministic constraint names: migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_type(enum_cls: type[Enum], column: str, length: int = 32) -> SAEnum:
    """A VARCHAR with a CHECK constraint, storing the enum's values; no native PG enum to migrate."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        name=f"ck_{column}_is_{enum_cls.__name__.lower()}",
        validate_strings=True,
    )


TIMESTAMPTZ = DateTime(timezone=True)
TEXT_ARRAY = ARRAY(String(64))


def table_of(model: type[SQLModel]) -> Table:
    """A table class's Core `Table`, for Core selects and inserts of the whole table."""
    # SQLAlchemy's declarative mapping sets `__table__` on the class when it is defined; SQLModel does not declare it.
    return model.__table__  # type: ignore[attr-defined]
