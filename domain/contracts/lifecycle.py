"""Moving a contract through its lifecycle, and the money each step moves.

Every use case locks the contract row (FOR UPDATE) first, lets process.apply decide, applies the effects
(ledger postings, payouts, refunds) and appends the audit event, all in one transaction: of concurrent
attempts at the same step exactly one succeeds, and every posting carries an idempotency key derived
from the contract and the step, so a retry posts nothing twice. Payouts and refunds through a card provider
are only recorded in that transaction; the HTTP calls are made after it commits (domain/payments/pending.py),
so the row lock is never held while the provider answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select

from domain.actor import Actor
from domain.contracts import process, settlement
from domain.contracts.models import Contract, ContractEvent, Milestone, MilestoneStatus
from domain.contracts.policy import ContractPolicy
from domain.contracts.process import ContractStatus, Party
from domain.contracts.reopen import give_award_back
from domain.contracts.service import DOCUMENTS_TOPIC, normalise_payment_reference
from domain.errors import DateLimits, DomainError, ErrorCode, Forbidden, InvalidInput, NotFound
from domain.ledger import refunds
from domain.ledger import rules as ledger
from domain.ledger import service as ledger_service
from domain.ledger.models import BankTransfer
from domain.money import Money, below_least, money_limits
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.orders.models import ProductionOrder
from domain.outbox import emit
from domain.payments import pending
from domain.payments import rules as payment_rules
from domain.ports.payments import CardFunding, PaymentProvider
from domain.ports.records import RECORD_TRANSITIONS, refresh_records
from domain.realtime import EventTopic, announce
from domain.taxes.amounts import fee_amount
from domain.text import check_text
from domain.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Payments:
    """What a lifecycle step needs besides the database: the provider and the platform's terms."""

    provider: PaymentProvider
    policy: ContractPolicy


async def _lock(uow: UnitOfWork, contract_id: UUID, *, skip_locked: bool = False) -> Contract | None:
    stmt = select(Contract).where(Contract.id == contract_id).with_for_update(skip_locked=skip_locked)
    return (await uow.session.scalars(stmt.execution_options(populate_existing=True))).first()


def parties_of(actor: Actor, *, buyer_organisation_id: UUID, manufacturer_organisation_id: UUID) -> list[Party]:
    """The sides the actor may take on a contract between these two, buyer first; none for a stranger."""
    sides = []
    if actor.is_member(buyer_organisation_id):
        sides.append(Party.buyer)
    if actor.is_member(manufacturer_organisation_id):
        sides.append(Party.manufacturer)
    if actor.is_operator:
        sides.append(Party.operator)
    return sides


def _party(actor: Actor, contract: Contract, transition: process.Transition) -> Party:
    """Which side the actor takes in this step; a stranger learns nothing about the contract."""
    sides = parties_of(
        actor,
        buyer_organisation_id=contract.buyer_organisation_id,
        manufacturer_organisation_id=contract.manufacturer_organisation_id,
    )
    if not sides:
        raise NotFound("contract", "contractId")
    return next((side for side in sides if side in transition.actors), sides[0])


def _due_at(status: ContractStatus, now: datetime, policy: ContractPolicy) -> datetime | None:
    windows = {
        ContractStatus.pending_funding: policy.funding_window,
        ContractStatus.shipped: policy.delivery_confirmation_window,
        ContractStatus.inspection: policy.inspection_period,
    }
    window = windows.get(status)
    return now + window if window is not None else None


async def _milestones(uow: UnitOfWork, contract_id: UUID) -> list[Milestone]:
    return list(
        await uow.session.scalars(
            select(Milestone).where(Milestone.contract_id == contract_id).order_by(Milestone.position)
        )
    )


async def _passed(uow: UnitOfWork, contract: Contract) -> frozenset[ContractStatus]:
    """The reviews the contract has passed (process.passed_reviews of its audit log), read only where a step from
    its state could enter one."""
    if not process.may_enter_a_review(contract.status):
        return frozenset()
    steps = await uow.session.execute(
        select(ContractEvent.transition, ContractEvent.to_status)
        .where(ContractEvent.contract_id == contract.id)
        .order_by(ContractEvent.sequence)
    )
    return process.passed_reviews((name, reached) for name, reached in steps)


