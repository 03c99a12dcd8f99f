"""Order Q&A: a prospective bidder asks on an open order, the buyer answers, and the answer goes to every
bidder and invitee without saying who asked, so that sealed bidding stays fair: nobody learns who else
is bidding, and nobody gets an answer the others do not."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.errors import DomainError, ErrorCode, Forbidden, Limits, LimitUnit, NotFound
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify, summary
from domain.orders.models import OrderInvitation, ProductionOrder
from domain.orders.rules import bidding_open, can_see
from domain.organisations.models import Organisation
from domain.pagination import check_first
from domain.questions.models import OrderQuestion
from domain.text import check_text
from domain.uow import UnitOfWork

MAX_QUESTION = 2000
MAX_ANSWER = 5000
# One organisation's unanswered questions on one order: enough for real questions, not for flooding.
MAX_OPEN_QUESTIONS = 20


async def _invitees(session: AsyncSession, order_id: UUID) -> list[UUID]:
    return list(
        await session.scalars(
            select(OrderInvitation.manufacturer_organisation_id).where(OrderInvitation.order_id == order_id)
        )
    )


async def ask_question(
    uow: UnitOfWork, *, actor: Actor, order_id: UUID, organisation_id: UUID | None, question: str
) -> OrderQuestion:
    user_id = actor.require_user()
    asker_id = actor.pick_organisation(organisation_id)
    order = await uow.session.get(ProductionOrder, order_id)
    if order is None or not can_see(set(actor.memberships), False, order, set(await _invitees(uow.session, order_id))):
        raise NotFound("order", "orderId")
    if asker_id == order.buyer_organisation_id:
        raise DomainError(ErrorCode.OWN_ORDER, "the buyer answers questions on its own order", "orderId")
    asker = await uow.session.get(Organisation, asker_id)
    if asker is None or not asker.kind.manufactures:
        raise DomainError(ErrorCode.NOT_A_MANUFACTURER, "only manufacturers may ask about an order", "organisationId")
    bidding_open(order, uow.now())
    text = check_text(question, "question", max_length=MAX_QUESTION)
    open_questions = await uow.session.scalar(
        select(OrderQuestion.id)
        .where(
            OrderQuestion.order_id == order_id,
            OrderQuestion.asked_by_organisation_id == asker_id,
            OrderQuestion.answer.is_(None),
        )
        .offset(MAX_OPEN_QUESTIONS - 1)
        .limit(1)
    )
    if open_questions is not None:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE,
            f"at most {MAX_OPEN_QUESTIONS} unanswered questions per order",
            "question",
            limits=Limits(LimitUnit.ENTRIES, max=MAX_OPEN_QUESTIONS),
        )
    row = OrderQuestion(
        order_id=order_id,
        asked_by_organisation_id=asker_id,
        asked_by_user_id=user_id,
        question=text,
        created_at=uow.now(),
    )
    uow.session.add(row)
    await notify(
        uow,
        kind=NotificationKind.question_asked,
        params=notice.QuestionAsked(order.title, summary(text)),
        title=f"A question on “{order.title}”",
        body=summary(text),
        subject=Subject("Order", order.id),
        organisation_ids=[order.buyer_organisation_id],
    )
    await uow.commit()
    return row


async def answer_question(uow: UnitOfWork, *, actor: Actor, question_id: UUID, answer: str) -> OrderQuestion:
    user_id = actor.require_user()
    row = await uow.session.get(OrderQuestion, question_id, with_for_update=True)
    order = await uow.session.get(ProductionOrder, row.order_id) if row is not None else None
    if row is None or order is None:
        raise NotFound("question", "questionId")
    if not actor.is_member(order.buyer_organisation_id):
        if actor.is_member(row.asked_by_organisation_id):
            raise Forbidden("only the buyer answers questions on its order", "questionId")
        raise NotFound("question", "questionId")
    if row.answer is not None:
        raise DomainError(ErrorCode.ALREADY_EXISTS, "the question is answered already", "questionId")
    bidding_open(order, uow.now(), "questionId")
    row.answer = check_text(answer, "answer", max_length=MAX_ANSWER)
    row.answered_by_user_id = user_id
    row.answered_at = uow.now()
    bidders = set(
        await uow.session.scalars(
            select(Bid.manufacturer_organisation_id).where(
                Bid.order_id == order.id, Bid.status.in_([BidStatus.active, BidStatus.superseded])
            )
        )
    )
    audience = sorted(bidders | set(await _invitees(uow.session, order.id)) | {row.asked_by_organisation_id})
    await notify(
        uow,
        kind=NotificationKind.question_answered,
        params=notice.QuestionAnswered(order.title, summary(row.question), summary(row.answer)),
        title=f"A question on “{order.title}” was answered",
        body=f"Q: {summary(row.question)}\nA: {summary(row.answer)}",
        subject=Subject("Order", order.id),
        organisation_ids=[org for org in audience if org != order.buyer_organisation_id],
    )
    await uow.commit()
    return row


# Reads -----------------------------------------------------------------------------------------


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Answered questions: everyone who may see the order (checked by the caller). Unanswered ones: the buyer,
    the asking organisation and operators."""
    if actor.is_operator:
        return true()
    orgs = list(actor.memberships)
    buyer = (
        select(ProductionOrder.id)
        .where(ProductionOrder.id == OrderQuestion.order_id, ProductionOrder.buyer_organisation_id.in_(orgs))
        .exists()
    )
    return or_(OrderQuestion.answer.is_not(None), OrderQuestion.asked_by_organisation_id.in_(orgs), buyer)


MAX_QUESTIONS_PAGE = 100


def check_page_size(first: int) -> int:
    check_first(first, MAX_QUESTIONS_PAGE)
    return first


async def questions_by_order_ids(
    session: AsyncSession,
    *,
    actor: Actor,
    order_ids: Sequence[UUID],
    first: int = MAX_QUESTIONS_PAGE,
    after: UUID | None = None,
) -> dict[UUID, list[OrderQuestion]]:
    """The questions of orders the actor may already see (the caller loaded the order through its visibility),
    oldest first: at most `first` per order, after the question `after` when given (keyset on asked-at, id; its
    order's questions only). One statement for any number of orders (a window per order)."""
    check_page_size(first)
    conditions = [OrderQuestion.order_id.in_(list(order_ids)), visible_to(actor)]
    if after is not None:
        cursor = aliased(OrderQuestion)
        conditions.append(
            tuple_(OrderQuestion.created_at, OrderQuestion.id)
            > select(cursor.created_at, cursor.id)
            .where(cursor.id == after, cursor.order_id == OrderQuestion.order_id)
            .scalar_subquery()
        )
    ranked = (
        select(
            OrderQuestion,
            func.row_number()
            .over(partition_by=OrderQuestion.order_id, order_by=(OrderQuestion.created_at, OrderQuestion.id))
            .label("position"),
        )
        .where(and_(*conditions))
        .subquery()
    )
    page = aliased(OrderQuestion, ranked)
    rows = await session.scalars(
        select(page).where(ranked.c.position <= first).order_by(ranked.c.order_id, ranked.c.position)
    )
    grouped: dict[UUID, list[OrderQuestion]] = defaultdict(list)
    for row in rows:
        grouped[row.order_id].append(row)
    return grouped


async def question_orders(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, UUID]:
    """The order of each of these questions (for checking a cursor), in one statement."""
    rows = await session.execute(select(OrderQuestion.id, OrderQuestion.order_id).where(OrderQuestion.id.in_(ids)))
    return {question: order for question, order in rows}
