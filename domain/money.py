"""Money is an integer of minor units plus an ISO 4217 currency, never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit

# ISO 4217 minor-unit exponents for the currencies the exchange settles in.
CURRENCY_EXPONENTS: dict[str, int] = {
    "RUB": 2,
    "USD": 2,
    "EUR": 2,
    "CNY": 2,
    "GBP": 2,
    "CHF": 2,
    "KZT": 2,
    "BYN": 2,
    "AMD": 2,
    "UZS": 2,
    "KGS": 2,
    "AED": 2,
    "TRY": 2,
    "INR": 2,
    "JPY": 0,
    "KRW": 0,
}

# The codes in the order a person picks from: roubles first (the exchange's default), then as listed above.
SUPPORTED_CURRENCIES: tuple[str, ...] = tuple(CURRENCY_EXPONENTS)

MAX_MINOR_UNITS = 10**15  # a trillion roubles: far beyond any order, far below BIGINT

# How an amount is written: ASCII digits, optionally a point and more digits. Python's Decimal reads far more
# (" 12", "1E+2", "١٢", "1_000", "NaN"), and a price a person typed should not be read in any of those ways.
_AMOUNT_TEXT = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,20})?")
AMOUNT_SYNTAX = 'write the amount as digits with an optional decimal point, e.g. "1250.50"'


def minor_unit(currency: str) -> Decimal:
    """The least amount there is in `currency` (0.01 RUB, 1 JPY)."""
    return Decimal(1).scaleb(-CURRENCY_EXPONENTS[currency])


def money_limits(currency: str, *, positive: bool = False) -> Limits:
    """The amounts the exchange takes in `currency`, in major units: from zero, or from one minor unit where zero
    means nothing (a price, a rate, a transfer), to MAX_MINOR_UNITS."""
    return Limits(
        LimitUnit.MONEY,
        min=minor_unit(currency) if positive else Decimal(0),
        max=Decimal(MAX_MINOR_UNITS).scaleb(-CURRENCY_EXPONENTS[currency]),
        currency=currency,
    )


def below_least(currency: str, field: str, *, positive: bool) -> InvalidInput:
    """The refusal of an amount below the least an input takes: its figure is that least alone (a person who typed
    -5 or 0 needs the floor, not the ten trillion above). The parse (Money.from_decimal) and the input's domain rule
    refuse with this one, so that -1 and 0 read alike («не меньше 0,01 ₽»)."""
    return InvalidInput(
        f"must be at least {minor_unit(currency)}" if positive else "must not be negative",
        field,
        ErrorCode.OUT_OF_RANGE,
        limits=replace(money_limits(currency, positive=positive), max=None),
    )


def parse_amount(text: str, field: str) -> Decimal:
    """An amount as a person or client writes it, read exactly; anything else is refused at `field`."""
    if not _AMOUNT_TEXT.fullmatch(text):
        raise InvalidInput(AMOUNT_SYNTAX, field)
    return Decimal(text)


def check_currency(code: str, field: str) -> str:
    code = code.strip().upper()
    if code not in CURRENCY_EXPONENTS:
        raise InvalidInput(f"unknown or unsupported currency {code!r}", field, ErrorCode.UNKNOWN_CURRENCY)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    minor_units: int
    currency: str

    @classmethod
    def from_decimal(cls, amount: Decimal | str, currency: str, *, field: str, positive: bool = False) -> Money:
        """Parse a decimal amount (e.g. "1250.50"), refusing negatives (and zero when `positive`), amounts above
        MAX_MINOR_UNITS and sub-minor-unit precision."""
        currency = check_currency(currency, f"{field}.currency")
        if isinstance(amount, str):
            value = parse_amount(amount, f"{field}.amount")
        else:
            try:
                value = Decimal(amount)
            except (InvalidOperation, ValueError, TypeError):
                raise InvalidInput("amount is not a decimal number", f"{field}.amount") from None
        if not value.is_finite():
            raise InvalidInput("amount must be a finite number", f"{field}.amount")
        if value < (minor_unit(currency) if positive else 0):
            raise below_least(currency, f"{field}.amount", positive=positive)
        scaled = value.scaleb(CURRENCY_EXPONENTS[currency])
        if scaled != scaled.to_integral_value():
            raise InvalidInput(f"{currency} has {CURRENCY_EXPONENTS[currency]} decimal places", f"{field}.amount")
        minor = int(scaled)
        if minor > MAX_MINOR_UNITS:
            raise InvalidInput(
                "amount is too large",
                f"{field}.amount",
                ErrorCode.OUT_OF_RANGE,
                limits=money_limits(currency, positive=positive),
            )
        return cls(minor, currency)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.minor_units).scaleb(-CURRENCY_EXPONENTS[self.currency])
