"""Which card charges carry a payout (domain/payments/rules.py: split_payout), and what that leaves to refund."""

from __future__ import annotations

from domain.ledger.refunds import split_refund
from domain.payments.rules import PayoutPiece, split_payout
from domain.ports.payments import FundingMethod, FundingSource

WIRE = FundingSource("BANK-1", FundingMethod.bank_transfer, 30_000_00)
CARD_A = FundingSource("pi_A", FundingMethod.card, 30_000_00)
CARD_B = FundingSource("pi_B", FundingMethod.card, 120_000_00)


def _split(pieces: list[PayoutPiece]) -> list[tuple[str | None, int]]:
    return [(p.source.reference if p.source else None, p.amount_minor) for p in pieces]


def test_a_payout_takes_the_oldest_charge_first_then_the_next() -> None:
    assert _split(split_payout([CARD_A, CARD_B], 42_750_00)) == [("pi_A", 30_000_00), ("pi_B", 12_750_00)]


def test_a_charge_carries_only_what_its_refunds_and_earlier_transfers_left() -> None:
    used = FundingSource("pi_A", FundingMethod.card, 30_000_00, refunded_minor=10_000_00, transferred_minor=15_000_00)

    assert _split(split_payout([used, CARD_B], 20_000_00)) == [("pi_A", 5_000_00), ("pi_B", 15_000_00)]


def test_wired_money_carries_no_transfer_and_what_the_cards_cannot_carry_is_wired() -> None:
    assert _split(split_payout([WIRE, CARD_A], 50_000_00)) == [("pi_A", 30_000_00), (None, 20_000_00)]
    assert _split(split_payout([WIRE], 10_000_00)) == [(None, 10_000_00)]


def test_a_refund_never_takes_what_a_charge_transferred_out() -> None:
    transferred = FundingSource("pi_B", FundingMethod.card, 120_000_00, transferred_minor=100_000_00)

    pieces = split_refund([CARD_A, transferred], 40_000_00)

    assert [(p.source.reference if p.source else None, p.amount_minor) for p in pieces] == [
        ("pi_B", 20_000_00),
        ("pi_A", 20_000_00),
    ]
