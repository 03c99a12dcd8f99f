from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from api.context import Info
from api.errors import ACTION_ERRORS, FileRejectedError, StorageUnavailableError, result_union
from api.files.mutations import read_upload
from api.messages.types import AttachmentInput, ContractMessage
from api.relay import decode_id
from domain.files.service import issue_attachment_download
from domain.messages import service
from domain.uow import UnitOfWork


@strawberry.type
class ContractMessageSuccess:
    contract_message: ContractMessage


PostContractMessageResult = result_union(
    "PostContractMessageResult", ContractMessageSuccess, *ACTION_ERRORS, FileRejectedError, StorageUnavailableError
)


@strawberry.type
class AttachmentDownloadSuccess:
    url: str = strawberry.field(
        description="GET it before expiresAt: a path on this API (/files/download/…) or an object storage URL."
    )
    expires_at: datetime
    name: str


RequestMessageAttachmentDownloadResult = result_union(
    "RequestMessageAttachmentDownloadResult", AttachmentDownloadSuccess, *ACTION_ERRORS, StorageUnavailableError
)


@strawberry.type
class MessageMutation:
    @strawberry.mutation(
        description="Write to the other party of a contract (at most 10,000 characters and 10 attachments). `files` "
        "(a GraphQL multipart request) are stored and attached: PDF, STEP, IGES, STL, DXF, PNG or JPEG, read from "
        "their content; archives are refused."
    )
    async def post_contract_message(
        self,
        info: Info,
        contract_id: strawberry.ID,
        body: str = "",
        attachments: list[AttachmentInput] | None = None,
        files: list[Upload] | None = None,
    ) -> PostContractMessageResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ContractMessageSuccess:
            storage = ctx.deps.files
            limit = storage.limits.max_file_bytes if storage is not None else 0
            uploaded = [
                (getattr(f, "filename", None) or "", await read_upload(f, limit, f"files.{i}"))
                for i, f in enumerate(files or [])
            ]
            row = await service.post_message(
                uow,
                actor=ctx.actor,
                contract_id=decode_id(contract_id, "Contract", "contractId"),
                body=body,
                attachments=[a.to_domain() for a in attachments or []],
                files=uploaded,
                storage=storage,
            )
            return ContractMessageSuccess(contract_message=ContractMessage.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="A short-lived URL to download a file attached to a contract message (`index` in its "
        "attachments; stored ones only): the contract's parties and operators. Every URL issued is recorded."
    )
    async def request_message_attachment_download(
        self, info: Info, message_id: strawberry.ID, index: int
    ) -> RequestMessageAttachmentDownloadResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AttachmentDownloadSuccess:
            if ctx.deps.files is None:
                raise RuntimeError("file storage is not configured")
            issued = await issue_attachment_download(
                uow,
                files=ctx.deps.files,
                actor=ctx.actor,
                message_id=decode_id(message_id, "ContractMessage", "messageId"),
                index=index,
            )
            return AttachmentDownloadSuccess(url=issued.url, expires_at=issued.expires_at, name=issued.name)

        return await ctx.run(use_case)
