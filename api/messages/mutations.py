from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, result_union
from api.messages.types import AttachmentInput, ContractMessage
from api.relay import decode_id
from domain.messages import service
from domain.uow import UnitOfWork


@strawberry.type
class ContractMessageSuccess:
    contract_message: ContractMessage


PostContractMessageResult = result_union("PostContractMessageResult", ContractMessageSuccess, *ACTION_ERRORS)


@strawberry.type
class MessageMutation:
    @strawberry.mutation(
        description="Write to the other party of a contract (at most 10,000 characters and 10 attachments)."
    )
    async def post_contract_message(
        self,
        info: Info,
        contract_id: strawberry.ID,
        body: str = "",
        attachments: list[AttachmentInput] | None = None,
    ) -> PostContractMessageResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ContractMessageSuccess:
            row = await service.post_message(
                uow,
                actor=ctx.actor,
                contract_id=decode_id(contract_id, "Contract", "contractId"),
                body=body,
                attachments=[a.to_domain() for a in attachments or []],
            )
            return ContractMessageSuccess(contract_message=ContractMessage.from_row(row))

        return await ctx.run(use_case)
