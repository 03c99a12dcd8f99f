"""PROVISIONAL stand-in for domain/taxes/amounts.py (built by the VAT half of issue 22 in parallel): the same
names and shapes, with every amount treated as "no VAT" (net == gross, vat 0, rate None). The documents are
built against these names only; at merge the import switches to domain.taxes.amounts and this file goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contracts.models import Contract, Milestone


class VatTreatment(StrEnum):
    """How VAT applies to an amount (the stand-in knows only `none`)."""

    none = "none"  # no VAT: the seller is not a VAT payer (simplified system) or the supply is exempt
    included = "included"
    on_top = "on_top"


@dataclass(frozen=True)
class TaxedAmount:
    net: int
    vat: int
    gross: int
    rate: Decimal | None  # None: no VAT
    treatment: VatTreatment

    @classmethod
    def untaxed(cls, amount_minor: int) -> TaxedAmount:
        return cls(net=amount_minor, vat=0, gross=amount_minor, rate=None, treatment=VatTreatment.none)


@dataclass(frozen=True)
class MilestoneAmount:
    milestone_id: UUID
    position: int
    name: str
    amount: TaxedAmount


@dataclass(frozen=True)
class ContractAmounts:
    currency: str
    total: TaxedAmount
    milestones: tuple[MilestoneAmount, ...]
    platform_fee: TaxedAmount
    manufacturer_net: TaxedAmount
    escrow_due: TaxedAmount
    seller_tax_status: str  # the manufacturer's; the stand-in says "unknown"
    buyer_tax_status: str


async def contract_amounts(session: AsyncSession, contract_id: UUID) -> ContractAmounts:
    contract = await session.get(Contract, contract_id)
    if contract is None:
        raise LookupError(contract_id)
    milestones = (
        await session.scalars(
            select(Milestone).where(Milestone.contract_id == contract_id).order_by(Milestone.position)
        )
    ).all()
    return ContractAmounts(
        currency=contract.currency,
        total=TaxedAmount.untaxed(contract.total_minor),
        milestones=tuple(
            MilestoneAmount(m.id, m.position, m.name, TaxedAmount.untaxed(m.amount_minor)) for m in milestones
        ),
        platform_fee=TaxedAmount.untaxed(contract.platform_fee_minor),
        manufacturer_net=TaxedAmount.untaxed(contract.total_minor - contract.platform_fee_minor),
        escrow_due=TaxedAmount.untaxed(contract.total_minor),
        seller_tax_status="unknown",
        buyer_tax_status="unknown",
    )
