"""Provider payments (Stripe transfers and refunds) made outside the transaction that decided them.

A lifecycle step holds the contract's row lock (FOR UPDATE) while it decides what money moves; an HTTP call to
the provider inside it would hold that lock — and every other step on the contract — for as long as the provider
takes. So the step only records the payment to make (`record`, in its transaction, with the idempotency key the
call will carry) and its ledger line with a `pending:<id>` reference; after the commit, `make_pending` claims it
in a short transaction, calls the provider with no transaction open, and confirms the answer in another short
transaction (the provider's reference replaces the placeholder on the ledger line). The request that took the
step makes its contract's payments itself; the worker makes whatever is left (a failed call, a lost answer, a
process that died): the same idempotency key makes the provider return the payment it already made, never a
second one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

import structlog
from sqlalchemy import or_, select, update

from domain.identity.models import User
from domain.ledger.models import LedgerTransaction
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.payments.models import ProviderPayment, ProviderPaymentStatus
from domain.ports.payments import PayableContract
from domain.uow import UnitOfWork

log = structlog.get_logger(__name__)

# Long enough for the provider's slowest answer (the Stripe SDK retries twice); a holder that died lets go then.
CLAIM = timedelta(minutes=2)
MAX_ATTEMPTS = 20
# A provider payment in these no longer holds its ledger line's placeholder back.
SETTLED = frozenset({ProviderPaymentStatus.made, ProviderPaymentStatus.resolved})


def retry_pause(attempts: int) -> timedelta:
    """After a failed attempt: 30 s, doubling, at most 1 h — twenty attempts span about 13 hours. Not longer:
    Stripe keeps an idempotency key's answer for 24 hours, after which a repeated call whose first answer was lost
    would make a second payment."""
    return min(timedelta(seconds=30) * 2 ** max(attempts - 1, 0), timedelta(hours=1))


@runtime_checkable
class MakesPayments(Protocol):
    """A provider whose payouts and refunds are calls to make after the commit (Stripe)."""

    async def make_payment(self, payment: ProviderPayment) -> str:
        """Make the payment (with `payment.idempotency_key`); returns the provider's reference."""
        ...


