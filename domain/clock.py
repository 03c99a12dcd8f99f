"""Time comes from an injected clock so that deadlines and timers are testable."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


# The zone the exchange's calendar days are counted in unless configured otherwise (EXCHANGE_REPORTING_TIMEZONE's
# default): the platform is a Russian company in Moscow, and its tax dates are Moscow dates.
DEFAULT_ZONE = ZoneInfo("Europe/Moscow")


def tax_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day `moment` falls on in `zone`: the day a VAT rate is chosen by and a document is dated.

    Not the UTC day: a bid placed at 00:30 Moscow time on the day a new rate starts is placed on that day (21:30 UTC
    the day before), and the fee report (domain/taxes/report.py) counts its days in the same zone, so a rate, a
    document's date and the report's day always agree. One zone for every seller, not each seller's own: the rates
    are the Russian tax code's, the platform issues the documents and reports the fees, and a rate that changed at a
    different instant for each region would make two bids placed at the same moment differ by where the seller
    sits (Kaliningrad's and Vladivostok's midnights are nine hours apart)."""
    if moment.tzinfo is None:
        raise ValueError("tax_day needs an aware datetime (the clock's are UTC)")
    return moment.astimezone(zone).date()
