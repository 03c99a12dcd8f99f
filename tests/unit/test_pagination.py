from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import uuid4

import pytest

from domain.errors import DomainError, ErrorCode
from domain.orders.service import ORDER_SORTS
from domain.pagination import PageRequest


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
