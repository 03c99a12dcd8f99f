"""localstripe, started from Python on 127.0.0.1 (its own CLI binds every interface), in a thread.

localstripe has no Connect: the routes and the patch below are TEST-ONLY stand-ins for what the Stripe
provider uses and localstripe lacks — Accounts, Account Links, Transfers (created and listed; honouring
Idempotency-Key, which localstripe ignores) and `transfer_group` on PaymentIntents — plus a sink that records the
webhooks localstripe sends, so that a test can deliver them (once, or replayed and shuffled) to the app. Refunds and new
PaymentIntents go to localstripe's own routes through a TEST-ONLY middleware that adds what Stripe does and
localstripe does not: an Idempotency-Key replays the first answer, and a refund larger than what is left
unrefunded of its charge is refused (Stripe: "Refund amount … is greater than unrefunded amount on charge").
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from localstripe import resources
from localstripe.server import app, get_post_data

_ids = itertools.count(1)


@dataclass
class Connect:
    """State of the test-only Connect routes."""

    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    transfers: dict[str, dict[str, Any]] = field(default_factory=dict)
    transfers_by_key: dict[str, str] = field(default_factory=dict)
    links_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The platform's available balance. Card money stays pending for days after the charge, so right after a
    # payment it is 0: a transfer must name its `source_transaction` (the charge) to be paid from pending funds.
    available_minor: int = 0
    webhooks: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    answers_by_key: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    # How many refund requests reached the stand-in (replays included), for tests that count calls.
    refund_requests: int = 0
    # Transfers, for tests of what happens while and after one is made: each request sets `transfer_arrived`,
    # waits while `transfer_gate` is set and not open (a slow Stripe), and the next `lose_transfer_answers`
    # answers are lost (500 after the transfer was made or replayed: the call "timed out" for the caller).
    transfer_requests: int = 0
    transfer_arrived: threading.Event = field(default_factory=threading.Event)
    transfer_gate: threading.Event | None = None
    lose_transfer_answers: int = 0
    # Refunds made whose answers are lost (500 after the refund was made or replayed).
    lose_refund_answers: int = 0
    # Likewise for creating a PaymentIntent: a slow Stripe while the buyer starts a card payment.
    intent_arrived: threading.Event = field(default_factory=threading.Event)
    intent_gate: threading.Event | None = None
    # Off: PaymentIntent creation ignores Idempotency-Key again (as localstripe does), for a test of what the
    # exchange does when two tabs' intents differ anyway.
    intent_keys_honoured: bool = True
    intent_requests: int = 0
    # Set: every transfer is refused with this message (as Stripe refuses one to an account that lost its
    # `transfers` capability), for the browser journey of a payout that failed (POST /_config/test-only-transfers).
    refuse_transfers: str = ""


CONNECT = Connect()


async def _test_only_create_account(request: web.Request) -> web.Response:
    data = await get_post_data(request) or {}
    account = {
        "id": f"acct_test{next(_ids)}",
        "object": "account",
        "type": data.get("type"),
        "controller": data.get("controller"),
        "metadata": data.get("metadata", {}),
    }
    CONNECT.accounts[account["id"]] = account
    return web.json_response(account)


async def _test_only_create_account_link(request: web.Request) -> web.Response:
    # Like Stripe, an idempotency key replays the stored answer: the same (single-use, short-lived) link.
    key = request.headers.get("Idempotency-Key")
    if key and key in CONNECT.links_by_key:
        return web.json_response(CONNECT.links_by_key[key])
    data = await get_post_data(request) or {}
    if data.get("account") not in CONNECT.accounts:
        return web.json_response({"error": {"type": "invalid_request_error", "message": "No such account"}}, status=404)
    link = {
        "object": "account_link",
        "url": f"https://connect.test/onboarding/{data['account']}?link={next(_ids)}",
        "created": int(time.time()),
        "expires_at": int(time.time()) + 300,
    }
    if key:
        CONNECT.links_by_key[key] = link
    return web.json_response(link)


async def _wait(gate: threading.Event | None) -> None:
    for _ in range(1000):  # at most 10 s
        if gate is None or gate.is_set():
            return
        await asyncio.sleep(0.01)


async def _test_only_create_transfer(request: web.Request) -> web.Response:
    CONNECT.transfer_requests += 1
    CONNECT.transfer_arrived.set()
    await _wait(CONNECT.transfer_gate)
    response = await _transfer(request)
    if CONNECT.lose_transfer_answers > 0 and response.status == 200:
        CONNECT.lose_transfer_answers -= 1
        return web.json_response({"error": {"type": "api_error", "message": "An unknown error occurred"}}, status=500)
    return response


async def _test_only_list_transfers(request: web.Request) -> web.Response:
    """GET /v1/transfers, newest first as Stripe lists them, filtered by `transfer_group` and `destination`."""
    wanted = {name: request.query[name] for name in ("transfer_group", "destination") if name in request.query}
    found = [t for t in reversed(CONNECT.transfers.values()) if all(t.get(k) == v for k, v in wanted.items())]
    return web.json_response({"object": "list", "url": "/v1/transfers", "has_more": False, "data": found})


async def _test_only_configure_transfers(request: web.Request) -> web.Response:
    data = await get_post_data(request) or {}
    CONNECT.refuse_transfers = str(data.get("refuse", ""))
    return web.json_response({"refuse": CONNECT.refuse_transfers})


async def _transfer(request: web.Request) -> web.Response:
    if CONNECT.refuse_transfers:
        return _error(CONNECT.refuse_transfers)
    key = request.headers.get("Idempotency-Key")
    if key and key in CONNECT.transfers_by_key:
        return web.json_response(CONNECT.transfers[CONNECT.transfers_by_key[key]])
    data = await get_post_data(request) or {}
    if data.get("destination") not in CONNECT.accounts:
        return web.json_response(
            {"error": {"type": "invalid_request_error", "message": "No such destination"}}, status=400
        )
    amount = int(data["amount"])
    source = data.get("source_transaction")
    if source:
        charge = resources.store.get(f"charge:{source}")
        if charge is None:
            return web.json_response(
                {"error": {"type": "invalid_request_error", "message": f"No such charge: '{source}'"}}, status=400
            )
        transferred = sum(t["amount"] for t in CONNECT.transfers.values() if t.get("source_transaction") == source)
        if transferred + amount > charge.amount:
            return web.json_response(
                {"error": {"type": "invalid_request_error", "message": "Transfer exceeds the source charge"}},
                status=400,
            )
    elif amount > CONNECT.available_minor:
        return web.json_response(
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "balance_insufficient",
                    "message": "You have insufficient available funds in your Stripe account.",
                }
            },
            status=400,
        )
    else:
        CONNECT.available_minor -= amount
    transfer = {
        "created": int(time.time()),
        "source_transaction": source,
        "id": f"tr_test{next(_ids)}",
        "object": "transfer",
        "amount": amount,
        "currency": data["currency"],
        "destination": data["destination"],
        "transfer_group": data.get("transfer_group"),
    }
    CONNECT.transfers[transfer["id"]] = transfer
    if key:
        CONNECT.transfers_by_key[key] = transfer["id"]
    return web.json_response(transfer)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": {"type": "invalid_request_error", "message": message}}, status=status)


@web.middleware
async def _test_only_idempotent_like_stripe(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method != "POST" or request.path not in ("/v1/refunds", "/v1/payment_intents"):
        return await handler(request)
    if request.path == "/v1/refunds":
        CONNECT.refund_requests += 1
    else:
        CONNECT.intent_requests += 1
        CONNECT.intent_arrived.set()
        await _wait(CONNECT.intent_gate)
    key = request.headers.get("Idempotency-Key")
    if request.path == "/v1/payment_intents" and not CONNECT.intent_keys_honoured:
        key = None
    if key and key in CONNECT.answers_by_key:
        status, body = CONNECT.answers_by_key[key]
        return _maybe_lost(request, web.Response(status=status, body=body, content_type="application/json"))
    data = await get_post_data(request) or {}
    intent = resources.store.get(f"payment_intent:{data.get('payment_intent')}") if "refunds" in request.path else None
    charge = getattr(intent, "latest_charge", None)
    if charge is not None and data.get("amount") is not None:
        left = charge.amount - charge.amount_refunded
        if int(data["amount"]) > left:
            return _error(f"Refund amount ({data['amount']}) is greater than unrefunded amount on charge ({left})")
    response = await handler(request)
    if key and isinstance(response, web.Response) and response.body is not None and response.status < 500:
        CONNECT.answers_by_key[key] = (response.status, bytes(response.body))  # type: ignore[arg-type]
    return _maybe_lost(request, response)


def _maybe_lost(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    if request.path == "/v1/refunds" and CONNECT.lose_refund_answers > 0 and response.status == 200:
        CONNECT.lose_refund_answers -= 1
        return web.json_response({"error": {"type": "api_error", "message": "An unknown error occurred"}}, status=500)
    return response


async def _test_only_webhook_sink(request: web.Request) -> web.Response:
    CONNECT.webhooks.append((await request.read(), dict(request.headers)))
    return web.Response()


def _test_only_transfer_group_on_payment_intents() -> None:
    original = resources.PaymentIntent.__init__
    if getattr(original, "_accepts_transfer_group", False):
        return

    def init(self: Any, transfer_group: str | None = None, **kwargs: Any) -> None:
        original(self, **kwargs)
        self.transfer_group = transfer_group

    init._accepts_transfer_group = True  # type: ignore[attr-defined]
    resources.PaymentIntent.__init__ = init


_routes_added = False


def _add_test_only_routes() -> None:
    global _routes_added
    if _routes_added:
        return
    app.router.add_post("/v1/accounts", _test_only_create_account)
    app.router.add_post("/v1/account_links", _test_only_create_account_link)
    app.router.add_post("/v1/transfers", _test_only_create_transfer)
    app.router.add_get("/v1/transfers", _test_only_list_transfers)
    app.router.add_post("/_config/test-only-transfers", _test_only_configure_transfers)
    app.router.add_post("/_config/test-only-webhook-sink", _test_only_webhook_sink)
    app.middlewares.append(_test_only_idempotent_like_stripe)
    _test_only_transfer_group_on_payment_intents()
    _routes_added = True


class LocalStripe:
    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="localstripe", daemon=True)

    def start(self) -> LocalStripe:
        _add_test_only_routes()
        resources.store.clear()
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
