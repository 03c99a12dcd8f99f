from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.enums import graphql_enum
from api.errors import LimitsType
from api.files.loaders import (
    GeometryBySha256Loader,
    OrderFileByIdLoader,
    OrderFilesByOrderIdLoader,
    PreviewBySha256Loader,
)
from api.files.refusals import FileFormat as FileFormat
from api.nodes import load_nodes
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.relay import encode_id
from domain.files.analysis import PREVIEW_FORMATS
from domain.files.models import EnvelopeSource as DomainEnvelopeSource
from domain.files.models import FileDownload, FileGeometry, NdaAcceptance, OrderNda, OrderPartEnvelope
from domain.files.models import GeometryStatus as DomainGeometryStatus
from domain.files.models import OrderFile as OrderFileRow
from domain.files.models import PreviewKind as DomainPreviewKind
from domain.files.outcomes import FailureCode as DomainFailureCode
from domain.files.outcomes import failure_of
from domain.files.rules import CONTENT_TYPES
from domain.files.rules import FileAccess as DomainFileAccess
from domain.files.rules import FileFormat as DomainFileFormat
from domain.files.rules import FileKind as DomainFileKind
from domain.files.service import OrderFilesView, preview_url

FileKind = graphql_enum(DomainFileKind, "What a file on an order is: a drawing, a 3D model or a specification.")
FileAccess = graphql_enum(
    DomainFileAccess,
    "Whether you see an order's files: GRANTED; NDA_REQUIRED (accept the order's NDA first: acceptOrderNda); HIDDEN.",
)


