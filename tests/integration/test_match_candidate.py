"""match_candidate (the rows the SQL fit ranking reads) stays equal to its definition through the real services:
profiles, certificates, the organisation's region and kind, and the record; a refused change leaves it alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from api.context import AppDeps
from domain.actor import Actor
from domain.contracts import lifecycle
from domain.errors import DomainError
from domain.manufacturers.models import Certification, ManufacturerProfile
from domain.manufacturers.rules import ProfileDraft
from domain.manufacturers.service import remove_certification, set_certification, upsert_profile
from domain.matching.models import MatchCandidate
from domain.matching.records import CANDIDATE_ROWS, refresh_candidates
from domain.organisations.models import OrganisationKind
from domain.organisations.service import OrganisationChanges, update_organisation
from tests.integration.factories import Market, org

Row = tuple[Any, ...]


def _frozen(row: Any) -> Row:
    """A row as a hashable tuple: materials as a tuple, certificates as sorted (standard, date) pairs."""
    return tuple(
        tuple(v) if isinstance(v, list) else tuple(sorted(v.items())) if isinstance(v, dict) else v for v in row
    )


async def _kept(market: Market) -> set[Row]:
    async with market.uow() as uow:
        rows = await uow.session.execute(select(*MatchCandidate.__table__.columns))  # type: ignore[attr-defined]
        return {_frozen(row) for row in rows}


async def _definition(market: Market) -> set[Row]:
    async with market.uow() as uow:
        rows = await uow.session.execute(text(CANDIDATE_ROWS), {"every": True, "ids": []})
        return {_frozen(row) for row in rows}


async def _row(market: Market, maker_id: object, process: str) -> Row | None:
    return next((row for row in await _kept(market) if row[:2] == (process, maker_id)), None)


async def test_profile_certificates_and_organisation_changes_are_kept(market: Market) -> None:
    maker = await market.manufacturer()  # milling, ISO 9001, via the services
    await market.organisation(OrganisationKind.buyer)  # a buyer has no candidate rows
    row = await _row(market, org(maker), "cnc_milling")
    assert row is not None and row[2:6] == ("RU-MOW", (), 1, 10_000)
    assert await _kept(market) == await _definition(market)

    async with market.uow() as uow:
        await upsert_profile(
            uow,
            actor=maker,
            organisation_id=org(maker),
            draft=ProfileDraft(processes=["cnc_turning", "edm"], materials=["AlMg3", "Steel 45"], min_quantity=5),
        )
    kept = await _kept(market)
    assert {r[0] for r in kept if r[1] == org(maker)} == {"cnc_turning", "edm"}  # milling dropped
    turning = await _row(market, org(maker), "cnc_turning")
    assert turning is not None and turning[3:6] == (("almg3", "steel 45"), 5, None)  # lower-cased
    assert kept == await _definition(market)

    async with market.uow() as uow:
        await set_certification(
            uow,
            actor=maker,
            organisation_id=org(maker),
            standard="as9100",
            certificate_number="A-1",
            issued_by="",
            valid_until=(market.clock.now() + timedelta(days=30)).date(),
        )
    turning = await _row(market, org(maker), "cnc_turning")
    assert turning is not None and {standard for standard, _ in turning[6]} == {"iso_9001", "as9100"}
    assert await _kept(market) == await _definition(market)

    async with market.uow() as uow:
        iso = await uow.session.scalar(
            select(Certification.id).where(
                Certification.organisation_id == org(maker), Certification.standard == "iso_9001"
            )
        )
    assert iso is not None
    async with market.uow() as uow:
        await remove_certification(uow, actor=maker, certification_id=iso)
    turning = await _row(market, org(maker), "cnc_turning")
    assert turning is not None and {standard for standard, _ in turning[6]} == {"as9100"}
    assert await _kept(market) == await _definition(market)

    async with market.uow() as uow:
        await update_organisation(
            uow, actor=maker, organisation_id=org(maker), changes=OrganisationChanges(region="RU-TA")
        )
    assert {r[2] for r in await _kept(market) if r[1] == org(maker)} == {"RU-TA"}
    assert await _kept(market) == await _definition(market)

    async with market.uow() as uow:
        await update_organisation(
            uow, actor=maker, organisation_id=org(maker), changes=OrganisationChanges(kind=OrganisationKind.buyer)
        )
    assert [r for r in await _kept(market) if r[1] == org(maker)] == []  # a buyer now: no longer a candidate
    assert await _kept(market) == await _definition(market)


async def test_a_refused_profile_change_leaves_the_rows_alone(market: Market) -> None:
    maker = await market.manufacturer()
    before = await _kept(market)
    with pytest.raises(DomainError):
        async with market.uow() as uow:
            await upsert_profile(uow, actor=maker, organisation_id=org(maker), draft=ProfileDraft(processes=[]))
    assert await _kept(market) == before


async def test_the_record_is_carried_to_every_process_row(market: Market, deps: AppDeps) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    async with market.uow() as uow:
        await upsert_profile(
            uow,
            actor=maker,
            organisation_id=org(maker),
            draft=ProfileDraft(processes=["cnc_milling", "cnc_turning"], max_quantity=10_000),
        )
    contract = await market.funded_contract(buyer, maker, deps.payments)
    steps: list[tuple[Actor, str, dict[str, Any]]] = [
        (maker, "start_production", {}),
        (maker, "ship", {"tracking_reference": "T-1"}),
    ]
    for actor, name, extra in steps:
        async with market.uow() as uow:
            await lifecycle.take_step(
                uow, actor=actor, contract_id=contract.id, transition=name, payments=deps.payments, **extra
            )
    rows = [r for r in await _kept(market) if r[1] == org(maker)]
    assert sorted((r[0], r[7:12]) for r in rows) == [
        ("cnc_milling", (1, 1, 0, 0, 0)),  # delivered, on time
        ("cnc_turning", (1, 1, 0, 0, 0)),
    ]
    assert await _kept(market) == await _definition(market)


async def test_a_full_refresh_mends_rows_written_around_the_services(market: Market) -> None:
    maker = await market.manufacturer()
    async with market.uow() as uow:
        await uow.session.execute(text("UPDATE match_candidate SET region = 'KZ-75', delivered = 9"))
        await uow.session.execute(
            text(
                "INSERT INTO match_candidate SELECT 'edm', organisation_id, region, materials, min_quantity,"
                " max_quantity, certificates, 0, 0, 0, 0, 0 FROM match_candidate"
            )
        )
        await uow.commit()
    assert await _kept(market) != await _definition(market)

    async with market.uow() as uow:
        await refresh_candidates(uow.session, None)
        await uow.commit()
    assert await _kept(market) == await _definition(market)
    assert {r[0] for r in await _kept(market) if r[1] == org(maker)} == {"cnc_milling"}


async def test_concurrent_changes_to_one_manufacturer_both_reach_its_rows(market: Market) -> None:
    """A profile change and a certificate in two transactions at once: the second refresh waits for the first to
    commit (the organisation's lock) and computes from both, instead of keeping a row without the first."""
    maker = await market.manufacturer()
    async with market.uow() as first:
        profile = await first.session.get(ManufacturerProfile, org(maker))
        assert profile is not None
        profile.materials = ["Titanium"]
        await refresh_candidates(first.session, [org(maker)])

        async def certify() -> None:
            async with market.uow() as second:
                second.session.add(
                    Certification(
                        organisation_id=org(maker),
                        standard="as9100",
                        certificate_number="A-2",
                        valid_until=(market.clock.now() + timedelta(days=90)).date(),
                        created_at=market.clock.now(),
                    )
                )
                await refresh_candidates(second.session, [org(maker)])
                await second.commit()

        other = asyncio.create_task(certify())
        await asyncio.sleep(0.3)
        assert not other.done()  # waiting for the first transaction
        await first.commit()
    await other

    row = await _row(market, org(maker), "cnc_milling")
    assert row is not None and row[3] == ("titanium",)
    assert {standard for standard, _ in row[6]} == {"iso_9001", "as9100"}
    assert await _kept(market) == await _definition(market)
