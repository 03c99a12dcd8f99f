"""Random manufacturers and orders for the ranking tests: the fit ranking and the candidate index compare their
answers on the same random market. A test module imports helpers from here, not from another test."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert

from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.matching.records import refresh_candidates
from domain.organisations.models import MembershipKind, Organisation, OrganisationKind
from tests.integration.factories import Market

REGIONS = ["RU-MOW", "RU-MOS", "RU-SPE", "RU-TA", "KZ-75", "BY-MI"]
MATERIALS = ["AlMg3", "steel 45", "Ti-6Al-4V", "Латунь", "PA12"]
PROCESSES = ["cnc_milling", "cnc_turning"]
STANDARDS = ["iso_9001", "as9100", "iatf_16949"]


async def random_makers(market: Market, rng: random.Random, n: int) -> None:
    now = market.clock.now()
    today = now.date()
    organisations, profiles, certificates, listings = [], [], [], []
    ids: list[UUID] = []
    for i in range(n):
        org_id = uuid4()
        ids.append(org_id)
        organisations.append(
            {
                "id": org_id,
                "name": f"Random {i}",
                "legal_id": f"R{i:08d}{rng.randrange(10**6)}",
                "region": rng.choice(REGIONS),
                "kind": rng.choice([OrganisationKind.manufacturer, OrganisationKind.both, OrganisationKind.buyer]),
                "membership": MembershipKind.participant,
                "verified": False,
                "created_at": now,
                "updated_at": now,
            }
        )
        low = rng.choice([1, 1, 10, 200])
        profiles.append(
            {
                "organisation_id": org_id,
                "processes": rng.sample(PROCESSES, rng.randint(1, 2)),
                "materials": rng.sample(MATERIALS, rng.choice([0, 0, 2, 4])),
                "min_quantity": low,
                "max_quantity": rng.choice([None, low * 5, 10_000]),
                "updated_at": now,
            }
        )
        for standard in rng.sample(STANDARDS, rng.randint(0, 3)):
            certificates.append(
                {
                    "id": uuid4(),
                    "organisation_id": org_id,
                    "standard": standard,
                    "certificate_number": "C",
                    "issued_by": "",
                    "valid_until": today + timedelta(days=rng.randint(-30, 200)),
                    "created_at": now,
                }
            )
        for _ in range(rng.choice([0, 1, 2, 2, 3])):
            start = today + timedelta(days=rng.randint(-60, 60))
            listings.append(
                {
                    "id": uuid4(),
                    "organisation_id": org_id,
                    "process": rng.choice(PROCESSES),
                    "machine_hours_per_week": rng.randint(1, 80),
                    "available_from": start,
                    "available_to": start + timedelta(days=rng.randint(0, 240)),
                    "hourly_rate_minor": rng.randint(50, 800) * 100,
                    "currency": rng.choice(["RUB", "RUB", "EUR"]),
                    "created_at": now,
                }
            )
    async with market.uow() as uow:
        session = uow.session
        await session.execute(insert(Organisation), organisations)
        await session.execute(insert(ManufacturerProfile), profiles)
        if certificates:
            await session.execute(insert(Certification), certificates)
        if listings:
            await session.execute(insert(CapacityListing), listings)
        # written straight to the tables, so the match candidates are refreshed here as the services would
        await refresh_candidates(session, ids)
        await uow.commit()


def random_order(rng: random.Random, today: date) -> dict[str, Any]:
    hours = rng.choice([None, 5, 40, 200, 900])
    return {
        "process": rng.choice(PROCESSES),
        "material": rng.choice([*MATERIALS, "unobtainium"]).upper(),
        "quantity": rng.choice([1, 20, 100, 5000]),
        "need_by": today + timedelta(days=rng.choice([3, 20, 45, 100])),
        "delivery_region": rng.choice(REGIONS),
        "required_certifications": rng.sample(STANDARDS, rng.choice([0, 0, 1, 2])),
        "estimated_machine_hours": hours,
    }
