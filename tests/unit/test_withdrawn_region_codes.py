"""The withdrawn-code table (domain/organisations/regions.py) against the region list the web app offers
(web/src/i18n/regions.ts, checked against ISO 3166-2 on 2026-12-06): every code it sends people to is a current one,
and every current Kazakh code is either a letter code's successor or one of the three regions formed in 2022."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.errors import DomainError, ErrorCode
from domain.organisations.regions import WITHDRAWN_CODES
from domain.organisations.rules import check_region, check_region_filter

WEB_REGIONS = Path(__file__).resolve().parents[2] / "web" / "src" / "i18n" / "regions.ts"


def _web_codes() -> set[str]:
    return set(re.findall(r'^\s*"([A-Z]{2}-[A-Z0-9]{1,3})":', WEB_REGIONS.read_text(), re.MULTILINE))


def test_every_replacement_is_a_current_code_and_every_current_kazakh_code_is_accounted_for() -> None:
    current_kz = {code for code in _web_codes() if code.startswith("KZ-")}
    successors = {w.replaced_by for w in WITHDRAWN_CODES.values()}
    split_off = {w.split_off[0] for w in WITHDRAWN_CODES.values() if w.split_off is not None}

    assert len(current_kz) == 20  # 17 regions and 3 cities
    assert successors | split_off == current_kz
    assert len(successors) == len(WITHDRAWN_CODES) == 17  # one successor each, none shared
    assert split_off == {"KZ-10", "KZ-33", "KZ-62"}  # Abai, Jetisu, Ulytau
    assert not set(WITHDRAWN_CODES) & _web_codes()


@pytest.mark.parametrize(("old", "new"), sorted((code, w.replaced_by) for code, w in WITHDRAWN_CODES.items()))
def test_a_withdrawn_code_is_refused_with_its_successor(old: str, new: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_region(old.lower(), "deliveryRegion")

    assert (refused.value.code, refused.value.field, refused.value.replaced_by) == (
        ErrorCode.REGION_WITHDRAWN,
        "deliveryRegion",
        new,
    )
    assert old in refused.value.message and new in refused.value.message
    assert check_region(new) == new


def test_a_filter_naming_a_withdrawn_code_is_refused_too() -> None:
    with pytest.raises(DomainError) as refused:
        check_region_filter(["RU-MOW", "KZ-ALA"])

    assert (refused.value.code, refused.value.field, refused.value.replaced_by) == (
        ErrorCode.REGION_WITHDRAWN,
        "filter.regions",
        "KZ-75",
    )
