"""Port: what the contract lifecycle needs from a payment provider (bank transfer by default, Stripe with cards).

The adapters live in payments/; the domain sees only these protocols and values. A provider is handed the
contract as `PayableContract` (the few fields it reads), so this port depends on no area."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable
from uuid import UUID

from domain.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class FundingInstructions:
    method: str
    payment_reference: str
    amount_due_minor: int
    currency: str
    beneficiary: str
    bank_details: str
    # A demo account (development without EXCHANGE_BANK_DETAILS): not to be paid into.
    demo: bool = False


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


class FundingMethod(StrEnum):
    card = "card"  # a Stripe PaymentIntent: refunded through it
    bank_transfer = "bank_transfer"  # a wire an operator recorded: refunded by a payment instruction


@dataclass(frozen=True, slots=True)
class FundingSource:
    """One payment that paid into a contract's escrow, and how much of it has gone back to the buyer."""

    reference: str  # the PaymentIntent id or the bank transaction id
    method: FundingMethod
    paid_minor: int
    refunded_minor: int = 0
    # Paid out of it to the manufacturer by Stripe transfers tied to its charge (`source_transaction`).
    transferred_minor: int = 0

    @property
    def available_minor(self) -> int:
        """What may still go back through it: refunds and transfers together never exceed what it paid in (a
        charge's transfers and refunds both draw on the charge)."""
        return self.paid_minor - self.refunded_minor - self.transferred_minor


class PayableContract(Protocol):
    """The fields of a contract (domain/contracts/models.py: Contract) a provider reads to pay, refund or charge."""

    @property
    def id(self) -> UUID: ...
    @property
    def payment_reference(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def buyer_organisation_id(self) -> UUID: ...
    @property
    def manufacturer_organisation_id(self) -> UUID: ...
    @property
    def stripe_payment_intent_id(self) -> str | None: ...


class PaymentProvider(Protocol):
    @property
    def method(self) -> str: ...

    @property
    def card_payment(self) -> CardPaymentSettings | None:
        """Card payment in the browser, when the provider takes cards and the browser has what it needs; else None."""
        ...

    def funding_instructions(
        self, *, payment_reference: str, currency: str, amount_due_minor: int
    ) -> FundingInstructions: ...

    async def pay_out(
        self, uow: UnitOfWork, *, contract: PayableContract, amount_minor: int, idempotency_key: str
    ) -> str:
        """Send `amount_minor` to the manufacturer; returns the provider's reference. Idempotent per key."""
        ...

    async def refund(
        self,
        uow: UnitOfWork,
        *,
        contract: PayableContract,
        amount_minor: int,
        idempotency_key: str,
        source: FundingSource | None = None,
    ) -> str:
        """Return `amount_minor` to the buyer out of the payment `source` (a card payment back to the card, a wire
        by a payment instruction; no source: a payment instruction); returns the provider's reference.
        Idempotent per key."""
        ...


@runtime_checkable
class CardFunding(Protocol):
    """A provider that takes card payments through payment intents (Stripe)."""

    async def start_funding(
        self, contract: PayableContract, *, amount_due_minor: int, replacing: str | None = None
    ) -> FundingIntent: ...

    async def funding_intent(self, intent_id: str) -> FundingIntent: ...

    async def cancel_funding_intent(self, intent_id: str) -> None: ...
