"""Disputes from the operator's side: the disputed contracts, and what a settlement would do before it is made."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.contracts import process, settlement
from domain.contracts.models import Contract, Milestone, MilestoneStatus
from domain.contracts.process import ContractStatus, Party
from domain.errors import NotFound
from domain.ledger import rules as ledger
from domain.ledger import service as ledger_service
from domain.money import Money
from domain.pagination import Page, PageRequest, SortKey, paginate

# The longest-waiting dispute first: disputes are settled in the order they came.
LONGEST_WAITING = SortKey(Contract.updated_at, Contract.id)


async def disputed_contracts(session: AsyncSession, *, actor: Actor, page: PageRequest) -> Page[Contract]:
    actor.require_operator()
    stmt = select(Contract).where(Contract.status == ContractStatus.disputed)
    return await paginate(session, stmt, LONGEST_WAITING, page)


async def preview_settlement(
    session: AsyncSession, *, actor: Actor, contract_id: UUID, release: Money, now: datetime
) -> tuple[Contract, settlement.Settlement]:
    """What `resolve` with this release would move, refused exactly as `resolve` would refuse it."""
    actor.require_operator()
    contract = await session.get(Contract, contract_id)
    if contract is None:
        raise NotFound("contract", "contractId")
    # In resolve's order: the release is checked, then the lifecycle decides.
    held = await ledger_service.balance(session, ledger.escrow(contract.id))
    release_minor = settlement.check_release(release, currency=contract.currency, held_minor=held)
    process.apply(contract.status, "resolve", Party.operator, now, passed=frozenset())  # resolve enters no review
    pending = await session.scalars(
        select(Milestone)
        .where(Milestone.contract_id == contract.id, Milestone.status == MilestoneStatus.pending)
        .order_by(Milestone.position)
    )
    shares = [settlement.PendingShare(m.amount_minor, m.fee_minor) for m in pending]
    return contract, settlement.split(shares, release_minor=release_minor, held_minor=held)
