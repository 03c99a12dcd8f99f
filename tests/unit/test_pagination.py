from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace
from uuid import uuid4

import orjson
import pytest

from domain.errors import DomainError, ErrorCode
from domain.notifications.models import Notification
from domain.orders.service import ORDER_SORTS
from domain.pagination import PageRequest, SortKey


def test_a_cursor_round_trips_its_sort_key() -> None:
    sort = ORDER_SORTS["NEWEST"]
    row = SimpleNamespace(created_at=datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC), id=uuid4())
    assert sort.decode(sort.encode(row)) == (row.created_at, row.id)


@pytest.mark.parametrize("cursor", ["", "not-base64!", "WzEsMl0=", "eyJhIjoxfQ=="])
def test_a_forged_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(DomainError) as refused:
        ORDER_SORTS["NEWEST"].decode(cursor)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "after")


@pytest.mark.parametrize("first", [0, -1, 101, 10**6])
def test_page_size_is_limited(first: int) -> None:
    with pytest.raises(DomainError) as refused:
        PageRequest(first).checked()
    assert (refused.value.code, refused.value.field) == (ErrorCode.OUT_OF_RANGE, "first")


@pytest.mark.parametrize(
    "value",
    [
        datetime(2027, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2027, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=3))),
        date(2027, 12, 31),
    ],
)
def test_a_cursor_is_the_same_bytes_a_json_encoder_writes(value: object) -> None:
    """Clients hold cursors: the hand-written fast path gives exactly what orjson + base64url gave."""
    sort = ORDER_SORTS["NEED_BY" if type(value) is date else "NEWEST"]
    row = SimpleNamespace(created_at=value, need_by=value, id=uuid4())
    expected = base64.urlsafe_b64encode(orjson.dumps([value.isoformat(), str(row.id)])).decode()  # type: ignore[attr-defined]
    assert sort.encode(row) == expected
    assert sort.decode(expected) == (value, row.id)


def test_a_cursor_of_other_values_goes_through_the_json_encoder() -> None:
    sort = SortKey(Notification.created_at, Notification.seq)
    row = SimpleNamespace(created_at=datetime(2027, 1, 2, tzinfo=UTC), seq=12345)
    expected = base64.urlsafe_b64encode(orjson.dumps(["2027-01-02T00:00:00+00:00", 12345])).decode()
    assert sort.encode(row) == expected
    assert sort.decode(expected) == (row.created_at, 12345)
