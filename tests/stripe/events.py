"""Stripe events that localstripe does not send (it has no Connect and no disputes), built as Stripe documents
them and signed with the endpoint's secret like Stripe signs: delivered to /webhooks/stripe, they go through the
same verification and storage as real ones."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

import httpx

from tests.stripe.conftest import WEBHOOK_SECRET

_ids = itertools.count(1)


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


async def send(client: httpx.AsyncClient, event_type: str, obj: dict[str, Any]) -> httpx.Response:
    payload = json.dumps(
        {
            "id": f"evt_test_{event_type.replace('.', '_')}_{next(_ids)}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()
    response = await client.post(
        "/webhooks/stripe",
        content=payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": signed(payload)},
    )
    assert response.status_code == 200, response.text
    return response


async def payouts_enabled(client: httpx.AsyncClient, account_id: str, enabled: bool = True) -> None:
    await send(
        client,
        "account.updated",
        {"id": account_id, "object": "account", "payouts_enabled": enabled, "charges_enabled": enabled},
    )


def dispute(payment_intent: str, charge: str, amount: int, status: str, reason: str = "fraudulent") -> dict[str, Any]:
    return {
        "id": f"dp_test{next(_ids)}",
        "object": "dispute",
        "amount": amount,
        "currency": "rub",
        "charge": charge,
        "payment_intent": payment_intent,
        "reason": reason,
        "status": status,
    }
