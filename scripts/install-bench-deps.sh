#!/usr/bin/env bash
# Installs what the benchmarks (make bench, bench-oauth, bench-scale; bench/README.md) need on top
# of scripts/install-deps.sh, idempotently: Debian packages (apt) and the npm packages of the
# peers (bench/peers/*/package-lock.json). `make test` does not run this.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  nginx-light wrk curl python3 procps util-linux openssl
  gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-bench-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  # nginx-light starts a system nginx on port 80; the benchmark runs its own instance.
  if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl stop nginx >/dev/null 2>&1 || true
    $SUDO systemctl disable nginx >/dev/null 2>&1 || true
  fi
  # Without systemd, the package's init script may have started it: stop it by its PID file.
  if [[ " ${missing[*]} " == *" nginx-light "* ]] && [ -s /run/nginx.pid ]; then
    $SUDO kill -TERM "$(cat /run/nginx.pid)" >/dev/null 2>&1 || true
  fi
fi

# npm packages of the peers (node-oidc-provider for bench/oauth.sh), from their lock files only.
for lock in bench/peers/*/package-lock.json; do
  [ -f "$lock" ] || continue
  dir=$(dirname "$lock")
  stamp=$dir/node_modules/.gatehouse-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    echo "install-bench-deps: npm ci ($dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$lock" "$stamp"
  fi
done
