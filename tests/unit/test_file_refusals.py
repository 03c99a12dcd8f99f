"""Why a file is refused, typed: each of sniffing's refusals has its own reason and figures (the format a truncated
file starts as, an archive's kind), a refusal moved to another field keeps them, and the API's FileRejectedError
carries them (a plain DomainError with a file code still gets the reason its code implies)."""

from __future__ import annotations

import gzip

import pytest

from api.errors import to_user_error
from domain.errors import DomainError, ErrorCode
from domain.files.refusals import ArchiveKind, FileRejected, FileRejection
from domain.files.rules import FileFormat, UnsupportedFile, sniff
from tests import files_samples as samples


@pytest.mark.parametrize(
    ("data", "reason", "detected", "archive"),
    [
        (b"", FileRejection.empty, None, None),
        (samples.zip_named_stl(), FileRejection.archive, None, ArchiveKind.zip),
        (gzip.compress(b"x", mtime=0), FileRejection.archive, None, ArchiveKind.gzip),
        (b"7z\xbc\xaf\x27\x1c" + b"\x00" * 10, FileRejection.archive, None, ArchiveKind.seven_zip),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 10, FileRejection.archive, None, ArchiveKind.rar),
        (b"BZh91AY&SY", FileRejection.archive, None, ArchiveKind.bzip2),
        (b"\xfd7zXZ\x00\x00", FileRejection.archive, None, ArchiveKind.xz),
        (b"\x28\xb5\x2f\xfd\x00", FileRejection.archive, None, ArchiveKind.zstd),
        (samples.pdf()[:-8], FileRejection.truncated, "pdf", None),
        (samples.png()[:-6], FileRejection.truncated, "png", None),
        (samples.jpeg()[:-2], FileRejection.truncated, "jpeg", None),
        (samples.step()[:-30], FileRejection.truncated, "step", None),
        (samples.stl_ascii()[:-10], FileRejection.truncated, "stl", None),
        # A binary STL one byte short is no longer a binary STL by its size: content of no accepted kind.
        (samples.stl_binary()[:-1], FileRejection.unknown_content, None, None),
        (b"MZ\x90\x00 an executable", FileRejection.unknown_content, None, None),
    ],
    # Named, not by their bytes: a ZIP's entries carry the time they were written, and every xdist worker must
    # collect the same test ids.
    ids=[
        "empty",
        "zip",
        "gzip",
        "7z",
        "rar",
        "bzip2",
        "xz",
        "zstd",
        "pdf-truncated",
        "png-truncated",
        "jpeg-truncated",
        "step-truncated",
        "stl-ascii-truncated",
        "stl-binary-short",
        "executable",
    ],
)
def test_each_refusal_of_sniffing_says_why(
    data: bytes, reason: FileRejection, detected: str | None, archive: ArchiveKind | None
) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        sniff(data)
    error = refused.value
    assert (error.code, error.reason, error.detected_format, error.archive_kind) == (
        ErrorCode.UNSUPPORTED_FILE,
        reason,
        detected,
        archive,
    )
    assert error.allowed == tuple(f.value for f in FileFormat)
    assert error.field == "file"


def test_a_refusal_moved_to_another_field_keeps_its_reason_and_figures() -> None:
    with pytest.raises(UnsupportedFile) as refused:
        sniff(samples.stl_ascii()[:-10])
    moved = refused.value.at("files.2")
    assert (moved.field, moved.code, moved.reason, moved.detected_format, moved.allowed, moved.message) == (
        "files.2",
        ErrorCode.UNSUPPORTED_FILE,
        FileRejection.truncated,
        "stl",
        refused.value.allowed,
        "the STL file is truncated (no endsolid)",
    )


def test_the_api_error_carries_the_reason_and_its_figures() -> None:
    error = to_user_error(
        FileRejected(
            ErrorCode.UNSUPPORTED_FILE,
            FileRejection.archive,
            "archives (RAR) are not accepted",
            allowed=["pdf"],
            archive_kind=ArchiveKind.rar,
        )
    )
    assert (error.code, error.reason, error.archive_kind, error.detected_format, error.allowed_formats) == (
        "unsupported_file",
        "archive",
        "rar",
        None,
        ["pdf"],
    )


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (ErrorCode.UNSUPPORTED_FILE, "unknown_content"),
        (ErrorCode.FILE_TOO_LARGE, "too_large"),
        (ErrorCode.FILE_LIMIT_REACHED, "order_file_count"),
        (ErrorCode.UPLOAD_MISMATCH, "size_mismatch"),
    ],
)
def test_a_plain_domain_error_with_a_file_code_gets_the_reason_its_code_implies(code: ErrorCode, reason: str) -> None:
    error = to_user_error(DomainError(code, "refused", "file"))
    assert (error.reason, error.detected_format, error.archive_kind) == (reason, None, None)
