#!/usr/bin/env bash
# Finds the Chromium the browser tests drive: $CHROME_PATH, else /usr/bin/chromium. When neither
# exists and this is a Debian machine where we are root, installs Debian's chromium package
# (about 50 s, once); otherwise explains how to provide one. Prints the path on success.
set -euo pipefail

if [[ -n "${CHROME_PATH:-}" ]]; then
  if [[ -x "$CHROME_PATH" ]]; then echo "$CHROME_PATH"; exit 0; fi
  echo "CHROME_PATH=$CHROME_PATH is not an executable file." >&2
  exit 1
fi
if [[ -x /usr/bin/chromium ]]; then echo /usr/bin/chromium; exit 0; fi

if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  echo "Chromium not found: installing Debian's chromium package for the browser tests (apt-get install chromium)..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  echo /usr/bin/chromium
  exit 0
fi

cat >&2 <<'MSG'
The component and end-to-end tests need Chromium and none was found.
Install it (Debian/Ubuntu: sudo apt-get install chromium) or point CHROME_PATH at a Chrome/Chromium binary.
MSG
exit 1
