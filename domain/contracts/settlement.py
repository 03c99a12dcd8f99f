"""How a dispute's settlement splits escrow: the one rule `resolve` applies and the operator's preview shows.

Pure: milestones in, shares out. The release is taken from the pending milestones in order; each share
carries the fee in proportion to the milestone it comes from (`ledger.rules.fee_for`); what escrow still
holds after the releases goes back to the buyer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit
from domain.ledger import rules as ledger
from domain.money import Money, below_least


@dataclass(frozen=True, slots=True)
class PendingShare:
    """A pending milestone, as far as the split needs it."""

    amount_minor: int
    fee_minor: int


@dataclass(frozen=True, slots=True)
class MilestoneRelease:
    """What one pending milestone gives (its remainder is refunded; lifecycle._settle says which status follows)."""

    amount_minor: int
    fee_minor: int


@dataclass(frozen=True, slots=True)
class Settlement:
    """The split of a contract's escrow: gross to the manufacturer, the platform's fee out of it, the rest back."""

    releases: tuple[MilestoneRelease, ...]
    held_minor: int

    @property
    def released_minor(self) -> int:
        return sum(release.amount_minor for release in self.releases)

    @property
    def fee_minor(self) -> int:
        return sum(release.fee_minor for release in self.releases)

    @property
    def manufacturer_net_minor(self) -> int:
        return self.released_minor - self.fee_minor

    @property
    def buyer_refund_minor(self) -> int:
        return self.held_minor - self.released_minor


def check_release(release: Money | None, *, currency: str, held_minor: int) -> int:
    """The release an operator may settle on: in the contract's currency, at most what escrow holds."""
    if release is None:
        raise InvalidInput("say how much of the escrow goes to the manufacturer", "release", ErrorCode.REQUIRED)
    if release.currency != currency:
        raise InvalidInput(f"the contract is in {currency}", "release.currency", ErrorCode.CURRENCY_MISMATCH)
    if release.minor_units < 0:
        raise below_least(currency, "release.amount", positive=False)
    if release.minor_units > held_minor:
        raise InvalidInput(
            "more than escrow holds",
            "release.amount",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.MONEY, min=0, max=Money(held_minor, currency).amount, currency=currency),
        )
    return release.minor_units


def split(pending: Sequence[PendingShare], *, release_minor: int, held_minor: int) -> Settlement:
    """Release `release_minor` out of the pending milestones in order, each with its proportional fee."""
    left = release_minor
    releases = []
    for share in pending:
        amount = min(left, share.amount_minor)
        fee = ledger.fee_for(amount, share.amount_minor, share.fee_minor)
        releases.append(MilestoneRelease(amount, fee))
        left -= amount
    return Settlement(tuple(releases), held_minor)
