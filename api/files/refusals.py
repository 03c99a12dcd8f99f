"""The GraphQL spelling of a file refusal's reason and figures (domain/files/refusals.py): enums only, so that
api/errors.py can use them without loading the files area's types."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.files.refusals import ArchiveKind as DomainArchiveKind
from domain.files.refusals import FileRejection as DomainFileRejection
from domain.files.rules import FileFormat as DomainFileFormat

FileFormat = graphql_enum(DomainFileFormat, "The format, read from the file's content (never from its name).")
FileRejectionReason = graphql_enum(
    DomainFileRejection,
    "Why a file was refused. EMPTY: it holds nothing. ARCHIVE: an archive (archiveKind); upload the files themselves. "
    "TRUNCATED: it starts as detectedFormat but its end is missing; export or upload it again. UNKNOWN_CONTENT: its "
    "content is none of allowedFormats (read from the bytes, not the name). WRONG_EXTENSION: its name must end in one "
    "of allowedFormats. TOO_LARGE: larger than limits.max bytes. ORDER_FILE_COUNT: the order holds limits.max files "
    "already. ORDER_SIZE: the order's files would take more than limits.max bytes in all. NOT_UPLOADED, "
    "SIZE_MISMATCH, CHECKSUM_MISMATCH: a direct upload's bytes are missing, or not as many or not the ones announced.",
    name="FileRejectionReason",
)
ArchiveKind = graphql_enum(DomainArchiveKind, "The kind of archive a refused file is.")
