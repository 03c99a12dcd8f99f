"""Pure rules about files: what a file is (sniffed from its bytes, never from its name), what it may be called,
how big things may get, and who may see an order's files. No I/O."""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit
from domain.files.refusals import ArchiveKind, FileRejected, FileRejection

MAX_NAME_LENGTH = 120


class FileFormat(StrEnum):
    pdf = "pdf"
    step = "step"
    iges = "iges"
    stl = "stl"
    dxf = "dxf"
    png = "png"
    jpeg = "jpeg"


class FileKind(StrEnum):
    drawing = "drawing"
    model = "model"
    specification = "specification"


CONTENT_TYPES: dict[FileFormat, str] = {
    FileFormat.pdf: "application/pdf",
    FileFormat.step: "model/step",
    FileFormat.iges: "model/iges",
    FileFormat.stl: "model/stl",
    FileFormat.dxf: "image/vnd.dxf",
    FileFormat.png: "image/png",
    FileFormat.jpeg: "image/jpeg",
}

# The extension a stored name is given when it has none or a misleading one (a `.stl` that is a PDF).
EXTENSIONS: dict[FileFormat, tuple[str, ...]] = {
    FileFormat.pdf: (".pdf",),
    FileFormat.step: (".step", ".stp"),
    FileFormat.iges: (".iges", ".igs"),
    FileFormat.stl: (".stl",),
    FileFormat.dxf: (".dxf",),
    FileFormat.png: (".png",),
    FileFormat.jpeg: (".jpg", ".jpeg"),
}

# Archives are refused: their contents could not be sniffed, checked for size or shown to bidders one by one.
_ARCHIVES: tuple[tuple[bytes, ArchiveKind, str], ...] = (
    (b"PK\x03\x04", ArchiveKind.zip, "ZIP"),
    (b"PK\x05\x06", ArchiveKind.zip, "ZIP"),
    (b"\x1f\x8b", ArchiveKind.gzip, "gzip"),
    (b"7z\xbc\xaf\x27\x1c", ArchiveKind.seven_zip, "7-Zip"),
    (b"Rar!\x1a\x07", ArchiveKind.rar, "RAR"),
    (b"BZh", ArchiveKind.bzip2, "bzip2"),
    (b"\xfd7zXZ\x00", ArchiveKind.xz, "xz"),
    (b"\x28\xb5\x2f\xfd", ArchiveKind.zstd, "zstd"),
)
_BINARY_STL_HEADER = 80
_BINARY_STL_TRIANGLE = 50


class UnsupportedFile(FileRejected):
    """Not a file the exchange takes (empty, an archive, cut short, or of no accepted kind): the refusal says which,
    and lists the formats the exchange does take."""

    def __init__(
        self,
        reason: FileRejection,
        message: str,
        *,
        detected_format: FileFormat | None = None,
        archive_kind: ArchiveKind | None = None,
    ) -> None:
        super().__init__(
            ErrorCode.UNSUPPORTED_FILE,
            reason,
            message,
            allowed=[f.value for f in FileFormat],
            detected_format=detected_format.value if detected_format is not None else None,
            archive_kind=archive_kind,
        )


def _truncated(fmt: FileFormat, message: str) -> UnsupportedFile:
    return UnsupportedFile(FileRejection.truncated, message, detected_format=fmt)


# What sniffing reads of a file: its start and its end.
SNIFF_HEAD = 4096
SNIFF_TAIL = 1024


def _text_head(data: bytes, size: int = 4096) -> str:
    return data[:size].decode("latin-1")


def sniff(data: bytes) -> FileFormat:
    """The format of a file's content: PDF, STEP, IGES, STL (ASCII or binary), DXF, PNG or JPEG. Anything else,
    archives, and truncated files are refused (UnsupportedFile)."""
    return sniff_parts(data[:SNIFF_HEAD], data[-SNIFF_TAIL:], len(data))


def sniff_parts(start: bytes, tail: bytes, size: int) -> FileFormat:
    """sniff() from what it reads of a file: its first SNIFF_HEAD and last SNIFF_TAIL bytes and its size (a stored
    file is read as a stream; these are kept of it)."""
    data = start
    if size == 0:
        raise UnsupportedFile(FileRejection.empty, "the file is empty")
    for magic, kind, name in _ARCHIVES:
        if data.startswith(magic):
            raise UnsupportedFile(
                FileRejection.archive,
                f"archives ({name}) are not accepted: upload the files themselves",
                archive_kind=kind,
            )
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in tail:
            raise _truncated(FileFormat.pdf, "the PDF is truncated (no end-of-file marker)")
        return FileFormat.pdf
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if not tail.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
            raise _truncated(FileFormat.png, "the PNG image is truncated")
        return FileFormat.png
    if data.startswith(b"\xff\xd8\xff"):
        if b"\xff\xd9" not in tail[-16:]:
            raise _truncated(FileFormat.jpeg, "the JPEG image is truncated")
        return FileFormat.jpeg
    if _binary_stl(data, size):
        return FileFormat.stl
    head = _text_head(data).lstrip("\ufeff \t\r\n")
    if head.startswith("ISO-10303-21;"):
        if "END-ISO-10303-21;" not in _text_head(tail[-512:], 512):
            raise _truncated(FileFormat.step, "the STEP file is truncated (no END-ISO-10303-21)")
        return FileFormat.step
    if _iges(head):
        return FileFormat.iges
    if _dxf(head):
        return FileFormat.dxf
    if re.match(r"solid\b", head) and re.search(r"\bfacet\s+normal\b", head):
        if not re.search(r"\bendsolid\b", _text_head(tail[-512:], 512)):
            raise _truncated(FileFormat.stl, "the STL file is truncated (no endsolid)")
        return FileFormat.stl
    raise UnsupportedFile(
        FileRejection.unknown_content,
        "the file is not a PDF, STEP, IGES, STL, DXF, PNG or JPEG file (the type is read from the content, "
        "not the name)",
    )


