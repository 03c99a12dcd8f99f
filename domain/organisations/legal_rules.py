"""Pure rules for an organisation's legal details (реквизиты): the registration numbers with their check digits
(ИНН, КПП, ОГРН/ОГРНИП), the bank account checked against its БИК with the Bank of Russia's control key, the
signatory and the basis of the signatory's authority. Nothing here does I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from domain.errors import ErrorCode, InvalidInput
from domain.text import check_text


class EntityKind(StrEnum):
    """Read from the ИНН: 10 digits for a legal entity, 12 for an individual (a sole proprietor, ИП)."""

    legal_entity = "legal_entity"
    sole_proprietor = "sole_proprietor"


class SignatoryBasis(StrEnum):
    """On what authority the signatory signs («действует на основании …»)."""

    charter = "charter"  # «Устава»: the director of a legal entity
    power_of_attorney = "power_of_attorney"  # «Доверенности № … от …»
    egrip_record = "egrip_record"  # a sole proprietor signing for himself («записи ЕГРИП»)


_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
# The Bank of Russia's control key for account numbers (Положение ЦБ РФ № 579-П, прил.): weights 7, 1, 3 repeated
# over 23 digits (3 from the БИК, then the 20-digit account); the weighted sum's last digit is 0.
_ACCOUNT_WEIGHTS = (7, 1, 3) * 8
_KPP = re.compile(r"^\d{4}[0-9A-Z]{2}\d{3}$")


def _digits(value: str) -> str:
    return value.strip().replace(" ", "")


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def inn_is_valid(inn: str) -> bool:
    if not inn.isdigit() or len(inn) not in (10, 12):
        return False
    if len(inn) == 10:
        return _weighted(inn, _INN10_WEIGHTS) % 11 % 10 == int(inn[9])
    return _weighted(inn, _INN11_WEIGHTS) % 11 % 10 == int(inn[10]) and _weighted(inn, _INN12_WEIGHTS) % 11 % 10 == int(
        inn[11]
    )


def check_inn(inn: str, field: str = "inn") -> tuple[str, EntityKind]:
    """An ИНН with correct check digits, and what kind of taxpayer its length says it is."""
    inn = _digits(inn)
    if not inn.isdigit() or len(inn) not in (10, 12):
        raise InvalidInput("an ИНН is 10 digits (a legal entity) or 12 digits (a sole proprietor)", field)
    if not inn_is_valid(inn):
        raise InvalidInput("the ИНН's check digits do not match: check the number", field)
    return inn, EntityKind.legal_entity if len(inn) == 10 else EntityKind.sole_proprietor


# Kazakhstan's БИН (12 digits): the 12th is the weighted sum of the first 11 mod 11 with weights 1..11; when that is
# 10, again with weights 3..11, 1, 2; when it is 10 again the number is never issued.
_BIN_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
# Belarus's УНП (9 digits): the 9th is the weighted sum of the first 8 mod 11; a remainder of 10 is never issued.
_UNP_WEIGHTS = (29, 23, 19, 17, 13, 7, 5, 3)


def bin_is_valid(bin_: str) -> bool:
    if not bin_.isdigit() or len(bin_) != 12:
        return False
    for weights in _BIN_WEIGHTS:
        check = _weighted(bin_, weights) % 11
        if check != 10:
            return check == int(bin_[11])
    return False


def unp_is_valid(unp: str) -> bool:
    if not unp.isdigit() or len(unp) != 9:
        return False
    check = _weighted(unp, _UNP_WEIGHTS) % 11
    return check != 10 and check == int(unp[8])


def check_bin(bin_: str, field: str = "legalId") -> str:
    """A Kazakh БИН (бизнес-идентификационный номер): 12 digits, the last a check digit."""
    bin_ = _digits(bin_)
    if not bin_.isdigit() or len(bin_) != 12:
        raise InvalidInput("a БИН is 12 digits", field)
    if not bin_is_valid(bin_):
        raise InvalidInput("the БИН's check digit does not match: check the number", field)
    return bin_


def check_unp(unp: str, field: str = "legalId") -> str:
    """A Belarusian УНП (учётный номер плательщика) of an organisation: 9 digits, the last a check digit."""
    unp = _digits(unp)
    if not unp.isdigit() or len(unp) != 9:
        raise InvalidInput("an УНП is 9 digits", field)
    if not unp_is_valid(unp):
        raise InvalidInput("the УНП's check digit does not match: check the number", field)
    return unp


def ogrn_is_valid(ogrn: str) -> bool:
    """ОГРН (13 digits): the 13th is (the first 12 mod 11) mod 10; ОГРНИП (15): the 15th is (the first 14 mod 13)
    mod 10."""
    if not ogrn.isdigit() or len(ogrn) not in (13, 15):
        return False
    modulus = 11 if len(ogrn) == 13 else 13
    return int(ogrn[:-1]) % modulus % 10 == int(ogrn[-1])


def check_ogrn(ogrn: str, kind: EntityKind, field: str = "ogrn") -> str:
    ogrn = _digits(ogrn)
    length = 13 if kind is EntityKind.legal_entity else 15
    if not ogrn.isdigit() or len(ogrn) != length:
        what = "an ОГРН is 13 digits" if kind is EntityKind.legal_entity else "an ОГРНИП is 15 digits"
        raise InvalidInput(what, field)
    if not ogrn_is_valid(ogrn):
        raise InvalidInput("the check digit does not match: check the number", field)
    return ogrn


def check_kpp(kpp: str | None, kind: EntityKind, field: str = "kpp") -> str | None:
    """Legal entities have a КПП (9 characters: 4 digits, 2 digits or capital letters, 3 digits); sole proprietors
    have none."""
    kpp = _digits(kpp or "").upper() or None
    if kind is EntityKind.sole_proprietor:
        if kpp is not None:
            raise InvalidInput("a sole proprietor has no КПП", field)
        return None
    if kpp is None:
        raise InvalidInput("a legal entity states its КПП", field, ErrorCode.REQUIRED)
    if not _KPP.match(kpp):
        raise InvalidInput("a КПП is 9 characters: 4 digits, 2 digits or letters, 3 digits", field)
    return kpp


def check_bik(bik: str, field: str = "bik") -> str:
    bik = _digits(bik)
    if not bik.isdigit() or len(bik) != 9:
        raise InvalidInput("a БИК is 9 digits", field)
    if not bik.startswith("04"):
        raise InvalidInput("a Russian bank's БИК starts with 04", field)
    return bik


def account_key_is_valid(bik: str, account: str, *, correspondent: bool) -> bool:
    """The control key of a 20-digit account (its 9th digit) against the bank's БИК: a settlement account follows the
    БИК's last 3 digits, a correspondent account "0" and the БИК's 5th and 6th digits."""
    prefix = "0" + bik[4:6] if correspondent else bik[6:9]
    return _weighted(prefix + account, _ACCOUNT_WEIGHTS) % 10 == 0


def check_account(account: str, bik: str, *, correspondent: bool, field: str) -> str:
    account = _digits(account)
    if not account.isdigit() or len(account) != 20:
        raise InvalidInput("an account number is 20 digits", field)
    if correspondent and not account.startswith("30101"):
        raise InvalidInput("a bank's correspondent account starts with 30101", field)
    if correspondent and account[-3:] != bik[-3:]:
        raise InvalidInput("a bank's correspondent account ends with the last 3 digits of its БИК", field)
    if not account_key_is_valid(bik, account, correspondent=correspondent):
        raise InvalidInput("the account does not match the bank's БИК (its control key is wrong)", field)
    return account


@dataclass(frozen=True, slots=True)
class LegalDetails:
    """An organisation's legal details as checked: what the contract documents print."""

    inn: str
    entity_kind: EntityKind
    kpp: str | None
    ogrn: str
    legal_address: str
    postal_address: str | None  # None: the same as the legal address
    signatory_name: str
    signatory_position: str
    signatory_basis: SignatoryBasis
    power_of_attorney_number: str | None
    power_of_attorney_date: date | None
    bank_name: str
    bik: str
    settlement_account: str
    correspondent_account: str

    def basis_text(self, language: str = "ru") -> str:
        """«Устава», «Доверенности № 12 от 01.02.2026», «записи ЕГРИП» (after «действует на основании»)."""
        if self.signatory_basis is SignatoryBasis.charter:
            return "Устава" if language == "ru" else "the Charter"
        if self.signatory_basis is SignatoryBasis.egrip_record:
            return "записи ЕГРИП" if language == "ru" else "the EGRIP record"
        on = self.power_of_attorney_date.strftime("%d.%m.%Y") if self.power_of_attorney_date else ""
        if language == "ru":
            return f"Доверенности № {self.power_of_attorney_number} от {on}"
        return f"power of attorney No. {self.power_of_attorney_number} of {on}"


