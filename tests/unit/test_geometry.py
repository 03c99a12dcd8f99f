from __future__ import annotations

import pytest

from domain.files.geometry import GeometryFailed, fits, stl_geometry
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
    with pytest.raises(GeometryFailed, match="not finite"):
        stl_geometry(nan)
    with pytest.raises(GeometryFailed, match="no complete triangles"):
        stl_geometry(b"solid x\n facet normal 0 0 1\n outer loop\n vertex 0 0 0\n endloop\nendsolid x\n")


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
