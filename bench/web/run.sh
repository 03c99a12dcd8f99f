#!/usr/bin/env bash
# The web app's figures with seed-scale data: starts `exchange serve` over a seeded data directory, runs
# run.mjs against it, stops the server. Seed the directory once first (see bench/web.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export EXCHANGE_DATA_DIR=${EXCHANGE_DATA_DIR:-/tmp/web-bench-data}
export EXCHANGE_EMBEDDED_PG_PORT=${EXCHANGE_EMBEDDED_PG_PORT:-54481}
export EXCHANGE_PORT=${EXCHANGE_PORT:-8481}
export EXCHANGE_WEB_DIR="$root/web/dist"
export EXCHANGE_LOG_LEVEL=WARNING
(cd "$here" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
"$root/.venv/bin/exchange" serve --no-worker --workers 2 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$EXCHANGE_PORT/health" >/dev/null && break
  sleep 1
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
BASE_URL="http://127.0.0.1:$EXCHANGE_PORT" node "$here/run.mjs" "${1:-10}"
