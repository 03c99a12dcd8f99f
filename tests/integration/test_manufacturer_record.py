"""manufacturer_record (what the SQL ranking reads) stays equal to its definition through the real services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from api.context import AppDeps
from domain.actor import Actor
from domain.bids.rules import BidTerms
from domain.bids.service import revise_bid
from domain.contracts import lifecycle
from domain.matching.invitations import invite_manufacturers
from domain.matching.models import ManufacturerRecord
from domain.matching.records import refresh_records
from domain.matching.service import histories
from domain.money import Money
from domain.orders.service import publish_order
from domain.organisations.models import OrganisationKind
from tests.clock import FakeClock
from tests.integration.factories import Market, org


async def _records(market: Market) -> dict[object, tuple[int, int, int, int, int]]:
    async with market.uow() as uow:
        rows = await uow.session.scalars(select(ManufacturerRecord))
        return {
            r.organisation_id: (r.delivered, r.delivered_on_time, r.disputed, r.invitations, r.invitations_bid)
            for r in rows
        }


async def _definition(market: Market, ids: list[object]) -> dict[object, tuple[int, int, int, int, int]]:
    async with market.uow() as uow:
        found = await histories(uow.session, ids)
    return {
        k: (h.delivered, h.delivered_on_time, h.disputed, h.invitations, h.invitations_bid) for k, h in found.items()
    }


async def test_invitations_and_their_answers_are_recorded_when_they_happen(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker, other = await market.manufacturer(), await market.manufacturer()
    draft = await market.open_order(buyer, visibility="invited", invited_manufacturer_ids=[org(maker)], publish=False)
    assert await _records(market) == {}  # an invitation to a draft is not one yet

    async with market.uow() as uow:
        await publish_order(uow, actor=buyer, order_id=draft.id)
    assert await _records(market) == {org(maker): (0, 0, 0, 1, 0)}

    bid = await market.bid(maker, draft.id)
    async with market.uow() as uow:
        await revise_bid(
            uow,
            actor=maker,
            bid_id=bid.id,
            terms=BidTerms(Money(250_00, "RUB"), 15, (market.clock.now() + timedelta(days=20)).date()),
        )
    async with market.uow() as uow:
        await invite_manufacturers(uow, actor=buyer, order_id=draft.id, manufacturer_ids=[org(other)])

    records = await _records(market)
    assert records == {org(maker): (0, 0, 0, 1, 1), org(other): (0, 0, 0, 1, 0)}
    assert records == await _definition(market, list(records))


async def test_shipments_and_disputes_are_recorded_by_the_lifecycle(
    market: Market, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    contract = await market.funded_contract(buyer, maker, deps.payments)
    steps: list[tuple[Actor, str, dict[str, Any]]] = [
        (maker, "start_production", {}),
        (maker, "ship", {"tracking_reference": "TRK-1"}),
        (buyer, "confirm_delivery", {}),
        (buyer, "dispute", {"note": "two housings cracked"}),
    ]
    seen = []
    for actor, name, extra in steps:
        async with market.uow() as uow:
            await lifecycle.take_step(
                uow, actor=actor, contract_id=contract.id, transition=name, payments=deps.payments, **extra
            )
        seen.append((await _records(market)).get(org(maker)))

    # shipped well before the need-by date (on time), then disputed
    assert seen == [None, (1, 1, 0, 0, 0), (1, 1, 0, 0, 0), (1, 1, 1, 0, 0)]
    assert await _records(market) == await _definition(market, [org(maker)])


async def test_a_full_refresh_rebuilds_every_record_and_drops_the_empty_ones(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    await market.open_order(buyer, visibility="invited", invited_manufacturer_ids=[org(maker)])
    async with market.uow() as uow:
        await uow.session.execute(
            ManufacturerRecord.__table__.update().values(invitations=7)  # type: ignore[attr-defined]
        )
        uow.session.add(
            ManufacturerRecord(
                organisation_id=org(buyer),
                delivered=3,
                delivered_on_time=3,
                disputed=0,
                invitations=0,
                invitations_bid=0,
                updated_at=market.clock.now(),
            )
        )
        await uow.commit()

    async with market.uow() as uow:
        await refresh_records(uow.session, None, market.clock.now())
        await uow.commit()

    assert await _records(market) == {org(maker): (0, 0, 0, 1, 0)}
