"""Undoing an award: a contract cancelled (before funding — expired, or by either party — or by an operator
after funding, with the refund) gives its quantity back to its order.

- The order takes that quantity back (a split order: that part only) and, if it was awarded, is open again for
  award: its award window runs again from now (orders/service.expire_orders), bidding itself stays closed.
- The bids the award had rejected are put back — those still valid (their `valid_until` decides) — and their
  bidders are told: they may confirm their bid still holds (confirmBid) or withdraw it. The bid of the cancelled
  contract is not put back (its contract is the history of that award).
- The buyer is told what it can award again.

Lock order: the contract row is locked by the caller; then the order, then the bids — as awardBid takes them
(order, bids), so the two wait for each other rather than deadlock.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from domain.bids.models import Bid, BidStatus
from domain.contracts.models import Contract
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Letter, Subject, notify, notify_each
from domain.orders import rules as order_rules
from domain.orders.models import OrderStatus, ProductionOrder
from domain.outbox import emit
from domain.ports.search import Topic
from domain.realtime import EventTopic, announce
from domain.uow import UnitOfWork


async def give_award_back(uow: UnitOfWork, contract: Contract) -> dict[str, Any]:
    """What the audit event records: the quantity returned and the bids put back."""
    now = uow.now()
    order = await uow.session.get(ProductionOrder, contract.order_id, with_for_update=True, populate_existing=True)
    if order is None or order.status not in (OrderStatus.awarded, OrderStatus.open):
        return {}
    order.awarded_quantity -= contract.quantity
    if order.status == OrderStatus.awarded:
        order.status = order_rules.transition(order.status, "reopen_award")
        order.closed_at = None
    order.award_reopened_at = now
    order.updated_at = now
    restored = list(
        await uow.session.execute(
            update(Bid)
            .where(
                Bid.order_id == order.id,
                Bid.status == BidStatus.rejected,
                Bid.valid_until >= now.date(),
                Bid.manufacturer_organisation_id != contract.manufacturer_organisation_id,
            )
            .values(status=BidStatus.active, reconfirmed_at=None, updated_at=now)
            .returning(Bid.id, Bid.manufacturer_organisation_id, Bid.valid_until)
        )
    )
    emit(uow, Topic.order, order.id)
    for row in restored:
        announce(uow, EventTopic.bid_activity, order.id, kind="reinstated", bid=row.id)
    await notify_each(
        uow,
        kind=NotificationKind.contract_updated,  # the contract that beat their bid was cancelled
        title=f"“{order.title}” is open for award again",
        letters=[
            Letter(
                organisation_id=row.manufacturer_organisation_id,
                body=f"The awarded contract was cancelled and your bid is back in the running. It stands until "
                f"{row.valid_until.isoformat()}: confirm it still holds, or withdraw it.",
                subject=Subject("Bid", row.id),
                params=notice.BidReinstated(order.title, row.valid_until),
            )
            for row in restored
        ],
    )
    await notify(
        uow,
        kind=NotificationKind.contract_updated,
        params=notice.AwardReopened(order.title, contract.quantity, len(restored)),
        title=f"“{order.title}”: {contract.quantity} units to award again",
        body=f"The contract was cancelled; {len(restored)} bid(s) that still hold can be awarded.",
        subject=Subject("Order", order.id),
        organisation_ids=[order.buyer_organisation_id],
    )
    return {"returned_quantity": contract.quantity, "bids_reinstated": len(restored)}
