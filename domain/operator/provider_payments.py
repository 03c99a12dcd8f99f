"""Provider payments (Stripe transfers and refunds made after the commit) from the operator's side: the ones that
need a person — refused every time until given up (`failed`), or still not made long after they were decided —
and what an operator does about one: retry it (the same idempotency key: Stripe returns the payment it made the
first time, never a second one), or mark it resolved by hand with a reason (made in Stripe's dashboard or wired,
or found already made), which is kept on the payment: who, when, why, and the reference of what was done."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import structlog
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput, Limits, LimitUnit, NotFound
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.payments import pending
from domain.payments.models import ProviderPayment, ProviderPaymentStatus
from domain.uow import UnitOfWork

log = structlog.get_logger(__name__)

# A payment still pending this long after it was decided has failed a few times (the worker makes the rest within
# a minute): it is shown to operators, though the worker keeps retrying it.
STUCK_AFTER = timedelta(hours=1)
REASON_MAX = 500
REFERENCE_MAX = 200

OLDEST_FIRST = SortKey(ProviderPayment.created_at, ProviderPayment.id)


def needs_attention(payment: ProviderPayment, now: datetime) -> bool:
    """Failed (given up), or pending for longer than STUCK_AFTER."""
    return payment.status == ProviderPaymentStatus.failed or (
        payment.status == ProviderPaymentStatus.pending and payment.created_at < now - STUCK_AFTER
    )


async def payments_needing_attention(
    session: AsyncSession, *, actor: Actor, now: datetime, page: PageRequest
) -> Page[ProviderPayment]:
    """Operators only: failed and long-pending provider payments, oldest first (the longest waiting on top)."""
    actor.require_operator()
    query = select(ProviderPayment).where(
        or_(
            ProviderPayment.status == ProviderPaymentStatus.failed,
            and_(
                ProviderPayment.status == ProviderPaymentStatus.pending,
                ProviderPayment.created_at < now - STUCK_AFTER,
            ),
        )
    )
    return await paginate(session, query, OLDEST_FIRST, page)


async def _locked(uow: UnitOfWork, payment_id: UUID) -> ProviderPayment:
    payment = await uow.session.get(ProviderPayment, payment_id, with_for_update=True)
    if payment is None:
        raise NotFound("provider payment", "id")
    if payment.status in pending.SETTLED:
        already = "made" if payment.status == ProviderPaymentStatus.made else "resolved by an operator"
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"this payment is already {already}", "id")
    return payment


async def retry_provider_payment(
    uow: UnitOfWork, *, actor: Actor, payment_id: UUID, provider: object
) -> ProviderPayment:
    """Operators only: make a failed (or long-pending) payment again now, with its own idempotency key (should a
    call of the worker's be under way, the provider answers both with the one payment). It is made after the
    commit, by this request (else by the worker); a failed one that is refused again is given up again
    at once, and operators are told again."""
    actor.require_operator()
    payment = await _locked(uow, payment_id)
    if payment.status == ProviderPaymentStatus.failed:
        # One more attempt: should it fail too, the payment is given up again at once.
        payment.attempts = max(payment.attempts, pending.MAX_ATTEMPTS - 1)
    payment.status = ProviderPaymentStatus.pending
    payment.claimed_until = None
    log.info("provider_payment.retry", id=str(payment.id), operator=str(actor.user_id))
    await uow.commit()
    await pending.make_after_commit(uow, provider, contract_id=payment.contract_id, payment_id=payment.id)
    await uow.session.refresh(payment)
    return payment


async def resolve_provider_payment(
    uow: UnitOfWork, *, actor: Actor, payment_id: UUID, reason: str, reference: str = ""
) -> ProviderPayment:
    """Operators only: the payment was settled outside the exchange's calls (made in Stripe's dashboard, wired by
    the bank, or found already made): it is never attempted again; its ledger line carries `reference` (what was
    done) once every part of that line is settled. The reason is required and kept with who and when."""
    actor.require_operator()
    reason, reference = reason.strip(), reference.strip()
    if not reason:
        raise InvalidInput("say what was done, and why by hand", "reason", ErrorCode.REQUIRED)
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            f"at most {REASON_MAX} characters",
            "reason",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=REASON_MAX),
        )
    if len(reference) > REFERENCE_MAX:
        raise InvalidInput(
            f"at most {REFERENCE_MAX} characters",
            "reference",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=REFERENCE_MAX),
        )
    payment = await _locked(uow, payment_id)
    if payment.claimed_until is not None and payment.claimed_until > uow.now():
        # Being made right now, or waiting for its next attempt: settling it by hand now could pay twice.
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"the payment provider is being asked again until {payment.claimed_until:%H:%M} UTC: retry it, or "
            "resolve it after that",
            "id",
        )
    payment.status = ProviderPaymentStatus.resolved
    payment.claimed_until = None
    payment.provider_reference = reference
    payment.resolved_by_user_id = actor.user_id
    payment.resolved_at = uow.now()
    payment.resolution_note = reason
    await uow.session.flush()
    await pending.settle_ledger_reference(
        uow, contract_id=payment.contract_id, ledger_reference=payment.ledger_reference
    )
    log.info("provider_payment.resolved", id=str(payment.id), operator=str(actor.user_id), reason=reason)
    await uow.commit()
    return payment
