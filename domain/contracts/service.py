"""Use cases that create and move contracts. Award is the first: an accepted bid becomes a contract."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids import rules as bid_rules
from domain.bids.feedback import LostReason, feedback
from domain.bids.models import Bid, BidFeedback, BidStatus
from domain.capacity.service import make_firm
from domain.contracts import process
from domain.contracts.models import Contract, ContractEvent, Milestone
from domain.contracts.policy import ContractPolicy
from domain.documents.models import DOCUMENTS_TOPIC as DOCUMENTS_TOPIC
from domain.errors import DomainError, ErrorCode, Forbidden, NotFound
from domain.ledger.rules import milestone_plan, platform_fee
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Letter, Subject, notify, notify_each
from domain.orders import rules as order_rules
from domain.orders.models import ProductionOrder
from domain.outbox import emit
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.ports.search import Topic
from domain.realtime import EventTopic, announce
from domain.taxes import rates as taxes
from domain.taxes.rounding import vat_of_lines
from domain.uow import UnitOfWork

DEFAULT_POLICY = ContractPolicy()

# DOCUMENTS_TOPIC: the worker issues a contract's documents when it names the contract (exchange/document_relay.py):
# the contract and the escrow invoice at award, the closing act and fee invoices at completion. Declared with the
# documents' tables, so that organisations (whose legal details the documents wait for) can emit it too.


def new_payment_reference() -> str:
    """What the buyer quotes on its wire: short, unambiguous, upper-case (no 0/O or 1/I)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"CPX-{code[:5]}-{code[5:]}"


def normalise_payment_reference(text: str) -> str:
    """A reference as a bank statement quotes it ("cpx abcde 23456", "CPXABCDE23456") in its issued form."""
    plain = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(plain) == 13 and plain.startswith("CPX"):
        return f"CPX-{plain[3:8]}-{plain[8:]}"
    return text.strip().upper()


