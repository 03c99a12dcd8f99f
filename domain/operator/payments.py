"""Bank transfers from the operator's side: a contract found by the reference a wire quotes, how far its
funding has got, and the payouts and refunds owed by bank transfer across all contracts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.contracts.models import Contract
from domain.contracts.process import ContractStatus
from domain.contracts.service import normalise_payment_reference
from domain.ledger.models import BankTransfer, InstructionStatus, LedgerPosting, LedgerTransaction, PaymentInstruction
from domain.ledger.rules import escrow
from domain.pagination import Page, PageRequest, SortKey, paginate


@dataclass(frozen=True, slots=True)
class FundingState:
    """A contract's funding: the price, what came in (wires and cards), what is still to come."""

    contract: Contract
    amount_due_minor: int
    received_minor: int
    transfers: list[BankTransfer]

    @property
    def remaining_minor(self) -> int:
        if self.contract.status != ContractStatus.pending_funding:
            return 0
        return max(self.amount_due_minor - self.received_minor, 0)


async def find_by_payment_reference(session: AsyncSession, *, actor: Actor, reference: str) -> FundingState | None:
    """Operators only: the contract a wire's reference names (as the bank wrote it), or None. Three statements."""
    actor.require_operator()
    contract = await session.scalar(
        select(Contract).where(Contract.payment_reference == normalise_payment_reference(reference))
    )
    if contract is None:
        return None
    received = await session.scalar(
        select(func.coalesce(func.sum(LedgerPosting.amount_minor), 0))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .where(
            LedgerTransaction.contract_id == contract.id,
            LedgerTransaction.kind == "fund",
            LedgerPosting.account == escrow(contract.id),
        )
    )
    transfers = await session.scalars(
        select(BankTransfer)
        .where(BankTransfer.contract_id == contract.id)
        .order_by(BankTransfer.received_on, BankTransfer.created_at, BankTransfer.id)
    )
    return FundingState(contract, contract.total_minor, int(received or 0), list(transfers))


OLDEST_FIRST = SortKey(PaymentInstruction.created_at, PaymentInstruction.id)
NEWEST_FIRST = SortKey(PaymentInstruction.created_at, PaymentInstruction.id, descending=True)


async def payment_instructions(
    session: AsyncSession, *, actor: Actor, status: InstructionStatus, page: PageRequest
) -> Page[PaymentInstruction]:
    """Operators only: pending instructions oldest first (the bank's queue), confirmed ones newest first."""
    actor.require_operator()
    sort = OLDEST_FIRST if status == InstructionStatus.pending else NEWEST_FIRST
    return await paginate(session, select(PaymentInstruction).where(PaymentInstruction.status == status), sort, page)
