"""The order board's select is built once per shape (domain/orders/service.py `_board_select`) and run with each
request's values. Here it is held against the select built per call from `visible_to(actor)` and the filter's
values (what the board ran before): for every kind of viewer, each filter, each sort and page by page, the same
orders in the same order, with the same buyers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Select, select, tuple_

from domain.actor import Actor, Role
from domain.columns import table_of
from domain.orders.models import OrderStatus, ProductionOrder, Visibility
from domain.orders.service import (
    ORDER_SORTS,
    OrderFilter,
    list_orders,
    list_orders_with_buyers,
    order_rows_with_buyers,
    visible_to,
)
from domain.organisations.models import Organisation, OrganisationKind
from domain.pagination import PageRequest
from domain.uow import SessionFactory
from tests.clock import FakeClock
from tests.integration.factories import Market, org


def reference(actor: Actor, filter: OrderFilter, sort: str) -> Select[Any]:
    """The board as it was built per call: the actor's visibility and the filter's values written into the select."""
    orders = table_of(ProductionOrder)
    stmt = select(orders.c.id, orders.c.buyer_organisation_id).where(visible_to(actor))
    if filter.statuses:
        stmt = stmt.where(ProductionOrder.status.in_(list(filter.statuses)))
    if filter.processes:
        stmt = stmt.where(ProductionOrder.process.in_(list(filter.processes)))
    if filter.regions:
        stmt = stmt.where(ProductionOrder.delivery_region.in_([r.upper() for r in filter.regions]))
    if filter.certifications:
        stmt = stmt.where(ProductionOrder.required_certifications.overlap(list(filter.certifications)))
    if filter.buyer_organisation_id is not None:
        stmt = stmt.where(ProductionOrder.buyer_organisation_id == filter.buyer_organisation_id)
    if filter.mine:
        stmt = stmt.where(ProductionOrder.buyer_organisation_id.in_(list(actor.memberships)))
    if filter.deadline_after is not None:
        stmt = stmt.where(ProductionOrder.bidding_deadline >= filter.deadline_after)
    if filter.deadline_before is not None:
        stmt = stmt.where(ProductionOrder.bidding_deadline < filter.deadline_before)
    if filter.need_by_before is not None:
        stmt = stmt.where(ProductionOrder.need_by <= filter.need_by_before)
    key = ORDER_SORTS[sort]
    keys = tuple_(key.column, key.tiebreak)
    return stmt.order_by(*(c.desc() if key.descending else c.asc() for c in keys.clauses))


async def every_page(
    session_factory: SessionFactory, actor: Actor, filter: OrderFilter, sort: str, *, with_buyers: bool
) -> list[tuple[UUID, UUID | None]]:
    """The whole board, two orders a page, following the cursors."""
    found: list[tuple[UUID, UUID | None]] = []
    after = None
    for _ in range(50):
        async with session_factory() as session:
            if with_buyers:
                pairs = await list_orders_with_buyers(
                    session, actor=actor, filter=filter, sort=sort, page=PageRequest(2, after)
                )
                found += [(order.id, buyer.id) for order, buyer in pairs.items]
                page: Any = pairs
            else:
                page = await list_orders(session, actor=actor, filter=filter, sort=sort, page=PageRequest(2, after))
                found += [(order.id, None) for order in page.items]
        if not page.has_next_page:
            return found
        after = page.cursors[-1]
    raise AssertionError("the board never ended")


@pytest.fixture
async def board(market: Market, clock: FakeClock) -> dict[str, Any]:
    """Two buyers and two manufacturers; orders open, draft, invited-only, cancelled; several processes, regions,
    certifications, deadlines and need-by dates (some equal, so that the tiebreak decides)."""
    first_buyer = await market.organisation(OrganisationKind.buyer)
    second_buyer = await market.organisation(OrganisationKind.both)
    invited, outsider = await market.manufacturer(), await market.manufacturer()
    now = clock.now()
    await market.open_order(first_buyer, title="draft", publish=False)
    for days, process, region, certifications in [
        (10, "cnc_milling", "RU-MOW", ["iso_9001"]),
        (10, "cnc_turning", "RU-TA", []),
        (5, "cnc_milling", "RU-TA", ["iso_9001", "as9100"]),
        (20, "sheet_metal", "RU-SPE", ["as9100"]),
    ]:
        for buyer in (first_buyer, second_buyer):
            await market.open_order(
                buyer,
                title=f"{process} {region}",
                process=process,
                delivery_region=region,
                required_certifications=certifications,
                bidding_deadline=now + timedelta(days=days),
                need_by=(now + timedelta(days=days + 30)).date(),
            )
    await market.open_order(
        second_buyer, title="invited", visibility=Visibility.invited, invited_manufacturer_ids=[org(invited)]
    )
    await market.open_order(
        second_buyer,
        title="invited draft",
        visibility=Visibility.invited,
        invited_manufacturer_ids=[org(invited)],
        publish=False,
    )
    two_hats = Actor(user_id=uuid4(), memberships={org(first_buyer): Role.member, org(invited): Role.member})
    return {
        "now": now,
        "buyers": (org(first_buyer), org(second_buyer)),
        "actors": {
            "operator": Actor(user_id=uuid4(), is_operator=True),
            "operator of a buyer": Actor(user_id=uuid4(), is_operator=True, memberships=dict(first_buyer.memberships)),
            "anonymous": Actor(),
            "of no organisation": Actor(user_id=uuid4()),
            "buyer": first_buyer,
            "other buyer": second_buyer,
            "invited": invited,
            "outsider": outsider,
            "two organisations": two_hats,
        },
    }


def filters(board: dict[str, Any]) -> dict[str, OrderFilter]:
    now = board["now"]
    first_buyer, second_buyer = board["buyers"]
    return {
        "none": OrderFilter(),
        "open": OrderFilter(statuses=[OrderStatus.open]),
        "open or draft": OrderFilter(statuses=[OrderStatus.open, OrderStatus.draft]),
        "one process": OrderFilter(processes=["cnc_milling"]),
        "two processes": OrderFilter(processes=["cnc_milling", "sheet_metal"], statuses=[OrderStatus.open]),
        "regions": OrderFilter(regions=["ru-ta", "RU-SPE"]),
        "certifications": OrderFilter(certifications=["as9100"]),
        "buyer": OrderFilter(buyer_organisation_id=second_buyer),
        "mine": OrderFilter(mine=True),
        "deadlines": OrderFilter(deadline_after=now + timedelta(days=6), deadline_before=now + timedelta(days=15)),
        "need by": OrderFilter(need_by_before=(now + timedelta(days=40)).date()),
        "all at once": OrderFilter(
            statuses=[OrderStatus.open],
            processes=["cnc_milling", "cnc_turning"],
            regions=["RU-TA", "RU-MOW"],
            certifications=["iso_9001"],
            buyer_organisation_id=first_buyer,
            mine=True,
            deadline_after=now,
            deadline_before=now + timedelta(days=30),
            need_by_before=(now + timedelta(days=90)).date(),
        ),
    }


async def test_every_viewer_and_filter_pages_through_the_orders_the_per_call_select_finds(
    board: dict[str, Any], session_factory: SessionFactory
) -> None:
    seen_any = set()
    for actor_name, actor in board["actors"].items():
        for filter_name, filter in filters(board).items():
            async with session_factory() as session:
                expected = [tuple(row) for row in await session.execute(reference(actor, filter, "NEWEST"))]
            paged = await every_page(session_factory, actor, filter, "NEWEST", with_buyers=True)
            plain = await every_page(session_factory, actor, filter, "NEWEST", with_buyers=False)

            assert paged == expected, (actor_name, filter_name)
            assert [order for order, _ in plain] == [order for order, _ in expected], (actor_name, filter_name)
            seen_any.add((actor_name, bool(expected)))
    # The comparison is not empty-handed: every viewer who may see orders found some, the anonymous none.
    assert ("anonymous", True) not in seen_any and ("anonymous", False) in seen_any
    assert all((name, True) in seen_any for name in board["actors"] if name != "anonymous")


@pytest.mark.parametrize("sort", ["DEADLINE", "NEED_BY", "NEWEST"])
async def test_each_sort_pages_through_in_the_per_call_selects_order(
    board: dict[str, Any], session_factory: SessionFactory, sort: str
) -> None:
    for actor_name in ("operator", "invited", "two organisations"):
        actor = board["actors"][actor_name]
        for filter in (OrderFilter(), OrderFilter(statuses=[OrderStatus.open], processes=["cnc_milling"])):
            async with session_factory() as session:
                expected = [tuple(row) for row in await session.execute(reference(actor, filter, sort))]

            assert await every_page(session_factory, actor, filter, sort, with_buyers=True) == expected
            assert len(expected) >= 2


async def test_an_order_by_id_with_its_buyer_is_found_for_exactly_the_viewers_who_see_it(
    board: dict[str, Any], session_factory: SessionFactory
) -> None:
    async with session_factory() as session:
        orders = [
            (row.id, row.buyer_organisation_id) for row in await session.execute(select(table_of(ProductionOrder)))
        ]
        buyers = set((await session.scalars(select(Organisation.id))).all())
    ids = [order_id for order_id, _ in orders]

    for actor_name, actor in board["actors"].items():
        async with session_factory() as session:
            visible = set((await session.scalars(select(ProductionOrder.id).where(visible_to(actor)))).all())
            found = await order_rows_with_buyers(session, actor=actor, ids=[*ids, uuid4()])

        assert set(found) == visible, actor_name
        assert all(row.id == key and buyer.id == row.buyer_organisation_id for key, (row, buyer) in found.items())
        assert {buyer.id for _, buyer in found.values()} <= buyers
