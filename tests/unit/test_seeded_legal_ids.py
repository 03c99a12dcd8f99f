"""The registration numbers the seeds give organisations: valid for each country by today's check, the same on every
run, one organisation's apart from another's (the column is unique), across the whole range the profiles use."""

from __future__ import annotations

import pytest

from domain.organisations.rules import LegalIdKind, legal_id_is_valid, legal_id_kind
from exchange.seed import MAX_ORGANISATION_NUMBER, seeded_legal_id

REGIONS = {"RU-MOW": LegalIdKind.inn, "KZ-75": LegalIdKind.bin, "BY-MI": LegalIdKind.unp, "AM-ER": None}
# The first numbers, a stretch around 200,000 (the 10x profile's organisations) and the last one.
NUMBERS = [*range(0, 3000), *range(199_000, 201_000), MAX_ORGANISATION_NUMBER]


@pytest.mark.parametrize("region", list(REGIONS))
def test_every_seeded_legal_id_passes_its_countrys_check_and_is_its_organisations_own(region: str) -> None:
    ids = [seeded_legal_id(number, region) for number in NUMBERS]

    assert [legal_id for legal_id in ids if not legal_id_is_valid(legal_id, region)] == []
    assert len(set(ids)) == len(ids)
    assert ids == [seeded_legal_id(number, region) for number in NUMBERS]  # the same on every run
    assert legal_id_kind(region) is (REGIONS[region] or LegalIdKind.registration_number)


def test_russian_ids_are_ten_digit_inns_apart_from_the_older_seeds_99_numbers() -> None:
    assert seeded_legal_id(1, "RU-MOW") == "9800000013"
    assert all(seeded_legal_id(n, "RU-SVE").startswith("98") for n in range(100))


def test_a_number_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        seeded_legal_id(MAX_ORGANISATION_NUMBER + 1, "RU-MOW")
