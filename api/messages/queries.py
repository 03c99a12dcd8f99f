from __future__ import annotations

import strawberry

from api.context import Info
from api.messages.types import ContractMessage, ContractMessageConnection, MessageAttachmentLimits
from api.relay import connection, decode_id
from domain.messages.rules import attachment_limits
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

    @strawberry.field(
        description="What files sent with one contract message (postContractMessage's `files`) may be: how many, "
        "how large each and all together, of which formats. A client shows these before sending; the API still "
        "decides (FileRejectedError)."
    )
    def message_attachment_limits(self, info: Info) -> MessageAttachmentLimits:
        ctx = info.context
        files = ctx.deps.files
        limits = attachment_limits(files.limits if files is not None else None, ctx.settings.files_max_request_bytes)
        return MessageAttachmentLimits.from_domain(limits)
