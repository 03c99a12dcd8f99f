from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.enums import CertificationStandard, OrderStatus, Process
from api.execution.lookahead import selects
from api.orders.bids import prefetch_bids
from api.orders.loaders import OrderByIdLoader
from api.orders.types import Order, OrderConnection
from api.organisations.loaders import OrganisationByIdLoader
from api.relay import connection, decode_id
from domain.errors import DomainError
from domain.orders.models import OrderStatus as DomainOrderStatus
from domain.orders.service import OrderFilter, list_orders
from domain.organisations.service import organisations_by_ids
from domain.pagination import PageRequest


@strawberry.enum
class OrderSort(Enum):
    NEWEST = "NEWEST"
    DEADLINE = "DEADLINE"
    NEED_BY = "NEED_BY"


@strawberry.input(description="Narrow the order board; every given condition must hold.")
class OrderFilterInput:
    statuses: list[OrderStatus] | None = None
    processes: list[Process] | None = None
    regions: list[str] | None = strawberry.field(default=None, description="Delivery regions, ISO 3166-2.")
    certifications: list[CertificationStandard] | None = strawberry.field(
        default=None, description="Orders requiring any of these."
    )
    buyer_id: strawberry.ID | None = None
    mine: bool = strawberry.field(default=False, description="Only my organisations' own orders.")
    deadline_after: datetime | None = None
    deadline_before: datetime | None = None
    need_by_before: date | None = None


@strawberry.type
class OrderQuery:
    @strawberry.field(description="One order, if you may see it.")
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        try:
            order_id = decode_id(id, "Order", "id")
        except DomainError:
            return None
        row = await info.context.loader(OrderByIdLoader).load(order_id)
        return Order.from_row(row) if row else None

    @strawberry.field(description="The order board: published public orders, orders you are invited to, and your own.")
    async def orders(
        self,
        info: Info,
        filter: OrderFilterInput | None = None,
        sort: OrderSort = OrderSort.NEWEST,
        first: int = 20,
        after: str | None = None,
    ) -> OrderConnection:
        ctx = info.context
        value = filter or OrderFilterInput()
        order_filter = OrderFilter(
            statuses=[DomainOrderStatus(s) for s in value.statuses or []],
            processes=[str(p) for p in value.processes or []],
            regions=value.regions or [],
            certifications=[str(c) for c in value.certifications or []],
            buyer_organisation_id=decode_id(value.buyer_id, "Organisation", "filter.buyerId")
            if value.buyer_id
            else None,
            mine=value.mine,
            deadline_after=value.deadline_after,
            deadline_before=value.deadline_before,
            need_by_before=value.need_by_before,
        )
        buyers: Mapping[UUID, Any] = {}
        async with ctx.db() as session:
            page = await list_orders(
                session,
                actor=ctx.actor,
                filter=order_filter,
                sort=sort.value,
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
            if page.items and selects(info, ("edges", "node", "buyer")):
                # The page's buyers in one statement (as OrganisationByIdLoader would send), so that each order's
                # `buyer` resolves without waiting on the loader.
                buyers = await organisations_by_ids(session, list({row.buyer_organisation_id for row in page.items}))
                ctx.loader(OrganisationByIdLoader).prime_many(buyers)
        if page.items:
            await prefetch_bids(info, [row.id for row in page.items])
        return connection(  # type: ignore[return-value]
            OrderConnection, page, lambda row: Order.from_row(row, buyers.get(row.buyer_organisation_id))
        )