@strawberry.type(
    description="A file attached to an order: one revision of a drawing, model or specification. Download it with "
    "requestFileDownload (a short-lived URL)."
)
class OrderFile(relay.Node):
    id: relay.NodeID[str]
    kind: FileKind  # type: ignore[valid-type]
    name: str = strawberry.field(description="The cleaned file name (no path), ending in its format's extension.")
    format: FileFormat
    content_type: str
    size: float = strawberry.field(description="Bytes (a Float: files may pass 2 GiB, GraphQL's Int does not).")
    sha256: str = strawberry.field(description="The content's SHA-256, hex: compare it after downloading.")
    revision: int = strawberry.field(description="1 for the first upload; each new revision adds one.")
    note: str = strawberry.field(description="What changed in this revision, as the buyer wrote it.")
    active_content: bool = strawberry.field(
        description="A PDF with JavaScript or auto-run actions: stored as uploaded and only ever downloaded, never "
        "shown inline; open it with care."
    )
    uploaded_at: datetime
    superseded_at: datetime | None = strawberry.field(description="When a newer revision replaced it; null if current.")
    document_id: strawberry.Private[UUID]
    order_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: OrderFileRow) -> OrderFile:
        return cls(
            id=str(row.id),
            kind=row.kind.value,
            name=row.name,
            format=row.format.value,
            content_type=CONTENT_TYPES[row.format],
            size=float(row.size),
            sha256=row.sha256,
            revision=row.revision,
            note=row.note,
            active_content=row.active_content,
            uploaded_at=row.created_at,
            superseded_at=row.superseded_at,
            document_id=row.document_id,
            order_id=row.order_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await load_nodes(info.context.loader(OrderFileByIdLoader), node_ids, cls.from_row)

    @strawberry.field(
        description="Models (STL, STEP, IGES): the analysed geometry (the worker analyses new models within a "
        "minute); null before the analysis and for other formats."
    )
    async def geometry(self, info: Info) -> ModelGeometryType | None:
        row = await info.context.loader(GeometryBySha256Loader).load(self.sha256)
        return ModelGeometryType.from_row(row) if row is not None else None

    @strawberry.field(
        description="A preview made by the exchange: models (STL, STEP, IGES) as glTF binary for a 3D viewer, PDF "
        "drawings' first page as PNG; PENDING until the worker made it, FAILED with a reason (a PDF with JavaScript "
        "or auto-run actions is never rendered). Null for other formats. The URL is short-lived, like a download's."
    )
    async def preview(self, info: Info) -> FilePreviewType | None:
        fmt = DomainFileFormat(self.format)
        if fmt not in PREVIEW_FORMATS:
            return None
        row = await info.context.loader(PreviewBySha256Loader).load(self.sha256)
        if row is None:
            return FilePreviewType(
                status=PreviewStatus.PENDING, kind=_kind(fmt), url=None, expires_at=None, error="", failure=None
            )
        url = None
        files = info.context.deps.files
        if files is not None:
            url = await preview_url(files, preview=row, name=self.name, now=info.context.clock.now())
        return FilePreviewType(
            status=PreviewStatus(row.status.value),
            kind=row.kind.value,
            url=url.url if url is not None else None,
            expires_at=url.expires_at if url is not None else None,
            error=row.error,
            failure=ProcessingFailureType.of_row(row.status.value, row.error_code, row.error, row.error_limit),
        )

    @strawberry.field(description="The earlier revisions of this document, newest first (empty on a first upload).")
    async def previous_revisions(self, info: Info) -> list[OrderFile]:
        view = await info.context.loader(OrderFilesByOrderIdLoader).load(self.order_id)
        if view is None:
            return []
        return [
            OrderFile.from_row(row) for row in view.history.get(self.document_id, []) if row.revision < self.revision
        ]


@strawberry.enum(description="PENDING: the worker has not made it yet; DONE: made (see url); FAILED: see error.")
class PreviewStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


PreviewKind = graphql_enum(DomainPreviewKind, "MODEL: glTF binary (GLB) for a 3D viewer; PAGE: a PNG image.")


def _kind(fmt: DomainFileFormat) -> str:
    return DomainPreviewKind.page.value if fmt is DomainFileFormat.pdf else DomainPreviewKind.model.value


ProcessingFailureCode = graphql_enum(
    DomainFailureCode,
    "Why the exchange could not measure a model or make a preview. TOO_LARGE: larger than it analyses (limits: "
    "BYTES); FILE_MISSING: the stored file is gone; UNREADABLE: does not parse as its format; EMPTY: holds nothing "
    "to measure or show (no triangles, solids or pages); TOO_COMPLEX: more triangles than analysed (limits: "
    "TRIANGLES); TIMED_OUT: the conversion ran past its deadline (limits: SECONDS); OUT_OF_MEMORY: the conversion "
    "ran out of memory (limits: BYTES); CONVERTER_CRASHED: the converter died on the file; ACTIVE_CONTENT: a PDF "
    "with JavaScript or auto-run actions, never rendered.",
    name="ProcessingFailureCode",
)


@strawberry.type(
    name="ProcessingFailure",
    description="Why a model was not measured or a preview not made: a code to word in the reader's language, and "
    "the limit it ran into where there is one.",
)
class ProcessingFailureType:
    code: ProcessingFailureCode  # type: ignore[valid-type]
    limits: LimitsType | None = strawberry.field(description="The most the exchange allows, for codes that have one.")
    message: str = strawberry.field(description="The same in English, for logs.")

    @classmethod
    def of_row(cls, status: str, code: str | None, message: str, limit: int | None) -> ProcessingFailureType | None:
        if status != "failed":
            return None
        failure = failure_of(code, message, limit)
        return cls(code=failure.code.value, limits=LimitsType.of(failure.limits), message=failure.message)


@strawberry.type(name="FilePreview", description="A file's preview, made by the exchange's worker.")
class FilePreviewType:
    status: PreviewStatus
    kind: PreviewKind  # type: ignore[valid-type]
    url: str | None = strawberry.field(description="Where to fetch it while it lasts (DONE only).")
    expires_at: datetime | None
    error: str = strawberry.field(
        description="Why there is no preview, in English; empty unless FAILED.",
        deprecation_reason="English text: read `failure` (a code and its figures) instead.",
    )
    failure: ProcessingFailureType | None = strawberry.field(description="Why there is no preview (FAILED only).")


GeometryStatus = graphql_enum(
    DomainGeometryStatus, "DONE: analysed; FAILED: the model could not be analysed (see error)."
)
EnvelopeSource = graphql_enum(
    DomainEnvelopeSource, "MODEL: the bounding box of the order's largest model; BUYER: given by the buyer."
)


@strawberry.type(
    name="ModelGeometry",
    description="A 3D model's geometry, analysed by the exchange, in millimetres (STL carries no units: read as "
    "millimetres; STEP and IGES carry theirs, and are measured on OpenCASCADE's triangulation of the solid).",
)
class ModelGeometryType:
    status: GeometryStatus  # type: ignore[valid-type]
    size_x_mm: float | None
    size_y_mm: float | None
    size_z_mm: float | None
    volume_mm3: float | None = strawberry.field(description="Meaningful for a closed mesh.")
    area_mm2: float | None
    triangles: int | None
    error: str = strawberry.field(
        description="Why the analysis failed, in English; empty when it did not.",
        deprecation_reason="English text: read `failure` (a code and its figures) instead.",
    )
    failure: ProcessingFailureType | None = strawberry.field(description="Why the analysis failed (FAILED only).")

    @classmethod
    def from_row(cls, row: FileGeometry) -> ModelGeometryType:
        return cls(
            status=row.status.value,
            size_x_mm=row.size_x_mm,
            size_y_mm=row.size_y_mm,
            size_z_mm=row.size_z_mm,
            volume_mm3=row.volume_mm3,
            area_mm2=row.area_mm2,
            triangles=row.triangles,
            error=row.error,
            failure=ProcessingFailureType.of_row(row.status.value, row.error_code, row.error, row.error_limit),
        )


@strawberry.type(name="PartEnvelope", description="The part's size (mm) that matching compares with shops' machines.")
class PartEnvelopeType:
    x_mm: float
    y_mm: float
    z_mm: float
    source: EnvelopeSource  # type: ignore[valid-type]
    updated_at: datetime

    @classmethod
    def from_row(cls, row: OrderPartEnvelope) -> PartEnvelopeType:
        return cls(x_mm=row.x_mm, y_mm=row.y_mm, z_mm=row.z_mm, source=row.source.value, updated_at=row.updated_at)


@strawberry.type(
    name="OrderNda",
    description="The NDA an order requires before its files are shown (title and summary stay visible).",
)
class OrderNdaType:
    version: int = strawberry.field(description="Accept exactly this version: a changed text is a new version.")
    text: str
    created_at: datetime
    viewer_accepted: bool = strawberry.field(description="One of your organisations accepted this version.")

    @classmethod
    def of(cls, row: OrderNda, view: OrderFilesView) -> OrderNdaType:
        assert row.text is not None
        return cls(
            version=row.version,
            text=row.text,
            created_at=row.created_at,
            viewer_accepted=view.accepted_version == row.version,
        )


@strawberry.type(name="NdaAcceptance", description="An organisation accepted a version of an order's NDA.")
class NdaAcceptanceType:
    version: int
    accepted_at: datetime
    organisation_id: strawberry.Private[UUID]
    user_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: NdaAcceptance) -> NdaAcceptanceType:
        return cls(
            version=row.version, accepted_at=row.accepted_at, organisation_id=row.organisation_id, user_id=row.user_id
        )

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        return Organisation.from_row(row) if row is not None else None


@strawberry.type(description="A download URL issued: who, for which organisation, which file revision, when.")
class FileDownloadRecord:
    issued_at: datetime
    expires_at: datetime
    served_at: datetime | None = strawberry.field(
        description="When the app's own route served it (local storage); null with object storage, which serves "
        "the URL itself."
    )
    file_id: strawberry.ID
    organisation_id: strawberry.Private[UUID | None]

    @classmethod
    def from_row(cls, row: FileDownload) -> FileDownloadRecord:
        assert row.file_id is not None, "an order's download audit lists downloads of its files"
        return cls(
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            served_at=row.served_at,
            file_id=encode_id("OrderFile", row.file_id),
            organisation_id=row.organisation_id,
        )

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_id is None:
            return None
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        return Organisation.from_row(row) if row is not None else None
