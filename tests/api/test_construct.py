"""The hot types' `from_row` (api/construct.py) build what the dataclass's own `__init__` would."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from strawberry import relay

from api.bids.types import Bid
from api.construct import construct
from api.money import Money
from api.organisations.types import Organisation
from domain.bids.models import Bid as BidRow
from domain.bids.models import BidStatus
from domain.organisations.models import MembershipKind, OrganisationKind
from domain.organisations.models import Organisation as OrganisationRow
from domain.rows import record_type

NOW = datetime(2027, 3, 1, 12, 30, tzinfo=UTC)


def _row(model: Any, **values: Any) -> Any:
    columns = tuple(model.__table__.columns.keys())
    return record_type(columns)(**{name: values.get(name) for name in columns})


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
    created_at=NOW,
    updated_at=NOW,
)


@pytest.mark.parametrize(
    "built",
    [
        pytest.param(Bid.from_row(BID_ROW, ORGANISATION_ROW), id="bid"),
        pytest.param(Organisation.from_row(ORGANISATION_ROW), id="organisation"),
        pytest.param(construct(relay.Edge, {"cursor": "c", "node": None}), id="edge"),
    ],
)
def test_from_row_sets_exactly_the_dataclass_fields(built: Any) -> None:
    cls = type(built)
    assert set(vars(built)) == {field.name for field in dataclasses.fields(cls) if field.init}
    assert built == cls(**vars(built))  # what __init__ builds from the same values


def test_bid_from_row_reads_the_row() -> None:
    bid = Bid.from_row(BID_ROW, ORGANISATION_ROW)

    assert (bid.id, bid.status, bid.revision, bid.quantity) == (str(BID_ROW.id), "active", 2, 40)
    assert (bid.unit_price.amount, bid.tooling.amount, bid.total.amount) == (
        Money.of(125_050, "RUB").amount,
        Money.of(9_900, "RUB").amount,
        Money.of(5_011_900, "RUB").amount,
    )
    assert str(bid.total.amount) == "50119.00" and bid.total.currency == "RUB"
    assert bid.manufacturer_row is ORGANISATION_ROW and bid.previous_bid_id == BID_ROW.previous_bid_id
    assert Organisation.from_row(ORGANISATION_ROW).kind == "manufacturer"
