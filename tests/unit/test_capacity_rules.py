from __future__ import annotations

from datetime import date

import pytest

from domain.capacity.rules import check_firm_fits, iso_week, part_of, plan_hold
from domain.errors import DomainError, ErrorCode

W1, W2, W3 = date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 15)


def test_iso_week_label() -> None:
    assert iso_week(W1) == "2027-W09"


def test_hours_spread_in_proportion_to_listed_capacity() -> None:
    assert plan_hold(90, [W1, W2, W3], {W1: 10, W2: 20, W3: 0}) == {W1: 30, W2: 60}


def test_remainders_go_to_the_largest_fractions_then_the_earlier_week() -> None:
    assert plan_hold(10, [W1, W2, W3], {W1: 1, W2: 1, W3: 1}) == {W1: 4, W2: 3, W3: 3}


def test_without_listed_capacity_the_hours_spread_evenly() -> None:
    assert plan_hold(7, [W1, W2], {}) == {W1: 4, W2: 3}


def test_no_hours_or_no_weeks_hold_nothing() -> None:
    assert plan_hold(0, [W1], {W1: 10}) == {}
    assert plan_hold(5, [], {}) == {}


def test_a_firm_hold_within_listed_capacity_passes() -> None:
    check_firm_fits({W1: 10, W2: 10}, {W1: 30}, {W1: 40, W2: 10})


def test_a_firm_hold_beyond_listed_capacity_is_refused_naming_the_first_week() -> None:
    with pytest.raises(DomainError) as refused:
        check_firm_fits({W1: 10, W2: 11, W3: 50}, {W1: 30}, {W1: 40, W2: 10, W3: 10})

    assert refused.value.code == ErrorCode.CAPACITY_EXCEEDED
    assert refused.value.message == "week 2027-W10 would be overbooked: 11 machine-hours firm, 10 listed"
    assert refused.value.field == "bidId"


@pytest.mark.parametrize(
    ("hours", "units", "of_units", "expected"),
    [(100, 1000, 1000, 100), (100, 300, 1000, 30), (100, 1, 1000, 1), (7, 1, 3, 3), (0, 5, 10, 0), (80, 900, 800, 80)],
)
def test_a_part_holds_its_share_of_the_hours_rounded_up(hours: int, units: int, of_units: int, expected: int) -> None:
    assert part_of(hours, units, of_units) == expected
