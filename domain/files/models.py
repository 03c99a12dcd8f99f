"""Tables of the files area: blobs (content-addressed), order files and their revisions, NDAs and their acceptance,
the download audit, and direct uploads in flight."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, String, Text
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type
from domain.files.outcomes import FailureCode
from domain.files.rules import FileFormat, FileKind


class StoredBlob(SQLModel, table=True):
    """One stored content, keyed by its sha256: immutable, and stored once however often it is referred to."""

    __tablename__ = "stored_blob"
    __table_args__ = (CheckConstraint("size >= 0", name="ck_stored_blob_size"),)

    sha256: str = Field(sa_type=String(64), primary_key=True)
    size: int = Field(sa_type=BigInteger)
    format: FileFormat = Field(sa_type=enum_type(FileFormat, "format"))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class OrderFile(SQLModel, table=True):
    """One revision of a document attached to an order. Revisions of one document share `document_id` (the id of
    its first revision); the newest is current, the older ones are kept with `superseded_at` set."""

    __tablename__ = "order_file"
    __table_args__ = (
        Index("uq_order_file_document_revision", "document_id", "revision", unique=True),
        Index("ix_order_file_order_created_at", "order_id", "created_at"),
        CheckConstraint("revision >= 1", name="ck_order_file_revision"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")])
    document_id: UUID
    revision: int
    kind: FileKind = Field(sa_type=enum_type(FileKind, "kind"))
    name: str = Field(sa_type=String(120))
    format: FileFormat = Field(sa_type=enum_type(FileFormat, "format"))
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(sa_type=String(64), sa_column_args=[ForeignKey("stored_blob.sha256")])
    # A PDF with JavaScript or auto-run actions: only ever served as a download, and flagged.
    active_content: bool = False
    note: str = Field(default="", sa_type=Text)
    uploaded_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    superseded_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


class OrderNda(SQLModel, table=True):
    """A version of an order's NDA. The newest version is in force; one with no text means none is required."""

    __tablename__ = "order_nda"

    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")], primary_key=True)
    version: int = Field(primary_key=True)
    text: str | None = Field(default=None, sa_type=Text)
    created_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class NdaAcceptance(SQLModel, table=True):
    """An organisation accepted a version of an order's NDA: who, when, which text."""

    __tablename__ = "nda_acceptance"
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "version"],
            ["order_nda.order_id", "order_nda.version"],
            name="fk_nda_acceptance_order_nda",
            ondelete="CASCADE",
        ),
        Index("ix_nda_acceptance_organisation", "organisation_id", "order_id"),
    )

    order_id: UUID = Field(primary_key=True)
    version: int = Field(primary_key=True)
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True)
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    accepted_at: datetime = Field(sa_type=TIMESTAMPTZ)


class FileDownload(SQLModel, table=True):
    """The audit of downloads: every signed URL issued (who, for which organisation, which order file revision or
    contract message attachment, when)."""

    __tablename__ = "file_download"
    __table_args__ = (
        Index("ix_file_download_file_issued_at", "file_id", "issued_at"),
        Index("ix_file_download_message_id", "message_id"),
        CheckConstraint("(file_id IS NULL) <> (message_id IS NULL)", name="ck_file_download_one_subject"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    file_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("order_file.id", ondelete="CASCADE")])
    message_id: UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("contract_message.id", ondelete="CASCADE")]
    )
    attachment_index: int | None = None
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    organisation_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("organisation.id")])
    issued_at: datetime = Field(sa_type=TIMESTAMPTZ)
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    # Set when the app's own signed route served it (local storage); S3 serves presigned URLs itself.
    served_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


class FileUpload(SQLModel, table=True):
    """A direct upload in flight: issued for one file of exactly `size` bytes and this sha256, single-use, finished by
    finishFileUpload; the worker deletes what never finishes (and its object) after `expires_at`."""

    __tablename__ = "file_upload"
    __table_args__ = (
        Index("ix_file_upload_pending_expires_at", "expires_at", postgresql_where="completed_at IS NULL"),
        CheckConstraint("size > 0", name="ck_file_upload_size"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")])
    document_id: UUID | None = None  # a new revision of this document; None: a new document
    kind: FileKind = Field(sa_type=enum_type(FileKind, "kind"))
    name: str = Field(sa_type=String(255))
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(sa_type=String(64))
    note: str = Field(default="", sa_type=Text)
    created_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    completed_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    file_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("order_file.id", ondelete="SET NULL")])


