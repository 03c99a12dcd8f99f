#!/usr/bin/env bash
# The browser tests need Chromium; Playwright cannot download its own build here, so take Debian's package,
# with its translations (chromium-l10n): without them Chromium draws date inputs in US format whatever the locale.
set -euo pipefail
path=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$path" ] && { [ -n "${CHROMIUM_PATH:-}" ] || [ -e /usr/lib/chromium/locales/ru.pak ]; }; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is needed for the browser tests: install it and set CHROMIUM_PATH (no apt-get here)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
  sudo="sudo"
fi
echo "Installing Chromium for the browser tests (apt-get install chromium chromium-l10n)…" >&2
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium chromium-l10n fonts-dejavu-core >/dev/null
