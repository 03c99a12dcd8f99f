"""Payouts and refunds owed by bank transfer (payment instructions): an operator makes the transfer at the bank and
confirms it here with the reference the bank gave it, which the escrow statement's line then shows."""

from __future__ import annotations

from uuid import UUID

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, NotFound
from domain.ledger.models import InstructionStatus, PaymentInstruction
from domain.payments.rules import check_bank_reference
from domain.uow import UnitOfWork


async def confirm_payment_instruction(
    uow: UnitOfWork, *, actor: Actor, instruction_id: UUID, bank_reference: str
) -> PaymentInstruction:
    """Operators only: the payout or refund was made at the bank, under `bank_reference` (the payment order's
    number). Confirming it again with the same reference changes nothing; with another, it is refused (the transfer
    has its reference). A transfer confirmed before references were kept takes its reference, keeping when it was
    confirmed."""
    actor.require_operator()
    bank_reference = check_bank_reference(bank_reference)
    instruction = await uow.session.get(PaymentInstruction, instruction_id, with_for_update=True)
    if instruction is None:
        raise NotFound("payment instruction", "id")
    if instruction.status == InstructionStatus.confirmed and instruction.bank_reference is not None:
        if instruction.bank_reference != bank_reference:
            raise DomainError(
                ErrorCode.ALREADY_EXISTS,
                f"this transfer was confirmed with the bank's reference {instruction.bank_reference}",
                "bankReference",
            )
        return instruction
    if instruction.status != InstructionStatus.confirmed:
        instruction.status = InstructionStatus.confirmed
        instruction.confirmed_at = uow.now()
        instruction.confirmed_by_user_id = actor.user_id
    instruction.bank_reference = bank_reference
    await uow.commit()
    return instruction
