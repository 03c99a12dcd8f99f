"""An organisation's legal id by the country of its region: Russia's ИНН, Kazakhstan's БИН and Belarus's УНП with
their check digits (pinned on real, published numbers), anything else a registration number; and the SQL twin of the
rule (migration organisations_legal_id, the operator's filter) answers as the Python one does."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.errors import DomainError
from domain.organisations.legal_rules import bin_is_valid, unp_is_valid
from domain.organisations.rules import LegalIdKind, check_organisation_legal_id, legal_id_is_valid, legal_id_kind

# Published numbers: Kaspi Bank and Halyk Bank (БИН), Belarusbank and Priorbank (УНП), Sberbank (ИНН).
KASPI_BIN, HALYK_BIN = "971240001315", "940140000385"
BELARUSBANK_UNP, PRIORBANK_UNP = "100325912", "100220190"
SBER_INN = "7707083893"


@pytest.mark.parametrize(
    ("region", "kind"),
    [
        ("RU-MOW", LegalIdKind.inn),
        ("KZ-75", LegalIdKind.bin),
        ("BY-HM", LegalIdKind.unp),
        ("UZ-TK", LegalIdKind.registration_number),
        ("DE-BY", LegalIdKind.registration_number),  # Bavaria, not Belarus
    ],
)
def test_the_legal_id_is_the_one_its_country_issues(region: str, kind: LegalIdKind) -> None:
    assert legal_id_kind(region) is kind


@pytest.mark.parametrize("number", [KASPI_BIN, HALYK_BIN])
def test_published_bins_pass_and_only_their_check_digit_does(number: str) -> None:
    assert bin_is_valid(number)
    assert [d for d in "0123456789" if bin_is_valid(number[:11] + d)] == [number[11]]


@pytest.mark.parametrize("number", [BELARUSBANK_UNP, PRIORBANK_UNP])
def test_published_unps_pass_and_only_their_check_digit_does(number: str) -> None:
    assert unp_is_valid(number)
    assert [d for d in "0123456789" if unp_is_valid(number[:8] + d)] == [number[8]]


@pytest.mark.parametrize(
    ("legal_id", "region", "stored"),
    [
        (f"{KASPI_BIN[:6]} {KASPI_BIN[6:]}", "KZ-75", KASPI_BIN),
        (BELARUSBANK_UNP, "BY-MI", BELARUSBANK_UNP),
        ("uz-301234567", "UZ-TK", "UZ-301234567"),
        (SBER_INN, "RU-MOW", SBER_INN),
    ],
)
def test_a_legal_id_is_checked_by_its_country(legal_id: str, region: str, stored: str) -> None:
    assert check_organisation_legal_id(legal_id, region) == stored


@pytest.mark.parametrize(
    ("legal_id", "region"),
    [
        (SBER_INN, "KZ-75"),  # an ИНН is not a БИН
        (KASPI_BIN[:11] + "0", "KZ-75"),  # the check digit
        (KASPI_BIN[:11], "KZ-75"),
        (BELARUSBANK_UNP[:8] + "0", "BY-MI"),
        (BELARUSBANK_UNP + "1", "BY-MI"),
        (KASPI_BIN, "RU-MOW"),  # a БИН is not an ИНН
        ("?", "UZ-TK"),
    ],
)
def test_a_number_its_country_does_not_issue_is_refused_at_the_legal_id(legal_id: str, region: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_organisation_legal_id(legal_id, region, "organisation.legalId")

    assert (refused.value.code.value, refused.value.field) == ("invalid", "organisation.legalId")


SAMPLES = (
    [
        (SBER_INN, "RU-MOW"),
        ("7707083894", "RU-MOW"),
        ("500100732259", "RU-MOS"),  # a sole proprietor's ИНН with both check digits right
        ("500100732258", "RU-MOS"),
        ("123", "RU-MOW"),
        ("R-12345", "RU-MOW"),
        (KASPI_BIN, "KZ-75"),
        (HALYK_BIN, "KZ-71"),
        ("990140000385", "KZ-75"),
        ("KZ-990140000385", "KZ-75"),
        (BELARUSBANK_UNP, "BY-MI"),
        (PRIORBANK_UNP, "BY-HM"),
        ("100325913", "BY-MI"),
        ("UZ-301234567", "UZ-TK"),
        ("AB", "UZ-TK"),
        ("de-123", "DE-BY"),
    ]
    + [(f"77{n:08d}", "RU-MOW") for n in range(0, 400, 7)]
    + [(f"9401400{n:05d}", "KZ-75") for n in range(0, 300, 7)]
)


async def test_the_sql_rule_answers_as_the_python_rule(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        answers = [
            (await conn.scalar(text("select organisation_legal_id_valid(:id, :region)"), {"id": i, "region": r}))
            for i, r in SAMPLES
        ]

    assert answers == [legal_id_is_valid(i, r) for i, r in SAMPLES]
    assert True in answers and False in answers
