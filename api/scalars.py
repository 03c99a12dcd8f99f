"""Scalars whose output is written faster than Strawberry's default, with the same text.

DateTime: a page of bids has a thousand of them, and `datetime.isoformat()` is slow for an aware datetime;
orjson writes the same RFC 3339 text for a `datetime` in UTC (the timezone asyncpg gives `timestamptz` values)
several times faster. Anything else (another zone, a naive value, a subclass) still goes through isoformat().
tests/api/test_scalars.py compares the two.
"""

from __future__ import annotations

import dataclasses
import decimal
from datetime import UTC, datetime
from typing import Any

import orjson
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition, DecimalDefinition
from strawberry.types.scalar import ScalarDefinition


def datetime_isoformat(value: Any) -> str:
    if value.__class__ is datetime and value.tzinfo is UTC:
        return orjson.dumps(value)[1:-1].decode()
    return value.isoformat()


DATETIME: ScalarDefinition = dataclasses.replace(DateTimeDefinition, serialize=datetime_isoformat)


def decimal_text(value: Any) -> str:
    """A Decimal input is kept as the text that was sent: `MoneyInput.to_domain` reads it with the one rule for
    amounts (domain.money.parse_amount), so " 12", "1E+2" or Arabic-Indic digits come back as a ValidationError
    at the field instead of being read by Python's lenient Decimal(). A JSON number is taken as its text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise StrawberryInputCoercionError(f"Value cannot represent a Decimal: {value!r}. Expected a string.")


DECIMAL: ScalarDefinition = dataclasses.replace(
    DecimalDefinition,
    parse_value=decimal_text,
    parse_literal=None,
)

SCALAR_OVERRIDES: dict[object, Any] = {datetime: DATETIME, decimal.Decimal: DECIMAL}
