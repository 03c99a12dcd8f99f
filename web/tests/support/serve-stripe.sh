#!/usr/bin/env bash
# The real server with card payments, for tests/card-payment.e2e.ts: serve.sh's server (embedded PostgreSQL in a
# fresh directory, the built web app, the worker every second) with the Stripe provider against localstripe on
# 127.0.0.1 (tests/stripe/localstripe_process.py), whose signed webhooks go to this server's /webhooks/stripe and
# whose Stripe.js stand-in the browser loads. Ports: PORT (the app), PORT+1 (PostgreSQL), PORT+2 (localstripe).
# Stopped with SIGINT or SIGTERM; both processes are stopped on the way out.
set -euo pipefail
# Job control: background jobs of a script otherwise start with SIGINT ignored, and could not be stopped by it.
set -m
port=$1
stripe_port=$((port + 2))
here=$(cd "$(dirname "$0")/../.." && pwd)
root=$(cd "$here/.." && pwd)
secret=whsec_e2e_card_payments
server=""
localstripe=""
# Whatever ends this script — SIGINT/SIGTERM, or the app failing to start — stops both processes.
cleanup() {
  if [ -n "$server" ]; then
    # serve.sh leads its own process group (set -m): the SIGINT goes to all of it, as Playwright's would.
    kill -INT -- "-$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ -n "$localstripe" ]; then
    kill -TERM "$localstripe" 2>/dev/null || true
    wait "$localstripe" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 0' INT TERM
(cd "$root" && exec "$root/.venv/bin/python" -m tests.stripe.localstripe_process "$stripe_port" \
  "http://127.0.0.1:$port/webhooks/stripe" "$secret") &
localstripe=$!
export EXCHANGE_STRIPE_API_KEY=sk_test_e2e_card_payments
export EXCHANGE_STRIPE_WEBHOOK_SECRET=$secret
export EXCHANGE_STRIPE_API_BASE="http://127.0.0.1:$stripe_port"
export EXCHANGE_STRIPE_PUBLISHABLE_KEY=pk_test_e2e_card_payments
export EXCHANGE_STRIPE_JS_URL="http://127.0.0.1:$stripe_port/js.stripe.com/v3/"
bash "$here/tests/support/serve.sh" "$port" &
server=$!
wait "$server"
