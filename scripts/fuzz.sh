#!/usr/bin/env bash
# Fuzzing in `make test`: builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan
# (build dir: $1, default build-fuzz) and runs each for a bounded time from its checked-in seed
# corpus (tests/fuzz/corpus/<target>). A crash, leak, sanitizer report or broken invariant fails.
# The build dir is configured as scripts/sanitize.sh configures it (tests on; only the fuzz targets
# are built here), so that the ASan + UBSan test run reuses these objects without a reconfigure.
# Prints one line per target: "fuzz <target>: ok|FAILED (<runs> runs)".
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}  # per target; make test passes 5 (scripts/test.sh)
targets=(jws_fuzz jwks_fuzz form_fuzz filter_fuzz multipart_fuzz dpop_fuzz authorization_fuzz body_fuzz)

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing (scripts/install-deps.sh installs it)"; exit 1
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DGH_FUZZ=ON -DGH_BUILD_TESTS=ON > "$build.cmake.log" 2>&1 || { cat "$build.cmake.log"; exit 1; }
cmake --build "$build" --target "${targets[@]}" > "$build.build.log" 2>&1 \
  || { tail -40 "$build.build.log"; exit 1; }

failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  # New inputs go to a scratch copy; the checked-in seeds are only read.
  mkdir -p "$work/$t"
  out="$work/$t.log"
  (cd "$work" && "$OLDPWD/$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 "$t" "$OLDPWD/tests/fuzz/corpus/$t" > "$out" 2>&1)
  rc=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$out" | grep -oE '[0-9]+$')
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $t: ok (${runs:-?} runs)"
  else
    failed=$((failed + 1))
    echo "fuzz $t: FAILED (exit $rc)"
    grep -E 'ERROR|SUMMARY|Test unit written|Base64' "$out" | head -20
  fi
done
[ "$failed" -eq 0 ]
