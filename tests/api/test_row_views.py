"""Row views (api/execution/row_views.py): generated from the hot types' fields, they answer every field as the
type built eagerly by its area's `from_row` does."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from api.bids.types import Bid
from api.execution.compiled import _strawberry_classes
from api.execution.row_views import RowView, eager_from_row, row_view
from api.money import Money
from api.orders.types import Budget, Order
from api.organisations.types import Organisation
from api.schema import build_schema
from domain.bids.models import Bid as BidRow
from domain.bids.models import BidStatus, RankedBidRow
from domain.orders.models import OrderRow as OrderRead
from domain.orders.models import OrderStatus, Visibility
from domain.orders.models import ProductionOrder as OrderRow
from domain.organisations.models import MembershipKind, OrganisationKind
from domain.organisations.models import Organisation as OrganisationRow
from domain.organisations.models import OrganisationRow as OrganisationRead
from domain.taxes.models import TaxStatus
from domain.taxes.rules import VatTreatment
from domain.vocabulary import ToleranceClass
from exchange.settings import Settings
from tests.api.engine_mode import engine_only

NOW = datetime(2027, 3, 1, 12, 30, tzinfo=UTC)


# The read types the domain's list reads return for these tables (domain/rows.py).
_READ_TYPES: dict[Any, Any] = {BidRow: RankedBidRow, OrderRow: OrderRead, OrganisationRow: OrganisationRead}


def _row(model: Any, **values: Any) -> Any:
    read_type = _READ_TYPES[model]
    return read_type(**{name: values.get(name) for name in read_type._fields})


BID_ROW = _row(
    BidRow,
    id=uuid4(),
    order_id=uuid4(),
    manufacturer_organisation_id=uuid4(),
    placed_by_user_id=uuid4(),
    status=BidStatus.active,
    revision=2,
    previous_bid_id=uuid4(),
    quantity=40,
    unit_price_minor=125_050,
    tooling_minor=9_900,
    total_minor=5_011_900,
    currency="RUB",
    vat_treatment=VatTreatment.VAT,
    vat_rate=Decimal("22.00"),
    vat_minor=903_785,
    lead_time_days=12,
    valid_until=date(2027, 4, 1),
    notes="anodised",
    created_at=NOW,
    updated_at=NOW,
)
ORGANISATION_ROW = _row(
    OrganisationRow,
    id=uuid4(),
    name="Uralmash",
    legal_id="6673000000",
    region="RU-SVE",
    kind=OrganisationKind.manufacturer,
    membership=MembershipKind.participant,
    verified=True,
    verified_at=NOW,
    tax_status=TaxStatus.vat_general,
    tax_status_checked_at=None,
    created_at=NOW,
    updated_at=NOW,
)


ORDER_ROW = _row(
    OrderRow,
    id=uuid4(),
    buyer_organisation_id=uuid4(),
    created_by_user_id=uuid4(),
    status=OrderStatus.open,
    visibility=Visibility.invited,
    title="Bracket",
    description="Anodised",
    process="cnc_milling",
    material="AL6061",
    quantity=500,
    tolerance_class=ToleranceClass.precision,
    required_certifications=["ISO_9001"],
    need_by=date(2027, 5, 1),
    delivery_region="RU-MOW",
    budget_min_minor=1_000_000,
    budget_max_minor=2_500_050,
    currency="RUB",
    budget_includes_vat=False,
    bidding_deadline=NOW,
    estimated_machine_hours=None,
    allow_split=True,
    awarded_quantity=0,
    published_at=NOW,
    closed_at=None,
    cancel_reason="",
    created_at=NOW,
    updated_at=NOW,
)


def _expected_bid(row: Any, manufacturer_row: Any) -> dict[str, Any]:
    """What the eager `from_row` built (the dataclass's init fields), written out independently of the view."""
    return {
        "manufacturer_row": manufacturer_row,
        "id": str(row.id),
        "status": row.status.value,
        "revision": row.revision,
        "unit_price": Money.of(row.unit_price_minor, row.currency),
        "tooling": Money.of(row.tooling_minor, row.currency),
        "quantity": row.quantity,
        "total": Money.of(row.total_minor, row.currency),
        "vat_treatment": row.vat_treatment.value,
        "lead_time_days": row.lead_time_days,
        "valid_until": row.valid_until,
        "notes": row.notes,
        "reconfirmed_at": row.reconfirmed_at,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "order_id": row.order_id,
        "manufacturer_organisation_id": row.manufacturer_organisation_id,
        "previous_bid_id": row.previous_bid_id,
        "total_minor": row.total_minor,
        "vat_rate": row.vat_rate,
        "vat_minor": row.vat_minor,
    }


def _expected_order(row: Any, buyer_row: Any) -> dict[str, Any]:
    return {
        "buyer_row": buyer_row,
        "id": str(row.id),
        "status": row.status.value,
        "visibility": row.visibility.value,
        "title": row.title,
        "description": row.description,
        "process": row.process,
        "material": row.material,
        "quantity": row.quantity,
        "tolerance_class": row.tolerance_class.value,
        "required_certifications": list(row.required_certifications),
        "need_by": row.need_by,
        "delivery_region": row.delivery_region,
        "budget": Budget(
            min=Money.of(row.budget_min_minor, row.currency),
            max=Money.of(row.budget_max_minor, row.currency),
            includes_vat=row.budget_includes_vat,
        ),
        "bidding_deadline": row.bidding_deadline,
        "estimated_machine_hours": row.estimated_machine_hours,
        "allow_split": row.allow_split,
        "awarded_quantity": row.awarded_quantity,
        "published_at": row.published_at,
        "closed_at": row.closed_at,
        "award_reopened_at": row.award_reopened_at,
        "cancel_reason": row.cancel_reason,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "buyer_organisation_id": row.buyer_organisation_id,
    }


def _expected_organisation(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "name": row.name,
        "legal_id": row.legal_id,
        "region": row.region,
        "kind": row.kind.value,
        "membership": row.membership.value,
        "verified": row.verified,
        "verified_at": row.verified_at,
        "tax_status": row.tax_status.value,
        "tax_status_checked_at": row.tax_status_checked_at,
        "created_at": row.created_at,
    }


CASES = {
    "bid": (Bid, (BID_ROW, ORGANISATION_ROW), _expected_bid(BID_ROW, ORGANISATION_ROW)),
    "organisation": (Organisation, (ORGANISATION_ROW,), _expected_organisation(ORGANISATION_ROW)),
    "order": (Order, (ORDER_ROW, ORGANISATION_ROW), _expected_order(ORDER_ROW, ORGANISATION_ROW)),
}


pytestmark = engine_only


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_row_view_answers_every_field_as_the_type_built_from_the_row(case: str) -> None:
    cls, arguments, expected = CASES[case]
    build_schema(Settings(execution_engine="compiled"))  # the engine installs the views

    view = cls.from_row(*arguments)  # type: ignore[attr-defined]
    eager = eager_from_row(cls)(*arguments)
    with pytest.raises(AttributeError):
        view.id = "changed"  # read-only

    assert type(view) is not cls and isinstance(view, cls)  # a view, and Strawberry's is_type_of holds
    assert type(eager) is cls
    assert set(expected) == {field.name for field in dataclasses.fields(cls) if field.init}
    assert {name: getattr(view, name) for name in expected} == expected
    assert {name: getattr(eager, name) for name in expected} == expected


def test_a_view_reads_only_what_is_asked_for() -> None:
    class Row:
        reads: list[str] = []

        def __getattr__(self, name: str) -> Any:
            Row.reads.append(name)
            return getattr(ORGANISATION_ROW, name)

    view = row_view(Organisation, OrganisationRow)
    instance = object.__new__(view)
    instance.__dict__["_row"] = Row()

    assert (instance.name, instance.kind) == ("Uralmash", "manufacturer")
    assert Row.reads == ["name", "kind"]


def test_a_conversion_for_no_field_is_refused() -> None:
    with pytest.raises(TypeError, match="unit_prize"):
        row_view(Bid, BidRow, {"unit_prize": lambda row: None})
    assert RowView(Bid, BidRow).conversions == {}


def test_the_compiled_executor_takes_row_views_for_their_type() -> None:
    bid_type = build_schema(Settings(execution_engine="compiled"))._schema.type_map["Bid"]
    view = type(Bid.from_row(BID_ROW, None))

    assert _strawberry_classes(bid_type) == frozenset({Bid, view})  # type: ignore[arg-type]


@pytest.mark.parametrize("minor", [0, 1, -5, 123456, 10**20])
@pytest.mark.parametrize("currency", ["RUB", "JPY"])
def test_a_money_reader_gives_what_money_of_gives(minor: int, currency: str) -> None:
    row = dataclasses.make_dataclass("Row", ["price_minor", "code"])(minor, currency)

    read = Money.reader("price_minor", "code")(row)

    expected = Money.of(minor, currency)
    assert type(read) is Money
    assert read.amount.as_tuple() == expected.amount.as_tuple()  # digits and exponent: the same text
    assert str(read.amount) == str(expected.amount)
    assert read.currency == expected.currency == currency