async def _release(
    uow: UnitOfWork, contract: Contract, milestone: Milestone, amount: int, fee: int, payments: Payments
) -> None:
    """escrow -> manufacturer (net) + platform fee, then the payout through the provider."""
    if contract.chargeback_open and amount:
        raise DomainError(
            ErrorCode.PAYMENTS_FROZEN,
            "the buyer's card payment is disputed with the bank: nothing is released until the chargeback closes",
            "contractId",
        )
    net = amount - fee
    postings = [ledger.Posting(ledger.escrow(contract.id), -amount, contract.currency)]
    if net:
        postings.append(
            ledger.Posting(ledger.manufacturer_payable(contract.manufacturer_organisation_id), net, contract.currency)
        )
    if fee:
        # The fee is the platform's taxable service: its net and the VAT in it go to separate accounts.
        taxed = fee_amount(fee, contract.fee_vat_rate)
        postings.append(ledger.Posting(ledger.PLATFORM_FEES, taxed.net, contract.currency))
        if taxed.vat:
            postings.append(ledger.Posting(ledger.PLATFORM_VAT, taxed.vat, contract.currency))
    if amount:
        key = ledger.release_key(milestone.id)
        reference = (
            await payments.provider.pay_out(
                uow, contract=contract, amount_minor=net, idempotency_key=f"payout:{milestone.id}"
            )
            if net
            else ""
        )
        await ledger_service.post(
            uow,
            contract_id=contract.id,
            kind="release",
            idempotency_key=key,
            postings=postings,
            provider_reference=reference,
        )


def _settle(milestone: Milestone, released_minor: int, now: datetime) -> None:
    """A milestone settled: `released_minor` of it paid out (gross), the rest refunded; its status says which."""
    milestone.released_minor = released_minor
    milestone.refunded_minor = milestone.amount_minor - released_minor
    if released_minor == milestone.amount_minor:
        milestone.status = MilestoneStatus.released
    elif released_minor == 0:
        milestone.status = MilestoneStatus.refunded
    else:
        milestone.status = MilestoneStatus.partly_released
    milestone.settled_at = now


async def _refund_escrow(uow: UnitOfWork, contract: Contract, step: str, payments: Payments) -> int:
    """Everything escrow still holds goes back to the buyer."""
    held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
    if held > 0:
        await _refund_escrow_amount(uow, contract, held, step, payments)
    return held


async def _effects(
    uow: UnitOfWork, contract: Contract, name: str, payload: dict[str, Any], payments: Payments
) -> dict[str, Any]:
    """The money and records a transition moves; returns what goes into the audit event."""
    now = uow.now()
    milestones = await _milestones(uow, contract.id)
    pending = [m for m in milestones if m.status == MilestoneStatus.pending]
    if name == "approve_first_article" or name in ("accept", "auto_accept"):
        due = (
            [m for m in pending if m.trigger == "approve_first_article"] if name == "approve_first_article" else pending
        )
        for milestone in due:
            await _release(uow, contract, milestone, milestone.amount_minor, milestone.fee_minor, payments)
            _settle(milestone, milestone.amount_minor, now)
        return {"released_minor": sum(m.amount_minor for m in due)}
    if name == "resolve":
        shares = [settlement.PendingShare(m.amount_minor, m.fee_minor) for m in pending]
        held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
        split = settlement.split(shares, release_minor=payload["release_minor"], held_minor=held)
        for milestone, share in zip(pending, split.releases, strict=True):
            await _release(uow, contract, milestone, share.amount_minor, share.fee_minor, payments)
            _settle(milestone, share.amount_minor, now)
        refunded = await _refund_escrow(uow, contract, name, payments)
        return {"released_minor": split.released_minor, "refunded_minor": refunded, "note": payload.get("note", "")}
    if name in ("cancel", "operator_cancel", "funding_expired"):
        for milestone in pending:
            _settle(milestone, 0, now)
        refunded = await _refund_escrow(uow, contract, name, payments)
        return {"refunded_minor": refunded, **{k: v for k, v in payload.items() if k == "reason"}}
    if name == "ship":
        contract.tracking_reference = payload["tracking_reference"]
    return dict(payload)


