"""A conversion that fails says why as a code with its figure (outcomes.FailureCode), not only in English."""

from __future__ import annotations

import pytest

from domain.errors import Limits, LimitUnit
from domain.files.convert import ConversionFailed, ConversionLimits, convert
from domain.files.outcomes import FailureCode, failure_of
from tests import files_samples as samples


async def test_a_step_file_without_solids_is_unreadable() -> None:
    with pytest.raises(ConversionFailed) as failed:
        await convert("step", samples.step("no solid in here"), ConversionLimits())
    assert failed.value.failure.code == FailureCode.unreadable
    assert failed.value.failure.message == "the STEP file does not parse or holds no solid shapes"
    assert failed.value.failure.limits is None


async def test_a_conversion_past_its_deadline_says_the_deadline() -> None:
    with pytest.raises(ConversionFailed) as failed:
        await convert("step", samples.step_box(40, 20, 10), ConversionLimits(timeout_seconds=0.05))
    assert failed.value.failure.code == FailureCode.timed_out
    assert failed.value.failure.limits == Limits(LimitUnit.SECONDS, max=1)


async def test_a_conversion_out_of_memory_says_the_memory_it_had() -> None:
    memory = 64 * 1024**2  # too little to load OpenCASCADE's libraries at all
    with pytest.raises(ConversionFailed) as failed:
        await convert("step", samples.step_box(40, 20, 10), ConversionLimits(memory_bytes=memory))
    assert failed.value.failure.code == FailureCode.out_of_memory
    assert failed.value.failure.limits == Limits(LimitUnit.BYTES, max=memory)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("larger than the 100 MiB analysed", FailureCode.too_large),
        ("the stored file is missing", FailureCode.file_missing),
        ("5000001 triangles: more than the 5000000 analysed", FailureCode.too_complex),
        ("more than the 5000000 triangles analysed", FailureCode.too_complex),
        ("the conversion took longer than 120 s", FailureCode.timed_out),
        ("out of memory", FailureCode.out_of_memory),
        ("the converter crashed on this file (SIGSEGV)", FailureCode.converter_crashed),
        ("not rendered: the PDF has JavaScript or auto-run actions", FailureCode.active_content),
        ("no complete triangles in the STL file", FailureCode.empty),
        ("the PDF has no pages", FailureCode.empty),
        ("the STEP file does not parse or holds no solid shapes", FailureCode.unreadable),
        ("something nobody wrote", FailureCode.unreadable),
    ],
)
def test_a_failure_stored_before_codes_is_read_from_its_sentence(sentence: str, code: FailureCode) -> None:
    failure = failure_of(None, sentence, None)
    assert (failure.code, failure.message, failure.limits) == (code, sentence, None)


def test_a_stored_code_is_read_as_stored_with_its_figure() -> None:
    assert failure_of("too_large", "larger", 4096).limits == Limits(LimitUnit.BYTES, max=4096)
    assert failure_of("not_a_code", "x", None).code == FailureCode.unreadable
