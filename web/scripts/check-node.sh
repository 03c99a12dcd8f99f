#!/usr/bin/env bash
# Exit 0 when Node.js 20.19 or newer is on PATH (what Vite 8 needs); otherwise say what is missing.
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js was not found." >&2
  exit 1
fi
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' || {
  echo "Node.js $(node --version) is too old: the web app needs 20.19 or newer." >&2
  exit 1
}
