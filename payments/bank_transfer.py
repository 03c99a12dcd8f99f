"""The default provider: buyers wire the money quoting a payment reference; an operator records it.
Payouts and refunds become payment instructions that an operator executes at the bank and confirms."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from domain.ledger.models import InstructionKind, PaymentInstruction
from domain.ports.payments import CardPaymentSettings, FundingInstructions, FundingSource, PayableContract
from domain.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class BankTransferProvider:
    beneficiary: str
    bank_details: str
    # The demo account development shows while EXCHANGE_BANK_DETAILS is unset (production refuses to start so).
    demo: bool = False
    method: str = "bank_transfer"
    card_payment: CardPaymentSettings | None = None

    def funding_instructions(
        self, *, payment_reference: str, currency: str, amount_due_minor: int
    ) -> FundingInstructions:
        return FundingInstructions(
            method=self.method,
            payment_reference=payment_reference,
            amount_due_minor=amount_due_minor,
            currency=currency,
            beneficiary=self.beneficiary,
            bank_details=self.bank_details,
            demo=self.demo,
        )

    async def _instruct(
        self, uow: UnitOfWork, contract: PayableContract, kind: InstructionKind, amount_minor: int, key: str
    ) -> str:
        existing = await uow.session.scalar(select(PaymentInstruction).where(PaymentInstruction.idempotency_key == key))
        if existing is not None:
            return str(existing.id)
        beneficiary = (
            contract.manufacturer_organisation_id if kind == InstructionKind.payout else contract.buyer_organisation_id
        )
        instruction = PaymentInstruction(
            contract_id=contract.id,
            kind=kind,
            beneficiary_organisation_id=beneficiary,
            amount_minor=amount_minor,
            currency=contract.currency,
            idempotency_key=key,
            created_at=uow.now(),
        )
        uow.session.add(instruction)
        await uow.session.flush()
        return str(instruction.id)

    async def pay_out(
        self, uow: UnitOfWork, *, contract: PayableContract, amount_minor: int, idempotency_key: str
    ) -> str:
        return await self._instruct(uow, contract, InstructionKind.payout, amount_minor, idempotency_key)

    async def refund(
        self,
        uow: UnitOfWork,
        *,
        contract: PayableContract,
        amount_minor: int,
        idempotency_key: str,
        source: FundingSource | None = None,
    ) -> str:
        return await self._instruct(uow, contract, InstructionKind.refund, amount_minor, idempotency_key)
