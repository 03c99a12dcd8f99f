"""Reviews: after a contract completes each side rates the other once, within the review period; reviews
stay hidden until both are in or the period ends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.actor import Actor
from domain.contracts import process
from domain.contracts.models import Contract, ContractEvent
from domain.contracts.process import ContractStatus
from domain.contracts.service import visible_to as contract_visible_to
from domain.errors import DomainError, ErrorCode, NotFound
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.reviews.models import Review
from domain.reviews.rules import REVIEW_PERIOD, check_review
from domain.uow import UnitOfWork


async def submit_review(uow: UnitOfWork, *, actor: Actor, contract_id: UUID, rating: int, text: str) -> Review:
    user_id = actor.require_user()
    # Locked: when both sides submit at once, the second sees the first and publishes both.
    contract = await uow.session.get(Contract, contract_id, with_for_update=True)
    if contract is None:
        raise NotFound("contract", "contractId")
    if actor.is_member(contract.buyer_organisation_id):
        author, subject = contract.buyer_organisation_id, contract.manufacturer_organisation_id
    elif actor.is_member(contract.manufacturer_organisation_id):
        author, subject = contract.manufacturer_organisation_id, contract.buyer_organisation_id
    else:
        raise NotFound("contract", "contractId")
    if not process.open_for_review(contract.status):
        raise DomainError(
            ErrorCode.CONTRACT_NOT_COMPLETED,
            f"reviews open when the contract completes; it is {contract.status.value}",
            "contractId",
        )
    completed_at = await uow.session.scalar(
        select(func.max(ContractEvent.created_at)).where(
            ContractEvent.contract_id == contract.id, ContractEvent.to_status == ContractStatus.completed
        )
    )
    assert completed_at is not None
    now = uow.now()
    if now >= completed_at + REVIEW_PERIOD:
        raise DomainError(ErrorCode.REVIEW_PERIOD_OVER, "the review period of this contract is over", "contractId")
    existing = list(await uow.session.scalars(select(Review).where(Review.contract_id == contract.id)))
    if any(review.author_organisation_id == author for review in existing):
        raise DomainError(ErrorCode.ALREADY_EXISTS, "your organisation reviewed this contract already", "contractId")
    rating, text = check_review(rating, text)
    review = Review(
        contract_id=contract.id,
        author_organisation_id=author,
        subject_organisation_id=subject,
        author_user_id=user_id,
        by_buyer=author == contract.buyer_organisation_id,
        rating=rating,
        text=text,
        created_at=now,
        visible_from=completed_at + REVIEW_PERIOD,
    )
    uow.session.add(review)
    if existing:  # the other side's is in: both are published now
        review.published_at = now
        await uow.session.execute(update(Review).where(Review.contract_id == contract.id).values(published_at=now))
    await notify(
        uow,
        kind=NotificationKind.review_received,
        params=notice.ReviewReceived(visible_now=bool(existing)),
        title="You were reviewed on a completed contract",
        body="It is visible now." if existing else "It shows once you review too, or when the review period ends.",
        subject=Subject("Contract", contract.id),
        organisation_ids=[subject],
    )
    try:
        await uow.commit()
    except IntegrityError:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS, "your organisation reviewed this contract already", "contractId"
        ) from None
    return review


# Reads -----------------------------------------------------------------------------------------


def published_at(now: datetime) -> ColumnElement[bool]:
    return or_(Review.published_at.is_not(None), Review.visible_from <= now)


async def reviews_of(
    session: AsyncSession, *, organisation_ids: Sequence[UUID], first: int, now: datetime
) -> dict[UUID, tuple[list[Review], bool]]:
    """The newest `first` published reviews about each organisation (public, like the profile), and whether
    there are more; one statement for any number of organisations (a window per organisation)."""
    ranked = (
        select(
            Review,
            func.row_number()
            .over(partition_by=Review.subject_organisation_id, order_by=(Review.created_at.desc(), Review.id.desc()))
            .label("position"),
        )
        .where(Review.subject_organisation_id.in_(list(organisation_ids)), published_at(now))
        .subquery()
    )
    review = aliased(Review, ranked)
    rows = await session.execute(
        select(review, ranked.c.position)
        .where(ranked.c.position <= first + 1)
        .order_by(ranked.c.subject_organisation_id, ranked.c.position)
    )
    grouped: dict[UUID, tuple[list[Review], bool]] = {}
    for row, position in rows:
        items, _ = grouped.get(row.subject_organisation_id, ([], False))
        grouped[row.subject_organisation_id] = ([*items, row], False) if position <= first else (items, True)
    return grouped


async def reviews_by_contract_ids(
    session: AsyncSession, *, actor: Actor, ids: Sequence[UUID], now: datetime
) -> dict[UUID, list[Review]]:
    """The reviews on contracts the actor may see: its own side's always, the other's once published."""
    orgs = list(actor.memberships)
    rows = await session.scalars(
        select(Review)
        .join(Contract, Contract.id == Review.contract_id)
        .where(
            Review.contract_id.in_(list(ids)),
            contract_visible_to(actor),
            or_(Review.author_organisation_id.in_(orgs), published_at(now)),
        )
        .order_by(Review.contract_id, Review.created_at, Review.id)  # equal times (one clock tick): by id
    )
    grouped: dict[UUID, list[Review]] = defaultdict(list)
    for row in rows:
        grouped[row.contract_id].append(row)
    return grouped


async def ratings(session: AsyncSession, ids: Sequence[UUID], now: datetime) -> dict[UUID, tuple[float, int]]:
    """(average rating, count) of the published reviews about each organisation."""
    rows = await session.execute(
        select(Review.subject_organisation_id, func.avg(Review.rating), func.count())
        .where(and_(Review.subject_organisation_id.in_(list(ids)), published_at(now)))
        .group_by(Review.subject_organisation_id)
    )
    return {org: (float(avg), int(count)) for org, avg, count in rows}
