"""The currencies the exchange takes money in, for a client's currency select (it names them itself)."""

from __future__ import annotations

import strawberry

from domain.money import SUPPORTED_CURRENCIES


@strawberry.type
class CurrencyQuery:
    @strawberry.field(
        description="ISO 4217 codes of the currencies every money input accepts, roubles first (the default); any "
        "other code is refused with UNKNOWN_CURRENCY."
    )
    def currencies(self) -> list[str]:
        return list(SUPPORTED_CURRENCIES)
