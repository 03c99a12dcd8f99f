"""Pure decisions about paying escrow: who is offered card payment, what to do with a contract's earlier
payment intent when the buyer starts funding again (reload, second tab, retry after a decline), which card
charges a payout is transferred from, and what names a transfer an operator made at the bank. Which payments a
refund goes back through is escrow's question: domain/ledger/refunds.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.actor import Actor
from domain.errors import InvalidInput
from domain.ports.payments import CardPaymentSettings, FundingIntent, FundingMethod, FundingSource
from domain.text import check_text

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
    # An open intent for a different amount (escrow received money meanwhile): cancel it first. (The member shadows
    # str.replace, which nothing calls on a decision.)
    replace = "replace"  # type: ignore[assignment]
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


# The reference the operator's bank gave an outgoing transfer (the payment order's number, «п/п № 1842 от
# 06.12.2026», or a SWIFT reference): as typed, bounded like a wire's bank transaction id.
BANK_REFERENCE_MAX = 100


def check_bank_reference(value: str) -> str:
    """The reference trimmed; refused when empty, longer than BANK_REFERENCE_MAX or without a letter or digit
    (a «№» or a dash names no transfer)."""
    reference = check_text(value, "bankReference", max_length=BANK_REFERENCE_MAX)
    if not any(char.isalnum() for char in reference):
        raise InvalidInput("give the number or reference the bank gave the transfer", "bankReference")
    return reference
