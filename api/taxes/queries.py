from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, result_union, to_user_error
from api.organisations.types import Organisation, OrganisationConnection
from api.relay import connection
from api.taxes.loaders import VatRatesLoader
from api.taxes.types import FeeReportMonth, FeeReportTotal, VatRate
from domain.errors import DomainError
from domain.pagination import PageRequest
from domain.taxes.report import fee_report, fee_totals
from domain.taxes.service import tax_statuses_to_check


@strawberry.type(description="The platform's fees earned in a period, per month and currency: net and VAT.")
class PlatformFeeReport:
    time_zone: str = strawberry.field(
        description="The IANA time zone the report counts its days and months in (EXCHANGE_REPORTING_TIMEZONE)."
    )
    months: list[FeeReportMonth]
    totals: list[FeeReportTotal] = strawberry.field(
        description="The period's sums per currency (amounts in different currencies are never added)."
    )


PlatformFeeReportResult = result_union("PlatformFeeReportResult", PlatformFeeReport, *ACTION_ERRORS)


@strawberry.type
class TaxQuery:
    @strawberry.field(description="The VAT rates of the tax code with the periods they are in force, by kind.")
    async def vat_rates(self, info: Info) -> list[VatRate]:
        return [VatRate.from_row(row) for row in await info.context.loader(VatRatesLoader).load(None)]

    @strawberry.field(
        description="Operators: the platform's fees released from the start of day `since` to the start of day "
        "`until` (days and months in the exchange's reporting time zone, `timeZone`), per month and currency, net "
        "and the VAT charged on them, from the ledger."
    )
    async def platform_fee_report(self, info: Info, since: date, until: date) -> PlatformFeeReportResult:  # type: ignore[valid-type]
        ctx = info.context
        try:
            ctx.actor.require_user()
            async with ctx.db() as session:
                rows = await fee_report(
                    session, actor=ctx.actor, since=since, until=until, zone=ctx.settings.reporting_zone
                )
        except DomainError as error:
            return to_user_error(error)
        return PlatformFeeReport(
            time_zone=ctx.settings.reporting_zone.key,
            months=[FeeReportMonth.from_row(row) for row in rows],
            totals=[FeeReportTotal.from_total(total) for total in fee_totals(rows)],
        )

    @strawberry.field(
        description="Operators: organisations whose declared tax status nobody has checked yet, latest first. "
        "Null for anyone else."
    )
    async def tax_statuses_to_check(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> OrganisationConnection | None:
        ctx = info.context
        if not ctx.actor.is_operator:
            return None
        async with ctx.db() as session:
            page = await tax_statuses_to_check(
                session, actor=ctx.actor, page=PageRequest(first, after).checked(ctx.settings.max_page_size)
            )
        return connection(OrganisationConnection, page, Organisation.from_row)  # type: ignore[return-value]
