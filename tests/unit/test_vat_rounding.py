"""The VAT rounding rules of domain/taxes/rounding.py: exact cases, then properties over any amounts and rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.taxes.amounts import ContractTaxTerms, TaxedAmount, contract_amounts_of, fee_amount
from domain.taxes.models import RateKind, TaxStatus
from domain.taxes.rounding import apportion_vat, vat_included, vat_of_lines
from domain.taxes.rules import VatTreatment, rate_on, treatment_on

RATES = st.sampled_from([Decimal("22"), Decimal("20"), Decimal("10"), Decimal("7"), Decimal("5"), Decimal("0")])
MINOR = st.integers(min_value=0, max_value=10**15)


def test_vat_included_in_a_gross_price_to_the_kopeck() -> None:
    assert vat_included(122_00, Decimal("22")) == 22_00
    assert vat_included(120_00, Decimal("20")) == 20_00
    assert vat_included(105_00, Decimal("5")) == 5_00
    # 1 kopeck at 22 %: 0.18 -> 0; 3 kopecks: 0.54 -> 1 (half up)
    assert vat_included(1, Decimal("22")) == 0
    assert vat_included(3, Decimal("22")) == 1
    assert vat_included(1_000_000, None) == 0


def test_half_a_kopeck_rounds_up() -> None:
    # At 20 % the VAT in a gross price is a sixth of it: 3 kopecks hold 0.5, 9 hold 1.5, 15 hold 2.5.
    assert vat_included(3, Decimal("20")) == 1
    assert vat_included(9, Decimal("20")) == 2
    assert vat_included(15, Decimal("20")) == 3
    assert vat_included(2, Decimal("20")) == 0  # 0.33 rounds down


def test_lines_are_rounded_each_then_summed() -> None:
    # Two lines of 3 kopecks at 22 %: 0.54 each -> 1 + 1 = 2, where the sum (6 kopecks: 1.08) would give 1.
    assert vat_of_lines([3, 3], Decimal("22")) == 2
    assert vat_included(6, Decimal("22")) == 1


@given(MINOR, RATES)
def test_net_plus_vat_is_gross(gross: int, rate: Decimal) -> None:
    amount = TaxedAmount.included(gross, rate, VatTreatment.VAT)
    assert amount.net + amount.vat == amount.gross == gross
    assert 0 <= amount.vat <= gross


@given(MINOR, RATES)
def test_rounding_is_idempotent(gross: int, rate: Decimal) -> None:
    once = TaxedAmount.included(gross, rate, VatTreatment.VAT)
    again = TaxedAmount.included(once.net + once.vat, rate, VatTreatment.VAT)
    assert again == once


@given(MINOR, RATES)
def test_vat_is_within_half_a_kopeck_of_exact(gross: int, rate: Decimal) -> None:
    exact = Decimal(gross) * rate / (100 + rate)
    assert abs(Decimal(vat_included(gross, rate)) - exact) <= Decimal("0.5")


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=8), RATES)
def test_lines_sum_per_line(lines: list[int], rate: Decimal) -> None:
    assert vat_of_lines(lines, rate) == sum(vat_included(line, rate) for line in lines)


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=5), RATES)
def test_apportioned_vat_sums_to_the_whole(shares: list[int], rate: Decimal) -> None:
    whole = vat_of_lines([sum(shares)], rate)
    parts = apportion_vat(whole, shares, rate)
    assert sum(parts) == whole
    assert len(parts) == len(shares)


@given(
    st.integers(min_value=1, max_value=10**12),
    st.integers(min_value=0, max_value=10**9),
    RATES,
    st.integers(min_value=0, max_value=100),
)
def test_contract_shares_sum_to_its_total(units: int, tooling: int, rate: Decimal, first_pct: int) -> None:
    total = units + tooling
    vat = vat_of_lines([units, tooling], rate)
    fee = (total * 500 + 5_000) // 10_000
    first = total * first_pct // 100
    first_fee = fee * first_pct // 100
    terms = ContractTaxTerms(total, vat, rate, VatTreatment.VAT, Decimal("22"))
    amounts = contract_amounts_of(
        terms,
        milestones=[(first, first_fee), (total - first, fee - first_fee)],
        held_minor=0,
        awaiting_funding=True,
        currency="RUB",
        seller_tax_status=TaxStatus.vat_general,
        buyer_tax_status=TaxStatus.vat_general,
    )
    assert sum(m.gross for m in amounts.milestones) == amounts.total.gross == total
    assert sum(m.vat for m in amounts.milestones) == amounts.total.vat == vat
    assert sum(m.net for m in amounts.milestones) == amounts.total.net
    assert amounts.platform_fee.gross == fee
    assert amounts.platform_fee.vat == sum(fee_amount(f, Decimal("22")).vat for f in (first_fee, fee - first_fee))
    assert amounts.manufacturer_net.gross == total - fee
    assert amounts.escrow_due == amounts.total


def test_a_seller_without_vat_shows_gross_as_net() -> None:
    amount = TaxedAmount.included(1_000_00, None, VatTreatment.SIMPLIFIED_NO_VAT)
    assert (amount.net, amount.vat, amount.gross, amount.rate) == (1_000_00, 0, 1_000_00, None)


def test_net_and_vat_must_make_gross() -> None:
    with pytest.raises(ValueError):
        TaxedAmount(100, 22, 121, Decimal("22"), VatTreatment.VAT)


def _rate(kind: RateKind, percent: str, since: date, until: date | None = None) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, percent=Decimal(percent), valid_from=since, valid_until=until)


RATE_ROWS = [
    _rate(RateKind.general, "20", date(2019, 1, 1), date(2026, 1, 1)),
    _rate(RateKind.general, "22", date(2026, 1, 1)),
    _rate(RateKind.simplified_5, "5", date(2025, 1, 1)),
]


def test_the_rate_in_force_on_a_day() -> None:
    assert rate_on(RATE_ROWS, RateKind.general, date(2025, 12, 31)) == Decimal("20")
    assert rate_on(RATE_ROWS, RateKind.general, date(2026, 1, 1)) == Decimal("22")
    with pytest.raises(DomainError):
        rate_on(RATE_ROWS, RateKind.simplified_5, date(2024, 12, 31))


def test_a_status_gives_its_treatment_and_rate() -> None:
    day = date(2026, 6, 1)
    assert treatment_on(RATE_ROWS, TaxStatus.vat_general, day) == (VatTreatment.VAT, Decimal("22"))
    assert treatment_on(RATE_ROWS, TaxStatus.simplified_vat_5, day) == (VatTreatment.REDUCED, Decimal("5"))
    assert treatment_on(RATE_ROWS, TaxStatus.simplified_no_vat, day) == (VatTreatment.SIMPLIFIED_NO_VAT, None)
    assert treatment_on(RATE_ROWS, TaxStatus.not_stated, day) == (VatTreatment.NOT_STATED, None)