class GeometryStatus(StrEnum):
    done = "done"
    failed = "failed"


class FileGeometry(SQLModel, table=True):
    """The analysed geometry of a stored model (by content: analysed once however often it is attached), or why
    the analysis failed."""

    __tablename__ = "file_geometry"

    sha256: str = Field(
        sa_type=String(64), primary_key=True, sa_column_args=[ForeignKey("stored_blob.sha256", ondelete="CASCADE")]
    )
    status: GeometryStatus = Field(sa_type=enum_type(GeometryStatus, "status"))
    size_x_mm: float | None = None
    size_y_mm: float | None = None
    size_z_mm: float | None = None
    volume_mm3: float | None = None
    area_mm2: float | None = None
    triangles: int | None = None
    error: str = Field(default="", sa_type=Text)  # English, for logs and text-only clients
    error_code: FailureCode | None = Field(default=None, sa_type=enum_type(FailureCode, "error_code"), nullable=True)
    error_limit: int | None = Field(default=None, sa_type=BigInteger)  # the figure error_code's unit counts
    analysed_at: datetime = Field(sa_type=TIMESTAMPTZ)


class PreviewStatus(StrEnum):
    done = "done"
    failed = "failed"


class PreviewKind(StrEnum):
    model = "model"  # glTF binary (GLB) for the browser's 3D viewer
    page = "page"  # the first page of a PDF drawing as PNG


class FilePreview(SQLModel, table=True):
    """The preview of a stored model or drawing (by content, made once in the worker), or why there is none. The
    preview's bytes are stored like any blob, under blob_key(preview_sha256); no row of its own in stored_blob
    (it is not an upload), removed with its source blob (gc.py)."""

    __tablename__ = "file_preview"
    __table_args__ = (Index("ix_file_preview_preview_sha256", "preview_sha256"),)

    sha256: str = Field(
        sa_type=String(64), primary_key=True, sa_column_args=[ForeignKey("stored_blob.sha256", ondelete="CASCADE")]
    )
    status: PreviewStatus = Field(sa_type=enum_type(PreviewStatus, "status"))
    kind: PreviewKind = Field(sa_type=enum_type(PreviewKind, "kind"))
    preview_sha256: str | None = Field(default=None, sa_type=String(64))
    size: int | None = Field(default=None, sa_type=BigInteger)
    error: str = Field(default="", sa_type=Text)  # English, for logs and text-only clients
    error_code: FailureCode | None = Field(default=None, sa_type=enum_type(FailureCode, "error_code"), nullable=True)
    error_limit: int | None = Field(default=None, sa_type=BigInteger)
    made_at: datetime = Field(sa_type=TIMESTAMPTZ)


class EnvelopeSource(StrEnum):
    model = "model"  # the bounding box of the order's largest analysed model
    buyer = "buyer"  # given (or corrected) by the buyer


class OrderPartEnvelope(SQLModel, table=True):
    """The part's size for matching: from the largest model, unless the buyer gave it."""

    __tablename__ = "order_part_envelope"
    __table_args__ = (CheckConstraint("x_mm > 0 AND y_mm > 0 AND z_mm > 0", name="ck_order_part_envelope_positive"),)

    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")], primary_key=True)
    x_mm: float
    y_mm: float
    z_mm: float
    source: EnvelopeSource = Field(sa_type=enum_type(EnvelopeSource, "source"))
    # The model's volume (source model only): machine hours are estimated from it when the buyer gave none.
    volume_mm3: float | None = None
    file_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("order_file.id", ondelete="SET NULL")])
    # The model's name and format (source model only), for matching's explanations ("the bounding box of the STEP
    # model housing.step").
    model_name: str | None = Field(default=None, sa_type=String(120))
    model_format: str | None = Field(default=None, sa_type=String(16))
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)
