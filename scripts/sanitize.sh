#!/usr/bin/env bash
# The test suite under the sanitizers (issue 19), run by `make test` (scripts/test.sh) and alone
# by `make sanitize`:
#  asan: the unit tests and the whole Node integration suite (SQLite) against binaries built with
#        clang, ASan + UBSan, in the fuzz build dir (build-fuzz, -DGH_FUZZ=ON: the libraries are
#        compiled once for the fuzz targets and for these). Leaks are detected at exit; the first
#        report ends the process (halt_on_error; UBSan built -fno-sanitize-recover).
#  tsan: gh_tsan_tests, the unit tests of the state threads share, built with -fsanitize=thread
#        (build-tsan, -DGH_TSAN=ON).
# Every sanitized process writes its reports to a file of $reports (ASAN_OPTIONS/UBSAN_OPTIONS/
# TSAN_OPTIONS log_path), whoever started it (a test's server, a CLI run, the SDK driver); a
# report fails the run even when the test that caused it passed. The reports are kept in
# <build dir>/sanitizer-reports/ and their first lines printed.
# Prints "sanitize <part>: N passed, N failed" per part and "sanitize reports: N" (test.sh reads them).
# Usage: scripts/sanitize.sh [asan|tsan|all]   (default all; SANITIZE_NODE_FILES="a.test.mjs ..."
# runs only those Node files).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
what=${1:-all}
asan_build=build-fuzz
tsan_build=build-tsan
failed=0

if ! command -v clang++ >/dev/null; then
  echo "sanitize: clang++ is missing (scripts/install-deps.sh installs it)"; exit 1
fi

# Reports of third-party code we cannot fix go through these files, each entry with its reason.
supp=$root/tests/sanitizers
common="halt_on_error=1:symbolize=1"  # flags every one of the three runtimes knows

# Prints "<label>: N passed, N failed" from a GoogleTest run's output.
gtest_counts() {  # label rc output
  local p f
  p=$(grep -oE '^\[  PASSED  \] [0-9]+ test' "$3" | grep -oE '[0-9]+' | tail -1)
  f=$(grep -oE '^\[  FAILED  \] [0-9]+ test' "$3" | grep -oE '[0-9]+' | tail -1)
  [ "$2" -eq 0 ] || [ "${f:-0}" -gt 0 ] || f=1  # a crash or a report ends the run early
  echo "$1: ${p:-0} passed, ${f:-0} failed"
  [ "$2" -eq 0 ]
}

