from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from api.context import Info
from api.errors import (
    ACTION_ERRORS,
    FileRejectedError,
    InvalidStateError,
    NdaRequiredError,
    NotEligibleError,
    StorageUnavailableError,
    result_union,
)
from api.files.types import FileKind, NdaAcceptanceType, OrderFile, OrderNdaType, PartEnvelopeType
from api.orders.types import Order
from api.relay import decode_id, encode_id
from domain.errors import InvalidInput
from domain.files import analysis, service, uploads
from domain.files.rules import FileKind as DomainFileKind
from domain.files.rules import file_too_large
from domain.files.service import OrderFilesView
from domain.uow import UnitOfWork


@strawberry.input(description="A file to attach to an order (a GraphQL multipart request carries `file`).")
class AttachOrderFileInput:
    order_id: strawberry.ID
    kind: FileKind
    file: Upload
    note: str = strawberry.field(default="", description="What this file or revision is (at most 2,000 characters).")
    replaces_file_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Upload a new revision of this file (any of its revisions); the older one stays in the history, "
        "and bidders are told.",
    )


@strawberry.input(description="A part's size in millimetres (any orientation: matching tries them all).")
class PartEnvelopeInput:
    x_mm: float
    y_mm: float
    z_mm: float


@strawberry.type
class PartEnvelopeSuccess:
    order: Order
    envelope: PartEnvelopeType | None


SetOrderPartEnvelopeResult = result_union(
    "SetOrderPartEnvelopeResult", PartEnvelopeSuccess, *ACTION_ERRORS, InvalidStateError
)


@strawberry.type
class OrderFileSuccess:
    file: OrderFile


@strawberry.type
class OrderNdaSuccess:
    order: Order
    nda: OrderNdaType | None = strawberry.field(description="The NDA now in force; null when none is required.")


@strawberry.type
class NdaAcceptanceSuccess:
    acceptance: NdaAcceptanceType
    order: Order = strawberry.field(description="The order, whose files you now see.")


@strawberry.type
class FileDownloadSuccess:
    url: str = strawberry.field(
        description="GET it before expiresAt. A path (/files/download/…) is on this API's own origin; otherwise "
        "a URL of the object storage."
    )
    expires_at: datetime
    file: OrderFile


AttachOrderFileResult = result_union(
    "AttachOrderFileResult", OrderFileSuccess, *ACTION_ERRORS, InvalidStateError, FileRejectedError,
    StorageUnavailableError,
)  # fmt: skip
SetOrderNdaResult = result_union("SetOrderNdaResult", OrderNdaSuccess, *ACTION_ERRORS, InvalidStateError)
AcceptOrderNdaResult = result_union(
    "AcceptOrderNdaResult", NdaAcceptanceSuccess, *ACTION_ERRORS, InvalidStateError, NotEligibleError
)


@strawberry.input(description="A large file to upload straight to storage: announce its size and SHA-256 first.")
class RequestFileUploadInput:
    order_id: strawberry.ID
    kind: FileKind
    name: str = strawberry.field(description="The file's name as the user chose it (cleaned when it is recorded).")
    size: float = strawberry.field(description="Exactly how many bytes will be sent.")
    sha256: str = strawberry.field(description="The content's SHA-256, 64 hex digits: checked on finishing.")
    note: str = ""
    replaces_file_id: strawberry.ID | None = None


@strawberry.type(description="A form field to send before the file in a POST upload.")
class UploadFormField:
    name: str
    value: str


@strawberry.type(
    description="Where to send the bytes: POST `url` as multipart/form-data with `fields` in order and then the "
    "file as `file` (object storage), or PUT the raw bytes to `url` (a path on this API). Then finishFileUpload."
)
class DirectUpload:
    upload_id: strawberry.ID
    method: str
    url: str
    fields: list[UploadFormField]
    expires_at: datetime


@strawberry.type
class FileUploadSuccess:
    upload: DirectUpload


