from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.ledger.rules import Posting, UnbalancedTransaction, check_balanced, milestone_plan, platform_fee


def test_the_fee_rounds_half_up_to_the_minor_unit() -> None:
    assert platform_fee(150_000_00, 500) == 7_500_00
    assert platform_fee(1_01, 500) == 5  # 5.05 -> 5
    assert platform_fee(1_10, 500) == 6  # 5.5 -> 6
    assert platform_fee(12_345, 0) == 0


@given(
    total=st.integers(min_value=1, max_value=10**15),
    fee_bps=st.integers(min_value=0, max_value=5000),
    first_pct=st.integers(min_value=0, max_value=100),
)
def test_milestones_always_sum_to_the_total_and_the_fee(total: int, fee_bps: int, first_pct: int) -> None:
    fee = platform_fee(total, fee_bps)
    plan = milestone_plan(total, fee, first_pct)

    assert sum(m.amount_minor for m in plan) == total
    assert sum(m.fee_minor for m in plan) == fee
    assert all(0 <= m.fee_minor <= m.amount_minor for m in plan)
    assert plan[-1].trigger == "accept"


def test_unbalanced_or_empty_postings_are_refused() -> None:
    check_balanced([Posting("a", 100, "RUB"), Posting("b", -100, "RUB")])
    for postings in (
        [],
        [Posting("a", 100, "RUB"), Posting("b", -99, "RUB")],
        [Posting("a", 100, "RUB"), Posting("b", -100, "EUR")],
        [Posting("a", 0, "RUB")],
    ):
        with pytest.raises(UnbalancedTransaction):
            check_balanced(postings)