def _binary_stl(data: bytes, size: int) -> bool:
    """An 80-byte header, a triangle count, and exactly that many 50-byte triangles (some exporters write `solid`
    into the header, so the size decides, not the first word)."""
    if size < _BINARY_STL_HEADER + 4 + _BINARY_STL_TRIANGLE:
        return False
    (count,) = struct.unpack_from("<I", data, _BINARY_STL_HEADER)
    return count > 0 and size == _BINARY_STL_HEADER + 4 + count * _BINARY_STL_TRIANGLE


def _iges(head: str) -> bool:
    """IGES: fixed 80-column records, the first a Start section record ('S' in column 73)."""
    first = head.split("\n", 1)[0].rstrip("\r")
    return len(first) == 80 and first[72] == "S" and first[73:].strip().isdigit()


def _dxf(head: str) -> bool:
    """DXF (ASCII): group code 0, then SECTION (a comment group 999 may come first)."""
    lines = [line.strip() for line in head.splitlines()[:6]]
    if lines[:1] == ["999"]:
        lines = lines[2:]
    return lines[:2] == ["0", "SECTION"]


_ACTIVE = re.compile(rb"/(JavaScript|JS|OpenAction|Launch|AA)\b")


def has_active_content(fmt: FileFormat, data: bytes) -> bool:
    """A PDF with JavaScript or auto-run actions: stored and served as a download only (never rendered by us), and
    flagged for whoever downloads it."""
    return fmt is FileFormat.pdf and bool(_ACTIVE.search(data))


class ActiveContentScan:
    """has_active_content over a stream of chunks: each chunk is searched with the end of the one before it, so a
    name split between two chunks is found."""

    _OVERLAP = 16  # longer than "/JavaScript" and the character after it

    def __init__(self) -> None:
        self._carry = b""
        self.found = False

    def feed(self, chunk: bytes) -> None:
        if not self.found:
            window = self._carry + chunk
            self.found = bool(_ACTIVE.search(window))
            self._carry = window[-self._OVERLAP :]


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def sanitise_name(raw: str, fmt: FileFormat) -> str:
    """A display and download name: the last path component (Windows or POSIX), no control or reserved
    characters, no leading dots, NFC, at most MAX_NAME_LENGTH characters, ending in an extension of its format."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    allowed = EXTENSIONS[fmt]
    suffix = f".{extension.lower()}" if extension else ""
    if suffix not in allowed:
        stem = name if name else ""
        suffix = allowed[0]
    stem = stem.strip(" .") or "file"
    stem = stem[: MAX_NAME_LENGTH - len(suffix)]
    return f"{stem}{suffix}"


@dataclass(frozen=True, slots=True)
class FileLimits:
    max_file_bytes: int
    max_order_bytes: int
    max_files_per_order: int


def check_size(size: int, limits: FileLimits, field: str = "file") -> None:
    if size > limits.max_file_bytes:
        raise file_too_large(limits.max_file_bytes, field)


def file_too_large(max_bytes: int, field: str = "file") -> FileRejected:
    return FileRejected(
        ErrorCode.FILE_TOO_LARGE,
        FileRejection.too_large,
        f"the file is larger than {max_bytes} bytes",
        field,
        limits=Limits(LimitUnit.BYTES, max=max_bytes),
    )


def check_order_room(*, used_bytes: int, used_count: int, adding: int, new_file: bool, limits: FileLimits) -> None:
    """An order keeps at most `max_files_per_order` files (a revision does not count as another) and
    `max_order_bytes` of them, revisions included."""
    if new_file and used_count >= limits.max_files_per_order:
        raise FileRejected(
            ErrorCode.FILE_LIMIT_REACHED,
            FileRejection.order_file_count,
            f"an order holds at most {limits.max_files_per_order} files",
            "orderId",
            limits=Limits(LimitUnit.FILES, max=limits.max_files_per_order),
        )
    if used_bytes + adding > limits.max_order_bytes:
        raise FileRejected(
            ErrorCode.FILE_LIMIT_REACHED,
            FileRejection.order_size,
            f"an order's files may take at most {limits.max_order_bytes} bytes in all",
            "file",
            limits=Limits(LimitUnit.BYTES, max=limits.max_order_bytes),
        )


class FileAccess(StrEnum):
    """Whether the viewer sees an order's files, and if not, why."""

    granted = "granted"
    nda_required = "nda_required"  # accept the order's current NDA first
    hidden = "hidden"  # the order itself is not visible (a draft, or invited-only and not invited)


def file_access(
    *,
    actor_orgs: set[UUID],
    is_operator: bool,
    buyer_id: UUID,
    order_visible: bool,
    nda_version: int | None,
    accepted_versions: set[int],
) -> FileAccess:
    """The buyer and operators always; everybody else only on an order they can see (invited-only orders: their
    invitees), and, when the order requires an NDA, once one of their organisations accepted its current version."""
    if is_operator or buyer_id in actor_orgs:
        return FileAccess.granted
    if not order_visible or not actor_orgs:
        return FileAccess.hidden
    if nda_version is not None and nda_version not in accepted_versions:
        return FileAccess.nda_required
    return FileAccess.granted


MAX_NDA_LENGTH = 20_000


def check_nda_text(text: str | None) -> str | None:
    """None or blank: no NDA required from now on; otherwise the text bidders must accept."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if len(text) > MAX_NDA_LENGTH:
        raise InvalidInput(
            f"the NDA may be at most {MAX_NDA_LENGTH} characters",
            "text",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=MAX_NDA_LENGTH),
        )
    return text
