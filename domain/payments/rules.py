"""Pure decisions about paying escrow: who is offered card payment, what to do with a contract's earlier
payment intent when the buyer starts funding again (reload, second tab, retry after a decline), and which payments
a refund goes back through and which card charges a payout is transferred from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.actor import Actor
from domain.payments.provider import CardPaymentSettings, FundingIntent, FundingMethod, FundingSource

# Stripe's PaymentIntent statuses in which no money has moved and the buyer may still (re)try a card.
OPEN_INTENT_STATUSES = frozenset({"requires_payment_method", "requires_confirmation", "requires_action"})
# Money is moving or has moved: its webhook will fund the contract (or has).
PAYING_INTENT_STATUSES = frozenset({"processing", "requires_capture", "succeeded"})


def card_payment_for(
    actor: Actor, *, buyer_organisation_id: UUID, settings: CardPaymentSettings | None
) -> CardPaymentSettings | None:
    """Card payment is offered to the buyer's members only (they fund escrow), and only when cards are on."""
    if settings is None or not actor.is_member(buyer_organisation_id):
        return None
    return settings


class IntentDecision(StrEnum):
    create = "create"  # no earlier intent, or one that can no longer be paid (canceled, or paid and posted)
    reuse = "reuse"  # the same intent again: a second fundContract never opens a second charge
    replace = "replace"  # an open intent for a different amount (escrow received money meanwhile): cancel it first
    paying = "paying"  # the earlier intent is being paid and not yet posted: refuse, or the buyer pays twice


def funding_intent_decision(previous: FundingIntent | None, *, amount_due_minor: int, posted: bool) -> IntentDecision:
    """`posted`: the earlier intent's payment is already in the ledger."""
    if previous is None:
        return IntentDecision.create
    if previous.status in OPEN_INTENT_STATUSES:
        return IntentDecision.reuse if previous.amount_minor == amount_due_minor else IntentDecision.replace
    if previous.status in PAYING_INTENT_STATUSES and not posted:
        return IntentDecision.paying
    return IntentDecision.create


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


@dataclass(frozen=True, slots=True)
class PayoutPiece:
    """Part of a payout, transferred out of one card payment's charge (None: no card money left to carry it, an
    operator wires it)."""

    source: FundingSource | None
    amount_minor: int


def split_payout(sources: Sequence[FundingSource], amount_minor: int) -> list[PayoutPiece]:
    """Which card payments carry a payout of `amount_minor`: `sources` in the order they were posted, the oldest
    first (a release is counted as coming from the earliest money; refunds take the newest first), each at most
    what is left of it after its refunds and earlier transfers — a Stripe transfer tied to a charge
    (`source_transaction`) may not exceed what the charge has available, and our own rule keeps the charge's
    transfers and refunds together within what it paid. Wired payments are not in the Stripe balance and carry
    nothing; what the card payments cannot carry is a piece without a source, for an operator to wire."""
    pieces = []
    left = amount_minor
    for source in sources:
        if left <= 0:
            break
        if source.method != FundingMethod.card:
            continue
        take = min(left, source.available_minor)
        if take > 0:
            pieces.append(PayoutPiece(source, take))
            left -= take
    if left > 0:
        pieces.append(PayoutPiece(None, left))
    return pieces
