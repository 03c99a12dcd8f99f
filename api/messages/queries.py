from __future__ import annotations

import strawberry

from api.context import Info
from api.messages.types import ContractMessage, ContractMessageConnection
from api.relay import connection, decode_id
from domain.messages.service import list_messages
from domain.pagination import PageRequest


@strawberry.type
class MessageQuery:
    @strawberry.field(description="The messages on a contract, oldest first: its two parties and operators only.")
    async def contract_messages(
        self, info: Info, contract_id: strawberry.ID, first: int = 50, after: str | None = None
    ) -> ContractMessageConnection:
        ctx = info.context
        async with ctx.db() as session:
            page = await list_messages(
                session,
                actor=ctx.actor,
                contract_id=decode_id(contract_id, "Contract", "contractId"),
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(ContractMessageConnection, page, ContractMessage.from_row)  # type: ignore[return-value]
