"""The operators' report of fees earned: net and the VAT charged on them, per month and currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.columns import table_of
from domain.errors import ErrorCode, InvalidInput
from domain.ledger.models import LedgerPosting, LedgerTransaction
from domain.ledger.rules import PLATFORM_FEES, PLATFORM_VAT
from domain.planning import inline, inline_in


@dataclass(frozen=True, slots=True)
class FeeReportRow:
    """The platform's fees earned in one month and currency: net, the VAT charged on them, and gross."""

    month: date
    currency: str
    net_minor: int
    vat_minor: int
    transactions: int

    @property
    def gross_minor(self) -> int:
        return self.net_minor + self.vat_minor


MAX_REPORT_DAYS = 3 * 366


def period_start(day: date, zone: ZoneInfo) -> datetime:
    """The instant a calendar day starts in the reporting time zone."""
    return datetime.combine(day, time.min, tzinfo=zone)


async def fee_report(
    session: AsyncSession, *, actor: Actor, since: date, until: date, zone: ZoneInfo
) -> list[FeeReportRow]:
    """Operators only: fees released to the platform from the start of day `since` to the start of day `until`,
    per calendar month and currency, days and months counted in `zone` (the exchange's reporting time zone: a fee
    released at 22:30 UTC on 30 November is December's in Moscow)."""
    actor.require_operator()
    if until <= since:
        raise InvalidInput("the period must end after it starts", "until", ErrorCode.OUT_OF_RANGE)
    if (until - since).days > MAX_REPORT_DAYS:
        raise InvalidInput("a report covers at most three years", "until", ErrorCode.OUT_OF_RANGE)
    start, end = period_start(since, zone), period_start(until, zone)
    # The period and the accounts in the statement's text (domain/planning.py): planned for a period it does not
    # know, a month's report probed the transactions once for every fee posting of all time (2-5x slower at seed
    # scale) where the plan for the month hashes that month's transactions. A new period is a new statement: a
    # report is asked for rarely, and mostly for the same few periods.
    created_at = table_of(LedgerTransaction).c.created_at.type
    # The zone is a setting (a checked IANA name), never what a user typed.
    month = func.date_trunc(
        inline("month", String()), func.timezone(inline(zone.key, String()), LedgerTransaction.created_at)
    )
    fees, vats = inline(PLATFORM_FEES, String()), inline(PLATFORM_VAT, String())
    fee = func.sum(LedgerPosting.amount_minor).filter(LedgerPosting.account == fees)
    vat = func.sum(LedgerPosting.amount_minor).filter(LedgerPosting.account == vats)
    rows = await session.execute(
        select(month, LedgerPosting.currency, fee, vat, func.count(func.distinct(LedgerTransaction.id)))
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .where(
            LedgerTransaction.created_at >= inline(start, created_at),
            LedgerTransaction.created_at < inline(end, created_at),
            LedgerPosting.account.in_(inline_in([PLATFORM_FEES, PLATFORM_VAT])),
        )
        .group_by(month, LedgerPosting.currency)
        .order_by(month, LedgerPosting.currency)
    )
    return [
        FeeReportRow(start.date(), currency, int(net or 0), int(tax or 0), int(count))
        for start, currency, net, tax, count in rows
    ]


@dataclass(frozen=True, slots=True)
class FeeReportTotal:
    """The period's fees in one currency: the sum of its months."""

    currency: str
    net_minor: int
    vat_minor: int
    transactions: int

    @property
    def gross_minor(self) -> int:
        return self.net_minor + self.vat_minor


def fee_totals(rows: list[FeeReportRow]) -> list[FeeReportTotal]:
    """The report's totals per currency (amounts of different currencies are never added), in currency order."""
    totals: dict[str, FeeReportTotal] = {}
    for row in rows:
        seen = totals.get(row.currency, FeeReportTotal(row.currency, 0, 0, 0))
        totals[row.currency] = FeeReportTotal(
            row.currency,
            seen.net_minor + row.net_minor,
            seen.vat_minor + row.vat_minor,
            seen.transactions + row.transactions,
        )
    return [totals[currency] for currency in sorted(totals)]
