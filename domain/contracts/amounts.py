"""A contract's amounts as its parties and its documents show them: net + VAT + gross, read from the contract's
stored VAT terms (domain/taxes/amounts.py divides them), its milestones and what escrow holds."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contracts.models import Contract, Milestone
from domain.contracts.process import ContractStatus
from domain.errors import NotFound
from domain.ledger import service as ledger
from domain.ledger.rules import escrow
from domain.organisations.models import Organisation
from domain.taxes.amounts import ContractAmounts, contract_amounts_of, terms_of
from domain.taxes.models import TaxStatus


async def contract_amounts(session: AsyncSession, contract_id: UUID) -> ContractAmounts:
    """A contract's amounts, net + VAT + gross, as its parties and its documents show them."""
    contract = await session.get(Contract, contract_id)
    if contract is None:
        raise NotFound("contract", "contractId")
    rows = await session.execute(
        select(Milestone.amount_minor, Milestone.fee_minor)
        .where(Milestone.contract_id == contract_id)
        .order_by(Milestone.position)
    )
    statuses = dict(
        (
            await session.execute(
                select(Organisation.id, Organisation.tax_status).where(
                    Organisation.id.in_([contract.buyer_organisation_id, contract.manufacturer_organisation_id])
                )
            )
        ).all()
    )
    return contract_amounts_of(
        terms_of(contract),
        milestones=[(amount, fee) for amount, fee in rows],
        held_minor=await ledger.balance(session, escrow(contract_id)),
        awaiting_funding=contract.status == ContractStatus.pending_funding,
        currency=contract.currency,
        seller_tax_status=TaxStatus(statuses[contract.manufacturer_organisation_id]),
        buyer_tax_status=TaxStatus(statuses[contract.buyer_organisation_id]),
    )
