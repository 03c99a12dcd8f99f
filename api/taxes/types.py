"""VAT in the API: every amount a person sees as net, VAT and gross, with the rate and how VAT applies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from api.enums import graphql_enum
from api.money import Money
from domain.taxes.amounts import TaxedAmount
from domain.taxes.models import RateKind as DomainRateKind
from domain.taxes.models import TaxStatus as DomainTaxStatus
from domain.taxes.rates import Rate
from domain.taxes.report import FeeReportRow
from domain.taxes.report import FeeReportTotal as DomainFeeReportTotal
from domain.taxes.rules import PriceBasis as DomainPriceBasis
from domain.taxes.rules import VatTreatment as DomainVatTreatment

VatTreatment = graphql_enum(
    DomainVatTreatment,
    "How a price carries VAT: VAT (general rate) and REDUCED (the simplified system's 5 or 7 %) are included in "
    "the price («в т. ч. НДС»); SIMPLIFIED_NO_VAT and EXEMPT are «без НДС»; NOT_STATED: the seller has not "
    "declared its tax status.",
    "VatTreatment",
)
TaxStatus = graphql_enum(
    DomainTaxStatus,
    "How an organisation is taxed, as it declares: the general system with VAT, the simplified system without VAT "
    "or at a reduced rate (5 or 7 %), exempt, or not stated.",
    "TaxStatus",
)
PriceBasis = graphql_enum(
    DomainPriceBasis, "Which figure a price comparison uses: GROSS (VAT included) or NET.", "PriceBasis"
)
VatRateKind = graphql_enum(DomainRateKind, "A rate of the tax code (art. 164).", "VatRateKind")


@strawberry.type(
    description="An amount with its VAT: net + vat = gross, to the minor unit. Prices on the exchange are gross "
    "(VAT included); sellers without VAT have vat 0 and net = gross."
)
class TaxedMoney:
    net: Money
    vat: Money
    gross: Money
    rate: Decimal | None = strawberry.field(description='The VAT rate in percent, e.g. "22.00"; null: no VAT.')
    treatment: VatTreatment  # type: ignore[valid-type]

    @classmethod
    def of(cls, amount: TaxedAmount, currency: str) -> TaxedMoney:
        return cls(
            net=Money.of(amount.net, currency),
            vat=Money.of(amount.vat, currency),
            gross=Money.of(amount.gross, currency),
            rate=amount.rate,
            treatment=amount.treatment.value,
        )


@strawberry.type(description="The VAT an organisation's prices carry today, from its declared tax status.")
class VatTerms:
    treatment: VatTreatment  # type: ignore[valid-type]
    rate: Decimal | None = strawberry.field(description="In percent; null: no VAT.")


@strawberry.type(description="A VAT rate of the tax code and the period it is in force (from, until exclusive).")
class VatRate:
    kind: VatRateKind  # type: ignore[valid-type]
    percent: Decimal
    valid_from: date
    valid_until: date | None
    source: str

    @classmethod
    def from_row(cls, row: Rate) -> VatRate:
        return cls(
            kind=row.kind.value,
            percent=row.percent,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            source=row.source,
        )


@strawberry.type(description="The platform's fees earned in one month and currency, from the ledger.")
class FeeReportMonth:
    month: date = strawberry.field(description="The month's first day (a month of the report's time zone).")
    net: Money = strawberry.field(description="Fees earned, net of VAT.")
    vat: Money = strawberry.field(description="The VAT charged on them, owed to the tax office.")
    gross: Money
    releases: int = strawberry.field(description="How many releases paid a fee in the month.")

    @classmethod
    def from_row(cls, row: FeeReportRow) -> FeeReportMonth:
        return cls(
            month=row.month,
            net=Money.of(row.net_minor, row.currency),
            vat=Money.of(row.vat_minor, row.currency),
            gross=Money.of(row.gross_minor, row.currency),
            releases=row.transactions,
        )


@strawberry.type(description="The period's fees in one currency: the sum of its months.")
class FeeReportTotal:
    currency: str
    net: Money
    vat: Money
    gross: Money
    releases: int

    @classmethod
    def from_total(cls, total: DomainFeeReportTotal) -> FeeReportTotal:
        return cls(
            currency=total.currency,
            net=Money.of(total.net_minor, total.currency),
            vat=Money.of(total.vat_minor, total.currency),
            gross=Money.of(total.gross_minor, total.currency),
            releases=total.transactions,
        )