async def award_bid(
    uow: UnitOfWork,
    *,
    actor: Actor,
    bid_id: UUID,
    quantity: int | None = None,
    policy: ContractPolicy = DEFAULT_POLICY,
    lost_reason: LostReason | None = None,
) -> Contract:
    """The buyer accepts one active bid: a contract pending funding for its quantity. Once the order's whole
    quantity is awarded, the order is awarded and its other active bids are rejected, each with its feedback
    (rank and price bands against this bid, and `lost_reason` if the buyer gives one).

    An order that allows split awards is awarded in parts: `quantity` units of the bid (by default all it
    quotes for, up to what is left), each part its own contract. Other orders are awarded whole.

    The order row is locked first (FOR UPDATE), so of two concurrent awards on one order exactly one
    wins (or, split, they award one after the other); the loser then finds the order awarded and is refused.
    """
    user_id = actor.require_user()
    found = await uow.session.get(Bid, bid_id)
    if found is None:
        raise NotFound("bid", "bidId")
    order = await uow.session.get(ProductionOrder, found.order_id, with_for_update=True, populate_existing=True)
    if order is None or not actor.is_member(order.buyer_organisation_id):
        if actor.is_member(found.manufacturer_organisation_id):
            raise Forbidden("only the buyer may award a bid", "bidId")
        raise NotFound("bid", "bidId")
    actor.require_member(order.buyer_organisation_id, admin=True, field="bidId")
    bid = await uow.session.get(Bid, bid_id, with_for_update=True, populate_existing=True)
    assert bid is not None
    now = uow.now()
    new_order_status = order_rules.transition(order.status, "award")
    new_bid_status = bid_rules.transition(bid.status, "accept")
    if bid.valid_until < now.date():
        raise DomainError(ErrorCode.BID_EXPIRED, "the bid is no longer valid", "bidId")
    part = order_rules.award_part(order, bid.quantity, quantity)
    decision = process.apply(None, "award", process.Party.buyer, now, passed=frozenset())  # a new contract
    await make_firm(uow, bid, part)  # locks the manufacturer's capacity; refuses an overbooking award
    bid.status, bid.updated_at = new_bid_status, now
    order.awarded_quantity += part
    order.updated_at = now
    losers: list[Any] = []
    bands: dict[UUID, Any] = {}
    if order.awarded_quantity == order.quantity:
        order.status, order.closed_at = new_order_status, now
        losers = list(
            await uow.session.execute(
                update(Bid)
                .where(Bid.order_id == order.id, Bid.status == BidStatus.active, Bid.id != bid.id)
                .values(status=BidStatus.rejected, updated_at=now)
                .returning(Bid.id, Bid.manufacturer_organisation_id, Bid.total_minor, Bid.unit_price_minor)
            )
        )
        # Bids for parts of a split order quote different quantities: compare what a unit costs.
        price = "unit_price_minor" if order.allow_split else "total_minor"
        bands = feedback({bid.id: getattr(bid, price), **{row.id: getattr(row, price) for row in losers}}, bid.id)
        for loser_id, band in bands.items():
            uow.session.add(
                BidFeedback(
                    bid_id=loser_id,
                    rank_band=band.rank_band,
                    price_band=band.price_band,
                    reason=lost_reason,
                    created_at=now,
                )
            )
    total = bid.unit_price_minor * part + bid.tooling_minor
    # The bid's VAT, on the awarded part's lines; the platform's VAT on its fee at the rate in force today.
    vat_minor = vat_of_lines([bid.unit_price_minor * part, bid.tooling_minor], bid.vat_rate)
    contract = Contract(
        order_id=order.id,
        bid_id=bid.id,
        buyer_organisation_id=order.buyer_organisation_id,
        manufacturer_organisation_id=bid.manufacturer_organisation_id,
        status=decision.to_status,
        quantity=part,
        total_minor=total,
        currency=bid.currency,
        platform_fee_minor=platform_fee(total, policy.platform_fee_bps),
        vat_treatment=bid.vat_treatment,
        vat_rate=bid.vat_rate,
        vat_minor=vat_minor,
        fee_vat_rate=await taxes.platform_fee_rate(uow.session, uow.tax_day()),
        payment_reference=new_payment_reference(),
        due_at=now + policy.funding_window,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(contract)
    await uow.session.flush()
    for share in milestone_plan(contract.total_minor, contract.platform_fee_minor, policy.first_article_share_pct):
        uow.session.add(
            Milestone(
                contract_id=contract.id,
                position=share.position,
                name=share.name,
                trigger=share.trigger,
                amount_minor=share.amount_minor,
                fee_minor=share.fee_minor,
            )
        )
    uow.session.add(
        ContractEvent(
            contract_id=contract.id,
            transition=decision.transition.name,
            actor_user_id=user_id,
            from_status=decision.from_status,
            to_status=decision.to_status,
            payload={
                "bid_id": str(bid.id),
                "quantity": part,
                "total_minor": total,
                "platform_fee_minor": contract.platform_fee_minor,
                "vat_minor": vat_minor,
                "currency": bid.currency,
            },
            created_at=now,
        )
    )
    emit(uow, Topic.order, order.id)
    emit(uow, DOCUMENTS_TOPIC, contract.id)  # the contract and the escrow invoice (exchange/document_relay.py)
    announce(uow, EventTopic.contract, contract.id, transition=decision.transition.name)
    await notify(
        uow,
        kind=NotificationKind.bid_awarded,
        params=notice.BidAwarded(order.title, contract.quantity),
        title=f"Your bid on “{order.title}” was accepted",
        body="The contract awaits the buyer's funding of escrow.",
        subject=Subject("Contract", contract.id),
        organisation_ids=[bid.manufacturer_organisation_id],
    )
    said = f" The buyer's reason: {lost_reason.value.replace('_', ' ')}." if lost_reason else ""
    await notify_each(
        uow,
        kind=NotificationKind.bid_lost,
        title=f"“{order.title}” was awarded to another bid",
        letters=[
            Letter(
                loser.manufacturer_organisation_id,
                f"Your bid ranked {bands[loser.id].rank_band.value.replace('_', ' ')} by price; its "
                f"{'unit price' if order.allow_split else 'total'} was "
                f"{bands[loser.id].price_band.value.replace('_', ' ')} against the winning bid.{said}",
                Subject("Bid", loser.id),
                notice.BidLost(
                    order.title,
                    bands[loser.id].rank_band,
                    bands[loser.id].price_band,
                    by_unit_price=order.allow_split,
                    lost_reason=lost_reason,
                ),
            )
            for loser in losers
        ],
    )
    await uow.commit()
    return contract


# Reads: a contract is visible to its two parties and to operators ------------------------------


def visible_to(actor: Actor) -> ColumnElement[bool]:
    if actor.is_operator:
        return true()
    orgs = list(actor.memberships)
    return or_(Contract.buyer_organisation_id.in_(orgs), Contract.manufacturer_organisation_id.in_(orgs))


async def contracts_by_ids(session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Contract]:
    rows = await session.scalars(select(Contract).where(Contract.id.in_(list(ids)), visible_to(actor)))
    return {row.id: row for row in rows}


async def contracts_by_bid_ids(session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Contract]:
    rows = await session.scalars(select(Contract).where(Contract.bid_id.in_(list(ids)), visible_to(actor)))
    return {row.bid_id: row for row in rows}


async def events_by_contract_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, list[ContractEvent]]:
    rows = await session.scalars(
        select(ContractEvent)
        .where(ContractEvent.contract_id.in_(list(ids)))
        .order_by(ContractEvent.contract_id, ContractEvent.sequence)
    )
    grouped: dict[UUID, list[ContractEvent]] = {}
    for row in rows:
        grouped.setdefault(row.contract_id, []).append(row)
    return grouped


CONTRACT_SORTS: dict[str, SortKey] = {"NEWEST": SortKey(Contract.created_at, Contract.id, descending=True)}


async def list_my_contracts(
    session: AsyncSession, *, actor: Actor, statuses: Sequence[process.ContractStatus], page: PageRequest
) -> Page[Contract]:
    actor.require_user()
    orgs = list(actor.memberships)
    stmt = select(Contract).where(
        or_(Contract.buyer_organisation_id.in_(orgs), Contract.manufacturer_organisation_id.in_(orgs))
    )
    if statuses:
        stmt = stmt.where(Contract.status.in_(list(statuses)))
    return await paginate(session, stmt, CONTRACT_SORTS["NEWEST"], page)


async def milestones_by_contract_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, list[Milestone]]:
    rows = await session.scalars(
        select(Milestone)
        .where(Milestone.contract_id.in_(list(ids)))
        .order_by(Milestone.contract_id, Milestone.position)
    )
    grouped: dict[UUID, list[Milestone]] = {}
    for row in rows:
        grouped.setdefault(row.contract_id, []).append(row)
    return grouped