RequestFileUploadResult = result_union(
    "RequestFileUploadResult", FileUploadSuccess, *ACTION_ERRORS, InvalidStateError, FileRejectedError,
    StorageUnavailableError,
)  # fmt: skip
FinishFileUploadResult = result_union(
    "FinishFileUploadResult", OrderFileSuccess, *ACTION_ERRORS, InvalidStateError, FileRejectedError,
    StorageUnavailableError,
)  # fmt: skip
RequestFileDownloadResult = result_union(
    "RequestFileDownloadResult", FileDownloadSuccess, *ACTION_ERRORS, NdaRequiredError, StorageUnavailableError
)


def _files(info: Info) -> service.FilesConfig:
    files = info.context.deps.files
    if files is None:
        raise RuntimeError("file storage is not configured (AppDeps.files)")
    return files


async def read_upload(upload: Any, limit: int, field: str = "file") -> bytes:
    """The uploaded bytes, refusing more than `limit` without reading further."""
    size = getattr(upload, "size", None)
    too_large = file_too_large(limit, field)
    if size is not None and size > limit:
        raise too_large
    data: bytes = await upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


@strawberry.type
class FileMutation:
    @strawberry.mutation(
        description="The buyer attaches a drawing, model or specification to a draft or open order (GraphQL multipart "
        "request; larger files: requestFileUpload). The type is read from the content: PDF, STEP, IGES, STL, DXF, "
        "PNG or JPEG; archives are refused."
    )
    async def attach_order_file(self, info: Info, input: AttachOrderFileInput) -> AttachOrderFileResult:  # type: ignore[valid-type]
        ctx = info.context
        files = _files(info)

        async def use_case(uow: UnitOfWork) -> OrderFileSuccess:
            order_id = decode_id(input.order_id, "Order", "orderId")
            replaces = (
                decode_id(input.replaces_file_id, "OrderFile", "replacesFileId") if input.replaces_file_id else None
            )
            data = await read_upload(input.file, files.limits.max_file_bytes)
            row = await service.attach_order_file(
                uow,
                files=files,
                actor=ctx.actor,
                order_id=order_id,
                kind=DomainFileKind(input.kind.value),
                name=getattr(input.file, "filename", None) or "",
                data=data,
                note=input.note,
                replaces_file_id=replaces,
            )
            return OrderFileSuccess(file=OrderFile.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="The buyer requires manufacturers to accept an NDA before they see the order's files (a changed "
        "text is a new version, to be accepted again); an empty text stops requiring one."
    )
    async def set_order_nda(self, info: Info, order_id: strawberry.ID, text: str | None = None) -> SetOrderNdaResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrderNdaSuccess:
            oid = decode_id(order_id, "Order", "orderId")
            row = await service.set_order_nda(uow, actor=ctx.actor, order_id=oid, text=text)
            order = await _order(info, oid)
            view = OrderFilesView(access=service.FileAccess.granted, nda=row, accepted_version=None)
            return OrderNdaSuccess(order=order, nda=OrderNdaType.of(row, view) if row is not None else None)

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Accept the order's NDA in force, by its version (the text you read), for your organisation; "
        "then its files are shown to your organisation. Recorded: who, when, which version."
    )
    async def accept_order_nda(
        self, info: Info, order_id: strawberry.ID, version: int, organisation_id: strawberry.ID | None = None
    ) -> AcceptOrderNdaResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> NdaAcceptanceSuccess:
            oid = decode_id(order_id, "Order", "orderId")
            row = await service.accept_nda(
                uow,
                actor=ctx.actor,
                order_id=oid,
                version=version,
                organisation_id=decode_id(organisation_id, "Organisation", "organisationId")
                if organisation_id
                else None,
            )
            return NdaAcceptanceSuccess(acceptance=NdaAcceptanceType.from_row(row), order=await _order(info, oid))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="A short-lived URL to download one file revision, if you may see the order's files now "
        "(checked now; the URL then works until expiresAt). Every URL issued is recorded for the buyer."
    )
    async def request_file_download(
        self, info: Info, file_id: strawberry.ID, organisation_id: strawberry.ID | None = None
    ) -> RequestFileDownloadResult:  # type: ignore[valid-type]
        ctx = info.context
        files = _files(info)

        async def use_case(uow: UnitOfWork) -> FileDownloadSuccess:
            issued = await service.issue_download(
                uow,
                files=files,
                actor=ctx.actor,
                file_id=decode_id(file_id, "OrderFile", "fileId"),
                organisation_id=decode_id(organisation_id, "Organisation", "organisationId")
                if organisation_id
                else None,
            )
            return FileDownloadSuccess(
                url=issued.url, expires_at=issued.expires_at, file=OrderFile.from_row(issued.file)
            )

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Start a direct upload of a large file (up to the per-file limit): size- and type-bound, "
        "single-use, valid for a limited time. Send the bytes where it says, then call finishFileUpload."
    )
    async def request_file_upload(self, info: Info, input: RequestFileUploadInput) -> RequestFileUploadResult:  # type: ignore[valid-type]
        ctx = info.context
        files = _files(info)

        async def use_case(uow: UnitOfWork) -> FileUploadSuccess:
            if not float(input.size).is_integer():
                raise InvalidInput("a whole number of bytes", "size")
            issued = await uploads.request_upload(
                uow,
                files=files,
                actor=ctx.actor,
                order_id=decode_id(input.order_id, "Order", "orderId"),
                kind=DomainFileKind(input.kind.value),
                name=input.name,
                size=int(input.size),
                sha256=input.sha256,
                note=input.note,
                replaces_file_id=decode_id(input.replaces_file_id, "OrderFile", "replacesFileId")
                if input.replaces_file_id
                else None,
            )
            return FileUploadSuccess(
                upload=DirectUpload(
                    upload_id=encode_id("FileUpload", issued.upload.id),
                    method=issued.method,
                    url=issued.url,
                    fields=[UploadFormField(name=k, value=v) for k, v in issued.fields.items()],
                    expires_at=issued.upload.expires_at,
                )
            )

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Finish a direct upload: the bytes that arrived are checked against the announced size and "
        "SHA-256 and sniffed, then recorded as the order's file (or a new revision). Once only."
    )
    async def finish_file_upload(self, info: Info, upload_id: strawberry.ID) -> FinishFileUploadResult:  # type: ignore[valid-type]
        ctx = info.context
        files = _files(info)

        async def use_case(uow: UnitOfWork) -> OrderFileSuccess:
            row = await uploads.finish_upload(
                uow, files=files, actor=ctx.actor, upload_id=decode_id(upload_id, "FileUpload", "uploadId")
            )
            return OrderFileSuccess(file=OrderFile.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="The buyer gives or corrects the part's size (mm) that matching uses; null goes back to the "
        "size of the order's largest analysed model."
    )
    async def set_order_part_envelope(
        self, info: Info, order_id: strawberry.ID, envelope: PartEnvelopeInput | None = None
    ) -> SetOrderPartEnvelopeResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> PartEnvelopeSuccess:
            oid = decode_id(order_id, "Order", "orderId")
            size = (envelope.x_mm, envelope.y_mm, envelope.z_mm) if envelope is not None else None
            row = await analysis.set_part_envelope(uow, actor=ctx.actor, order_id=oid, size_mm=size)
            return PartEnvelopeSuccess(
                order=await _order(info, oid), envelope=PartEnvelopeType.from_row(row) if row is not None else None
            )

        return await ctx.run(use_case)


async def _order(info: Info, order_id: Any) -> Order:
    from domain.orders.service import orders_by_ids

    async with info.context.db() as session:
        row = (await orders_by_ids(session, actor=info.context.actor, ids=[order_id]))[order_id]
    return Order.from_row(row)
