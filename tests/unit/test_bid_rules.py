from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.bids.models import BidStatus
from domain.bids.rules import BidTerms, price, transition
from domain.errors import DomainError, ErrorCode
from domain.manufacturers.rules import Capability, Requirement, fit_problems
from domain.money import Money
from domain.orders.models import ProductionOrder

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
# A partial order: the bid rules read only these columns.
ORDER = ProductionOrder(quantity=250, currency="RUB", bidding_deadline=NOW + timedelta(days=7))  # type: ignore[call-arg]


def terms(**overrides: object) -> BidTerms:
    values: dict[str, object] = {
        "unit_price": Money(120_50, "RUB"),
        "lead_time_days": 20,
        "valid_until": date(2027, 4, 1),
        "tooling": Money(15_000_00, "RUB"),
    }
    values.update(overrides)
    return BidTerms(**values)  # type: ignore[arg-type]


def test_total_is_unit_price_times_quantity_plus_tooling() -> None:
    priced = price(terms(), ORDER, NOW)
    assert (priced.unit_price_minor, priced.tooling_minor, priced.total_minor) == (12050, 1500000, 4512500)


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"unit_price": Money(100, "USD")}, ErrorCode.CURRENCY_MISMATCH, "unitPrice.currency"),
        ({"tooling": Money(100, "EUR")}, ErrorCode.CURRENCY_MISMATCH, "tooling.currency"),
        ({"unit_price": Money(0, "RUB")}, ErrorCode.OUT_OF_RANGE, "unitPrice.amount"),
        ({"lead_time_days": 0}, ErrorCode.OUT_OF_RANGE, "leadTimeDays"),
        ({"valid_until": date(2027, 3, 5)}, ErrorCode.OUT_OF_RANGE, "validUntil"),
        ({"unit_price": Money(10**14, "RUB")}, ErrorCode.OUT_OF_RANGE, "unitPrice.amount"),
    ],
)
def test_bad_terms_are_refused(overrides: dict[str, object], code: ErrorCode, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        price(terms(**overrides), ORDER, NOW)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_only_an_active_bid_moves() -> None:
    assert transition(BidStatus.active, "withdraw") == BidStatus.withdrawn
    with pytest.raises(DomainError) as refused:
        transition(BidStatus.withdrawn, "revise")
    assert refused.value.code == ErrorCode.BID_NOT_ACTIVE


REQUIREMENT = Requirement(
    process="cnc_milling", quantity=500, required_certifications=["iso_9001"], need_by=date(2027, 6, 1)
)


def test_a_capable_shop_fits() -> None:
    capability = Capability(["cnc_milling"], 1, 1000, {"iso_9001": date(2028, 1, 1)})
    assert fit_problems(capability, REQUIREMENT) == []


def test_every_reason_a_shop_does_not_fit_is_named() -> None:
    capability = Capability(["cnc_turning"], 1000, 5000, {"iso_9001": date(2027, 5, 1)})
    assert fit_problems(capability, REQUIREMENT) == [
        "the profile does not list the process cnc_milling",
        "quantity 500 is below the profile minimum 1000",
        "certification iso_9001 expires before the need-by date",
    ]
    assert fit_problems(None, REQUIREMENT) == ["the organisation has no manufacturer profile yet"]
