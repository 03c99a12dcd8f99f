from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.bids.loaders import BidByIdLoader
from api.bids.types import Bid
from api.context import Info
from api.contracts.loaders import ContractByIdLoader, ContractEventsByContractIdLoader
from api.enums import ContractStatus
from api.money import Money
from api.nodes import load_nodes
from api.orders.loaders import OrderByIdLoader
from api.orders.types import Order
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from domain.contracts.models import Contract as ContractRow
from domain.contracts.models import ContractEvent as ContractEventRow


@strawberry.type(description="One step in a contract's life: the audit log.")
class ContractEvent:
    transition: str
    from_status: ContractStatus | None  # type: ignore[valid-type]
    to_status: ContractStatus  # type: ignore[valid-type]
    payload: JSON
    created_at: datetime

    @classmethod
    def from_row(cls, row: ContractEventRow) -> ContractEvent:
        return cls(
            transition=row.transition,
            from_status=row.from_status.value if row.from_status else None,
            to_status=row.to_status.value,
            payload=row.payload,
            created_at=row.created_at,
        )


@strawberry.type(description="An awarded bid: visible to the buyer, the manufacturer and operators.")
class Contract(relay.Node):
    id: relay.NodeID[str]
    status: ContractStatus  # type: ignore[valid-type]
    quantity: int
    total: Money
    created_at: datetime
    updated_at: datetime
    order_id: strawberry.Private[UUID]
    bid_id: strawberry.Private[UUID]
    buyer_organisation_id: strawberry.Private[UUID]
    manufacturer_organisation_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: ContractRow) -> Contract:
        return cls(
            id=str(row.id),
            status=row.status.value,
            quantity=row.quantity,
            total=Money.of(row.total_minor, row.currency),
            created_at=row.created_at,
            updated_at=row.updated_at,
            order_id=row.order_id,
            bid_id=row.bid_id,
            buyer_organisation_id=row.buyer_organisation_id,
            manufacturer_organisation_id=row.manufacturer_organisation_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loader(ContractByIdLoader), node_ids, cls.from_row)

    @strawberry.field
    async def order(self, info: Info) -> Order | None:
        row = await info.context.loader(OrderByIdLoader).load(self.order_id)
        return Order.from_row(row) if row else None

    @strawberry.field
    async def bid(self, info: Info) -> Bid | None:
        row = await info.context.loader(BidByIdLoader).load(self.bid_id)
        return Bid.from_row(row) if row else None

    @strawberry.field
    async def buyer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.buyer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field
    async def manufacturer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.manufacturer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(description="Every transition so far, oldest first.")
    async def events(self, info: Info) -> list[ContractEvent]:
        rows = await info.context.loader(ContractEventsByContractIdLoader).load(UUID(self.id))
        return [ContractEvent.from_row(row) for row in rows]


@strawberry.type
class ContractConnection(relay.Connection[Contract]):
    """A page of contracts."""
