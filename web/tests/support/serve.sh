#!/usr/bin/env bash
# The real server for the browser tests: embedded PostgreSQL in a fresh temporary data directory, the built
# web app, the worker loop ticking every second, and one operator account. Stopped with SIGINT by Playwright;
# the data directory is removed on the way out.
set -euo pipefail
port=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
exchange="$here/../.venv/bin/exchange"
data=$(mktemp -d -t exchange-e2e-XXXXXX)
server=""
sink=""
# Whatever ends this script — Playwright's SIGINT, or a step that failed — stops what it started and removes the
# data directory.
# A SIGINT comes to the whole process group (Playwright signals -pid; serve-stripe.sh does the same; so does Ctrl+C):
# the server has it already. A second SIGINT would make uvicorn force its exit, cancelling the open connections'
# tasks mid-shutdown (the CancelledError traceback at the end of a browser run), so it is sent only when the script
# ends for another reason (SIGTERM to this script alone, or a step that failed).
interrupted=""
cleanup() {
  if [ -n "$server" ]; then
    if [ -z "$interrupted" ]; then
      kill -INT "$server" 2>/dev/null || true
    fi
    wait "$server" 2>/dev/null || true
  fi
  if [ -n "$sink" ]; then
    kill "$sink" 2>/dev/null || true
    wait "$sink" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT
trap 'interrupted=1; exit 0' INT
trap 'exit 0' TERM
export EXCHANGE_ENV=development
export EXCHANGE_DATA_DIR="$data"
export EXCHANGE_EMBEDDED_PG_PORT=$((port + 1))
export EXCHANGE_PORT=$port
export EXCHANGE_HOST=127.0.0.1
export EXCHANGE_WEB_DIR="$here/dist"
export EXCHANGE_WORKER_INTERVAL_SECONDS=1
export EXCHANGE_LOG_LEVEL=WARNING
# The tests' API client (Playwright's request context: Node's http.Agent with keepAlive and no idle timeout of its
# own) reuses a connection however long it sat idle. With uvicorn's 5 s, a request sent as the server closed the
# connection died with "socket hang up" (ECONNRESET) — the flaky step of a test that paused about 5 s between two
# API calls. Longer than any test (120 s at most), the server never closes a connection a test may still use.
export EXCHANGE_HTTP_KEEP_ALIVE_SECONDS=300
# Every browser test comes from 127.0.0.1 and signs up many people: the per-address limits are raised here.
export EXCHANGE_SIGN_UPS_PER_ADDRESS_PER_HOUR=100000
export EXCHANGE_SIGN_IN_ATTEMPTS_PER_ADDRESS=100000
# Account e-mails (verification, password reset) and notifications go by SMTP to a sink on 127.0.0.1 that files
# each message in a Maildir the tests read (tests/support/mail.ts): the server's real mail path, end to end.
mail_dir="$here/test-results/mail"
rm -rf "$mail_dir"
mkdir -p "$mail_dir/tmp" "$mail_dir/new" "$mail_dir/cur"
# A free port (the app's port plus a constant could fall outside 0-65535, or on another checkout's server).
mail_port=$("$here/../.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$here/../.venv/bin/aiosmtpd" -n -l "127.0.0.1:$mail_port" -c aiosmtpd.handlers.Mailbox "$mail_dir" &
sink=$!
export EXCHANGE_SMTP_URL="smtp://127.0.0.1:$mail_port"
export EXCHANGE_PUBLIC_URL="http://127.0.0.1:$port"
"$exchange" create-operator --email operator@exchange.test --password "operator-password-1" --name "Оператор биржи" >/dev/null
"$exchange" serve &
server=$!
wait "$server"
