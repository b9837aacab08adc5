#!/usr/bin/env bash
# `make test`: unit tests (ctest), integration tests against the real binary (node --test), the
# admin console in headless Chromium (tests/browser), then
# bounded fuzzing of the parsers (scripts/fuzz.sh).
# Prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
root=$(pwd)
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== unit tests (ctest)"
(cd "$build" && ctest --output-on-failure -j2 -L unit) | tee "$log/unit.txt"
unit_rc=${PIPESTATUS[0]}

echo "== integration tests (node --test, real server, Okta's Node SDK)"
(cd tests/node && GATEHOUSE_BIN="$root/$build/gatehouse" \
   node --test --test-concurrency=1 --test-reporter=spec) | tee "$log/node.txt"
node_rc=${PIPESTATUS[0]}

echo "== browser tests (the admin console in headless Chromium, real server)"
GATEHOUSE_BIN="$root/$build/gatehouse" node --test --test-concurrency=1 --test-reporter=spec tests/browser/ \
  | tee "$log/browser.txt"
browser_rc=${PIPESTATUS[0]}

echo "== fuzzing (libFuzzer, ASan + UBSan, bounded)"
# 8 targets × FUZZ_SECONDS (5 s here; `make fuzz` runs 20 s each) plus the clang build of what
# they need (most of the time, from a cold cache).
FUZZ_SECONDS=${FUZZ_SECONDS:-5} bash scripts/fuzz.sh | tee "$log/fuzz.txt"
fuzz_rc=${PIPESTATUS[0]}

u_pass=$(grep -oE '[0-9]+ tests failed out of [0-9]+' "$log/unit.txt" | awk '{print $6-$1}')
u_fail=$(grep -oE '[0-9]+ tests failed out of [0-9]+' "$log/unit.txt" | awk '{print $1}')
n_pass=$(grep -E '^ℹ pass [0-9]+' "$log/node.txt" | awk '{print $3}')
n_fail=$(grep -E '^ℹ fail [0-9]+' "$log/node.txt" | awk '{print $3}')
b_pass=$(grep -E '^ℹ pass [0-9]+' "$log/browser.txt" | awk '{print $3}')
b_fail=$(grep -E '^ℹ fail [0-9]+' "$log/browser.txt" | awk '{print $3}')
f_pass=$(grep -c ': ok (' "$log/fuzz.txt")
f_fail=$(grep -c ': FAILED' "$log/fuzz.txt")
pass=$(( ${u_pass:-0} + ${n_pass:-0} + ${b_pass:-0} + f_pass ))
fail=$(( ${u_fail:-0} + ${n_fail:-0} + ${b_fail:-0} + f_fail ))
[ "$unit_rc" -eq 0 ] && [ -n "${u_pass:-}" ] || fail=$(( fail > 0 ? fail : 1 ))
[ "$node_rc" -eq 0 ] && [ -n "${n_pass:-}" ] || fail=$(( fail > 0 ? fail : 1 ))
[ "$browser_rc" -eq 0 ] && [ -n "${b_pass:-}" ] || fail=$(( fail > 0 ? fail : 1 ))
[ "$fuzz_rc" -eq 0 ] || fail=$(( fail > 0 ? fail : 1 ))
echo "fuzz: $f_pass passed, $f_fail failed"
echo "unit: ${u_pass:-0} passed, ${u_fail:-?} failed; integration: ${n_pass:-0} passed, ${n_fail:-?} failed; browser: ${b_pass:-0} passed, ${b_fail:-?} failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
