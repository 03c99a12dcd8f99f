"""What the contract lifecycle needs from a payment provider (bank transfer by default; Stripe later)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

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


@dataclass(frozen=True, slots=True)
class CardPaymentSettings:
    """What a browser needs to take a card with Stripe.js: public by design (never the secret key)."""

    publishable_key: str
    js_url: str


@dataclass(frozen=True, slots=True)
class FundingIntent:
    """A provider's payment intent for a contract, as far as funding cares."""

    id: str
    status: str
    amount_minor: int
    client_secret: str


class PaymentProvider(Protocol):
    method: str
    # Card payment in the browser, when the provider takes cards and the browser has what it needs; else None.
    card_payment: CardPaymentSettings | None

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


@runtime_checkable
class CardFunding(Protocol):
    """A provider that takes card payments through payment intents (Stripe)."""

    async def start_funding(
        self, contract: Contract, *, amount_due_minor: int, replacing: str | None = None
    ) -> FundingIntent: ...

    async def funding_intent(self, intent_id: str) -> FundingIntent: ...

    async def cancel_funding_intent(self, intent_id: str) -> None: ...
