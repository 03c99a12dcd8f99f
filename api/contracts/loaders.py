from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.contracts.models import Contract, ContractEvent, Milestone
from domain.contracts.service import (
    contracts_by_bid_ids,
    contracts_by_ids,
    events_by_contract_ids,
    milestones_by_contract_ids,
)
from domain.ledger.models import LedgerPosting, LedgerTransaction, PaymentInstruction
from domain.ledger.service import escrow_balances, instructions_by_contract_ids, lines_by_contract_ids


class ContractByIdLoader(BatchLoader[UUID, Contract | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, Contract]:
        return await contracts_by_ids(session, actor=self.context.actor, ids=keys)


class ContractByBidIdLoader(BatchLoader[UUID, Contract | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, Contract]:
        return await contracts_by_bid_ids(session, actor=self.context.actor, ids=keys)


class ContractEventsByContractIdLoader(BatchLoader[UUID, list[ContractEvent]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[ContractEvent]]:
        return await events_by_contract_ids(session, keys)


class MilestonesByContractIdLoader(BatchLoader[UUID, list[Milestone]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[Milestone]]:
        return await milestones_by_contract_ids(session, keys)


class EscrowBalanceByContractIdLoader(BatchLoader[UUID, int]):
    default = 0

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, int]:
        return await escrow_balances(session, keys)


class LedgerLinesByContractIdLoader(BatchLoader[UUID, list[tuple[LedgerTransaction, LedgerPosting]]]):
    default = list

    async def fetch(
        self, session: AsyncSession, keys: list[UUID]
    ) -> Mapping[UUID, list[tuple[LedgerTransaction, LedgerPosting]]]:
        return await lines_by_contract_ids(session, keys)


class PaymentInstructionsByContractIdLoader(BatchLoader[UUID, list[PaymentInstruction]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[PaymentInstruction]]:
        return await instructions_by_contract_ids(session, keys)
