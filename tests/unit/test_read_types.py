"""The read types of the big list reads (domain/rows.py) are their tables' columns, in order, and a select whose
columns are not the read type's fields is refused rather than read into the wrong fields."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from sqlmodel import SQLModel

from domain.bids.models import Bid, RankedBidRow
from domain.columns import table_of
from domain.orders.models import OrderRow, ProductionOrder
from domain.organisations.models import Organisation, OrganisationRow
from domain.rows import check_fields


@pytest.mark.parametrize(
    ("read_type", "table", "extra"),
    [(OrderRow, ProductionOrder, ()), (OrganisationRow, Organisation, ()), (RankedBidRow, Bid, ("position",))],
)
def test_a_read_type_is_its_tables_columns_in_order(
    read_type: Any, table: type[SQLModel], extra: tuple[str, ...]
) -> None:
    columns = tuple(column.key for column in table_of(table).columns)
    assert read_type._fields == (*columns, *extra)
    check_fields(read_type, (*columns, *extra))  # the check the reads make passes


def test_a_select_of_other_columns_is_refused() -> None:
    class Pair(NamedTuple):
        id: int
        name: str

    with pytest.raises(TypeError, match=r"Pair has fields \('id', 'name'\), the select gives \('name', 'id'\)"):
        check_fields(Pair, ("name", "id"))
    with pytest.raises(TypeError):
        check_fields(Pair, ("id",))
