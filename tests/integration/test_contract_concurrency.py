"""50 concurrent attempts at the same step: exactly one succeeds and the money moves once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from api.context import AppDeps
from domain.actor import Actor
from domain.contracts import lifecycle
from domain.contracts.models import ContractEvent
from domain.errors import DomainError, ErrorCode
from domain.ledger.models import LedgerTransaction, PaymentInstruction
from domain.organisations.models import OrganisationKind
from tests.clock import FakeClock
from tests.integration.factories import Market


async def test_fifty_concurrent_accepts_release_escrow_once(market: Market, clock: FakeClock, deps: AppDeps) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    contract = await market.funded_contract(buyer, maker, deps.payments)
    steps: list[tuple[Actor, str, dict[str, Any]]] = [
        (maker, "start_production", {}),
        (maker, "ship", {"tracking_reference": "TRK-1"}),
        (buyer, "confirm_delivery", {}),
    ]
    for actor, name, extra in steps:
        async with market.uow() as uow:
            await lifecycle.take_step(
                uow, actor=actor, contract_id=contract.id, transition=name, payments=deps.payments, **extra
            )
    clock.advance(timedelta(hours=1))

    async def accept() -> ErrorCode | None:
        async with market.uow() as uow:
            try:
                await lifecycle.take_step(
                    uow, actor=buyer, contract_id=contract.id, transition="accept", payments=deps.payments
                )
            except DomainError as error:
                return error.code
            return None

    outcomes = await asyncio.gather(*(accept() for _ in range(50)))

    assert outcomes.count(None) == 1
    assert set(outcomes) - {None} == {ErrorCode.INVALID_TRANSITION}
    async with market.uow() as uow:
        session = uow.session
        accepts = await session.scalar(
            select(func.count()).select_from(ContractEvent).where(ContractEvent.transition == "accept")
        )
        releases = await session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.kind == "release")
        )
        payouts = await session.scalar(select(func.count()).select_from(PaymentInstruction))
    # Two milestones (first article, acceptance) were both pending: one accept releases both, once.
    assert (accepts, releases, payouts) == (1, 2, 2)
