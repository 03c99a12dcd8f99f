"""The day a VAT rate is chosen by: the calendar day of the moment in the reporting zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.clock import DEFAULT_ZONE, tax_day
from exchange.settings import Environment, Settings


def test_the_day_is_the_zones_not_utcs() -> None:
    assert tax_day(datetime(2025, 12, 31, 20, 59, 59, tzinfo=UTC), DEFAULT_ZONE) == date(2025, 12, 31)
    assert tax_day(datetime(2025, 12, 31, 21, 0, tzinfo=UTC), DEFAULT_ZONE) == date(2026, 1, 1)
    assert tax_day(datetime(2025, 12, 31, 21, 0, tzinfo=UTC), ZoneInfo("Europe/Kaliningrad")) == date(2025, 12, 31)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        tax_day(datetime(2026, 1, 1), DEFAULT_ZONE)


def test_the_domains_default_zone_is_the_settings_default() -> None:
    assert Settings(env=Environment.test).reporting_zone == DEFAULT_ZONE
