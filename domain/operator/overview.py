"""The exchange at a glance: a handful of aggregate statements, whatever the exchange's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.contracts.models import Contract
from domain.contracts.process import ContractStatus
from domain.identity.models import User
from domain.ledger.models import InstructionStatus, LedgerPosting, PaymentInstruction
from domain.ledger.rules import PLATFORM_FEES, PLATFORM_VAT
from domain.orders.models import OrderStatus, ProductionOrder
from domain.organisations.models import Organisation
from domain.outbox import OutboxMessage
from domain.planning import inline, inline_in

FAILING_ROWS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class MoneyTotal:
    minor_units: int
    currency: str


@dataclass(frozen=True, slots=True)
class TopicBacklog:
    """One outbox topic (a search index's feed): what waits, since when, and when it last got through."""

    topic: str
    pending: int
    failing: int
    oldest_pending_at: datetime | None
    last_relayed_at: datetime | None


@dataclass(frozen=True, slots=True)
class FailingMessage:
    id: int
    topic: str
    key: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime


@dataclass(frozen=True, slots=True)
class Overview:
    orders_by_status: dict[OrderStatus, int]
    contracts_by_status: dict[ContractStatus, int]
    escrow_held: list[MoneyTotal]
    fees_earned: list[MoneyTotal]
    outbox: list[TopicBacklog]
    failing: list[FailingMessage]
    users: int
    organisations: int
    unverified_organisations: int
    pending_payment_instructions: int


async def exchange_overview(session: AsyncSession, *, actor: Actor) -> Overview:
    """Operators only. Five statements: orders, contracts, money, the outbox by topic, its failing rows
    (and one for the counts)."""
    actor.require_operator()
    orders = dict(
        (await session.execute(select(ProductionOrder.status, func.count()).group_by(ProductionOrder.status))).all()
    )
    contracts = dict((await session.execute(select(Contract.status, func.count()).group_by(Contract.status))).all())
    # The accounts' names in the statement's text (domain/planning.py): planned for a prefix it does not know, the
    # sum sorted every posting on disk (~3x slower at seed scale) where the plan for it hashes them.
    escrow_posting = LedgerPosting.account.like(inline("escrow:%", String()))
    # Fees as the platform takes them, its VAT included (the net and VAT apart: domain/taxes/report.py).
    fee_posting = LedgerPosting.account.in_(inline_in([PLATFORM_FEES, PLATFORM_VAT]))
    money = (
        await session.execute(
            select(
                LedgerPosting.currency,
                func.coalesce(func.sum(LedgerPosting.amount_minor).filter(escrow_posting), 0),
                func.coalesce(func.sum(LedgerPosting.amount_minor).filter(fee_posting), 0),
            )
            .where(or_(escrow_posting, fee_posting))
            .group_by(LedgerPosting.currency)
            .order_by(LedgerPosting.currency)
        )
    ).all()
    pending = OutboxMessage.done_at.is_(None)
    topics = (
        await session.execute(
            select(
                OutboxMessage.topic,
                func.count().filter(pending),
                func.count().filter(pending, OutboxMessage.attempts > 0),
                func.min(OutboxMessage.created_at).filter(pending),
                func.max(OutboxMessage.done_at),
            )
            .group_by(OutboxMessage.topic)
            .order_by(OutboxMessage.topic)
        )
    ).all()
    failing = (
        await session.scalars(
            select(OutboxMessage)
            .where(pending, OutboxMessage.attempts > 0)
            .order_by(OutboxMessage.attempts.desc(), OutboxMessage.id)
            .limit(FAILING_ROWS_SHOWN)
        )
    ).all()
    counts = (
        await session.execute(
            select(
                select(func.count()).select_from(User).scalar_subquery(),
                select(func.count()).select_from(Organisation).scalar_subquery(),
                select(func.count())
                .select_from(Organisation)
                .where(Organisation.verified.is_(False))
                .scalar_subquery(),
                select(func.count())
                .select_from(PaymentInstruction)
                .where(PaymentInstruction.status == InstructionStatus.pending)
                .scalar_subquery(),
            )
        )
    ).one()
    return Overview(
        orders_by_status={status: int(orders.get(status, 0)) for status in OrderStatus},
        contracts_by_status={status: int(contracts.get(status, 0)) for status in ContractStatus},
        escrow_held=[MoneyTotal(int(held), currency) for currency, held, _ in money],
        fees_earned=[MoneyTotal(int(fees), currency) for currency, _, fees in money],
        outbox=[TopicBacklog(topic, n, failed, oldest, last) for topic, n, failed, oldest, last in topics],
        failing=[
            FailingMessage(
                id=row.id or 0,
                topic=row.topic,
                key=row.key,
                attempts=row.attempts,
                last_error=row.last_error,
                created_at=row.created_at,
                next_attempt_at=row.next_attempt_at,
            )
            for row in failing
        ],
        users=int(counts[0]),
        organisations=int(counts[1]),
        unverified_organisations=int(counts[2]),
        pending_payment_instructions=int(counts[3]),
    )
