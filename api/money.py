"""Money in the API: a decimal amount as a string (exact) plus an ISO 4217 currency."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter
from typing import Any

import strawberry

from domain.money import CURRENCY_EXPONENTS
from domain.money import Money as DomainMoney

_new = object.__new__


@strawberry.type(description="An exact amount of money: never a float.")
class Money:
    amount: Decimal = strawberry.field(description='Decimal string in major units, e.g. "1250.50".')
    currency: str = strawberry.field(description="ISO 4217 code, e.g. RUB.")

    @classmethod
    def of(cls, minor_units: int, currency: str) -> Money:
        # DomainMoney(minor_units, currency).amount without building one, and the two fields set without the
        # dataclass's keyword __init__ (about half the cost): three per bid, thousands on a page of bids.
        money = _new(cls)
        money.amount = Decimal(minor_units).scaleb(-CURRENCY_EXPONENTS[currency])
        money.currency = currency
        return money

    @classmethod
    def reader(cls, minor_units: str, currency: str = "currency") -> Callable[[Any], Money]:
        """`read(row)`: what `Money.of(row.<minor_units>, row.<currency>)` gives, in one call (a row view's money
        field: two on each of a page's thousand bids)."""
        minor_of, currency_of = attrgetter(minor_units), attrgetter(currency)
        exponents = CURRENCY_EXPONENTS

        def read(row: Any) -> Money:
            money = _new(cls)
            code = currency_of(row)
            money.amount = Decimal(minor_of(row)).scaleb(-exponents[code])
            money.currency = code
            return money

        return read


@strawberry.input(description="An amount of money: a decimal string and an ISO 4217 currency.")
class MoneyInput:
    # Holds the text as sent (api/scalars.decimal_text); to_domain reads it with the one rule for amounts.
    amount: Decimal = strawberry.field(description='Digits with an optional decimal point, e.g. "1250.50".')
    currency: str

    def to_domain(self, field: str, *, positive: bool = False) -> DomainMoney:
        """The amount, refused below zero, or below one minor unit when `positive` (the input's domain rule says
        which, and refuses the same with the same figures for callers that skip this parse)."""
        return DomainMoney.from_decimal(self.amount, self.currency, field=field, positive=positive)
