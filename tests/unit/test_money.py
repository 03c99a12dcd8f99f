from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.money import Money


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
