"""Manufacturer profile input: materials are trimmed, lower-cased, de-duplicated, and free of control characters."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.manufacturers.rules import check_materials


def test_materials_are_trimmed_lower_cased_and_de_duplicated() -> None:
    assert check_materials(["  AlMg3 ", "almg3", "Латунь Л63", "Steel 45"]) == ["almg3", "steel 45", "латунь л63"]


@pytest.mark.parametrize("value", ["steel\x1f45", "bronze\x00", "al\nmg"])
def test_control_characters_in_a_material_are_refused(value: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_materials([value])
    assert refused.value.field == "materials"