async def record(
    uow: UnitOfWork,
    *,
    contract: PayableContract,
    kind: str,
    amount_minor: int,
    idempotency_key: str,
    request: dict[str, Any],
    funding_reference: str = "",
    ledger_reference: str | None = None,
) -> str:
    """A payment to make after this transaction commits; returns the placeholder its ledger line carries.
    `ledger_reference`: the placeholder of the ledger line it is a part of (another part's); by default its own."""
    existing = await uow.session.scalar(
        select(ProviderPayment).where(ProviderPayment.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return existing.ledger_reference or existing.placeholder
    payment = ProviderPayment(
        contract_id=contract.id,
        kind=kind,
        amount_minor=amount_minor,
        currency=contract.currency,
        idempotency_key=idempotency_key,
        request=request,
        funding_reference=funding_reference,
        created_at=uow.now(),
    )
    payment.ledger_reference = ledger_reference or payment.placeholder
    uow.session.add(payment)
    await uow.session.flush()
    return payment.ledger_reference


async def recorded_parts(uow: UnitOfWork, *, key_prefix: str) -> str | None:
    """The ledger placeholder of a split payment recorded before under keys `key_prefix…` (a replayed step)."""
    found: str | None = await uow.session.scalar(
        select(ProviderPayment.ledger_reference)
        .where(ProviderPayment.idempotency_key.startswith(key_prefix, autoescape=True))
        .limit(1)
    )
    return found


async def make_pending(
    uow: UnitOfWork,
    provider: object,
    *,
    contract_id: UUID | None = None,
    payment_id: UUID | None = None,
    limit: int = 50,
) -> int:
    """Make the pending provider payments (of one contract, one payment, or all), oldest first; returns how many
    were made.
    Runs outside any transaction of the caller's: call it after the commit. Never raises for a payment that
    fails: it stays pending, with its error, for the worker's next pass."""
    if not isinstance(provider, MakesPayments):
        return 0
    query = select(ProviderPayment.id).where(
        ProviderPayment.status == ProviderPaymentStatus.pending,
        or_(ProviderPayment.claimed_until.is_(None), ProviderPayment.claimed_until < uow.now()),
    )
    if contract_id is not None:
        query = query.where(ProviderPayment.contract_id == contract_id)
    if payment_id is not None:
        query = query.where(ProviderPayment.id == payment_id)
    waiting = list(await uow.session.scalars(query.order_by(ProviderPayment.created_at).limit(limit)))
    await uow.session.commit()
    made = 0
    for payment_id in waiting:
        payment = await _claim(uow, payment_id)
        if payment is None:
            continue  # another request or worker has it
        try:
            reference = await provider.make_payment(payment)
        except Exception as error:  # kept for the next pass; the idempotency key makes that retry safe
            log.warning("provider_payment.failed", id=str(payment.id), kind=payment.kind, error=str(error))
            await _failed(uow, payment, str(error))
            continue
        await _confirm(uow, payment, reference)
        log.info("provider_payment.made", id=str(payment.id), kind=payment.kind, reference=reference)
        made += 1
    return made


async def make_after_commit(
    uow: UnitOfWork, provider: object, *, contract_id: UUID, payment_id: UUID | None = None
) -> None:
    """The payments a step just committed (or the one an operator retries), made by the request that took it. The
    step has happened whatever happens here: anything that goes wrong leaves them to the worker, and the request
    still answers."""
    if not isinstance(provider, MakesPayments):
        return
    try:
        # Its own session: the step's objects (the contract the mutation answers with) stay as they are.
        async with uow.another() as own:
            await make_pending(own, provider, contract_id=contract_id, payment_id=payment_id)
    except Exception:
        log.exception("provider_payment.after_commit_failed", contract_id=str(contract_id))


async def _claim(uow: UnitOfWork, payment_id: UUID) -> ProviderPayment | None:
    now = uow.now()
    payment = (
        await uow.session.scalars(
            update(ProviderPayment)
            .where(
                ProviderPayment.id == payment_id,
                ProviderPayment.status == ProviderPaymentStatus.pending,
                or_(ProviderPayment.claimed_until.is_(None), ProviderPayment.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM, attempts=ProviderPayment.attempts + 1)
            .returning(ProviderPayment)
            .execution_options(populate_existing=True)
        )
    ).first()
    await uow.session.commit()
    return payment


async def _confirm(uow: UnitOfWork, payment: ProviderPayment, reference: str) -> None:
    confirmed = await uow.session.execute(
        update(ProviderPayment)
        .where(ProviderPayment.id == payment.id, ProviderPayment.status == ProviderPaymentStatus.pending)
        .values(
            status=ProviderPaymentStatus.made,
            provider_reference=reference,
            made_at=uow.now(),
            claimed_until=None,
            last_error="",
        )
        .returning(ProviderPayment.id)
    )
    if confirmed.first() is None:
        # An operator resolved it by hand while this call was on its way (resolving refuses a claimed payment,
        # so only a claim that outlived CLAIM gets here): the provider made it too.
        log.error("provider_payment.made_after_resolved", id=str(payment.id), reference=reference)
        await uow.session.commit()
        return
    await settle_ledger_reference(uow, contract_id=payment.contract_id, ledger_reference=payment.ledger_reference)
    await uow.session.commit()


async def settle_ledger_reference(uow: UnitOfWork, *, contract_id: UUID, ledger_reference: str) -> None:
    """Once every provider payment of a ledger line is made (or resolved by hand), the line carries their
    references in place of its placeholder: one transfer's id, or those of the transfers a split payout made
    (and the payment instruction of a part wired by an operator)."""
    parts = list(
        await uow.session.execute(
            select(ProviderPayment.status, ProviderPayment.provider_reference, ProviderPayment.request).where(
                ProviderPayment.contract_id == contract_id, ProviderPayment.ledger_reference == ledger_reference
            )
        )
    )
    if not parts or any(status not in SETTLED for status, _, _ in parts):
        return
    parts.sort(key=lambda part: int(part[2].get("part", 0)))
    references = [reference for _, reference, _ in parts if reference]
    references += sorted({str(request["wired_by"]) for _, _, request in parts if request.get("wired_by")})
    await uow.session.execute(
        update(LedgerTransaction)
        .where(LedgerTransaction.contract_id == contract_id, LedgerTransaction.provider_reference == ledger_reference)
        .values(provider_reference=", ".join(references)[:200] or "resolved by an operator")
    )


async def _failed(uow: UnitOfWork, payment: ProviderPayment, error: str) -> None:
    given_up = payment.attempts >= MAX_ATTEMPTS
    await uow.session.execute(
        update(ProviderPayment)
        .where(ProviderPayment.id == payment.id, ProviderPayment.status == ProviderPaymentStatus.pending)
        .values(
            claimed_until=None if given_up else uow.now() + retry_pause(payment.attempts),
            last_error=error[:500],
            status=ProviderPaymentStatus.failed if given_up else ProviderPaymentStatus.pending,
        )
    )
    if given_up:
        operators = list(await uow.session.scalars(select(User.id).where(User.is_operator.is_(True))))
        await notify(
            uow,
            kind=NotificationKind.contract_updated,
            params=notice.ProviderPaymentGivenUp(str(payment.kind), payment.attempts, error[:300]),
            title=f"A {payment.kind} could not be made through the payment provider",
            body=f"{payment.attempts} attempts failed; the last answer: {error[:300]}. In the operator console's "
            "payments: retry it (it is never paid twice), or make it by hand and mark it resolved with the reason.",
            subject=Subject("Contract", payment.contract_id),
            user_ids=operators,
        )
    await uow.session.commit()
