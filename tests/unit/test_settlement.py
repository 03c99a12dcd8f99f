"""The dispute settlement rule and the payment reference as a bank writes it."""

from __future__ import annotations

import pytest

from domain.contracts.service import normalise_payment_reference
from domain.contracts.settlement import MilestoneRelease, PendingShare, check_release, split
from domain.errors import DomainError
from domain.money import Money

MILESTONES = [PendingShare(45_000_00, 2_250_00), PendingShare(105_000_00, 5_250_00)]


def test_a_release_fills_the_pending_milestones_in_order_with_their_proportional_fee() -> None:
    result = split(MILESTONES, release_minor=120_000_00, held_minor=150_000_00)

    assert result.releases == (
        MilestoneRelease(45_000_00, 2_250_00),
        MilestoneRelease(75_000_00, 3_750_00),
    )
    assert (result.released_minor, result.fee_minor) == (120_000_00, 6_000_00)
    assert (result.manufacturer_net_minor, result.buyer_refund_minor) == (114_000_00, 30_000_00)


def test_nothing_released_refunds_everything_escrow_holds() -> None:
    result = split(MILESTONES[1:], release_minor=0, held_minor=105_000_00)

    assert (result.released_minor, result.fee_minor, result.buyer_refund_minor) == (0, 0, 105_000_00)


@pytest.mark.parametrize(
    ("release", "field"),
    [
        (None, "release"),
        (Money(1, "USD"), "release.currency"),
        (Money(150_000_01, "RUB"), "release.amount"),
        (Money(-1, "RUB"), "release.amount"),
    ],
)
def test_a_release_outside_escrow_is_refused(release: Money | None, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_release(release, currency="RUB", held_minor=150_000_00)

    assert refused.value.field == field


@pytest.mark.parametrize("written", ["CPX-ABCDE-23456", "cpx abcde 23456", " CPXABCDE23456 ", "cpx-abcde-23456"])
def test_a_payment_reference_is_read_as_the_bank_wrote_it(written: str) -> None:
    assert normalise_payment_reference(written) == "CPX-ABCDE-23456"


def test_something_else_is_only_trimmed_and_upper_cased() -> None:
    assert normalise_payment_reference(" inv 42 ") == "INV 42"
