"""The escrow ledger: append-only, double-entry, idempotent. Callers hold the contract's row lock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.ledger.models import LedgerPosting, LedgerTransaction, PaymentInstruction
from domain.ledger.refunds import attribute_refunds
from domain.ledger.rules import Posting, check_balanced, escrow
from domain.payments.models import ProviderPayment, ProviderPaymentStatus
from domain.ports.payments import FundingMethod, FundingSource
from domain.uow import UnitOfWork


class EscrowOverdrawn(RuntimeError):
    """A programming error: escrow may never go below zero."""


async def post(
    uow: UnitOfWork,
    *,
    contract_id: UUID,
    kind: str,
    idempotency_key: str,
    postings: Sequence[Posting],
    provider_reference: str = "",
    source_reference: str = "",
) -> LedgerTransaction | None:
    """Record a balanced transaction once. Returns None when this key was posted before (a replay)."""
    check_balanced(postings)
    existing = await uow.session.scalar(
        select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return None
    transaction = LedgerTransaction(
        contract_id=contract_id,
        kind=kind,
        idempotency_key=idempotency_key,
        provider_reference=provider_reference,
        source_reference=source_reference,
        created_at=uow.now(),
    )
    uow.session.add(transaction)
    await uow.session.flush()
    for posting in postings:
        uow.session.add(
            LedgerPosting(
                transaction_id=transaction.id,
                account=posting.account,
                amount_minor=posting.amount_minor,
                currency=posting.currency,
            )
        )
    await uow.session.flush()
    if await balance(uow.session, escrow(contract_id)) < 0:
        raise EscrowOverdrawn(f"escrow of contract {contract_id} would go negative")
    return transaction


async def funding_sources(session: AsyncSession, contract_id: UUID) -> list[FundingSource]:
    """The payments that paid into the contract's escrow, in the order they were posted (ties, the same instant,
    by id), each with what has gone back through it and what was transferred out of it; refunds from before
    refunds named their payment are counted against the newest payments first."""
    rows = await session.execute(
        select(
            LedgerTransaction.kind,
            LedgerTransaction.idempotency_key,
            LedgerTransaction.provider_reference,
            LedgerTransaction.source_reference,
            LedgerPosting.amount_minor,
        )
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .where(
            LedgerTransaction.contract_id == contract_id,
            LedgerTransaction.kind.in_(["fund", "refund"]),
            LedgerPosting.account == escrow(contract_id),
        )
        .order_by(LedgerTransaction.created_at, LedgerTransaction.id)
    )
    paid: dict[str, tuple[FundingMethod, int]] = {}
    refunded: dict[str, int] = defaultdict(int)
    unattributed = 0
    for kind, key, reference, source, amount in rows:
        if kind == "fund":
            method = FundingMethod.card if key.startswith("stripe:") else FundingMethod.bank_transfer
            previous = paid.get(reference, (method, 0))[1]
            paid[reference] = (method, previous + amount)
        elif source:
            refunded[source] += -amount
        else:
            unattributed += -amount
    transferred = await _transferred_by_source(session, contract_id)
    sources = [
        FundingSource(reference, method, amount, refunded.get(reference, 0), transferred.get(reference, 0))
        for reference, (method, amount) in paid.items()
    ]
    return attribute_refunds(sources, unattributed)


async def _transferred_by_source(session: AsyncSession, contract_id: UUID) -> dict[str, int]:
    """What each card payment of the contract has paid out by Stripe transfers tied to its charge (made or still
    to make; one an operator resolved by hand did not draw on the charge)."""
    rows = await session.execute(
        select(ProviderPayment.funding_reference, func.sum(ProviderPayment.amount_minor))
        .where(
            ProviderPayment.contract_id == contract_id,
            ProviderPayment.kind == "payout",
            ProviderPayment.funding_reference != "",
            ProviderPayment.status != ProviderPaymentStatus.resolved,
        )
        .group_by(ProviderPayment.funding_reference)
    )
    return {reference: int(total) for reference, total in rows}


async def posted(session: AsyncSession, *, idempotency_key: str) -> bool:
    """Whether a transaction with this key is in the ledger."""
    found = await session.scalar(
        select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == idempotency_key)
    )
    return found is not None


async def balance(session: AsyncSession, account: str) -> int:
    return int(
        await session.scalar(
            select(func.coalesce(func.sum(LedgerPosting.amount_minor), 0)).where(LedgerPosting.account == account)
        )
        or 0
    )


async def escrow_balances(session: AsyncSession, contract_ids: Sequence[UUID]) -> dict[UUID, int]:
    accounts = {escrow(contract_id): contract_id for contract_id in contract_ids}
    rows = await session.execute(
        select(LedgerPosting.account, func.sum(LedgerPosting.amount_minor))
        .where(LedgerPosting.account.in_(list(accounts)))
        .group_by(LedgerPosting.account)
    )
    found = {accounts[account]: int(total) for account, total in rows}
    return {contract_id: found.get(contract_id, 0) for contract_id in contract_ids}


async def lines_by_contract_ids(
    session: AsyncSession, contract_ids: Sequence[UUID]
) -> dict[UUID, list[tuple[LedgerTransaction, LedgerPosting]]]:
    rows = await session.execute(
        select(LedgerTransaction, LedgerPosting)
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .where(LedgerTransaction.contract_id.in_(list(contract_ids)))
        .order_by(LedgerTransaction.created_at, LedgerTransaction.id, LedgerPosting.account)
    )
    grouped: dict[UUID, list[tuple[LedgerTransaction, LedgerPosting]]] = defaultdict(list)
    for transaction, posting in rows:
        assert transaction.contract_id is not None
        grouped[transaction.contract_id].append((transaction, posting))
    return grouped


async def instructions_by_contract_ids(
    session: AsyncSession, contract_ids: Sequence[UUID]
) -> dict[UUID, list[PaymentInstruction]]:
    rows = await session.scalars(
        select(PaymentInstruction)
        .where(PaymentInstruction.contract_id.in_(list(contract_ids)))
        .order_by(PaymentInstruction.created_at, PaymentInstruction.id)
    )
    grouped: dict[UUID, list[PaymentInstruction]] = defaultdict(list)
    for row in rows:
        grouped[row.contract_id].append(row)
    return grouped
