"""Which payments into escrow carry a refund: newest first, each at most what it paid in and has not had back.

Escrow's rule (the ledger knows the payments, domain/ports/payments.py describes them); the contract lifecycle and
the ledger's reads both ask it, so it lives below both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.ports.payments import FundingSource


@dataclass(frozen=True, slots=True)
class RefundPiece:
    """Part of a refund, going back through one payment (None: no payment left to carry it, an operator wires it)."""

    source: FundingSource | None
    amount_minor: int


def split_refund(sources: Sequence[FundingSource], amount_minor: int, *, first: str | None = None) -> list[RefundPiece]:
    """Which payments carry a refund of `amount_minor`: `sources` in the order they were posted, each refunded at
    most what it paid in and has neither had back yet nor transferred to the manufacturer, the newest first —
    after the payment named `first` (a late or excess payment goes back through itself).

    Newest first because what escrow released to the manufacturer is counted as coming from the earliest money
    (the buyer's first payment is the commitment, top-ups come after), because a card can be refunded only for a
    limited time after its charge (the newest has the longest left), and because an excess or late payment is
    the newest. Should the payments not cover the amount (they always do: escrow only ever holds what they paid
    in, less the gross of its releases, and a release transfers only its net), the rest is a piece without a
    source, for an operator."""
    order = [s for _, s in sorted(enumerate(sources), key=lambda pair: (pair[1].reference != first, -pair[0]))]
    pieces = []
    left = amount_minor
    for source in order:
        if left <= 0:
            break
        take = min(left, source.available_minor)
        if take > 0:
            pieces.append(RefundPiece(source, take))
            left -= take
    if left > 0:
        pieces.append(RefundPiece(None, left))
    return pieces


def attribute_refunds(sources: Sequence[FundingSource], unattributed_minor: int) -> list[FundingSource]:
    """Refunds recorded before refunds named their payment (and none else) counted against the newest payments
    first, as `split_refund` would have taken them."""
    pieces = split_refund(sources, unattributed_minor) if unattributed_minor > 0 else []
    taken = {piece.source.reference: piece.amount_minor for piece in pieces if piece.source is not None}
    return [
        FundingSource(
            s.reference, s.method, s.paid_minor, s.refunded_minor + taken.get(s.reference, 0), s.transferred_minor
        )
        for s in sources
    ]
