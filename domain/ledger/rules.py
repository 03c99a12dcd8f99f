"""Pure double-entry rules: account names, balanced postings, and how a price splits into milestones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


def escrow(contract_id: UUID) -> str:
    return f"escrow:{contract_id}"


def buyer_funding(organisation_id: UUID) -> str:
    """Money that came in from the buyer (a negative balance: the outside world's side of the entry)."""
    return f"buyer_funding:{organisation_id}"


def manufacturer_payable(organisation_id: UUID) -> str:
    return f"manufacturer_payable:{organisation_id}"


def buyer_refunds(organisation_id: UUID) -> str:
    return f"buyer_refunds:{organisation_id}"


# A transaction's idempotency key says what it was: a milestone's release, a bank transfer or a card payment in.
_RELEASE = "release:"
_BANK_FUNDING = "bank:"
_CARD_FUNDING = "stripe:"


def release_key(milestone_id: UUID) -> str:
    return f"{_RELEASE}{milestone_id}"


def bank_funding_key(bank_transaction_id: str) -> str:
    return f"{_BANK_FUNDING}{bank_transaction_id}"


def card_funding_key(payment_intent_id: str) -> str:
    return f"{_CARD_FUNDING}{payment_intent_id}"


def released_milestone(idempotency_key: str) -> UUID | None:
    """The milestone a release transaction paid out; None for any other transaction."""
    if not idempotency_key.startswith(_RELEASE):
        return None
    try:
        return UUID(idempotency_key.removeprefix(_RELEASE))
    except ValueError:
        return None


def is_bank_funding(kind: str, idempotency_key: str) -> bool:
    """Money in by a bank transfer an operator recorded: its provider reference is the bank's transaction number."""
    return kind == "fund" and idempotency_key.startswith(_BANK_FUNDING)


def is_card_funding(kind: str, idempotency_key: str) -> bool:
    """Money in by a card payment: its provider reference is the card provider's payment id."""
    return kind == "fund" and idempotency_key.startswith(_CARD_FUNDING)


# A refund's key says what it came from: `refund:<contract>:<step>:<payment it went back through>`, the step being
# the contract's transition that gave escrow back (cancel, operator_cancel, funding_expired, resolve) or a card payment
# that came when it was not wanted (late:<payment>, paid after the contract stopped waiting for money) or more than
# was owed (excess:<payment>); `stripe-refund:<refund>` is a refund made outside the exchange, in the card
# provider's own dashboard, that escrow recorded when the provider told it.
_REFUND = "refund:"
_OUTSIDE_REFUND = "stripe-refund:"


class RefundReason(StrEnum):
    cancelled = "cancelled"
    cancelled_by_operator = "cancelled_by_operator"
    funding_expired = "funding_expired"
    dispute_decided = "dispute_decided"
    late_payment = "late_payment"
    overpayment = "overpayment"
    outside_exchange = "outside_exchange"
    unknown = "unknown"


# The contract transition behind each reason that has one: the audit event that decided the refund.
_STEP_REASONS = {
    "cancel": RefundReason.cancelled,
    "operator_cancel": RefundReason.cancelled_by_operator,
    "funding_expired": RefundReason.funding_expired,
    "resolve": RefundReason.dispute_decided,
}
_PAYMENT_REASONS = {"late": RefundReason.late_payment, "excess": RefundReason.overpayment}


@dataclass(frozen=True, slots=True)
class RefundOrigin:
    reason: RefundReason
    # The contract's transition that decided it (its audit event), or None: a payment's own refund, one made
    # outside the exchange, or a key this code does not know.
    transition: str | None = None
    # A late or excess card payment: the payment that was given back.
    payment: str | None = None


def refund_key(contract_id: UUID, step: str, through: str) -> str:
    """A refund's idempotency key: which contract, the step that gave the money back, the payment it goes through."""
    return f"{_REFUND}{contract_id}:{step}:{through}"


def outside_refund_key(refund_id: str) -> str:
    return f"{_OUTSIDE_REFUND}{refund_id}"


def refund_origin(kind: str, idempotency_key: str) -> RefundOrigin | None:
    """What a refund came from, read from its key; None for any other transaction."""
    if kind != "refund":
        return None
    if idempotency_key.startswith(_OUTSIDE_REFUND):
        return RefundOrigin(RefundReason.outside_exchange)
    if not idempotency_key.startswith(_REFUND):
        return RefundOrigin(RefundReason.unknown)
    # After the contract's id (a UUID: no colon in it), the step; a payment's step carries that payment.
    _, _, rest = idempotency_key.removeprefix(_REFUND).partition(":")
    step, _, after = rest.partition(":")
    if step in _STEP_REASONS:
        return RefundOrigin(_STEP_REASONS[step], transition=step)
    if step in _PAYMENT_REASONS:
        return RefundOrigin(_PAYMENT_REASONS[step], payment=after.partition(":")[0] or None)
    return RefundOrigin(RefundReason.unknown)


PLATFORM_FEES = "platform_fees"  # the platform's fees earned, net of VAT
# The VAT the platform charged on its fees and owes the tax office (a liability, like the fees' own account).
PLATFORM_VAT = "platform_vat_payable"


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount_minor: int
    currency: str


class UnbalancedTransaction(ValueError):
    """A programming error: the ledger never accepts postings that do not sum to zero."""


def check_balanced(postings: Sequence[Posting]) -> None:
    if not postings:
        raise UnbalancedTransaction("a transaction needs postings")
    sums: dict[str, int] = defaultdict(int)
    for posting in postings:
        if posting.amount_minor == 0:
            raise UnbalancedTransaction(f"zero posting on {posting.account}")
        sums[posting.currency] += posting.amount_minor
    if any(total != 0 for total in sums.values()):
        raise UnbalancedTransaction(f"postings do not sum to zero: {dict(sums)}")


def platform_fee(total_minor: int, fee_bps: int) -> int:
    """The platform's fee on a contract total, rounded half up to the minor unit."""
    return (total_minor * fee_bps + 5_000) // 10_000


@dataclass(frozen=True, slots=True)
class MilestoneShare:
    position: int
    name: str
    trigger: str
    amount_minor: int
    fee_minor: int


def milestone_plan(total_minor: int, fee_minor: int, first_article_pct: int) -> list[MilestoneShare]:
    """First-article share, then the rest on acceptance; the fee splits in the same proportion and the
    last milestone takes the rounding remainder, so the shares sum exactly to the total and the fee."""
    first = total_minor * first_article_pct // 100
    first_fee = fee_minor * first_article_pct // 100
    shares = []
    if first > 0:
        shares.append(MilestoneShare(1, "first_article", "approve_first_article", first, first_fee))
    else:
        first, first_fee = 0, 0
    shares.append(MilestoneShare(2, "acceptance", "accept", total_minor - first, fee_minor - first_fee))
    return shares


def fee_for(amount_minor: int, milestone_amount: int, milestone_fee: int) -> int:
    """The fee on releasing `amount_minor` out of a milestone (proportional, rounded down)."""
    if milestone_amount == 0:
        return 0
    return milestone_fee * amount_minor // milestone_amount