async def _apply(
    uow: UnitOfWork,
    contract: Contract,
    name: str,
    party: Party,
    user_id: UUID | None,
    payload: dict[str, Any],
    payments: Payments,
) -> Contract:
    now = uow.now()
    decision = process.apply(contract.status, name, party, now, passed=await _passed(uow, contract))
    event_payload = await _effects(uow, contract, name, payload, payments)
    if decision.to_status == ContractStatus.cancelled:
        event_payload.update(await give_award_back(uow, contract))
    contract.status = decision.to_status
    if decision.to_status == ContractStatus.completed:
        emit(uow, DOCUMENTS_TOPIC, contract.id)  # the closing act and the fee invoices (exchange/document_relay.py)
    contract.due_at = _due_at(decision.to_status, now, payments.policy)
    contract.updated_at = now
    uow.session.add(
        ContractEvent(
            contract_id=contract.id,
            transition=name,
            actor_user_id=user_id,
            from_status=decision.from_status,
            to_status=decision.to_status,
            payload={"party": party.value, **event_payload},
            created_at=now,
        )
    )
    if name in RECORD_TRANSITIONS:
        await refresh_records(uow.session, [contract.manufacturer_organisation_id], now)
    announce(uow, EventTopic.contract, contract.id, transition=name)
    title = await uow.session.scalar(select(ProductionOrder.title).where(ProductionOrder.id == contract.order_id))
    await notify(
        uow,
        kind=NotificationKind.contract_updated,
        params=notice.ContractStepTaken(str(title), name, decision.to_status),
        title=f"Contract for “{title}”: {name.replace('_', ' ')}",
        body=f"The contract is now {decision.to_status.value.replace('_', ' ')}.",
        subject=Subject("Contract", contract.id),
        organisation_ids=[contract.buyer_organisation_id, contract.manufacturer_organisation_id],
        exclude_user_id=user_id,
    )
    return contract


# The steps a party takes by mutation, and what each needs from its input.
_REASON_REQUIRED = {"reject_first_article", "dispute", "cancel", "operator_cancel"}


async def take_step(
    uow: UnitOfWork,
    *,
    actor: Actor,
    contract_id: UUID,
    transition: str,
    payments: Payments,
    note: str = "",
    tracking_reference: str = "",
    release: Money | None = None,
) -> Contract:
    """A party moves the contract: start production, ship, accept, dispute, resolve, cancel…"""
    user_id = actor.require_user()
    contract = await _lock(uow, contract_id)
    if contract is None:
        raise NotFound("contract", "contractId")
    if transition == "cancel" and actor.is_operator:
        transition = process.cancellation(contract.status)
    spec = process.TRANSITIONS_BY_NAME[transition]
    party = _party(actor, contract, spec)
    payload: dict[str, Any] = {}
    note = check_text(
        note,
        "note" if transition not in _REASON_REQUIRED else "reason",
        max_length=2000,
        required=transition in _REASON_REQUIRED,
    )
    if note:
        payload["reason" if transition in _REASON_REQUIRED else "note"] = note
    if transition == "ship":
        payload["tracking_reference"] = check_text(tracking_reference, "trackingReference", max_length=200)
    if transition == "resolve":
        held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
        payload["release_minor"] = settlement.check_release(release, currency=contract.currency, held_minor=held)
    await _apply(uow, contract, transition, party, user_id, payload, payments)
    await uow.commit()
    # Transfers and refunds the step recorded, made now that the contract's row lock is released.
    await pending.make_after_commit(uow, payments.provider, contract_id=contract.id)
    return contract


async def record_bank_transfer(
    uow: UnitOfWork,
    *,
    actor: Actor,
    payment_reference: str,
    bank_transaction_id: str,
    amount: Money,
    received_on: date,
    payments: Payments,
) -> Contract:
    """An operator records a wire received for a contract; once escrow covers the price it is funded.
    Recording the same bank transaction again changes nothing."""
    actor.require_operator()
    bank_transaction_id = check_text(bank_transaction_id, "bankTransactionId", max_length=100)
    reference = normalise_payment_reference(payment_reference)
    contract = (
        await uow.session.scalars(select(Contract).where(Contract.payment_reference == reference).with_for_update())
    ).first()
    if contract is None:
        raise NotFound("contract with this payment reference", "paymentReference")
    replay = await uow.session.scalar(
        select(BankTransfer).where(BankTransfer.bank_transaction_id == bank_transaction_id)
    )
    if replay is not None:
        if replay.contract_id != contract.id or replay.amount_minor != amount.minor_units:
            raise DomainError(
                ErrorCode.ALREADY_EXISTS, "this bank transaction was recorded with other details", "bankTransactionId"
            )
        return contract
    if not process.awaits_funding(contract.status):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"the contract is {contract.status.value}: return the money at the bank",
            "paymentReference",
        )
    if amount.currency != contract.currency:
        raise InvalidInput(f"the contract is in {contract.currency}", "amount.currency", ErrorCode.CURRENCY_MISMATCH)
    held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
    outstanding = contract.total_minor - held
    if amount.minor_units <= 0:
        raise below_least(contract.currency, "amount.amount", positive=True)
    if amount.minor_units > outstanding:
        raise InvalidInput(
            f"more than the outstanding {Money(outstanding, contract.currency).amount}",
            "amount.amount",
            ErrorCode.OUT_OF_RANGE,
            limits=replace(
                money_limits(contract.currency, positive=True), max=Money(max(outstanding, 0), contract.currency).amount
            ),
        )
    # The bank's date is local to the bank: in Moscow (UTC+3) or Kamchatka (UTC+12) tomorrow's date in UTC
    # terms is already today's. Only a date later than anywhere on Earth (UTC+14) is in the future.
    if received_on > (uow.now() + timedelta(hours=14)).date():
        raise InvalidInput(
            "a transfer cannot be received in the future",
            "receivedOn",
            ErrorCode.OUT_OF_RANGE,
            date_limits=DateLimits(latest=(uow.now() + timedelta(hours=14)).date()),
        )
    uow.session.add(
        BankTransfer(
            contract_id=contract.id,
            bank_transaction_id=bank_transaction_id,
            amount_minor=amount.minor_units,
            currency=amount.currency,
            received_on=received_on,
            recorded_by_user_id=actor.require_user(),
            created_at=uow.now(),
        )
    )
    await ledger_service.post(
        uow,
        contract_id=contract.id,
        kind="fund",
        idempotency_key=ledger.bank_funding_key(bank_transaction_id),
        postings=[
            ledger.Posting(
                ledger.buyer_funding(contract.buyer_organisation_id), -amount.minor_units, contract.currency
            ),
            ledger.Posting(ledger.escrow(contract.id), amount.minor_units, contract.currency),
        ],
        provider_reference=bank_transaction_id,
    )
    if amount.minor_units == outstanding:
        await _apply(
            uow, contract, "fund", Party.operator, actor.user_id, {"bank_transaction_id": bank_transaction_id}, payments
        )
    await uow.commit()
    return contract


