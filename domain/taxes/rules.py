"""Pure VAT rules: which treatment a tax status gives a price, and which rate applies on a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from domain.errors import DomainError, ErrorCode
from domain.taxes.models import RateKind, TaxStatus, VatTreatment


class PriceBasis(StrEnum):
    """Which figure a comparison of prices uses."""

    gross = "gross"  # VAT included: what the buyer pays
    net = "net"  # VAT excluded


def budget_basis(budget_includes_vat: bool) -> PriceBasis:
    """Bids are held against a budget like for like: gross against a budget with VAT, net against one without."""
    return PriceBasis.gross if budget_includes_vat else PriceBasis.net


# Bids compared with each other (ranks, lost-bid feedback): on gross, what the buyer pays, so that a seller
# charging VAT and one without it are compared on the same footing.
BID_COMPARISON_BASIS = PriceBasis.gross


TREATMENT_OF_STATUS: dict[TaxStatus, tuple[VatTreatment, RateKind | None]] = {
    TaxStatus.vat_general: (VatTreatment.VAT, RateKind.general),
    TaxStatus.simplified_vat_5: (VatTreatment.REDUCED, RateKind.simplified_5),
    TaxStatus.simplified_vat_7: (VatTreatment.REDUCED, RateKind.simplified_7),
    TaxStatus.simplified_no_vat: (VatTreatment.SIMPLIFIED_NO_VAT, None),
    TaxStatus.exempt: (VatTreatment.EXEMPT, None),
    TaxStatus.not_stated: (VatTreatment.NOT_STATED, None),
}

# The platform sells its service (the fee) as a VAT payer at the general rate.
PLATFORM_FEE_RATE = RateKind.general


class RateRow(Protocol):
    """What rate_on needs of a rates-table row (the row, the process's copy of it, or a test's stand-in): read-only."""

    @property
    def kind(self) -> RateKind: ...
    @property
    def percent(self) -> Decimal: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...


def rate_on(rates: Sequence[RateRow], kind: RateKind, day: date) -> Decimal:
    """The percentage of `kind` in force on `day`. A missing rate is a data error the operator must fix."""
    for row in rates:
        if row.kind == kind and row.valid_from <= day and (row.valid_until is None or day < row.valid_until):
            return row.percent
    raise DomainError(ErrorCode.NOT_FOUND, f"no {kind.value} VAT rate is in force on {day.isoformat()}")


def treatment_on(rates: Sequence[RateRow], status: TaxStatus, day: date) -> tuple[VatTreatment, Decimal | None]:
    """The treatment and the rate a seller with `status` charges on `day` (None: no VAT)."""
    treatment, kind = TREATMENT_OF_STATUS[status]
    return treatment, (rate_on(rates, kind, day) if kind is not None else None)
