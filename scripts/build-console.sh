#!/usr/bin/env bash
# Builds the admin console (console/ → console/dist, served by `gatehouse serve` at ORG/admin/):
# type check (tsc --noEmit), then the Vite production build. Needs only the packages that
# scripts/install-deps.sh installed (npm ci from console/package-lock.json); no network.
set -euo pipefail
cd "$(dirname "$0")/../console"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if ! npm run --silent build >"$out" 2>&1; then
  cat "$out"
  echo "build-console: failed" >&2
  exit 1
fi
gz=$(cat dist/assets/*.js dist/assets/*.css dist/index.html | gzip -9 | wc -c)
echo "console: built console/dist ($(du -sb dist | cut -f1) bytes, ${gz} gzipped)"
