from __future__ import annotations

import pytest

from domain.errors import Limits, LimitUnit
from domain.files import geometry
from domain.files.geometry import GeometryFailed, fits, stl_geometry
from domain.files.outcomes import FailureCode
from tests import files_samples as samples


def test_a_binary_box_has_its_size_volume_and_area() -> None:
    geometry = stl_geometry(samples.stl_binary(samples.box(10, 20, 30)))
    assert geometry.envelope == (10.0, 20.0, 30.0)
    assert geometry.volume_mm3 == pytest.approx(6000.0)
    assert geometry.area_mm2 == pytest.approx(2 * (200 + 600 + 300))
    assert geometry.triangles == 12


def test_ascii_stl_is_read_too() -> None:
    geometry = stl_geometry(samples.stl_ascii(25.0))
    assert (geometry.size_x_mm, geometry.size_y_mm, geometry.size_z_mm) == (25.0, 25.0, 0.0)
    assert geometry.area_mm2 == pytest.approx(312.5)


def test_unreadable_models_fail_with_a_reason() -> None:
    nan = samples.stl_binary([((0, 0, 0), (float("nan"), 0, 0), (0, 1, 0))])
    with pytest.raises(GeometryFailed, match="not finite") as unreadable:
        stl_geometry(nan)
    assert (unreadable.value.failure.code, unreadable.value.failure.limits) == (FailureCode.unreadable, None)
    with pytest.raises(GeometryFailed, match="no complete triangles") as empty:
        stl_geometry(b"solid x\n facet normal 0 0 1\n outer loop\n vertex 0 0 0\n endloop\nendsolid x\n")
    assert empty.value.failure.code == FailureCode.empty


def test_a_model_with_more_triangles_than_analysed_says_the_most(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry, "MAX_TRIANGLES", 11)
    with pytest.raises(GeometryFailed) as failed:
        stl_geometry(samples.stl_binary(samples.box(10, 20, 30)))  # 12 triangles
    assert failed.value.failure.code == FailureCode.too_complex
    assert failed.value.failure.limits == Limits(LimitUnit.TRIANGLES, max=11)


@pytest.mark.parametrize(
    ("part", "machine", "expected"),
    [
        ((100, 50, 20), (100, 50, 20), True),
        ((20, 100, 50), (100, 50, 30), True),  # turned on its side
        ((120, 10, 10), (100, 100, 100), False),  # too long whichever way
        ((60, 60, 60), (100, 100, 50), False),
    ],
)
def test_a_part_fits_in_some_orientation(part: tuple[float, ...], machine: tuple[float, ...], expected: bool) -> None:
    assert fits(part, machine) is expected  # type: ignore[arg-type]


def test_machine_hours_from_a_model_for_machining_only() -> None:
    from domain.matching.estimate import hours_from_model

    # A 100 x 50 x 20 mm block (100 cm3 of stock) with 40 cm3 of part: 60 cm3 removed at 30 cm3/min = 2 min + 5 min
    # handling, for 120 parts: 14 hours.
    estimate = hours_from_model(
        process="cnc_milling", material="Aluminium 6061", quantity=120, envelope_mm=(100, 50, 20), volume_mm3=40_000
    )
    assert estimate is not None and estimate.hours == 14
    assert estimate.basis == (
        "estimated from the model: 120 parts x (60 cm3 removed at 30 cm3/min + 5 min handling) = 14 machine-hours"
    )
    steel = hours_from_model(
        process="cnc_milling", material="Сталь 45", quantity=120, envelope_mm=(100, 50, 20), volume_mm3=40_000
    )
    assert steel is not None and steel.hours == 22  # 6 + 5 min a part
    assert (
        hours_from_model(
            process="injection_molding", material="ABS", quantity=120, envelope_mm=(100, 50, 20), volume_mm3=40_000
        )
        is None
    )
    assert (
        hours_from_model(
            process="cnc_milling", material="ABS", quantity=120, envelope_mm=(100, 50, 20), volume_mm3=None
        )
        is None
    )
