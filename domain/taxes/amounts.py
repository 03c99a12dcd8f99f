"""Every amount a person sees as net + VAT = gross, for bids and contracts.

The stored amounts (bid and contract totals, milestone amounts, fees, escrow) are gross: what the buyer pays.
The VAT in them was fixed when the bid was placed (the seller's rate, per line) and when the contract was
awarded (the platform's rate on its fee); this module only divides what is stored, by the rules of
`domain.taxes.rounding`, so the same contract always shows the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from domain.contracts.models import Contract
from domain.ledger.rules import milestone_plan, platform_fee
from domain.taxes.models import TaxStatus
from domain.taxes.rounding import apportion_vat, vat_included
from domain.taxes.rules import VatTreatment

__all__ = ["ContractAmounts", "TaxedAmount", "VatTreatment", "contract_amounts_of"]


class FeePolicy(Protocol):
    """What a fee plan reads of the contract policy (domain/contracts/policy.py)."""

    @property
    def platform_fee_bps(self) -> int: ...

    @property
    def first_article_share_pct(self) -> int: ...


@dataclass(frozen=True)
class TaxedAmount:
    """An amount in minor units: net + vat == gross, always. `rate` is the percentage, None for no VAT."""

    net: int
    vat: int
    gross: int
    rate: Decimal | None
    treatment: VatTreatment

    def __post_init__(self) -> None:
        if self.net + self.vat != self.gross:
            raise ValueError(f"net {self.net} + vat {self.vat} != gross {self.gross}")

    @classmethod
    def of_gross(cls, gross: int, vat: int, rate: Decimal | None, treatment: VatTreatment) -> TaxedAmount:
        return cls(gross - vat, vat, gross, rate, treatment)

    @classmethod
    def included(cls, gross: int, rate: Decimal | None, treatment: VatTreatment) -> TaxedAmount:
        """One line: its VAT rounded on its own."""
        return cls.of_gross(gross, vat_included(gross, rate), rate, treatment)


@dataclass(frozen=True)
class ContractAmounts:
    """What a contract's parties see: the seller's price with its VAT, the platform's fee with the platform's
    VAT, what reaches the manufacturer (its own VAT included), and what escrow still waits for."""

    total: TaxedAmount
    milestones: tuple[TaxedAmount, ...]  # by position; their net, VAT and gross each sum to the total's
    platform_fee: TaxedAmount
    manufacturer_net: TaxedAmount
    escrow_due: TaxedAmount
    seller_tax_status: TaxStatus
    buyer_tax_status: TaxStatus
    currency: str
    milestone_fees: tuple[TaxedAmount, ...] = ()  # the platform's fee per milestone, as the ledger posts it


@dataclass(frozen=True, slots=True)
class ContractTaxTerms:
    """What a contract row stores about VAT (fixed at award)."""

    total_minor: int
    vat_minor: int
    vat_rate: Decimal | None
    vat_treatment: VatTreatment
    fee_vat_rate: Decimal | None


def fee_treatment(rate: Decimal | None) -> VatTreatment:
    # Contracts awarded before VAT was recorded carry no fee rate: their fee shows without VAT.
    return VatTreatment.VAT if rate is not None else VatTreatment.NOT_STATED


def fee_amount(fee_minor: int, fee_vat_rate: Decimal | None) -> TaxedAmount:
    """A fee line (a milestone's, or the part of it a settlement releases): the platform's VAT included."""
    return TaxedAmount.included(fee_minor, fee_vat_rate, fee_treatment(fee_vat_rate))


def fee_of_lines(fees_minor: Sequence[int], fee_vat_rate: Decimal | None) -> TaxedAmount:
    """The platform's fee over its lines (one per milestone), each line's VAT rounded on its own."""
    lines = [fee_amount(fee, fee_vat_rate) for fee in fees_minor]
    return TaxedAmount(
        sum(line.net for line in lines),
        sum(line.vat for line in lines),
        sum(line.gross for line in lines),
        fee_vat_rate,
        fee_treatment(fee_vat_rate),
    )


def planned_fee(total_minor: int, policy: FeePolicy, fee_vat_rate: Decimal | None) -> TaxedAmount:
    """The fee a bid would carry as a contract: over the milestones the award would make, as the contract shows."""
    fee = platform_fee(total_minor, policy.platform_fee_bps)
    shares = milestone_plan(total_minor, fee, policy.first_article_share_pct)
    return fee_of_lines([share.fee_minor for share in shares], fee_vat_rate)


def milestone_amounts(terms: ContractTaxTerms, amounts_minor: Sequence[int]) -> list[TaxedAmount]:
    vats = apportion_vat(terms.vat_minor, amounts_minor, terms.vat_rate)
    return [
        TaxedAmount.of_gross(amount, vat, terms.vat_rate, terms.vat_treatment)
        for amount, vat in zip(amounts_minor, vats, strict=True)
    ]


def manufacturer_net(total: TaxedAmount, fee: TaxedAmount) -> TaxedAmount:
    """What the manufacturer receives: the price less the platform's fee. The VAT in it is the seller's own
    VAT on the whole sale (the fee does not reduce what it owes), so vat = the total's VAT."""
    return TaxedAmount.of_gross(total.gross - fee.gross, total.vat, total.rate, total.treatment)


def due_amount(total: TaxedAmount, held_minor: int, *, awaiting_funding: bool) -> TaxedAmount:
    """What escrow still waits for: while the contract awaits funding, the whole price or (part paid) the rest with
    its VAT as one line; nothing once it is funded (or cancelled)."""
    due = max(total.gross - held_minor, 0) if awaiting_funding else 0
    if due == total.gross:
        return total
    return TaxedAmount.included(due, total.rate, total.treatment)


def contract_amounts_of(
    terms: ContractTaxTerms,
    *,
    milestones: Sequence[tuple[int, int]],
    held_minor: int,
    awaiting_funding: bool,
    currency: str,
    seller_tax_status: TaxStatus,
    buyer_tax_status: TaxStatus,
) -> ContractAmounts:
    """Pure: the contract's stored terms, its milestones' (amount, fee) by position and what escrow holds."""
    total = TaxedAmount.of_gross(terms.total_minor, terms.vat_minor, terms.vat_rate, terms.vat_treatment)
    shares = milestone_amounts(terms, [amount for amount, _ in milestones])
    fees = [fee_amount(fee, terms.fee_vat_rate) for _, fee in milestones]
    fee_total = fee_of_lines([fee for _, fee in milestones], terms.fee_vat_rate)
    return ContractAmounts(
        total=total,
        milestones=tuple(shares),
        platform_fee=fee_total,
        manufacturer_net=manufacturer_net(total, fee_total),
        escrow_due=due_amount(total, held_minor, awaiting_funding=awaiting_funding),
        seller_tax_status=seller_tax_status,
        buyer_tax_status=buyer_tax_status,
        currency=currency,
        milestone_fees=tuple(fees),
    )


def terms_of(contract: Contract) -> ContractTaxTerms:
    """The VAT terms stored on a contract row."""
    return ContractTaxTerms(
        total_minor=contract.total_minor,
        vat_minor=contract.vat_minor,
        vat_rate=contract.vat_rate,
        vat_treatment=VatTreatment(contract.vat_treatment),
        fee_vat_rate=contract.fee_vat_rate,
    )
