"""What one contract message's files may be: a file no larger than one request can carry, all of them together
within the request cap less the envelope, and no files at all where nothing stores them."""

from __future__ import annotations

from domain.files.rules import FileFormat, FileLimits
from domain.messages.rules import MAX_ATTACHMENTS, attachment_limits

MIB = 1024 * 1024


def test_a_file_is_capped_by_the_request_when_storage_takes_larger() -> None:
    limits = attachment_limits(FileLimits(200 * MIB, 500 * MIB, 30), 32 * MIB)
    assert limits.max_files == MAX_ATTACHMENTS
    assert limits.max_total_bytes == 32 * MIB - 128 * 1024
    assert limits.max_file_bytes == limits.max_total_bytes


def test_a_smaller_storage_limit_is_the_per_file_limit() -> None:
    limits = attachment_limits(FileLimits(4 * MIB, 500 * MIB, 30), 32 * MIB)
    assert (limits.max_file_bytes, limits.max_total_bytes) == (4 * MIB, 32 * MIB - 128 * 1024)


def test_formats_and_their_extensions() -> None:
    limits = attachment_limits(FileLimits(MIB, MIB, 1), 32 * MIB)
    assert limits.formats == tuple(fmt.value for fmt in FileFormat)
    assert {".pdf", ".step", ".stp", ".iges", ".igs", ".stl", ".dxf", ".png", ".jpg", ".jpeg"} == set(limits.extensions)


def test_without_storage_no_files_are_taken() -> None:
    limits = attachment_limits(None, 32 * MIB)
    assert (limits.max_files, limits.max_file_bytes, limits.max_total_bytes) == (0, 0, 0)
