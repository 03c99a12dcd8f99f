"""What the engine knows about the API's own types: which are read from rows lazily, and which fields answer from
what a page brought along. The areas' types stay plain Strawberry; this is the one place that names them.

- Row views (api/execution/row_views.py) for the types a page holds many of: ~1,000 bids and bidders on a page of
  bids, 100 orders on the board. Only the fields that convert are written here; the rest come from the types.
- Shortcuts (api/execution/fast_fields.py): `shortcut(source) -> value or UNRESOLVED`, tried by the compiled plans
  before the field's resolver, without building an `info`. Each answers exactly what the resolver answers when
  the related row came with the object (the order board's buyers, a page of bids' bidders), else UNRESOLVED.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.bids.types import Bid
from api.execution.fast_fields import UNRESOLVED
from api.execution.row_views import RowView
from api.execution.sql_json import RowType
from api.money import Money
from api.orders.types import Budget, Order
from api.organisations.types import Organisation
from domain.bids.models import Bid as BidRow
from domain.orders.models import ProductionOrder
from domain.organisations.models import Organisation as OrganisationRow

_budget_min, _budget_max = Money.reader("budget_min_minor"), Money.reader("budget_max_minor")


def _budget(row: Any) -> Budget:
    return Budget(min=_budget_min(row), max=_budget_max(row), includes_vat=row.budget_includes_vat)


ROW_VIEWS = (
    RowView(
        Order,
        ProductionOrder,
        extras=("buyer_row",),
        conversions={"budget": _budget, "required_certifications": lambda row: list(row.required_certifications)},
    ),
    RowView(
        Bid,
        BidRow,
        extras=("manufacturer_row",),
        conversions={
            "unit_price": Money.reader("unit_price_minor"),
            "tooling": Money.reader("tooling_minor"),
            "total": Money.reader("total_minor"),
        },
    ),
    RowView(Organisation, OrganisationRow),
)


# The types whose objects PostgreSQL may write as JSON (api/execution/sql_json.py): a page of bids (the read
# bids_json_for_orders, with the bidder as the relation "bidder"), a page of the order board (list_orders_json,
# the buyer as the relation "buyer", the budget an object of the order's own row) and one order (order_json: the
# same, and its first page of bids as the connection "bids").
SQL_JSON = {
    "Order": RowType(
        ProductionOrder,
        relations={"buyer": ("buyer", "Organisation")},
        objects={"budget": "Budget"},
        connections={"bids": ("bids", "Bid")},
        root=True,
    ),
    "Budget": RowType(
        ProductionOrder,
        money={"min": ("budget_min_minor", "currency"), "max": ("budget_max_minor", "currency")},
        renames={"includes_vat": "budget_includes_vat"},
    ),
    "Bid": RowType(
        BidRow,
        money={
            "unitPrice": ("unit_price_minor", "currency"),
            "tooling": ("tooling_minor", "currency"),
            "total": ("total_minor", "currency"),
        },
        relations={"manufacturer": ("bidder", "Organisation")},
        root=True,
    ),
    "Organisation": RowType(OrganisationRow),
}


def _organisation_of(attribute: str) -> Callable[[Any], Any]:
    def shortcut(source: Any) -> Any:
        row = getattr(source, attribute)
        return UNRESOLVED if row is None else Organisation.from_row(row)

    return shortcut


# (GraphQL type, field) -> shortcut
SHORTCUTS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("Order", "buyer"): _organisation_of("buyer_row"),
    ("Bid", "manufacturer"): _organisation_of("manufacturer_row"),
}
