#!/usr/bin/env bash
# Installs what Gatehouse needs on Debian 12, idempotently: Debian packages (apt) and the npm
# packages of the integration tests (pinned in tests/node/package-lock.json). What only the
# benchmarks need (nginx, wrk, gnuplot, the peers' npm packages) is in install-bench-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev libsodium-dev zlib1g-dev libmimalloc-dev
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  nodejs npm
  curl python3 openssl
  postgresql
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node may come from elsewhere than Debian; accept any node >= 20 with npm on the PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -ge 20 ]; then
    filtered=()
    for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]+"${filtered[@]}"}")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages of the admin console's build and browser tests (console/package-lock.json).
if [ -f console/package-lock.json ]; then
  stamp=console/node_modules/.gatehouse-lock
  if [ ! -f "$stamp" ] || ! cmp -s console/package-lock.json "$stamp"; then
    echo "install-deps: npm ci (console)"
    (cd console && npm ci --no-audit --no-fund --loglevel=error)
    cp console/package-lock.json "$stamp"
  fi
fi

# npm packages for the integration tests, from the lock file only.
if [ -f tests/node/package-lock.json ]; then
  stamp=tests/node/node_modules/.gatehouse-lock
  if [ ! -f "$stamp" ] || ! cmp -s tests/node/package-lock.json "$stamp"; then
    echo "install-deps: npm ci (tests/node)"
    (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
    cp tests/node/package-lock.json "$stamp"
  fi
fi
