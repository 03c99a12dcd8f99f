"""Stripe: escrow funded by a PaymentIntent (the SPA confirms it with the client secret), released by
Connect Transfers to the manufacturer's account (each tied to the charge it draws on, split across the charges when
several payments funded the contract), refunded through the PaymentIntents that paid it in (each for
its share). Every call carries an idempotency key derived from the contract and the step, so a retry never moves
money twice.

Card funding lands in escrow when the worker processes the `payment_intent.succeeded` webhook. Transfers and refunds
are recorded in the transaction that decides them and made after its commit (domain/payments/pending.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import stripe

if TYPE_CHECKING:
    from stripe._base_address import BaseAddresses  # the SDK exports the type only from its private module

from domain.errors import DomainError, ErrorCode
from domain.ledger import service as ledger_service
from domain.organisations.models import Organisation
from domain.payments import pending
from domain.payments import rules as payment_rules
from domain.payments.models import ProviderPayment
from domain.ports.payments import (
    CardPaymentSettings,
    FundingInstructions,
    FundingIntent,
    FundingMethod,
    FundingSource,
    PayableContract,
)
from domain.uow import UnitOfWork
from payments.bank_transfer import BankTransferProvider


class PaymentProviderError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.PAYMENT_FAILED, message)


@dataclass
class StripeProvider:
    api_key: str
    # Bank transfer stays available: payouts to a manufacturer without a Connect account become
    # payment instructions for an operator, as with bank-transfer funding.
    fallback: BankTransferProvider
    api_base: str | None = None
    # For Stripe.js in the browser; without a publishable key no card payment is offered there.
    publishable_key: str | None = None
    js_url: str = "https://js.stripe.com/v3/"
    method: str = "stripe"
    client: stripe.StripeClient = field(init=False)

    def __post_init__(self) -> None:
        base: BaseAddresses = {"api": self.api_base} if self.api_base else {}
        self.client = stripe.StripeClient(
            self.api_key,
            base_addresses=base,
            http_client=stripe.HTTPXClient(allow_sync_methods=True),
            max_network_retries=2,
        )

    @property
    def card_payment(self) -> CardPaymentSettings | None:
        if not self.publishable_key:
            return None
        return CardPaymentSettings(publishable_key=self.publishable_key, js_url=self.js_url)

    def funding_instructions(
        self, *, payment_reference: str, currency: str, amount_due_minor: int
    ) -> FundingInstructions:
        return self.fallback.funding_instructions(
            payment_reference=payment_reference, currency=currency, amount_due_minor=amount_due_minor
        )

    async def _call(self, call: Any, params: dict[str, Any], key: str) -> Any:
        try:
            return await call(params, {"idempotency_key": key})
        except stripe.StripeError as error:
            raise PaymentProviderError(f"the payment provider refused: {error.user_message or error}") from error

    async def start_funding(
        self, contract: PayableContract, *, amount_due_minor: int, replacing: str | None = None
    ) -> FundingIntent:
        """A PaymentIntent for what escrow still needs. `replacing` names the intent this one supersedes, so that
        its idempotency key differs from the superseded one's (Stripe keeps a key's answer for 24 hours)."""
        intent = await self._call(
            self.client.v1.payment_intents.create_async,
            {
                "amount": amount_due_minor,
                "currency": contract.currency.lower(),
                "transfer_group": str(contract.id),
                "metadata": {"contract_id": str(contract.id), "payment_reference": contract.payment_reference},
            },
            f"fund:{contract.id}:{amount_due_minor}:{replacing or 'first'}",
        )
        return _funding_intent(intent)

    async def funding_intent(self, intent_id: str) -> FundingIntent:
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(intent_id)
        except stripe.StripeError as error:
            raise PaymentProviderError(f"the payment provider refused: {error.user_message or error}") from error
        return _funding_intent(intent)

    async def cancel_funding_intent(self, intent_id: str) -> None:
        await self._call(partial(self.client.v1.payment_intents.cancel_async, intent_id), {}, f"cancel:{intent_id}")

    async def onboarding_link(
        self, organisation: Organisation, *, return_url: str, refresh_url: str
    ) -> tuple[str, str]:
        """The Connect account (created on first use) and a fresh onboarding link for it."""
        account_id = organisation.stripe_account_id
        if account_id is None:
            # Controller properties (the platform pays Stripe's fees and bears losses; the shop gets the Express
            # dashboard) rather than the legacy `type: express`.
            account = await self._call(
                self.client.v1.accounts.create_async,
                {
                    "controller": {
                        "fees": {"payer": "application"},
                        "losses": {"payments": "application"},
                        "stripe_dashboard": {"type": "express"},
                    },
                    "metadata": {"organisation_id": str(organisation.id)},
                },
                f"account:{organisation.id}",
            )
            account_id = account.id
        # Account Links are single-use and expire in minutes, while Stripe replays an idempotent answer for 24
        # hours: each request gets its own key (the SDK's network retries still reuse it), so a link is fresh.
        link = await self._call(
            self.client.v1.account_links.create_async,
            {"account": account_id, "type": "account_onboarding", "return_url": return_url, "refresh_url": refresh_url},
            f"account_link:{organisation.id}:{uuid4()}",
        )
        return account_id, link.url

    async def pay_out(
        self, uow: UnitOfWork, *, contract: PayableContract, amount_minor: int, idempotency_key: str
    ) -> str:
        """Decides the route in the caller's transaction; a Connect transfer is recorded there and made after the
        commit (domain/payments/pending.py): the contract's row lock is never held during the HTTP call."""
        manufacturer = await uow.session.get(Organisation, contract.manufacturer_organisation_id)
        # A shop without a Connect account cannot receive a transfer, nor one whose account Stripe has not (or no
        # longer) cleared for payouts (account.updated): paid by bank transfer through an operator.
        if manufacturer is None or not manufacturer.stripe_account_id or not manufacturer.stripe_payouts_enabled:
            return await self.fallback.pay_out(
                uow, contract=contract, amount_minor=amount_minor, idempotency_key=idempotency_key
            )
        recorded = await pending.recorded_parts(uow, key_prefix=f"{idempotency_key}:")
        if recorded is not None:
            return recorded  # the step replayed: its transfers are recorded (and perhaps made) already
        # A contract paid by several card payments (several cards, top-ups): each transfer is tied to one charge
        # and may not exceed what that charge has left, so the payout is split across them, the oldest first.
        # Money wired to the bank is not in the Stripe balance: what the cards cannot carry, an operator wires.
        sources = await ledger_service.funding_sources(uow.session, contract.id)
        pieces = payment_rules.split_payout(sources, amount_minor)
        if all(piece.source is None for piece in pieces):
            return await self.fallback.pay_out(
                uow, contract=contract, amount_minor=amount_minor, idempotency_key=idempotency_key
            )
        wired = next((piece for piece in pieces if piece.source is None), None)
        wired_by = (
            await self.fallback.pay_out(
                uow, contract=contract, amount_minor=wired.amount_minor, idempotency_key=f"{idempotency_key}:wired"
            )
            if wired is not None
            else None
        )
        placeholder: str | None = None
        for part, piece in enumerate(pieces):
            if piece.source is None:
                continue
            request: dict[str, Any] = {
                "destination": manufacturer.stripe_account_id,
                "transfer_group": str(contract.id),
                "funding_intent": piece.source.reference,
                "part": part,  # the order in which the ledger line lists the transfers
            }
            if wired_by is not None:
                request["wired_by"] = wired_by
            placeholder = await pending.record(
                uow,
                contract=contract,
                kind="payout",
                amount_minor=piece.amount_minor,
                idempotency_key=f"{idempotency_key}:{piece.source.reference}",
                request=request,
                funding_reference=piece.source.reference,
                ledger_reference=placeholder,
            )
        assert placeholder is not None  # at least one piece has a card payment (checked above)
        return placeholder

    async def make_payment(self, payment: ProviderPayment) -> str:
        """A recorded payout or refund, made with its idempotency key (a repeat returns the first answer)."""
        request = payment.request
        if payment.kind == "refund":
            refund = await self._call(
                self.client.v1.refunds.create_async,
                {
                    "payment_intent": request["payment_intent"],
                    "amount": payment.amount_minor,
                    # The mark by which a charge.refunded event tells the exchange's own refunds (even one whose
                    # answer was lost and is still pending here) from refunds made in Stripe's dashboard.
                    "metadata": {"contract_id": str(payment.contract_id), "exchange_payment": str(payment.id)},
                },
                payment.idempotency_key,
            )
            return str(refund.id)
        # Tied to the charge of the payment it draws on: a release made before the card money is available in the
        # platform's balance (the first article is often approved within days) is then still paid, from it.
        params: dict[str, Any] = {
            "amount": payment.amount_minor,
            "currency": payment.currency.lower(),
            "destination": request["destination"],
            "transfer_group": request["transfer_group"],
        }
        charge = await self._funding_charge(request["funding_intent"])
        if charge is not None:
            params["source_transaction"] = charge
        transfer = await self._call(self.client.v1.transfers.create_async, params, payment.idempotency_key)
        return str(transfer.id)

    async def _funding_charge(self, payment_intent_id: str) -> str | None:
        """The id of the charge that paid the PaymentIntent (its `latest_charge`), if it has one."""
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(payment_intent_id)
        except stripe.StripeError as error:
            raise PaymentProviderError(f"the payment provider refused: {error.user_message or error}") from error
        charge = intent.to_dict().get("latest_charge")
        if isinstance(charge, str):
            return charge
        return str(charge["id"]) if charge else None

    async def refund(
        self,
        uow: UnitOfWork,
        *,
        contract: PayableContract,
        amount_minor: int,
        idempotency_key: str,
        source: FundingSource | None = None,
    ) -> str:
        """A card payment's share goes back through its own PaymentIntent (recorded here, made after the commit);
        a wire's (or money no payment accounts for) becomes a payment instruction for an operator."""
        if source is None or source.method != FundingMethod.card:
            return await self.fallback.refund(
                uow, contract=contract, amount_minor=amount_minor, idempotency_key=idempotency_key
            )
        return await pending.record(
            uow,
            contract=contract,
            kind="refund",
            amount_minor=amount_minor,
            idempotency_key=idempotency_key,
            request={"payment_intent": source.reference},
            funding_reference=source.reference,
        )


def _funding_intent(intent: Any) -> FundingIntent:
    return FundingIntent(
        id=intent.id, status=intent.status, amount_minor=int(intent.amount), client_secret=intent.client_secret
    )
