"""localstripe as a process of its own, for the browser tests (web/tests/support/serve-stripe.sh):

    python -m tests.stripe.localstripe_process PORT WEBHOOK_URL WEBHOOK_SECRET

It listens on 127.0.0.1 with the test-only routes of `localstripe_server`, and sends its signed webhooks to
WEBHOOK_URL (the server under test's /webhooks/stripe) as Stripe would. Stopped by SIGINT or SIGTERM.

One more TEST-ONLY stand-in, for localstripe's Stripe.js (`/js.stripe.com/v3/`): its `confirmCardPayment`
never sends the Card Element's card; it shows a "3D Secure" box and calls
`POST /v1/payment_intents/{id}/_authenticate?success=true|false`, which localstripe only accepts for an intent
already confirmed with a card that needs authentication (`requires_action`). Real Stripe.js sends the card
and confirms the intent in the same call. So when `_authenticate` reaches an intent that still awaits a payment
method (as ours do: the server creates them without one), the card Stripe.js would have sent is attached here
first — Stripe's test card that requires 3-D Secure, 4000 0000 0000 3220 — and the intent confirmed; then
localstripe goes on as usual: "Complete authentication" charges the card (and `payment_intent.succeeded` is
sent), "Fail authentication" is the decline (the intent returns to `requires_payment_method` with
`last_payment_error`, and can be tried again).
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Awaitable, Callable

import httpx
from aiohttp import web
from localstripe import resources
from localstripe.server import app

from tests.stripe.localstripe_server import LocalStripe

AUTHENTICATE = re.compile(r"^/v1/payment_intents/(pi_\w+)/_authenticate$")
CARD_THAT_NEEDS_3DS = {"number": "4000000000003220", "exp_month": 12, "exp_year": 2034, "cvc": "123"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _test_only_card_from_stripe_js(request: web.Request, handler: Handler) -> web.StreamResponse:
    match = AUTHENTICATE.match(request.path) if request.method == "POST" else None
    if match:
        intent = resources.store.get(f"payment_intent:{match.group(1)}")
        if isinstance(intent, resources.PaymentIntent) and intent.status == "requires_payment_method":
            method = resources.PaymentMethod(type="card", card=dict(CARD_THAT_NEEDS_3DS))
            intent.payment_method = method.id
            intent._confirm(on_failure_now=intent._report_failure)
    return await handler(request)


def main(argv: list[str]) -> None:
    port, webhook_url, webhook_secret = int(argv[1]), argv[2], argv[3]
    if _test_only_card_from_stripe_js not in app.middlewares:
        app.middlewares.append(_test_only_card_from_stripe_js)
    server = LocalStripe(port).start()
    response = httpx.post(
        f"{server.url}/_config/webhooks/exchange", data={"url": webhook_url, "secret": webhook_secret}
    )
    response.raise_for_status()
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"localstripe on {server.url}, webhooks to {webhook_url}", flush=True)
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main(sys.argv)
