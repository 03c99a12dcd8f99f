from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.contracts.models import Contract, ContractEvent
from domain.contracts.service import contracts_by_bid_ids, contracts_by_ids, events_by_contract_ids


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
