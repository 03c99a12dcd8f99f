"""Stripe webhook intake (signature on the raw body, stored once) and what each event type means: a payment
succeeded or failed, a Connect account's payouts turned on or off, a chargeback opened or closed, a refund made
outside the exchange (domain/payments/card_events.py). Configure the webhook endpoint for these event types."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import stripe
import structlog

from domain.contracts.lifecycle import Payments, record_card_payment
from domain.money import Money
from domain.payments import card_events
from domain.payments.models import ProviderEvent
from domain.uow import UnitOfWork

log = structlog.get_logger(__name__)


class WebhookRejected(ValueError):
    pass


def verify(payload: bytes, signature: str | None, secret: str, *, tolerance: int = 300) -> dict[str, Any]:
    """The event, if the signature over the raw body is right and its timestamp fresh; else WebhookRejected."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret, tolerance=tolerance)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise WebhookRejected(str(error)) from error
    return event.to_dict()


async def handle(uow: UnitOfWork, event: ProviderEvent, payments: Payments) -> str:
    """Turn one stored Stripe event into domain commands; unknown types are ignored (and logged)."""
    data = event.payload["data"]["object"]
    if event.type == "payment_intent.succeeded":
        contract_id = (data.get("metadata") or {}).get("contract_id")
        if not contract_id:
            return "ignored: no contract in metadata"
        amount = int(data.get("amount_received") or data["amount"])
        return await record_card_payment(
            uow,
            contract_id=UUID(contract_id),
            payment_intent_id=data["id"],
            amount_minor=amount,
            currency=data["currency"],
            payments=payments,
        )
    if event.type == "payment_intent.payment_failed":
        contract_id = (data.get("metadata") or {}).get("contract_id")
        if not contract_id:
            return "ignored: no contract in metadata"
        error = data.get("last_payment_error") or {}
        return await card_events.card_payment_failed(
            uow, contract_id=UUID(contract_id), reason=error.get("message", "")
        )
    if event.type == "account.updated":
        return await card_events.payout_account_updated(
            uow, account_id=data["id"], payouts_enabled=bool(data.get("payouts_enabled"))
        )
    if event.type == "charge.dispute.created":
        if not data.get("payment_intent"):
            return "ignored: no payment intent"
        return await card_events.chargeback_opened(
            uow,
            payment_intent_id=_id(data["payment_intent"]),
            amount=Money(int(data["amount"]), str(data["currency"]).upper()),
            reason=str(data.get("reason") or ""),
        )
    if event.type == "charge.dispute.closed":
        if not data.get("payment_intent"):
            return "ignored: no payment intent"
        return await card_events.chargeback_closed(
            uow, payment_intent_id=_id(data["payment_intent"]), status=str(data.get("status") or "")
        )
    if event.type == "charge.refunded":
        if not data.get("payment_intent"):
            return "ignored: no payment intent"
        refunds = [
            (r["id"], int(r["amount"]), str((r.get("metadata") or {}).get("exchange_payment") or ""))
            for r in (data.get("refunds") or {}).get("data", [])
        ]
        return await card_events.card_refunded(
            uow, payment_intent_id=_id(data["payment_intent"]), refunds=refunds, currency=str(data["currency"])
        )
    log.info("stripe.event_ignored", type=event.type, id=event.id)
    return "ignored"


def _id(value: str | dict[str, Any]) -> str:
    """An expandable field: the id, or the expanded object's id."""
    return value if isinstance(value, str) else str(value["id"])
