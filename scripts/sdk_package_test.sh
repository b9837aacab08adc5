#!/usr/bin/env bash
# The SDK as a package (ctest SdkPackage, run by `make test`): builds sdk/ on its own, installs
# it into a temporary prefix, then builds examples/partner-sync against that prefix with
# find_package(gatehouse_client) and runs it (its usage message: linked and runnable).
#   scripts/sdk_package_test.sh [WORK_DIR]   (default: a temporary folder, removed afterwards)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S "$root/sdk" -B "$work/sdk" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/sdk" -j2 >/dev/null
cmake --install "$work/sdk" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/lib/cmake/gatehouse_client/gatehouse_clientConfig.cmake" \
  || test -f "$work/prefix/lib64/cmake/gatehouse_client/gatehouse_clientConfig.cmake" \
  || { ls -R "$work/prefix" | head -50; echo "sdk_package_test: no gatehouse_clientConfig.cmake installed"; exit 1; }
test -f "$work/prefix/include/gatehouse/client/token_client.hpp"
cmake -S "$root/examples/partner-sync" -B "$work/consumer" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
set +e
"$work/consumer/partner-sync" 2>"$work/usage.txt"
rc=$?
set -e
if [ "$rc" -ne 2 ] || ! grep -q '^usage: partner-sync' "$work/usage.txt"; then
  echo "sdk_package_test: the consumer did not run (exit $rc)"; cat "$work/usage.txt"; exit 1
fi
echo "sdk_package_test: ok"
