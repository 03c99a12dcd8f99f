"""Deadline reminders (a timer's job): 24 hours before an order's bidding closes, its buyer and the invited
manufacturers that have not bid yet; 24 hours before a contract step times out, the buyer who must act
(fund, confirm delivery, accept or dispute). Each user is told once per deadline (the dedupe key)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.bids.models import Bid, BidStatus
from domain.contracts.models import Contract
from domain.contracts.process import TIMERS, ContractStatus
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.orders.models import OrderInvitation, OrderStatus, ProductionOrder
from domain.uow import UnitOfWork

AHEAD = timedelta(hours=24)
BATCH = 500

_CONTRACT_ACTIONS = {
    ContractStatus.pending_funding: "fund escrow before the contract is cancelled",
    ContractStatus.shipped: "confirm delivery, or it is taken as delivered",
    ContractStatus.inspection: "accept the delivery or open a dispute, or it is accepted automatically",
}


async def remind_deadlines(uow: UnitOfWork) -> int:
    now = uow.now()
    told = 0
    orders = list(
        await uow.session.scalars(
            select(ProductionOrder)
            .where(
                ProductionOrder.status == OrderStatus.open,
                ProductionOrder.bidding_deadline > now,
                ProductionOrder.bidding_deadline <= now + AHEAD,
            )
            .order_by(ProductionOrder.bidding_deadline)
            .limit(BATCH)
        )
    )
    for order in orders:
        key = f"deadline:order:{order.id}:{order.bidding_deadline.isoformat()}"
        title = f"Bidding on “{order.title}” closes within 24 hours"
        subject = Subject("Order", order.id)
        told += len(
            await notify(
                uow,
                kind=NotificationKind.deadline_soon,
                params=notice.BiddingClosesSoon(order.title, order.bidding_deadline, invited=False),
                title=title,
                body=f"Bidding closes at {order.bidding_deadline.isoformat()}.",
                subject=subject,
                organisation_ids=[order.buyer_organisation_id],
                dedupe_key=key,
            )
        )
        bidders = select(Bid.manufacturer_organisation_id).where(
            Bid.order_id == order.id, Bid.status == BidStatus.active
        )
        invitees = list(
            await uow.session.scalars(
                select(OrderInvitation.manufacturer_organisation_id).where(
                    OrderInvitation.order_id == order.id,
                    OrderInvitation.manufacturer_organisation_id.not_in(bidders),
                )
            )
        )
        if invitees:
            told += len(
                await notify(
                    uow,
                    kind=NotificationKind.deadline_soon,
                    params=notice.BiddingClosesSoon(order.title, order.bidding_deadline, invited=True),
                    title=title,
                    body=f"You were invited to bid; bidding closes at {order.bidding_deadline.isoformat()}.",
                    subject=subject,
                    organisation_ids=invitees,
                    dedupe_key=key,
                )
            )
    # Each with its order's title, which the reminder names.
    contracts = list(
        await uow.session.execute(
            select(Contract, ProductionOrder.title)
            .join(ProductionOrder, ProductionOrder.id == Contract.order_id)
            .where(
                Contract.status.in_(list(TIMERS)),
                Contract.due_at > now,
                Contract.due_at <= now + AHEAD,
            )
            .order_by(Contract.due_at)
            .limit(BATCH)
        )
    )
    for contract, order_title in contracts:
        assert contract.due_at is not None
        told += len(
            await notify(
                uow,
                kind=NotificationKind.deadline_soon,
                params=notice.ContractStepDue(order_title, contract.status, contract.due_at),
                title=f"A contract step is due within 24 hours: {_CONTRACT_ACTIONS[contract.status]}",
                body=f"Due at {contract.due_at.isoformat()}.",
                subject=Subject("Contract", contract.id),
                organisation_ids=[contract.buyer_organisation_id],
                dedupe_key=f"deadline:contract:{contract.id}:{contract.status.value}:{contract.due_at.isoformat()}",
            )
        )
    await uow.commit()
    return told
