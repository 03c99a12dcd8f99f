from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.bids.rules import checked_amounts
from domain.errors import DomainError, ErrorCode
from domain.manufacturers.rules import check_capacity
from domain.money import Money, below_least


def test_decimal_amounts_become_exact_minor_units() -> None:
    assert Money.from_decimal("1250.50", "rub", field="price") == Money(125050, "RUB")
    assert Money.from_decimal(Decimal("7"), "JPY", field="price") == Money(7, "JPY")
    assert Money(125050, "RUB").amount == Decimal("1250.50")


@pytest.mark.parametrize(
    ("amount", "currency", "code", "field"),
    [
        ("-1.00", "RUB", ErrorCode.OUT_OF_RANGE, "price.amount"),
        ("1.005", "RUB", ErrorCode.INVALID, "price.amount"),
        ("1.5", "JPY", ErrorCode.INVALID, "price.amount"),
        ("NaN", "RUB", ErrorCode.INVALID, "price.amount"),
        ("Infinity", "RUB", ErrorCode.INVALID, "price.amount"),
        ("1000000000000000000", "RUB", ErrorCode.OUT_OF_RANGE, "price.amount"),
        ("1e30", "RUB", ErrorCode.INVALID, "price.amount"),
        ("1E+2", "RUB", ErrorCode.INVALID, "price.amount"),
        (" 12", "RUB", ErrorCode.INVALID, "price.amount"),
        ("12 ", "RUB", ErrorCode.INVALID, "price.amount"),
        ("\u0661\u0662", "RUB", ErrorCode.INVALID, "price.amount"),  # Arabic-Indic digits
        ("\uff11\uff12", "RUB", ErrorCode.INVALID, "price.amount"),  # full-width digits
        ("1_000", "RUB", ErrorCode.INVALID, "price.amount"),
        ("+12", "RUB", ErrorCode.INVALID, "price.amount"),
        (".5", "RUB", ErrorCode.INVALID, "price.amount"),
        ("12.", "RUB", ErrorCode.INVALID, "price.amount"),
        ("", "RUB", ErrorCode.INVALID, "price.amount"),
        ("12", "XXX", ErrorCode.UNKNOWN_CURRENCY, "price.currency"),
    ],
)
def test_bad_money_is_refused_with_the_field(amount: str, currency: str, code: ErrorCode, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        Money.from_decimal(amount, currency, field="price")
    assert (refused.value.code, refused.value.field) == (code, field)


@pytest.mark.parametrize(("amount", "positive"), [("-1.00", False), ("-0.01", True), ("0", True), ("0.009", True)])
def test_the_parse_refuses_below_the_least_as_the_domain_rules_do(amount: str, positive: bool) -> None:
    with pytest.raises(DomainError) as refused:
        Money.from_decimal(amount, "RUB", field="price", positive=positive)

    expected = below_least("RUB", "price.amount", positive=positive)
    assert (refused.value.code, refused.value.field, refused.value.limits) == (
        ErrorCode.OUT_OF_RANGE,
        "price.amount",
        expected.limits,
    )
    assert expected.limits is not None
    assert (expected.limits.min, expected.limits.max) == (Decimal("0.01") if positive else 0, None)


def test_zero_is_an_amount_unless_the_input_must_be_positive() -> None:
    assert Money.from_decimal("0.00", "RUB", field="tooling") == Money(0, "RUB")
    assert Money.from_decimal("0.01", "RUB", field="price", positive=True) == Money(1, "RUB")
    assert Money.from_decimal("1", "JPY", field="price", positive=True) == Money(1, "JPY")


@pytest.mark.parametrize("minor_units", [-500, -1, 0])
def test_the_domain_rules_refuse_no_price_with_the_parse_s_figure(minor_units: int) -> None:
    """A caller that skips the parse (a service, the seed) meets the same refusal as the API."""
    expected = below_least("RUB", "unitPrice.amount", positive=True).limits
    with pytest.raises(DomainError) as unit_price:
        checked_amounts(Money(minor_units, "RUB"), None, "RUB")
    with pytest.raises(DomainError) as rate:
        check_capacity(
            process="cnc_milling",
            machine_hours_per_week=40,
            available_from=date(2027, 3, 1),
            available_to=date(2027, 3, 31),
            hourly_rate=Money(minor_units, "RUB"),
            today=date(2027, 3, 1),
        )

    assert (unit_price.value.field, unit_price.value.limits) == ("unitPrice.amount", expected)
    assert (rate.value.field, rate.value.limits) == ("hourlyRate.amount", expected)
