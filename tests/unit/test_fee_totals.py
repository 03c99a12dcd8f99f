"""The fee report's totals: each currency summed over its months, never across currencies."""

from __future__ import annotations

from datetime import date

from domain.taxes.report import FeeReportRow, FeeReportTotal, fee_totals


def test_each_currency_is_summed_over_its_months() -> None:
    rows = [
        FeeReportRow(date(2027, 1, 1), "RUB", 618_853, 136_147, 2),
        FeeReportRow(date(2027, 1, 1), "EUR", 10_000, 0, 1),
        FeeReportRow(date(2027, 2, 1), "RUB", 100_001, 22_000, 3),
    ]

    totals = fee_totals(rows)

    assert totals == [
        FeeReportTotal("EUR", 10_000, 0, 1),
        FeeReportTotal("RUB", 718_854, 158_147, 5),
    ]
    assert totals[1].gross_minor == 877_001


def test_an_empty_period_has_no_totals() -> None:
    assert fee_totals([]) == []
