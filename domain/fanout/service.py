"""What the subscribers of one event may see, read once per API process and decided per viewer.

An event names a thing (a bid, a contract, a notification). Every subscriber on a process used to re-read it
with its own permissions: one PostgreSQL session per subscriber per event. Here the process reads it once,
without a viewer (`read_*`: one statement, everything the subscription's answer starts from), and each
subscriber then asks the result what it may see (`seen_by(actor)`): a pure decision from the shared rows and
the viewer, the same one the SQL filters make (`visible_to` in domain/bids/service.py and
domain/contracts/service.py; a test holds the two to the same answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.models import Bid
from domain.contracts.models import Contract
from domain.notifications.models import Notification
from domain.orders.models import ProductionOrder
from domain.organisations.models import Organisation


def sees_bid(actor: Actor, *, manufacturer_organisation_id: UUID, buyer_organisation_id: UUID) -> bool:
    """Bids are sealed: the bidder's members see their own, the buyer's members every bid on the order, and
    operators all."""
    return actor.is_operator or actor.is_member(manufacturer_organisation_id) or actor.is_member(buyer_organisation_id)


def sees_contract(actor: Actor, contract: Contract) -> bool:
    """A contract's two parties and operators."""
    return (
        actor.is_operator
        or actor.is_member(contract.buyer_organisation_id)
        or actor.is_member(contract.manufacturer_organisation_id)
    )


@dataclass(frozen=True, slots=True)
class SharedBid:
    """A bid as its subscribers receive it: the bid, with its order and its bidder at hand."""

    bid: Bid
    order: ProductionOrder
    manufacturer: Organisation

    def seen_by(self, actor: Actor) -> SharedBid | None:
        visible = sees_bid(
            actor,
            manufacturer_organisation_id=self.bid.manufacturer_organisation_id,
            buyer_organisation_id=self.order.buyer_organisation_id,
        )
        return self if visible else None

    def order_seen_by(self, actor: Actor) -> ProductionOrder | None:
        """The order as far as the viewer may read it from here: its buyer's members and operators (a bidder's
        view of an order depends on more than this row, so it is left to the order's own read)."""
        return self.order if actor.is_operator or actor.is_member(self.order.buyer_organisation_id) else None


@dataclass(frozen=True, slots=True)
class SharedContract:
    contract: Contract

    def seen_by(self, actor: Actor) -> Contract | None:
        return self.contract if sees_contract(actor, self.contract) else None


@dataclass(frozen=True, slots=True)
class SharedNotification:
    notification: Notification

    def seen_by(self, actor: Actor) -> Notification | None:
        return self.notification if actor.user_id == self.notification.user_id else None


async def read_bids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, SharedBid]:
    """The bids `ids` with their orders and bidders, in one statement, for no viewer in particular."""
    rows = await session.execute(
        select(Bid, ProductionOrder, Organisation)
        .join(ProductionOrder, ProductionOrder.id == Bid.order_id)
        .join(Organisation, Organisation.id == Bid.manufacturer_organisation_id)
        .where(Bid.id.in_(list(ids)))
    )
    return {bid.id: SharedBid(bid, order, organisation) for bid, order, organisation in rows}


async def read_contracts(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, SharedContract]:
    rows = await session.scalars(select(Contract).where(Contract.id.in_(list(ids))))
    return {row.id: SharedContract(row) for row in rows}


async def read_notifications(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, SharedNotification]:
    rows = await session.scalars(select(Notification).where(Notification.id.in_(list(ids))))
    return {row.id: SharedNotification(row) for row in rows}
