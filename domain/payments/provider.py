"""What the contract lifecycle needs from a payment provider (bank transfer by default; Stripe later)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.contracts.models import Contract
from domain.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class FundingInstructions:
    method: str
    payment_reference: str
    amount_due_minor: int
    currency: str
    beneficiary: str
    bank_details: str


class PaymentProvider(Protocol):
    method: str

    def funding_instructions(
        self, *, payment_reference: str, currency: str, amount_due_minor: int
    ) -> FundingInstructions: ...

    async def pay_out(self, uow: UnitOfWork, *, contract: Contract, amount_minor: int, idempotency_key: str) -> str:
        """Send `amount_minor` to the manufacturer; returns the provider's reference. Idempotent per key."""
        ...

    async def refund(
        self,
        uow: UnitOfWork,
        *,
        contract: Contract,
        amount_minor: int,
        idempotency_key: str,
        payment_reference: str | None = None,
    ) -> str:
        """Return `amount_minor` to the buyer — out of the payment `payment_reference` when given, else out of
        the contract's funding payment; returns the provider's reference. Idempotent per key."""
        ...
