"""Why the worker could not measure a model or make a preview, as a code a client can word in the reader's
language, with the one figure that explains it where there is one (the size, triangle count, time or memory the
exchange allows). The English sentence is kept alongside for logs and for clients that only show text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Limits, LimitUnit


class FailureCode(StrEnum):
    too_large = "too_large"  # larger than the exchange analyses (limit: bytes); not read at all
    file_missing = "file_missing"  # the stored bytes are gone
    unreadable = "unreadable"  # does not parse as its format (broken, truncated, not finite numbers)
    empty = "empty"  # reads, but holds nothing to measure or show (no triangles, no solids, no pages)
    too_complex = "too_complex"  # more triangles than analysed (limit: triangles)
    timed_out = "timed_out"  # the conversion ran past its deadline (limit: seconds)
    out_of_memory = "out_of_memory"  # the conversion ran out of its memory (limit: bytes)
    converter_crashed = "converter_crashed"  # OpenCASCADE or PDFium died on the file
    active_content = "active_content"  # a PDF with JavaScript or auto-run actions: never rendered by us


# The unit of a code's figure; codes without one carry none.
LIMIT_UNITS: dict[FailureCode, LimitUnit] = {
    FailureCode.too_large: LimitUnit.BYTES,
    FailureCode.too_complex: LimitUnit.TRIANGLES,
    FailureCode.timed_out: LimitUnit.SECONDS,
    FailureCode.out_of_memory: LimitUnit.BYTES,
}


@dataclass(frozen=True, slots=True)
class Failure:
    code: FailureCode
    message: str  # English, for logs and text-only clients
    limit: int | None = None  # the most the exchange allows, in LIMIT_UNITS[code]

    @property
    def limits(self) -> Limits | None:
        unit = LIMIT_UNITS.get(self.code)
        return None if unit is None or self.limit is None else Limits(unit, max=self.limit)


class ProcessingFailed(Exception):
    """A model or drawing the worker cannot measure or render; recorded as a failed analysis or preview."""

    def __init__(self, code: FailureCode, message: str, limit: int | None = None) -> None:
        super().__init__(message)
        self.failure = Failure(code, message, limit)


# The sentences the worker wrote before it recorded codes (migration files_0004), first match wins.
_LEGACY: tuple[tuple[re.Pattern[str], FailureCode], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^larger than the .* analysed$", FailureCode.too_large),
        (r"^the stored file is missing$", FailureCode.file_missing),
        (r"triangles: more than the \d+ analysed$|^more than the \d+ triangles analysed$", FailureCode.too_complex),
        (r"^the conversion took longer than", FailureCode.timed_out),
        (r"^out of memory$", FailureCode.out_of_memory),
        (r"^the converter (crashed|failed)", FailureCode.converter_crashed),
        (r"^not rendered: the PDF has JavaScript", FailureCode.active_content),
        (r"^no complete triangles|^the model has no surfaces$|^the PDF has no pages$", FailureCode.empty),
    )
)


def failure_of(code: str | None, message: str, limit: int | None) -> Failure:
    """A stored failure. Rows written before codes existed have none: their English sentence says which (without
    the figure, which they did not keep); anything else reads as unreadable."""
    if code:
        try:
            return Failure(FailureCode(code), message, limit)
        except ValueError:
            return Failure(FailureCode.unreadable, message, limit)
    legacy = next((known for pattern, known in _LEGACY if pattern.search(message)), FailureCode.unreadable)
    return Failure(legacy, message, None)
