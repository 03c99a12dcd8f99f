from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from api.context import Info
from api.contracts.types import Contract
from api.documents.types import ContractDocument, DocumentAccess, DocumentLanguage, DocumentSignature
from api.errors import ACTION_ERRORS, FileRejectedError, StorageUnavailableError, result_union
from api.files.mutations import read_upload
from api.relay import decode_id
from domain.documents import service
from domain.documents.models import ContractDocument as ContractDocumentRow
from domain.documents.models import DocumentLanguage as DomainDocumentLanguage
from domain.documents.rules import MAX_SIGNATURE_BYTES
from domain.uow import UnitOfWork


@strawberry.type
class RequestContractDocumentCopySuccess:
    contract: Contract
    language: DocumentLanguage


RequestContractDocumentCopyResult = result_union(
    "RequestContractDocumentCopyResult", RequestContractDocumentCopySuccess, *ACTION_ERRORS
)


@strawberry.input(description="A detached signature file (.sig/.p7s, CMS) for a document (GraphQL multipart request).")
class AttachDocumentSignatureInput:
    document_id: strawberry.ID
    file: Upload


@strawberry.type
class AttachDocumentSignatureSuccess:
    document: ContractDocument
    signature: DocumentSignature


AttachDocumentSignatureResult = result_union(
    "AttachDocumentSignatureResult",
    AttachDocumentSignatureSuccess,
    *ACTION_ERRORS,
    FileRejectedError,
    StorageUnavailableError,
)


@strawberry.type
class ContractDocumentDownloadSuccess:
    url: str = strawberry.field(
        description="GET it before expiresAt. A path (/files/download/…) is on this API's own origin; otherwise a "
        "storage's presigned URL."
    )
    expires_at: datetime
    document: ContractDocument
    access: DocumentAccess = strawberry.field(description="The audit line this download wrote.")


ContractDocumentDownloadResult = result_union(
    "ContractDocumentDownloadResult", ContractDocumentDownloadSuccess, *ACTION_ERRORS, StorageUnavailableError
)


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="A short-lived link to download a contract document (or, with signatureId, one of its detached "
        "signatures), for its parties and operators only. Every link issued is audited (ContractDocument.accessLog); "
        "anyone else is refused with NOT_FOUND and nothing is recorded."
    )
    async def request_contract_document_download(
        self, info: Info, document_id: strawberry.ID, signature_id: strawberry.ID | None = None
    ) -> ContractDocumentDownloadResult:  # type: ignore[valid-type]
        ctx = info.context
        files = ctx.deps.files
        if files is None:
            raise RuntimeError("file storage is not configured (AppDeps.files)")

        async def use_case(uow: UnitOfWork) -> ContractDocumentDownloadSuccess:
            issued = await service.issue_download(
                uow,
                files=files,
                actor=ctx.actor,
                document_id=decode_id(document_id, "ContractDocument", "documentId"),
                signature_id=decode_id(signature_id, "DocumentSignature", "signatureId") if signature_id else None,
            )
            return ContractDocumentDownloadSuccess(
                url=issued.url,
                expires_at=issued.expires_at,
                document=ContractDocument.from_row(issued.document),
                access=DocumentAccess.from_row(issued.access),
            )

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="A party (or an operator) asks for the contract's documents in another language: the worker "
        "issues them shortly, and those issued later too. Russian is always issued; asking twice is harmless."
    )
    async def request_contract_document_copy(
        self, info: Info, contract_id: strawberry.ID, language: DocumentLanguage
    ) -> RequestContractDocumentCopyResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> RequestContractDocumentCopySuccess:
            cid = decode_id(contract_id, "Contract", "contractId")
            row = await service.request_copy(
                uow, actor=ctx.actor, contract_id=cid, language=DomainDocumentLanguage(language.value)
            )
            return RequestContractDocumentCopySuccess(contract=Contract.from_row(row), language=language)

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="A party attaches its detached qualified e-signature (CMS .sig/.p7s, at most 256 KiB) to a "
        "document it may read. Stored with the document and shown to both parties; the platform does not verify it."
    )
    async def attach_document_signature(
        self, info: Info, input: AttachDocumentSignatureInput
    ) -> AttachDocumentSignatureResult:  # type: ignore[valid-type]
        ctx = info.context
        files = ctx.deps.files
        if files is None:
            raise RuntimeError("file storage is not configured (AppDeps.files)")

        async def use_case(uow: UnitOfWork) -> AttachDocumentSignatureSuccess:
            document_id = decode_id(input.document_id, "ContractDocument", "documentId")
            data = await read_upload(input.file, MAX_SIGNATURE_BYTES)
            row = await service.attach_signature(
                uow,
                files=files,
                actor=ctx.actor,
                document_id=document_id,
                name=getattr(input.file, "filename", None) or "",
                data=data,
            )
            document = await uow.session.get(ContractDocumentRow, document_id)
            assert document is not None
            return AttachDocumentSignatureSuccess(
                document=ContractDocument.from_row(document), signature=DocumentSignature.from_row(row)
            )

        return await ctx.run(use_case)
