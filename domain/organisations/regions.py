"""ISO 3166-2 codes the standard has withdrawn and the codes that replaced them, where we know them.

Kazakhstan: in November 2022 ISO 3166-2:KZ replaced its letter codes (KZ-ALA, KZ-AST, …) with two-digit ones (KZ-75,
KZ-71, …) and added the three regions formed that year — Abai (KZ-10, from East Kazakhstan), Jetisu (KZ-33, from
Almaty Region) and Ulytau (KZ-62, from Karaganda). The current codes are those of the web app's region list
(web/src/i18n/regions.ts, checked against the standard on 2026-12-06); the old-to-new pairs follow the standard's
change (each letter code's region kept its name under its new code)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Withdrawn:
    replaced_by: str  # the current code of the same region
    name: str  # the region's English name, for the refusal's message
    withdrawn_in: str  # when the standard withdrew it
    # A region formed that year from part of this one, whose companies now have a code of their own.
    split_off: tuple[str, str] | None = None


_KZ_2022 = "November 2022"

WITHDRAWN_CODES: dict[str, Withdrawn] = {
    "KZ-AKM": Withdrawn("KZ-11", "Akmola Region", _KZ_2022),
    "KZ-AKT": Withdrawn("KZ-15", "Aktobe Region", _KZ_2022),
    "KZ-ALA": Withdrawn("KZ-75", "Almaty", _KZ_2022),
    "KZ-ALM": Withdrawn("KZ-19", "Almaty Region", _KZ_2022, split_off=("KZ-33", "Jetisu Region")),
    "KZ-AST": Withdrawn("KZ-71", "Astana", _KZ_2022),
    "KZ-ATY": Withdrawn("KZ-23", "Atyrau Region", _KZ_2022),
    "KZ-KAR": Withdrawn("KZ-35", "Karaganda Region", _KZ_2022, split_off=("KZ-62", "Ulytau Region")),
    "KZ-KUS": Withdrawn("KZ-39", "Kostanay Region", _KZ_2022),
    "KZ-KZY": Withdrawn("KZ-43", "Kyzylorda Region", _KZ_2022),
    "KZ-MAN": Withdrawn("KZ-47", "Mangystau Region", _KZ_2022),
    "KZ-PAV": Withdrawn("KZ-55", "Pavlodar Region", _KZ_2022),
    "KZ-SEV": Withdrawn("KZ-59", "North Kazakhstan Region", _KZ_2022),
    "KZ-SHY": Withdrawn("KZ-79", "Shymkent", _KZ_2022),
    "KZ-VOS": Withdrawn("KZ-63", "East Kazakhstan Region", _KZ_2022, split_off=("KZ-10", "Abai Region")),
    "KZ-YUZ": Withdrawn("KZ-61", "Turkistan Region", _KZ_2022),
    "KZ-ZAP": Withdrawn("KZ-27", "West Kazakhstan Region", _KZ_2022),
    "KZ-ZHA": Withdrawn("KZ-31", "Jambyl Region", _KZ_2022),
}


def withdrawn_message(code: str, withdrawn: Withdrawn) -> str:
    message = f"{code} was withdrawn from ISO 3166-2 in {withdrawn.withdrawn_in}: {withdrawn.name} is "
    message += withdrawn.replaced_by
    if withdrawn.split_off is not None:
        split_code, split_name = withdrawn.split_off
        message += f" ({split_name}, formed from part of it, is {split_code})"
    return message