# Which fields the documents cannot do without, in the order the API names them (LegalDetails field -> input field).
DOCUMENT_FIELDS = {
    "inn": "inn",
    "ogrn": "ogrn",
    "legal_address": "legalAddress",
    "signatory_name": "signatoryName",
    "signatory_position": "signatoryPosition",
    "bank_name": "bankName",
    "bik": "bik",
    "settlement_account": "settlementAccount",
    "correspondent_account": "correspondentAccount",
}


@dataclass(frozen=True, slots=True)
class LegalDetailsDraft:
    """The legal details as an admin types them; `checked` validates every field and returns LegalDetails."""

    inn: str
    kpp: str | None
    ogrn: str
    legal_address: str
    postal_address: str | None
    signatory_name: str
    signatory_position: str
    signatory_basis: SignatoryBasis
    power_of_attorney_number: str | None
    power_of_attorney_date: date | None
    bank_name: str
    bik: str
    settlement_account: str
    correspondent_account: str

    def checked(self, today: date) -> LegalDetails:
        inn, kind = check_inn(self.inn)
        legal_address = check_text(self.legal_address, "legalAddress", max_length=300)
        postal = check_text(self.postal_address, "postalAddress", max_length=300) if self.postal_address else None
        basis = self.signatory_basis
        if kind is EntityKind.legal_entity and basis is SignatoryBasis.egrip_record:
            raise InvalidInput(
                "a legal entity's signatory acts on its charter or a power of attorney", "signatoryBasis"
            )
        if kind is EntityKind.sole_proprietor and basis is SignatoryBasis.charter:
            raise InvalidInput(
                "a sole proprietor has no charter: sign on the EGRIP record or a power of attorney", "signatoryBasis"
            )
        number, issued = None, None
        if basis is SignatoryBasis.power_of_attorney:
            number = check_text(self.power_of_attorney_number or "", "powerOfAttorneyNumber", max_length=40)
            if self.power_of_attorney_date is None:
                raise InvalidInput("the date of the power of attorney", "powerOfAttorneyDate", ErrorCode.REQUIRED)
            if self.power_of_attorney_date > today:
                raise InvalidInput(
                    "a power of attorney dated in the future", "powerOfAttorneyDate", ErrorCode.OUT_OF_RANGE
                )
            issued = self.power_of_attorney_date
        bik = check_bik(self.bik)
        return LegalDetails(
            inn=inn,
            entity_kind=kind,
            kpp=check_kpp(self.kpp, kind),
            ogrn=check_ogrn(self.ogrn, kind),
            legal_address=legal_address,
            postal_address=None if postal == legal_address else postal,
            signatory_name=check_text(self.signatory_name, "signatoryName", max_length=200),
            signatory_position=check_text(self.signatory_position, "signatoryPosition", max_length=120),
            signatory_basis=basis,
            power_of_attorney_number=number,
            power_of_attorney_date=issued,
            bank_name=check_text(self.bank_name, "bankName", max_length=200),
            bik=bik,
            settlement_account=check_account(
                self.settlement_account, bik, correspondent=False, field="settlementAccount"
            ),
            correspondent_account=check_account(
                self.correspondent_account, bik, correspondent=True, field="correspondentAccount"
            ),
        )


def changed(old: LegalDetails | None, new: LegalDetails) -> bool:
    return old is None or any(getattr(old, f.name) != getattr(new, f.name) for f in fields(LegalDetails))
