"""What Stripe's events other than a successful payment mean for the exchange (payments/stripe_webhooks.py maps
each event type here). Each runs in the worker's transaction for that stored event, exactly once.

- a failed card payment: the buyer is told; the contract still awaits funding;
- a Connect account updated: whether it may receive payouts (until it may, payouts become bank instructions);
- a chargeback opened on the funding payment: the contract's releases and timers freeze, operators and both
  parties are told; closed: they thaw, and operators learn the outcome (a lost chargeback took the money
  back from the platform: an operator settles the contract);
- a refund made outside the exchange (in Stripe's dashboard): escrow records it once, operators are told.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select

from domain.contracts.models import Contract
from domain.identity.models import User
from domain.ledger import rules as ledger
from domain.ledger import service as ledger_service
from domain.ledger.models import LedgerTransaction
from domain.money import Money
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.orders.models import ProductionOrder
from domain.organisations.models import Organisation
from domain.payments.models import ProviderPayment
from domain.uow import UnitOfWork


async def _contract_paid_by(uow: UnitOfWork, payment_intent_id: str) -> Contract | None:
    """The contract a PaymentIntent paid into (locked): the one it was started for, or one whose escrow it
    funded (a contract paid by several intents keeps the latest on the row)."""
    contract_id = await uow.session.scalar(
        select(Contract.id).where(Contract.stripe_payment_intent_id == payment_intent_id)
    ) or await uow.session.scalar(
        select(LedgerTransaction.contract_id).where(
            LedgerTransaction.provider_reference == payment_intent_id, LedgerTransaction.kind == "fund"
        )
    )
    if contract_id is None:
        return None
    return (
        await uow.session.scalars(
            select(Contract)
            .where(Contract.id == contract_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).first()


async def _title(uow: UnitOfWork, contract: Contract) -> str:
    return str(await uow.session.scalar(select(ProductionOrder.title).where(ProductionOrder.id == contract.order_id)))


async def _operators(uow: UnitOfWork) -> list[UUID]:
    return list(await uow.session.scalars(select(User.id).where(User.is_operator.is_(True))))


async def card_payment_failed(uow: UnitOfWork, *, contract_id: UUID, reason: str) -> str:
    contract = await uow.session.get(Contract, contract_id)
    if contract is None:
        return "unknown contract"
    title = await _title(uow, contract)
    await notify(
        uow,
        kind=NotificationKind.contract_updated,
        params=notice.CardPaymentFailed(title, reason),
        title=f"Card payment failed for “{title}”",
        body=f"{reason or 'The bank declined the payment.'} The contract still awaits funding: pay again or wire it.",
        subject=Subject("Contract", contract.id),
        organisation_ids=[contract.buyer_organisation_id],
    )
    await uow.commit()
    return "buyer told"


async def payout_account_updated(uow: UnitOfWork, *, account_id: str, payouts_enabled: bool) -> str:
    organisation = (
        await uow.session.scalars(
            select(Organisation).where(Organisation.stripe_account_id == account_id).with_for_update()
        )
    ).first()
    if organisation is None:
        return "unknown account"
    organisation.stripe_payouts_enabled = payouts_enabled
    organisation.updated_at = uow.now()
    await uow.commit()
    return "payouts enabled" if payouts_enabled else "payouts disabled"


async def chargeback_opened(uow: UnitOfWork, *, payment_intent_id: str, amount: Money, reason: str) -> str:
    contract = await _contract_paid_by(uow, payment_intent_id)
    if contract is None:
        return "unknown payment"
    contract.chargeback_open = True
    contract.updated_at = uow.now()
    title = await _title(uow, contract)
    await notify(
        uow,
        kind=NotificationKind.contract_updated,
        params=notice.ChargebackOpened(title, amount, reason),
        title=f"Card chargeback on “{title}”: payments frozen",
        body=f"The buyer's bank disputes {amount.amount} {amount.currency} ({reason or 'no reason given'}). "
        "Nothing is released from escrow until the chargeback closes.",
        subject=Subject("Contract", contract.id),
        organisation_ids=[contract.buyer_organisation_id, contract.manufacturer_organisation_id],
        user_ids=await _operators(uow),
    )
    await uow.commit()
    return "frozen"


async def chargeback_closed(uow: UnitOfWork, *, payment_intent_id: str, status: str) -> str:
    contract = await _contract_paid_by(uow, payment_intent_id)
    if contract is None:
        return "unknown payment"
    contract.chargeback_open = False
    contract.updated_at = uow.now()
    title = await _title(uow, contract)
    lost = status == "lost"
    await notify(
        uow,
        kind=NotificationKind.contract_updated,
        params=notice.ChargebackClosed(title, lost=lost, outcome=status),
        title=f"Card chargeback on “{title}” closed: {status}",
        body="The bank took the payment back: settle the contract (cancel or resolve) with the parties."
        if lost
        else "Payments on the contract go on as before.",
        subject=Subject("Contract", contract.id),
        user_ids=await _operators(uow),
    )
    await uow.commit()
    return f"thawed ({status})"


async def card_refunded(
    uow: UnitOfWork, *, payment_intent_id: str, refunds: Sequence[tuple[str, int, str]], currency: str
) -> str:
    """Refunds of the funding payment, as Stripe lists them (id, amount, the exchange's mark): the ones the
    exchange did not make itself are taken out of escrow once, at most what it holds. Its own carry its mark
    (`exchange_payment` in their metadata) and, once confirmed, the refund id as their ledger reference; one whose
    answer was lost is still pending here, its escrow already debited: the mark keeps it from being taken twice."""
    contract = await _contract_paid_by(uow, payment_intent_id)
    if contract is None:
        return "unknown payment"
    known = set(
        await uow.session.scalars(
            select(LedgerTransaction.provider_reference).where(LedgerTransaction.contract_id == contract.id)
        )
    )
    recorded = 0
    ours = {
        str(payment_id)
        for payment_id in await uow.session.scalars(
            select(ProviderPayment.id).where(ProviderPayment.contract_id == contract.id)
        )
    }
    for refund_id, amount, mark in refunds:
        if refund_id in known or mark in ours:
            continue
        held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
        taken = min(amount, held)
        if taken <= 0:
            continue
        await ledger_service.post(
            uow,
            contract_id=contract.id,
            kind="refund",
            idempotency_key=ledger.outside_refund_key(refund_id),
            postings=[
                ledger.Posting(ledger.escrow(contract.id), -taken, currency.upper()),
                ledger.Posting(ledger.buyer_refunds(contract.buyer_organisation_id), taken, currency.upper()),
            ],
            provider_reference=refund_id,
            source_reference=payment_intent_id,
        )
        recorded += taken
    if recorded:
        title = await _title(uow, contract)
        await notify(
            uow,
            kind=NotificationKind.contract_updated,
            params=notice.CardRefundRecorded(title, Money(recorded, currency.upper())),
            title=f"Refund made in Stripe on “{title}”",
            body=f"{Money(recorded, currency.upper()).amount} {currency.upper()} went back to the buyer outside the "
            "exchange; escrow records it. Check the contract's milestones.",
            subject=Subject("Contract", contract.id),
            user_ids=await _operators(uow),
        )
    await uow.commit()
    return f"recorded {recorded}" if recorded else "already recorded"