async def due_contract_ids(uow: UnitOfWork, *, limit: int = 100) -> list[UUID]:
    return list(
        await uow.session.scalars(
            select(Contract.id)
            # A contract under a card chargeback waits for it: its timers (auto-accept) would release money.
            .where(
                Contract.due_at <= uow.now(),
                Contract.status.in_(list(process.TIMERS)),
                Contract.chargeback_open.is_(False),
            )
            .order_by(Contract.due_at)
            .limit(limit)
        )
    )


async def fire_timer(uow: UnitOfWork, *, contract_id: UUID, payments: Payments) -> bool:
    """Take the timer's transition if the contract is still due; skip one another worker holds."""
    contract = await _lock(uow, contract_id, skip_locked=True)
    if contract is None or contract.due_at is None or contract.due_at > uow.now():
        return False
    name = process.TIMERS.get(contract.status)
    if name is None:
        return False
    await _apply(uow, contract, name, Party.timer, None, {}, payments)
    await uow.commit()
    await pending.make_after_commit(uow, payments.provider, contract_id=contract.id)
    return True


async def start_funding(
    uow: UnitOfWork, *, actor: Actor, contract_id: UUID, payments: Payments
) -> tuple[Contract, str | None]:
    """The buyer starts paying escrow. With card payments (Stripe) that is a PaymentIntent for what is still
    due, whose client secret the SPA confirms — the same intent again while it is open and its amount still
    due, so a reload or a second tab never opens a second charge; with bank transfer there is nothing to start
    (None): the contract's funding instructions say where to wire.

    Stripe is called with no transaction open (the contract's row lock is not held while it answers): read, call,
    then a short locked transaction keeps the new intent only if nothing changed meanwhile — a second tab that got
    there first wins and this one answers with its intent, dropping its own."""
    actor.require_user()
    contract = (
        await uow.session.scalars(
            select(Contract).where(Contract.id == contract_id).execution_options(populate_existing=True)
        )
    ).first()
    if contract is None or not (actor.is_member(contract.buyer_organisation_id) or actor.is_operator):
        if contract is not None and actor.is_member(contract.manufacturer_organisation_id):
            raise Forbidden("only the buyer funds escrow", "contractId")
        raise NotFound("contract", "contractId")
    if not process.awaits_funding(contract.status):
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"the contract is {contract.status.value}", "contractId")
    card = payments.provider
    if not isinstance(card, CardFunding):
        return contract, None
    held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
    amount_due = contract.total_minor - held
    previous_id = contract.stripe_payment_intent_id
    posted = previous_id is not None and await ledger_service.posted(
        uow.session, idempotency_key=ledger.card_funding_key(previous_id)
    )
    await uow.session.commit()  # only read: nothing stays open while Stripe answers
    previous = await card.funding_intent(previous_id) if previous_id is not None else None
    decision = payment_rules.funding_intent_decision(previous, amount_due_minor=amount_due, posted=posted)
    if decision == payment_rules.IntentDecision.paying:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "a card payment for this contract is already being processed; it is funded when the payment arrives",
            "contractId",
        )
    if decision == payment_rules.IntentDecision.reuse:
        assert previous is not None
        return contract, previous.client_secret
    if decision == payment_rules.IntentDecision.replace:
        assert previous is not None
        await card.cancel_funding_intent(previous.id)
    intent = await card.start_funding(
        contract, amount_due_minor=amount_due, replacing=previous.id if previous else None
    )
    locked = await _lock(uow, contract_id)
    assert locked is not None
    held_now = await ledger_service.balance(uow.session, ledger.escrow(contract_id))
    if not process.awaits_funding(locked.status) or locked.total_minor - held_now != amount_due:
        await uow.session.rollback()
        await card.cancel_funding_intent(intent.id)
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "the contract changed while the card payment was being prepared (a payment arrived, or it was "
            "cancelled): look at it again",
            "contractId",
        )
    winner = locked.stripe_payment_intent_id
    if winner not in (previous_id, intent.id):
        assert winner is not None
        # Another tab started an intent meanwhile and recorded it first: one charge, theirs. (Nothing was written:
        # the commit only ends the transaction, keeping `locked` loaded, where a rollback would expire it.)
        await uow.session.commit()
        await card.cancel_funding_intent(intent.id)
        return locked, (await card.funding_intent(winner)).client_secret
    locked.stripe_payment_intent_id = intent.id
    locked.payment_method = "stripe"
    locked.updated_at = uow.now()
    await uow.commit()
    return locked, intent.client_secret


