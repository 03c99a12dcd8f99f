from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry

from api.context import Info
from api.enums import CertificationStandard, OrderStatus, Process
from api.execution import row_views, sql_json
from api.execution.lookahead import selects
from api.orders.bids import bids_read_with_order, order_read_as_json, prefetch_bids, prime_bids
from api.orders.loaders import OrderByIdLoader
from api.orders.types import Order, OrderConnection
from api.organisations.loaders import OrganisationByIdLoader
from api.relay import connection, decode_id
from domain.bids.service import order_json, order_with_buyer_and_bids
from domain.errors import DomainError
from domain.orders.models import OrderStatus as DomainOrderStatus
from domain.orders.service import (
    OrderFilter,
    list_orders,
    list_orders_json,
    list_orders_with_buyers,
)
from domain.pagination import Page, PageRequest

NODES = ("edges", "node")


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
        as_json = order_read_as_json(info)
        if as_json is not None:
            # The whole order as one JSON text written by PostgreSQL (its buyer and first page of bids inside),
            # spliced by the order's plan (api/execution/sql_json.py).
            make = row_views.carrier(Order)
            if make is None:  # only the engine asks for the order's JSON, and it has made Order's row view
                raise RuntimeError("an order read as JSON without the execution engine's row views")
            async with info.context.db() as session:
                text = await order_json(
                    session,
                    actor=info.context.actor,
                    order_id=order_id,
                    parts=as_json.parts,
                    first=as_json.first,
                    statuses=as_json.statuses,
                )
            return None if text is None else make((as_json.parts, text))
        with_bids = bids_read_with_order(info)
        if with_bids is not None or selects(info, ("buyer",)):
            # The order and its buyer in one statement (a join), and, when its `bids` page qualifies, that page too
            # (a lateral subquery): primed for the `bids` field's loader and the buyer for whatever else asks.
            async with info.context.db() as session:
                found = await order_with_buyer_and_bids(
                    session,
                    actor=info.context.actor,
                    order_id=order_id,
                    bids=with_bids[1] if with_bids is not None else None,
                )
            if found is None:
                return None
            order, buyer, page = found
            info.context.loader(OrganisationByIdLoader).prime_many({buyer.id: buyer})
            if with_bids is not None and page is not None:
                prime_bids(info, order.id, with_bids[0], ([(row, None) for row in page[0]], page[1]))
            return Order.from_row(order, buyer)
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
        page_request = PageRequest(first, after).checked(ctx.settings.max_page_size)
        # Under the compiled plans, a node selection of plain columns, the budget and the buyer's plain columns is
        # read as each order's JSON written by PostgreSQL, spliced by the order's plan (api/execution/sql_json.py).
        parts = sql_json.parts_below(info, "Query", info._raw_info.field_nodes, NODES, sql_json.TYPES)
        if parts is not None:
            make = row_views.carrier(Order)
            if make is None:  # only the engine asks for the orders' JSON, and it has made Order's row view
                raise RuntimeError("orders read as JSON without the execution engine's row views")
            async with ctx.db() as session:
                json_page = await list_orders_json(
                    session, actor=ctx.actor, filter=order_filter, sort=sort.value, page=page_request, parts=parts
                )
            # (No bids to prefetch: a selection with `bids` is not all plain columns.)
            return connection(OrderConnection, json_page, lambda row: make((parts, row.json)))  # type: ignore[return-value]
        async with ctx.db() as session:
            if selects(info, ("edges", "node", "buyer")):
                # The page's buyers in the same statement (a join), so that each order's `buyer` resolves without
                # waiting on a loader; primed into OrganisationByIdLoader for whatever else asks for them.
                pairs = await list_orders_with_buyers(
                    session, actor=ctx.actor, filter=order_filter, sort=sort.value, page=page_request
                )
                buyers = {row.buyer_organisation_id: buyer for row, buyer in pairs.items}
                ctx.loader(OrganisationByIdLoader).prime_many(buyers)
                order_ids = [row.id for row, _ in pairs.items]
                page: Page[Any] = pairs
                convert: Callable[[Any], Order] = lambda pair: Order.from_row(pair[0], pair[1])  # noqa: E731
            else:
                page = await list_orders(
                    session, actor=ctx.actor, filter=order_filter, sort=sort.value, page=page_request
                )
                order_ids = [row.id for row in page.items]
                convert = Order.from_row
        if order_ids:
            await prefetch_bids(info, order_ids)
        return connection(OrderConnection, page, convert)  # type: ignore[return-value]
