"""Conversions that run native code over untrusted files, each in a child process of its own: STEP and IGES to glTF
binary (GLB) through OpenCASCADE (the `cascadio` wheel), and a PDF's first page to PNG through PDFium (the
`pypdfium2` wheel). A malformed or hostile file can crash OpenCASCADE (a segmentation fault on a broken STEP
entity) or make it loop; in a child with a memory limit and a deadline that is a ConversionFailed with a reason, and
the worker records it as a failed analysis instead of dying.

PDFium renders without running a PDF's JavaScript (the library has no JavaScript engine built in); PDFs flagged as
having JavaScript or auto-run actions are not rendered all the same (analysis.py): stored, never rendered by us.

Run as `python -m domain.files.convert step|iges|pdf`: the file on stdin, the result on stdout, a reason on stderr
and exit status 2 when the file cannot be converted."""

from __future__ import annotations

import asyncio
import math
import os
import resource
import signal
import struct
import sys
import zlib
from dataclasses import dataclass
from typing import Any, Literal

from domain.files.outcomes import FailureCode, ProcessingFailed

ConversionKind = Literal["step", "iges", "pdf"]
# The first page is drawn this wide at most (pixels), and at most at 2x its nominal size.
PREVIEW_WIDTH_PX = 1400


class ConversionFailed(ProcessingFailed):
    """The child could not convert the file: its code says why (outcomes.py)."""


class _Unconvertible(ValueError):
    """In the child: the file is not one it can convert; reported as `<code>: <reason>` on stderr."""

    def __init__(self, code: FailureCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")


@dataclass(frozen=True, slots=True)
class ConversionLimits:
    timeout_seconds: float = 120.0
    memory_bytes: int = 2 * 1024**3


async def convert(kind: ConversionKind, data: bytes, limits: ConversionLimits) -> bytes:
    """The converted bytes, or ConversionFailed (the child's reason, a crash, the deadline)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "domain.files.convert",
        kind,
        str(limits.memory_bytes),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # its own process group: the deadline ends it and anything it started
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(data), limits.timeout_seconds)
    except TimeoutError:
        os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        raise ConversionFailed(
            FailureCode.timed_out,
            f"the conversion took longer than {limits.timeout_seconds:.0f} s",
            math.ceil(limits.timeout_seconds),
        ) from None
    if process.returncode == 0 and out:
        return out
    reason = err.decode("utf-8", "replace").strip().splitlines()
    if process.returncode is not None and process.returncode < 0:
        name = signal.Signals(-process.returncode).name
        raise ConversionFailed(FailureCode.converter_crashed, f"the converter crashed on this file ({name})")
    if not reason or process.returncode != 2:  # 2: the child's own refusal; anything else is an uncaught error
        last = reason[-1][:300] if reason else f"the converter failed (status {process.returncode})"
        raise ConversionFailed(FailureCode.converter_crashed, last)
    code, _, message = reason[-1].partition(": ")
    if code == FailureCode.out_of_memory.value:
        raise ConversionFailed(FailureCode.out_of_memory, message[:300], limits.memory_bytes)
    if code in FailureCode.__members__:
        raise ConversionFailed(FailureCode(code), message[:300])
    raise ConversionFailed(FailureCode.unreadable, reason[-1][:300])


def _brep_to_glb(data: bytes, kind: Literal["step", "iges"]) -> bytes:
    import cascadio

    glb: bytes = cascadio.load(data, file_type=kind, use_parallel=False)
    if not glb:
        raise _Unconvertible(FailureCode.unreadable, f"the {kind.upper()} file does not parse or holds no solid shapes")
    return glb


def _pdf_first_page_png(data: bytes) -> bytes:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise _Unconvertible(FailureCode.unreadable, f"the PDF cannot be read: {error}") from None
    if len(document) == 0:
        raise _Unconvertible(FailureCode.empty, "the PDF has no pages")
    page = document[0]
    width, _height = page.get_size()  # points: 1/72 inch
    scale = min(2.0, PREVIEW_WIDTH_PX / max(width, 1.0))
    bitmap = page.render(scale=scale, may_draw_forms=False, rev_byteorder=True)
    pixels = bitmap.to_numpy()  # height x width x 3 (RGB), or 4 with alpha
    return _png(pixels[:, :, :3])


def _png(rgb: Any) -> bytes:
    """An RGB image as PNG, with zlib alone (no imaging library needed for one picture)."""
    height, width, _ = rgb.shape
    rows = b"".join(b"\x00" + rgb[y].tobytes() for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")


def main(argv: list[str]) -> int:
    kind, memory = argv[0], int(argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    data = sys.stdin.buffer.read()
    try:
        if kind == "pdf":
            out = _pdf_first_page_png(data)
        elif kind in ("step", "iges"):
            out = _brep_to_glb(data, kind)  # type: ignore[arg-type]
        else:
            raise ValueError(f"unknown conversion {kind}")
    except MemoryError:
        print(f"{FailureCode.out_of_memory.value}: the conversion ran out of memory", file=sys.stderr)
        return 2
    except (ImportError, OSError) as error:
        # Under the address-space limit a shared library that cannot be mapped is memory, not a broken file.
        if "failed to map segment" not in str(error):
            raise
        print(f"{FailureCode.out_of_memory.value}: the conversion ran out of memory", file=sys.stderr)
        return 2
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
