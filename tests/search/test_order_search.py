"""Searching open orders: only open ones, only those the viewer may see, filters and facets."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.actor import Actor
from domain.contracts.service import award_bid
from domain.orders.models import Visibility
from domain.orders.service import cancel_order, expire_orders
from domain.organisations.models import OrganisationKind
from domain.ports.search import FacetCount, IndexName, OrderSearchFilter, SearchQuery, Viewer
from tests.integration.factories import Market
from tests.search.conftest import SearchWorld

ORDERS = IndexName.orders
OPERATOR = Viewer(operator=True)


def viewer(actor: Actor) -> Viewer:
    return Viewer(organisation_ids=frozenset(str(o) for o in actor.memberships))


def market(world: SearchWorld) -> Market:
    return Market(world.session_factory, world.clock)


async def test_public_open_orders_are_found_by_text_with_highlights(world: SearchWorld) -> None:
    m = market(world)
    buyer = await m.organisation(OrganisationKind.buyer)
    maker = await m.organisation(OrganisationKind.manufacturer)
    housing = await m.open_order(buyer, title="Sensor housing", description="anodised aluminium housing")
    await m.open_order(buyer, title="Bracket")
    await world.sync()

    result = await world.search(ORDERS, SearchQuery(text="housing", viewer=viewer(maker)))

    assert [hit.id for hit in result.hits] == [str(housing.id)]
    assert result.hits[0].highlights["name"] == "Sensor <mark>housing</mark>"


async def test_invited_orders_are_seen_by_invitees_and_the_buyer_only(world: SearchWorld) -> None:
    m = market(world)
    buyer = await m.organisation(OrganisationKind.buyer)
    invited = await m.organisation(OrganisationKind.manufacturer)
    stranger = await m.organisation(OrganisationKind.manufacturer)
    order = await m.open_order(
        buyer,
        visibility=Visibility.invited,
        invited_manufacturer_ids=[next(iter(invited.memberships))],
    )
    await world.sync()

    seen_by = {
        name: [hit.id for hit in (await world.search(ORDERS, SearchQuery(viewer=v))).hits]
        for name, v in {
            "invited": viewer(invited),
            "buyer": viewer(buyer),
            "stranger": viewer(stranger),
            "operator": OPERATOR,
        }.items()
    }

    assert seen_by == {
        "invited": [str(order.id)],
        "buyer": [str(order.id)],
        "stranger": [],
        "operator": [str(order.id)],
    }


async def test_orders_leave_the_index_when_awarded_cancelled_or_expired(world: SearchWorld) -> None:
    m = market(world)
    buyer = await m.organisation(OrganisationKind.buyer)
    maker = await m.manufacturer()
    awarded = await m.open_order(buyer, title="Awarded")
    cancelled = await m.open_order(buyer, title="Cancelled")
    expiring = await m.open_order(buyer, title="Expiring", bidding_deadline=world.clock.now() + timedelta(days=2))
    staying = await m.open_order(buyer, title="Staying", bidding_deadline=world.clock.now() + timedelta(days=20))
    bid = await m.bid(maker, awarded.id)
    await world.sync()
    assert set(await world.index.documents(ORDERS)) == {str(o.id) for o in (awarded, cancelled, expiring, staying)}

    async with m.uow() as uow:
        await award_bid(uow, actor=buyer, bid_id=bid.id)
    async with m.uow() as uow:
        await cancel_order(uow, actor=buyer, order_id=cancelled.id, reason="")
    world.clock.advance(timedelta(days=10))
    async with m.uow() as uow:
        assert await expire_orders(uow, award_window=timedelta(days=5)) == 1
    await world.sync()

    assert set(await world.index.documents(ORDERS)) == {str(staying.id)}


async def test_filters_and_facets_over_orders(world: SearchWorld) -> None:
    m = market(world)
    buyer = await m.organisation(OrganisationKind.buyer)
    a = await m.open_order(buyer, process="cnc_milling", material="PEEK", delivery_region="RU-SVE")
    b = await m.open_order(buyer, process="cnc_turning", material="AlMg3", required_certifications=["as9100"])
    await m.open_order(buyer, process="edm", material="Steel", required_certifications=[])
    await world.sync()

    milling_or_turning = await world.search(
        ORDERS, SearchQuery(order_filter=OrderSearchFilter(processes=["cnc_milling", "cnc_turning"]), viewer=OPERATOR)
    )
    by_material = await world.search(
        ORDERS, SearchQuery(order_filter=OrderSearchFilter(materials=["peek"]), viewer=OPERATOR)
    )
    by_certificate = await world.search(
        ORDERS, SearchQuery(order_filter=OrderSearchFilter(certifications=["as9100"]), viewer=OPERATOR)
    )

    assert sorted(h.id for h in milling_or_turning.hits) == sorted([str(a.id), str(b.id)])
    assert milling_or_turning.facets["processes"] == [FacetCount("cnc_milling", 1), FacetCount("cnc_turning", 1)]
    assert milling_or_turning.facets["regions"] == [FacetCount("RU-MOW", 1), FacetCount("RU-SVE", 1)]
    assert milling_or_turning.facets["certifications"] == [FacetCount("as9100", 1), FacetCount("iso_9001", 1)]
    assert [h.id for h in by_material.hits] == [str(a.id)]
    assert [h.id for h in by_certificate.hits] == [str(b.id)]


async def test_an_order_document_says_what_the_database_says(world: SearchWorld) -> None:
    m = market(world)
    buyer = await m.organisation(OrganisationKind.buyer)
    order = await m.open_order(buyer, title="Gear", quantity=250)
    await world.sync()

    document = (await world.index.documents(ORDERS))[str(order.id)]

    assert document == {
        "id": str(order.id),
        "title": "Gear",
        "description": "",
        "process": "cnc_milling",
        "material": "AlMg3",
        "quantity": 250,
        "required_certifications": ["iso_9001"],
        "region": "RU-MOW",
        "bidding_deadline": order.bidding_deadline.isoformat(),
        "need_by": order.need_by.isoformat(),
        "budget": {"min": 10_000_00, "max": 50_000_00, "currency": "RUB"},
        "budget_band": "under_100k",
        "public": True,
        "buyer_organisation_id": str(next(iter(buyer.memberships))),
        "invited": [],
    }
    assert isinstance(UUID(document["id"]), UUID)
