#!/bin/sh
# Installs the pinned official HubSpot client for the conformance test.
# Idempotent and quiet: does nothing when node_modules matches package-lock.json.
set -eu
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "install.sh: npm not found; install Node.js 18 or later" >&2
  exit 1
fi
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null
