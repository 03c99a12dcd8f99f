"""Pure rules for organisations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit
from domain.organisations.legal_rules import bin_is_valid, check_bin, check_inn, check_unp, inn_is_valid, unp_is_valid
from domain.organisations.models import MembershipKind, OrganisationKind
from domain.organisations.regions import WITHDRAWN_CODES, withdrawn_message
from domain.text import check_text

_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
_LEGAL_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,31}$")
RUSSIA = "RU-"  # the ISO 3166-2 prefix of Russia's subdivisions


def check_region(region: str, field: str = "region") -> str:
    """An ISO 3166-2 subdivision code such as RU-MOW or RU-SVE. A code the standard has withdrawn is refused with the
    one that replaced it (`replaced_by`), e.g. KZ-ALA -> KZ-75: stored, it would match no one who filters by the
    current code, and a document would print a code the counterparty's registry no longer knows."""
    region = region.strip().upper()
    if not _REGION.match(region):
        raise InvalidInput("use an ISO 3166-2 subdivision code such as RU-MOW", field)
    withdrawn = WITHDRAWN_CODES.get(region)
    if withdrawn is not None:
        raise InvalidInput(
            withdrawn_message(region, withdrawn), field, ErrorCode.REGION_WITHDRAWN, replaced_by=withdrawn.replaced_by
        )
    return region


# ISO 3166-2 has ~5,000 subdivisions, Russia 89: a filter naming more than this is not a person's choice.
MAX_FILTER_REGIONS = 100


def check_region_filter(regions: Sequence[str], field: str = "filter.regions") -> list[str]:
    """The regions a list is filtered by: each a well-formed ISO 3166-2 code (a malformed one is refused, as in
    an organisation's own region), at most MAX_FILTER_REGIONS of them, duplicates dropped. A well-formed code no
    one uses simply matches nothing: the directory and the order board answer alike."""
    if len(regions) > MAX_FILTER_REGIONS:
        raise InvalidInput(
            f"name at most {MAX_FILTER_REGIONS} regions",
            field,
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.ENTRIES, max=MAX_FILTER_REGIONS),
        )
    return list(dict.fromkeys(check_region(region, field) for region in regions))


def check_legal_id(legal_id: str, field: str = "legalId") -> str:
    """A registration number (INN, OGRN, VAT id…): letters, digits and dashes."""
    legal_id = legal_id.strip().upper().replace(" ", "")
    if not _LEGAL_ID.match(legal_id):
        raise InvalidInput("use 4 to 32 letters, digits or dashes", field)
    return legal_id


class LegalIdKind(StrEnum):
    """Which registration number an organisation's legal id is, read from the country of its region."""

    inn = "inn"  # Russia: ИНН, 10 digits (a legal entity) or 12 (a sole proprietor), two check digits
    bin = "bin"  # Kazakhstan: БИН, 12 digits, a check digit
    unp = "unp"  # Belarus: УНП, 9 digits, a check digit
    registration_number = "registration_number"  # elsewhere: the country's own number, letters, digits, dashes


_KIND_BY_COUNTRY = {"RU": LegalIdKind.inn, "KZ": LegalIdKind.bin, "BY": LegalIdKind.unp}


def legal_id_kind(region: str) -> LegalIdKind:
    """The registration number an organisation in this ISO 3166-2 region states."""
    return _KIND_BY_COUNTRY.get(region.partition("-")[0], LegalIdKind.registration_number)


def check_organisation_legal_id(legal_id: str, region: str, field: str = "legalId") -> str:
    """An organisation's registration number as its country issues it: in Russia its ИНН with correct check digits
    (the rule its legal details are held to later, legal_rules.check_inn), in Kazakhstan its БИН, in Belarus its
    УНП, elsewhere any check_legal_id number."""
    kind = legal_id_kind(region)
    if kind is LegalIdKind.inn:
        inn, _kind = check_inn(legal_id, field)
        return inn
    if kind is LegalIdKind.bin:
        return check_bin(legal_id, field)
    if kind is LegalIdKind.unp:
        return check_unp(legal_id, field)
    return check_legal_id(legal_id, field)


def legal_id_is_valid(legal_id: str, region: str) -> bool:
    """Whether a stored legal id passes today's check for its region's country: organisations that signed up before
    the checks may hold one that does not (they are asked to correct it). The migration organisations_legal_id
    states the same rule in SQL for the operator's filter; tests/unit/test_legal_id_kinds.py holds the two together."""
    kind = legal_id_kind(region)
    if kind is LegalIdKind.inn:
        return inn_is_valid(legal_id)
    if kind is LegalIdKind.bin:
        return bin_is_valid(legal_id)
    if kind is LegalIdKind.unp:
        return unp_is_valid(legal_id)
    return _LEGAL_ID.match(legal_id) is not None


@dataclass(frozen=True, slots=True)
class OrganisationDraft:
    name: str
    legal_id: str
    region: str
    kind: OrganisationKind
    membership: MembershipKind = MembershipKind.participant

    def checked(self, prefix: str = "") -> OrganisationDraft:
        name = check_text(self.name, f"{prefix}name", max_length=200)
        region = check_region(self.region, f"{prefix}region")
        return OrganisationDraft(
            name=name,
            legal_id=check_organisation_legal_id(self.legal_id, region, f"{prefix}legalId"),
            region=region,
            kind=self.kind,
            membership=self.membership,
        )
