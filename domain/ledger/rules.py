"""Pure double-entry rules: account names, balanced postings, and how a price splits into milestones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
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
