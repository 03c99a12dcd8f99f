"""api/scalars.py writes exactly what Strawberry's own scalars write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from api.scalars import datetime_isoformat
from api.schema import build_schema
from exchange.settings import Settings


class Moment(datetime):
    """A datetime subclass: not written by orjson."""


@pytest.mark.parametrize(
    "value",
    [
        datetime(2027, 3, 1, 12, 30, tzinfo=UTC),
        datetime(2027, 3, 1, 12, 30, 5, 1, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(999, 5, 5, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2027, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=3))),
        datetime(2027, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=-5, minutes=-30, seconds=-15))),
        datetime(2027, 3, 1, 12, 30),
        Moment(2027, 3, 1, 12, 30, tzinfo=UTC),
    ],
)
def test_datetime_is_written_as_isoformat_writes_it(value: datetime) -> None:
    assert datetime_isoformat(value) == value.isoformat()


def test_the_schema_uses_it() -> None:
    date_time = build_schema(Settings())._schema.type_map["DateTime"]

    assert date_time.serialize is datetime_isoformat  # type: ignore[attr-defined]
    assert date_time.coerce_output_value(datetime(2027, 3, 1, 12, 30, tzinfo=UTC)) == "2027-03-01T12:30:00+00:00"  # type: ignore[attr-defined]