# Counts and prints the reports in $1 (copied to $2); 0 when there are none.
check_reports() {  # reports_dir keep_dir
  local n
  rm -rf "$2"; mkdir -p "$2"
  n=$(find "$1" -type f | wc -l)
  if [ "$n" -gt 0 ]; then
    cp "$1"/* "$2"/
    for f in "$1"/*; do
      echo "--- sanitizer report $(basename "$f") (kept in $2)"
      grep -E 'ERROR|WARNING|SUMMARY|runtime error|#[0-9] ' "$f" | head -30
    done
  fi
  echo "sanitize reports: $n"
  [ "$n" -eq 0 ]
}

# The canary (tests/sanitizers/canary.cpp) built with `flags`, run for each defect with the
# options of the real run (exported beforehand; only log_path changed, a later flag wins): each must
# exit non-zero and leave a report, or the setup is broken and a real run could not fail.
canary() {  # label "flags" defects...
  local label=$1 flags=$2 dir bad=0 d
  shift 2
  dir=$(mktemp -d)
  # shellcheck disable=SC2086
  clang++ $flags -g -O1 tests/sanitizers/canary.cpp -o "$dir/canary" -lpthread || { rm -rf "$dir"; return 1; }
  for d in "$@"; do
    mkdir -p "$dir/$d"
    local to=":log_path=$dir/$d/report"
    if ASAN_OPTIONS="${ASAN_OPTIONS:-}$to" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}$to" TSAN_OPTIONS="${TSAN_OPTIONS:-}$to" \
         "$dir/canary" "$d" > /dev/null 2>&1 || [ -z "$(find "$dir/$d" -type f)" ]; then
      bad=1; echo "sanitize $label canary: '$d' made no report (the options of this run are broken)"
    fi
  done
  rm -rf "$dir"
  [ "$bad" -eq 0 ] && echo "sanitize $label canary: a report for each of: $*"
  return "$bad"
}

run_asan() {
  local reports t0 rc
  t0=$SECONDS
  # The same configuration as scripts/fuzz.sh: one build dir, each object compiled once.
  cmake -S . -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
    -DGH_FUZZ=ON -DGH_BUILD_TESTS=ON > "$asan_build.cmake.log" 2>&1 || { cat "$asan_build.cmake.log"; return 1; }
  nice cmake --build "$asan_build" --target gatehouse gh_unit_tests gh_sdk_driver partner-sync protected-api \
    > "$asan_build.sanitize.log" 2>&1 || { tail -40 "$asan_build.sanitize.log"; return 1; }
  echo "sanitize asan build: $((SECONDS - t0)) s"
  reports=$(mktemp -d)
  # One log_path for both runtimes (in a process with both, the last one parsed wins): a report
  # is the file <log_path>.<pid>.
  asan_env() {  # log_path
    export ASAN_OPTIONS="$common:detect_leaks=1:abort_on_error=0:log_path=$1"
    export UBSAN_OPTIONS="$common:print_stacktrace=1:log_path=$1"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  }
  asan_env "$reports/report"
  canary asan "-fsanitize=address,undefined -fno-sanitize-recover=undefined" leak overflow ub || failed=1

  t0=$SECONDS
  "$asan_build/gh_unit_tests" > "$reports.unit.txt" 2>&1
  rc=$?
  tail -3 "$reports.unit.txt"
  gtest_counts "sanitize unit (ASan+UBSan)" "$rc" "$reports.unit.txt" || {
    failed=1; grep -E '^\[  FAILED  \]' "$reports.unit.txt" | head -20; }
  echo "sanitize unit run: $((SECONDS - t0)) s"

  t0=$SECONDS
  local files=()
  [ -z "${SANITIZE_NODE_FILES:-}" ] || read -ra files <<<"$SANITIZE_NODE_FILES"
  (cd tests/node && GATEHOUSE_BIN="$root/$asan_build/gatehouse" GATEHOUSE_STORE=sqlite GATEHOUSE_SANITIZER_REPORTS="$reports" \
     node --test --test-concurrency=1 --test-reporter=spec "${files[@]}") > "$reports.node.txt" 2>&1
  rc=$?
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$reports.node.txt" | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "$reports.node.txt" | awk '{print $3}')
  [ "$rc" -eq 0 ] || [ "${f:-0}" -gt 0 ] || f=1
  echo "sanitize integration (ASan+UBSan, SQLite): ${p:-0} passed, ${f:-0} failed"
  if [ "$rc" -ne 0 ]; then
    failed=1
    grep -E '^✖|not ok' "$reports.node.txt" | head -20
    cp "$reports.node.txt" "$asan_build/sanitize-node.txt"
    echo "(the Node output is in $asan_build/sanitize-node.txt)"
  fi
  echo "sanitize integration run: $((SECONDS - t0)) s"
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
  check_reports "$reports" "$asan_build/sanitizer-reports" || failed=1
  rm -rf "$reports" "$reports.unit.txt" "$reports.node.txt"
}

run_tsan() {
  local reports t0 rc
  t0=$SECONDS
  cmake -S . -B "$tsan_build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
    -DGH_TSAN=ON -DGH_BUILD_EXAMPLES=OFF > "$tsan_build.cmake.log" 2>&1 || { cat "$tsan_build.cmake.log"; return 1; }
  nice cmake --build "$tsan_build" --target gh_tsan_tests > "$tsan_build.build.log" 2>&1 \
    || { tail -40 "$tsan_build.build.log"; return 1; }
  echo "sanitize tsan build: $((SECONDS - t0)) s"
  reports=$(mktemp -d)
  t0=$SECONDS
  export TSAN_OPTIONS="$common:second_deadlock_stack=1:suppressions=$supp/tsan.supp:log_path=$reports/report"
  canary tsan "-fsanitize=thread" race || failed=1
  "$tsan_build/gh_tsan_tests" > "$reports.unit.txt" 2>&1
  rc=$?
  unset TSAN_OPTIONS
  tail -3 "$reports.unit.txt"
  gtest_counts "sanitize unit (TSan)" "$rc" "$reports.unit.txt" || {
    failed=1; grep -E '^\[  FAILED  \]' "$reports.unit.txt" | head -20; }
  echo "sanitize tsan run: $((SECONDS - t0)) s"
  check_reports "$reports" "$tsan_build/sanitizer-reports" || failed=1
  rm -rf "$reports" "$reports.unit.txt"
}

case "$what" in
  asan) run_asan || failed=1 ;;
  tsan) run_tsan || failed=1 ;;
  all) run_asan || failed=1; run_tsan || failed=1 ;;
  *) echo "usage: scripts/sanitize.sh [asan|tsan|all]"; exit 2 ;;
esac
[ "$failed" -eq 0 ]
