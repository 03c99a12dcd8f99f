"""Money in the API: a decimal amount as a string (exact) plus an ISO 4217 currency."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.money import CURRENCY_EXPONENTS
from domain.money import Money as DomainMoney


@strawberry.type(description="An exact amount of money: never a float.")
class Money:
    amount: Decimal = strawberry.field(description='Decimal string in major units, e.g. "1250.50".')
    currency: str = strawberry.field(description="ISO 4217 code, e.g. RUB.")

    @classmethod
    def of(cls, minor_units: int, currency: str) -> Money:
        # DomainMoney(minor_units, currency).amount without building one (three per bid on a page of bids)
        return cls(amount=Decimal(minor_units).scaleb(-CURRENCY_EXPONENTS[currency]), currency=currency)


@strawberry.input(description="An amount of money: a decimal string and an ISO 4217 currency.")
class MoneyInput:
    amount: Decimal
    currency: str

    def to_domain(self, field: str) -> DomainMoney:
        return DomainMoney.from_decimal(self.amount, self.currency, field=field)
