from __future__ import annotations

from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.ledger import rules
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


def test_a_refunds_key_says_what_it_came_from() -> None:
    contract = uuid4()
    origin = rules.refund_origin
    reason = rules.RefundReason
    # A contract's step that gave escrow back, whatever payment (a bank transaction's number may hold colons) it took.
    assert origin("refund", rules.refund_key(contract, "resolve", "ПП: 4711")) == rules.RefundOrigin(
        reason.dispute_decided, transition="resolve"
    )
    assert origin("refund", rules.refund_key(contract, "cancel", "pi_1")) == rules.RefundOrigin(
        reason.cancelled, transition="cancel"
    )
    by_operator = origin("refund", rules.refund_key(contract, "operator_cancel", "unattributed"))
    assert by_operator == rules.RefundOrigin(reason.cancelled_by_operator, transition="operator_cancel")
    assert origin("refund", rules.refund_key(contract, "funding_expired", "pi_1")) == rules.RefundOrigin(
        reason.funding_expired, transition="funding_expired"
    )
    # A card payment given back: late or the excess of it, naming the payment.
    assert origin("refund", rules.refund_key(contract, "late:pi_9", "pi_9")) == rules.RefundOrigin(
        reason.late_payment, payment="pi_9"
    )
    assert origin("refund", rules.refund_key(contract, "excess:pi_8", "pi_8")) == rules.RefundOrigin(
        reason.overpayment, payment="pi_8"
    )
    # Made in the card provider's dashboard; and keys this code does not know.
    assert origin("refund", rules.outside_refund_key("re_1")) == rules.RefundOrigin(reason.outside_exchange)
    assert origin("refund", f"refund:{contract}:reopen:pi_1") == rules.RefundOrigin(reason.unknown)
    assert origin("refund", "something-else") == rules.RefundOrigin(reason.unknown)
    # Not a refund at all.
    assert origin("fund", rules.refund_key(contract, "cancel", "pi_1")) is None
    assert origin("release", rules.release_key(uuid4())) is None