async def record_card_payment(
    uow: UnitOfWork, *, contract_id: UUID, payment_intent_id: str, amount_minor: int, currency: str, payments: Payments
) -> str:
    """A card payment succeeded (from the provider's webhook). Posts once per payment intent; funds the
    contract when escrow covers it; money arriving for a contract that no longer waits for it goes back."""
    contract = await _lock(uow, contract_id)
    if contract is None:
        return "unknown contract"
    posted = await ledger_service.post(
        uow,
        contract_id=contract.id,
        kind="fund",
        idempotency_key=ledger.card_funding_key(payment_intent_id),
        postings=[
            ledger.Posting(ledger.buyer_funding(contract.buyer_organisation_id), -amount_minor, currency.upper()),
            ledger.Posting(ledger.escrow(contract.id), amount_minor, currency.upper()),
        ],
        provider_reference=payment_intent_id,
    )
    if posted is None:
        return "replay"
    held = await ledger_service.balance(uow.session, ledger.escrow(contract.id))
    outcome = "funded partly"
    if not process.awaits_funding(contract.status):
        await _refund_escrow_amount(
            uow, contract, amount_minor, f"late:{payment_intent_id}", payments, payment_intent_id
        )
        outcome = "refunded: the contract no longer awaited funding"
    elif held > contract.total_minor:
        # Paid twice (a second intent, a retry): escrow keeps the price, the excess goes straight back.
        await _refund_escrow_amount(
            uow, contract, held - contract.total_minor, f"excess:{payment_intent_id}", payments, payment_intent_id
        )
        outcome = "funded; the excess refunded"
    if process.awaits_funding(contract.status) and held >= contract.total_minor:
        await _apply(uow, contract, "fund", Party.system, None, {"payment_intent": payment_intent_id}, payments)
        outcome = "funded" if held == contract.total_minor else outcome
    await uow.commit()
    return outcome


async def _refund_escrow_amount(
    uow: UnitOfWork, contract: Contract, amount: int, step: str, payments: Payments, source: str | None = None
) -> None:
    """Return `amount` of escrow to the buyer, split across the payments that funded it
    (refunds.split_refund: newest first, after `source` when the money to return is that payment's):
    each piece through its own payment with its own idempotency key and ledger line, which names the payment."""
    sources = await ledger_service.funding_sources(uow.session, contract.id)
    for piece in refunds.split_refund(sources, amount, first=source):
        through = piece.source.reference if piece.source is not None else "unattributed"
        key = ledger.refund_key(contract.id, step, through)
        reference = await payments.provider.refund(
            uow, contract=contract, amount_minor=piece.amount_minor, idempotency_key=key, source=piece.source
        )
        await ledger_service.post(
            uow,
            contract_id=contract.id,
            kind="refund",
            idempotency_key=key,
            postings=[
                ledger.Posting(ledger.escrow(contract.id), -piece.amount_minor, contract.currency),
                ledger.Posting(
                    ledger.buyer_refunds(contract.buyer_organisation_id), piece.amount_minor, contract.currency
                ),
            ],
            provider_reference=reference,
            source_reference=piece.source.reference if piece.source is not None else "",
        )
