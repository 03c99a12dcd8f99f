"""Pure rules for organisations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.identity.rules import check_text
from domain.organisations.models import MembershipKind, OrganisationKind

_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
_LEGAL_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,31}$")


def check_region(region: str, field: str = "region") -> str:
    """An ISO 3166-2 subdivision code such as RU-MOW or RU-SVE."""
    region = region.strip().upper()
    if not _REGION.match(region):
        raise InvalidInput("use an ISO 3166-2 subdivision code such as RU-MOW", field)
    return region


def check_legal_id(legal_id: str, field: str = "legalId") -> str:
    """A registration number (INN, OGRN, VAT id…): letters, digits and dashes."""
    legal_id = legal_id.strip().upper().replace(" ", "")
    if not _LEGAL_ID.match(legal_id):
        raise InvalidInput("use 4 to 32 letters, digits or dashes", field)
    return legal_id


@dataclass(frozen=True, slots=True)
class OrganisationDraft:
    name: str
    legal_id: str
    region: str
    kind: OrganisationKind
    membership: MembershipKind = MembershipKind.participant

    def checked(self, prefix: str = "") -> OrganisationDraft:
        return OrganisationDraft(
            name=check_text(self.name, f"{prefix}name", max_length=200),
            legal_id=check_legal_id(self.legal_id, f"{prefix}legalId"),
            region=check_region(self.region, f"{prefix}region"),
            kind=self.kind,
            membership=self.membership,
        )
