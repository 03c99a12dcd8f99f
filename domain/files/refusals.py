"""Why a file was refused, typed: every refusal of a file (its content, its size, an order's room, an upload that
does not match what was announced, a signature that is not one) says which it is, with the figures a person needs
to put it right (the format that arrived cut short, the archive's kind, the largest size, the formats taken). A
client words the reason; the English `message` says the same for developers. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from domain.errors import DomainError, ErrorCode, Limits


class FileRejection(StrEnum):
    empty = "empty"  # nothing in it
    archive = "archive"  # ZIP, RAR, 7-Zip…: upload the files themselves (`archive_kind`)
    truncated = "truncated"  # starts as a known format but its end is missing (`detected_format`)
    unknown_content = "unknown_content"  # the content is none of the accepted formats (`allowed`)
    wrong_extension = "wrong_extension"  # a name that must end in one of `allowed` (a detached signature)
    too_large = "too_large"  # larger than one file may be (`limits`)
    order_file_count = "order_file_count"  # the order holds as many files as it may (`limits`, FILES)
    order_size = "order_size"  # the order's files would take more than they may in all (`limits`, BYTES)
    not_uploaded = "not_uploaded"  # a direct upload finished before any byte arrived
    size_mismatch = "size_mismatch"  # a direct upload's bytes are not as many as announced
    checksum_mismatch = "checksum_mismatch"  # a direct upload's SHA-256 is not the one announced


class ArchiveKind(StrEnum):
    zip = "zip"
    gzip = "gzip"
    seven_zip = "seven_zip"
    rar = "rar"
    bzip2 = "bzip2"
    xz = "xz"
    zstd = "zstd"


class FileRejected(DomainError):
    """A refused file: the error code (UNSUPPORTED_FILE, FILE_TOO_LARGE, FILE_LIMIT_REACHED, UPLOAD_MISMATCH) with
    the reason within it and that reason's figures."""

    def __init__(
        self,
        code: ErrorCode,
        reason: FileRejection,
        message: str,
        field: str | None = "file",
        *,
        limits: Limits | None = None,
        allowed: Sequence[str] | None = None,
        detected_format: str | None = None,
        archive_kind: ArchiveKind | None = None,
    ) -> None:
        super().__init__(code, message, field, limits=limits, allowed=allowed)
        self.reason = reason
        self.detected_format = detected_format
        self.archive_kind = archive_kind

    def at(self, field: str) -> FileRejected:
        """The same refusal of the input at `field` (an attachment among several: "files.2")."""
        return FileRejected(
            self.code,
            self.reason,
            self.message,
            field,
            limits=self.limits,
            allowed=self.allowed,
            detected_format=self.detected_format,
            archive_kind=self.archive_kind,
        )

    def __repr__(self) -> str:
        return f"FileRejected({self.code.value!r}, {self.reason.value!r}, {self.message!r}, field={self.field!r})"
