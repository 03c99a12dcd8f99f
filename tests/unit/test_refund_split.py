"""Which payments carry a refund (domain/ledger/refunds.py: split_refund, attribute_refunds)."""

from __future__ import annotations

from domain.ledger.refunds import RefundPiece, attribute_refunds, split_refund
from domain.ports.payments import FundingMethod, FundingSource

WIRE = FundingSource("BANK-1", FundingMethod.bank_transfer, 30_000_00)
CARD_A = FundingSource("pi_A", FundingMethod.card, 70_000_00)
CARD_B = FundingSource("pi_B", FundingMethod.card, 50_000_00)


def _split(pieces: list[RefundPiece]) -> list[tuple[str | None, int]]:
    return [(p.source.reference if p.source else None, p.amount_minor) for p in pieces]


def test_everything_goes_back_through_each_payment_for_what_it_paid_newest_first() -> None:
    pieces = split_refund([WIRE, CARD_A, CARD_B], 150_000_00)

    assert _split(pieces) == [("pi_B", 50_000_00), ("pi_A", 70_000_00), ("BANK-1", 30_000_00)]


def test_a_partial_refund_takes_the_newest_payments_and_leaves_the_first() -> None:
    pieces = split_refund([WIRE, CARD_A, CARD_B], 60_000_00)

    assert _split(pieces) == [("pi_B", 50_000_00), ("pi_A", 10_000_00)]


def test_a_payment_is_never_refunded_more_than_it_has_left() -> None:
    partly_refunded = FundingSource("pi_B", FundingMethod.card, 50_000_00, refunded_minor=45_000_00)

    pieces = split_refund([CARD_A, partly_refunded], 20_000_00)

    assert _split(pieces) == [("pi_B", 5_000_00), ("pi_A", 15_000_00)]


def test_the_named_payment_goes_first_whatever_its_age() -> None:
    pieces = split_refund([WIRE, CARD_A, CARD_B], 80_000_00, first="pi_A")

    assert _split(pieces) == [("pi_A", 70_000_00), ("pi_B", 10_000_00)]


def test_what_no_payment_covers_is_left_for_an_operator() -> None:
    pieces = split_refund([CARD_B], 60_000_00)

    assert _split(pieces) == [("pi_B", 50_000_00), (None, 10_000_00)]


def test_nothing_to_refund_is_no_piece() -> None:
    assert split_refund([CARD_A], 0) == []


def test_refunds_that_named_no_payment_count_against_the_newest_first() -> None:
    sources = attribute_refunds([WIRE, CARD_A, CARD_B], 60_000_00)

    assert [(s.reference, s.refunded_minor, s.available_minor) for s in sources] == [
        ("BANK-1", 0, 30_000_00),
        ("pi_A", 10_000_00, 60_000_00),
        ("pi_B", 50_000_00, 0),
    ]
