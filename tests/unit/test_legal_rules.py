"""Legal details' rules: check digits of ИНН and ОГРН/ОГРНИП on real, published numbers; the bank account's control key
against the БИК (every single-digit slip is caught); what a legal entity and a sole proprietor must and must not
state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.organisations.legal_rules import (
    EntityKind,
    LegalDetailsDraft,
    SignatoryBasis,
    account_key_is_valid,
    check_account,
    check_inn,
    check_kpp,
    check_ogrn,
    inn_is_valid,
    ogrn_is_valid,
)

TODAY = date(2026, 12, 6)
# ПАО Сбербанк, as published: ИНН, ОГРН, БИК and correspondent account.
SBER = {"inn": "7707083893", "ogrn": "1027700132195", "bik": "044525225", "corr": "30101810400000000225"}
# АО «ТБанк»: БИК and correspondent account.
TBANK = {"bik": "044525974", "corr": "30101810145250000974"}


def draft(**changes: object) -> LegalDetailsDraft:
    base = LegalDetailsDraft(
        inn=SBER["inn"],
        kpp="773601001",
        ogrn=SBER["ogrn"],
        legal_address="117312, г. Москва, ул. Вавилова, д. 19",
        postal_address=None,
        signatory_name="Иванов Пётр Сергеевич",
        signatory_position="Генеральный директор",
        signatory_basis=SignatoryBasis.charter,
        power_of_attorney_number=None,
        power_of_attorney_date=None,
        bank_name="АО «ТБанк»",
        bik=TBANK["bik"],
        settlement_account="40702810100000054321",
        correspondent_account=TBANK["corr"],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def refused(value: LegalDetailsDraft) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as caught:
        value.checked(TODAY)
    return caught.value.code.value, caught.value.field


def test_published_numbers_pass_their_check_digits() -> None:
    assert inn_is_valid(SBER["inn"]) and ogrn_is_valid(SBER["ogrn"])
    assert inn_is_valid("500100732259")  # a sole proprietor's 12-digit ИНН
    assert ogrn_is_valid("304500116000157")  # an ОГРНИП
    assert account_key_is_valid(SBER["bik"], SBER["corr"], correspondent=True)
    assert account_key_is_valid(TBANK["bik"], TBANK["corr"], correspondent=True)
    # Another bank's correspondent account: its key may pass within a region, its last 3 digits (the БИК's) do not.
    with pytest.raises(DomainError) as caught:
        check_account(TBANK["corr"], SBER["bik"], correspondent=True, field="correspondentAccount")
    assert caught.value.field == "correspondentAccount"


def test_a_slipped_digit_fails_the_check() -> None:
    assert not inn_is_valid("7707083894")
    assert not inn_is_valid("500100732258")
    assert not ogrn_is_valid("1027700132196")
    assert not ogrn_is_valid("304500116000158")
    assert check_inn(" 7707 083893 ") == ("7707083893", EntityKind.legal_entity)
    assert check_inn("500100732259") == ("500100732259", EntityKind.sole_proprietor)
    with pytest.raises(DomainError) as caught:
        check_inn("7707083894")
    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID, "inn")
    with pytest.raises(DomainError):
        check_ogrn("304500116000157", EntityKind.legal_entity)  # an ОГРНИП where an ОГРН belongs


@given(position=st.integers(0, 19), delta=st.integers(1, 9))
def test_every_single_digit_change_of_an_account_is_caught(position: int, delta: int) -> None:
    # Weights 7, 1 and 3 are coprime with 10: one changed digit always changes the sum's last digit.
    account = "40702810100000054321"
    assert account_key_is_valid(TBANK["bik"], account, correspondent=False)
    changed = account[:position] + str((int(account[position]) + delta) % 10) + account[position + 1 :]
    assert not account_key_is_valid(TBANK["bik"], changed, correspondent=False)


def test_a_legal_entity_states_a_kpp_and_a_sole_proprietor_none() -> None:
    assert check_kpp("7736 01001", EntityKind.legal_entity) == "773601001"
    assert check_kpp("7736AB001", EntityKind.legal_entity) == "7736AB001"  # reason codes may be letters
    assert check_kpp(None, EntityKind.sole_proprietor) is None
    with pytest.raises(DomainError) as caught:
        check_kpp(None, EntityKind.legal_entity)
    assert caught.value.code == ErrorCode.REQUIRED
    with pytest.raises(DomainError):
        check_kpp("773601001", EntityKind.sole_proprietor)
    with pytest.raises(DomainError):
        check_kpp("77360100", EntityKind.legal_entity)


def test_the_whole_draft_is_checked_field_by_field() -> None:
    details = draft(postal_address="117312, г. Москва, ул. Вавилова, д. 19").checked(TODAY)
    assert (details.entity_kind, details.kpp, details.postal_address) == (EntityKind.legal_entity, "773601001", None)
    assert details.basis_text() == "Устава"

    assert refused(draft(inn="7707083894")) == ("invalid", "inn")
    assert refused(draft(ogrn="1027700132196")) == ("invalid", "ogrn")
    assert refused(draft(kpp=None)) == ("required", "kpp")
    assert refused(draft(bik="044525226")) == ("invalid", "settlementAccount")  # the account no longer fits
    assert refused(draft(bik="123456789")) == ("invalid", "bik")
    assert refused(draft(settlement_account="40702810100000054322")) == ("invalid", "settlementAccount")
    assert refused(draft(correspondent_account=SBER["corr"])) == ("invalid", "correspondentAccount")
    assert refused(draft(legal_address="  ")) == ("required", "legalAddress")
    assert refused(draft(signatory_basis=SignatoryBasis.egrip_record)) == ("invalid", "signatoryBasis")
    assert refused(draft(signatory_basis=SignatoryBasis.power_of_attorney, power_of_attorney_number="12")) == (
        "required",
        "powerOfAttorneyDate",
    )
    assert refused(
        draft(
            signatory_basis=SignatoryBasis.power_of_attorney,
            power_of_attorney_number="12",
            power_of_attorney_date=date(2026, 12, 7),
        )
    ) == ("out_of_range", "powerOfAttorneyDate")


def test_a_sole_proprietor_signs_on_the_egrip_record_or_a_power_of_attorney() -> None:
    proprietor = draft(
        inn="500100732259", kpp=None, ogrn="304500116000157", signatory_basis=SignatoryBasis.egrip_record
    )
    assert proprietor.checked(TODAY).entity_kind == EntityKind.sole_proprietor
    assert refused(replace(proprietor, signatory_basis=SignatoryBasis.charter)) == ("invalid", "signatoryBasis")
    assert refused(replace(proprietor, kpp="773601001")) == ("invalid", "kpp")
    assert refused(replace(proprietor, ogrn=SBER["ogrn"])) == ("invalid", "ogrn")
    by_proxy = replace(
        proprietor,
        signatory_basis=SignatoryBasis.power_of_attorney,
        power_of_attorney_number="77 АГ 123",
        power_of_attorney_date=date(2026, 2, 1),
    ).checked(TODAY)
    assert by_proxy.basis_text() == "Доверенности № 77 АГ 123 от 01.02.2026"
