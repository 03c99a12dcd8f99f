"""Stripe webhook intake (signature on the raw body, stored once) and what each event type means."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import stripe
import structlog

from domain.contracts.lifecycle import Payments, record_card_payment
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
    if event.type == "payment_intent.succeeded":
        intent = event.payload["data"]["object"]
        contract_id = (intent.get("metadata") or {}).get("contract_id")
        if not contract_id:
            return "ignored: no contract in metadata"
        amount = int(intent.get("amount_received") or intent["amount"])
        return await record_card_payment(
            uow,
            contract_id=UUID(contract_id),
            payment_intent_id=intent["id"],
            amount_minor=amount,
            currency=intent["currency"],
            payments=payments,
        )
    log.info("stripe.event_ignored", type=event.type, id=event.id)
    return "ignored"
