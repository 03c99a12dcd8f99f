"""What a contract message may carry. Pure checks: no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit
from domain.files.rules import EXTENSIONS, FileFormat, FileLimits
from domain.text import check_text

MAX_BODY = 10_000
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 2**31 - 1  # 2 GiB (GraphQL Int): CAD archives are large, but not unbounded
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_CHECKSUM = re.compile(r"^sha256:[0-9a-f]{64}$")


# Room in a multipart request for the message's text and the request's envelope (operations, map, part headers):
# a body of 10,000 characters escaped in JSON is at most 60 KB.
_ENVELOPE_BYTES = 128 * 1024


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    """What the files sent with one message may be: how many, how large each and all together (one multipart
    request carries them), and of which formats. No storage: no files at all (max_files 0)."""

    max_files: int
    max_file_bytes: int
    max_total_bytes: int
    formats: tuple[str, ...]
    extensions: tuple[str, ...]


def attachment_limits(files: FileLimits | None, max_request_bytes: int) -> AttachmentLimits:
    total = max(0, max_request_bytes - _ENVELOPE_BYTES)
    return AttachmentLimits(
        max_files=MAX_ATTACHMENTS if files is not None else 0,
        max_file_bytes=min(files.max_file_bytes, total) if files is not None else 0,
        max_total_bytes=total if files is not None else 0,
        formats=tuple(fmt.value for fmt in FileFormat),
        extensions=tuple(ext for fmt in FileFormat for ext in EXTENSIONS[fmt]),
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    size_bytes: int
    content_type: str
    checksum: str
    # The bytes are in the exchange's file storage under the checksum (uploaded with the message), not only named.
    stored: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "size_bytes": self.size_bytes,
            "content_type": self.content_type,
            "checksum": self.checksum,
            "stored": self.stored,
        }


def check_message(body: str, attachments: Sequence[Attachment]) -> tuple[str, list[Attachment]]:
    """The cleaned body and attachments, or a refusal naming the field at fault."""
    if len(body) > MAX_BODY:  # before stripping: a megabyte of spaces is refused, not trimmed
        raise InvalidInput(
            f"use at most {MAX_BODY} characters",
            "body",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=MAX_BODY),
        )
    text = check_text(body, "body", max_length=MAX_BODY, required=not attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise InvalidInput(
            f"at most {MAX_ATTACHMENTS} attachments",
            "attachments",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.FILES, max=MAX_ATTACHMENTS),
        )
    checked = []
    for i, item in enumerate(attachments):
        field = f"attachments.{i}"
        name = check_text(item.name, f"{field}.name", max_length=255)
        if any(ch in name for ch in "/\\\x00") or name in (".", ".."):
            raise InvalidInput("a file name, not a path", f"{field}.name")
        if not 0 <= item.size_bytes <= MAX_ATTACHMENT_BYTES:
            raise InvalidInput(
                "size out of range",
                f"{field}.sizeBytes",
                ErrorCode.OUT_OF_RANGE,
                limits=Limits(LimitUnit.BYTES, min=0, max=MAX_ATTACHMENT_BYTES),
            )
        content_type = item.content_type.strip().lower()
        if not _CONTENT_TYPE.match(content_type):
            raise InvalidInput("a MIME type such as application/pdf", f"{field}.contentType")
        checksum = item.checksum.strip().lower()
        if not _CHECKSUM.match(checksum):
            raise InvalidInput("sha256:<64 hex digits>", f"{field}.checksum")
        checked.append(Attachment(name, item.size_bytes, content_type, checksum, item.stored))
    return text, checked
