from __future__ import annotations

import strawberry

from api.context import Info
from api.contracts.loaders import ContractByIdLoader
from api.contracts.types import Contract, ContractConnection
from api.enums import ContractStatus
from api.relay import connection, decode_id
from domain.contracts.process import ContractStatus as DomainContractStatus
from domain.contracts.service import list_my_contracts
from domain.errors import DomainError
from domain.pagination import PageRequest


@strawberry.type
class ContractQuery:
    @strawberry.field(description="One contract, if your organisation is a party to it (or you operate).")
    async def contract(self, info: Info, id: strawberry.ID) -> Contract | None:
        try:
            contract_id = decode_id(id, "Contract", "id")
        except DomainError:
            return None
        row = await info.context.loader(ContractByIdLoader).load(contract_id)
        return Contract.from_row(row) if row else None

    @strawberry.field(description="Contracts your organisations are a party to, newest first.")
    async def my_contracts(
        self,
        info: Info,
        statuses: list[ContractStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ContractConnection:
        ctx = info.context
        async with ctx.db() as session:
            page = await list_my_contracts(
                session,
                actor=ctx.actor,
                statuses=[DomainContractStatus(s) for s in statuses or []],
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(ContractConnection, page, Contract.from_row)  # type: ignore[return-value]
