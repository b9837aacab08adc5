# Shared helpers for bench/run.sh (sourced). Processes, /proc figures, wrk runs.
# shellcheck shell=bash

log()  { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
warn() { log "WARNING: $*"; py meta "$WORK/meta.json" "warnings+=$*" 2>/dev/null || true; }
die()  { log "ERROR: $*"; exit 1; }
py()   { python3 "$BENCH_DIR/lib/bench.py" "$@"; }

# ---- processes -------------------------------------------------------------------------------
# Every process the harness starts is registered here and stopped by PID on exit.
STARTED_PIDS=()
register_pid() { STARTED_PIDS+=("$1"); }

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

stop_pid() {  # stop_pid PID [grace-seconds]: SIGTERM, wait, then SIGKILL
  local pid=$1 grace=${2:-5} i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "PID $pid did not stop within ${grace}s of SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

stop_all() {
  local i
  for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${STARTED_PIDS[i]}" 5 || true
  done
  STARTED_PIDS=()
}

children_of() { pgrep -P "$1" 2>/dev/null || true; }

# ---- /proc figures ---------------------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

cpu_ticks() {  # utime+stime of a process (all its threads), in clock ticks; sums several PIDs
  local total=0 pid stat rest f
  for pid in "$@"; do
    stat=$(<"/proc/$pid/stat") || continue
    rest=${stat##*) }            # fields from 3 on; the name in (...) may hold spaces
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))   # fields 14 (utime) and 15 (stime)
  done
  echo "$total"
}

sys_ticks() {  # stime alone (the kernel's share of cpu_ticks), in clock ticks; sums several PIDs
  local total=0 pid stat rest f
  for pid in "$@"; do
    stat=$(<"/proc/$pid/stat") || continue
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[12]))
  done
  echo "$total"
}

machine_busy_ticks() {  # busy clock ticks summed over all CPUs, from /proc/stat
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}

children_cpu_ticks() {  # sets CHILD_TICKS: CPU time of this shell's finished children (bash `times`)
  # No fork here (call it without $(...)): `times` must run in the shell whose children count.
  local lines total=0 part
  times >"$WORK/.times"
  mapfile -t lines <"$WORK/.times"
  for part in ${lines[1]}; do           # "0m1.234s 0m0.567s": children's user and system time
    [[ $part =~ ^([0-9]+)m([0-9]+)\.([0-9]{3})s$ ]] || continue
    total=$((total + (BASH_REMATCH[1] * 60000 + BASH_REMATCH[2] * 1000 + 10#${BASH_REMATCH[3]})))
  done
  CHILD_TICKS=$((total * CLK_TCK / 1000))
}

# ---- HTTP ------------------------------------------------------------------------------------
wait_http() {  # wait_http URL SECONDS [PID]: until the URL answers 200
  local url=$1 secs=$2 pid=${3:-} i code
  for ((i = 0; i < secs * 10; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
    [[ $code == 200 ]] && return 0
    if [[ -n $pid ]] && ! alive "$pid"; then return 1; fi
    sleep 0.1
  done
  return 1
}

# curl with the scenario's request (method, headers, body). Prints "status size_header size_body".
# {{LINE}} (a single-use value: the scenario's sc_lines makes a fresh one) and {{SEQ}} (unique per
# request) are replaced as wrk/request.lua does.
# Usage: sc_curl BASE_URL OUT_HEADERS OUT_BODY
sc_curl() {
  local base=$1 hout=$2 bout=$3 line args=() value='' seq body
  seq="$(date +%s%N)-1-1000"   # the shape of request.lua's RUN_ID-THREAD-N
  if [[ $SC_HEADERS$(cat "${SC_BODY_FILE:-/dev/null}") == *'{{LINE}}'* ]]; then
    sc_lines 1 "$WORK/curl.line"
    value=$(head -1 "$WORK/curl.line")
  fi
  while IFS= read -r line; do
    line=${line//'{{LINE}}'/$value}
    [[ -n $line ]] && args+=(-H "${line//'{{SEQ}}'/$seq}")
  done <<<"$SC_HEADERS"
  if [[ -n ${SC_BODY_FILE:-} ]]; then
    body=$(<"$SC_BODY_FILE"); body=${body//'{{LINE}}'/$value}
    args+=(--data-binary "${body//'{{SEQ}}'/$seq}")
  fi
  curl -sS --max-time 10 -X "$SC_METHOD" "${args[@]}" -D "$hout" -o "$bout" \
    -w '%{http_code} %{size_header} %{size_download}\n' "$base$SC_PATH"
}

# ---- wrk -------------------------------------------------------------------------------------
# wrk_run SCENARIO SERVER KIND INDEX BASE_URL CONNECTIONS DURATION [DELAY_MS] [RATE]
#   Runs wrk (or wrk2 with RATE) on the client core against BASE_URL with the scenario's request,
#   measures the server's CPU time over the run, appends one record to runs.jsonl and prints
#   the path of the parsed JSON. WRK_EXTRA (a JSON object) is merged into the record.
wrk_run() {
  local sc=$1 server=$2 kind=$3 idx=$4 base=$5 conns=$6 dur=$7 delay=${8:-} rate=${9:-}
  local out="$WORK/wrk/$sc.$server.$kind.$idx.txt" json="$WORK/wrk/$sc.$server.$kind.$idx.json"
  local pids=${SERVER_CPU_PIDS[$server]:-} t0 t1 w0 w1 m0 m1 c0 c1 tool=wrk rate_args=()
  local lfile='' wrap='' made=0
  mkdir -p "$WORK/wrk"
  if [[ -n $rate ]]; then tool=wrk2; rate_args=(-R "$rate"); fi
  if [[ -n ${SC_LINES_BOUND_ALGO:-} ]]; then
    lfile=$WORK/wrk/$sc.lines
    if [[ $server == gatehouse ]]; then
      lines_count "$sc" "$dur"
      made=$LINES_N
      sc_lines "$made" "$lfile"
    else  # a peer that does not check them: one batch, sent round and round
      lfile=$WORK/wrk/$sc.$server.lines wrap=1
      [[ -s $lfile ]] || sc_lines 20000 "$lfile"
      made=20000
    fi
  fi
  # shellcheck disable=SC2086
  t0=$(cpu_ticks $pids); w0=$(date +%s%N); m0=$(machine_busy_ticks); children_cpu_ticks; c0=$CHILD_TICKS
  BENCH_METHOD=$SC_METHOD BENCH_PATH=$SC_PATH BENCH_HEADERS=$SC_HEADERS \
  BENCH_BODY_FILE=${SC_BODY_FILE:-} BENCH_DELAY_MS=$delay \
  BENCH_LINES_FILE=$lfile BENCH_LINES_WRAP=$wrap BENCH_RUN_ID="$(date +%s%N)" \
    timeout -k 5 $((dur + 30)) taskset -c "$CLIENT_CORE" \
    "$tool" -t1 -c"$conns" -d"${dur}s" --latency "${rate_args[@]}" \
    -s "$BENCH_DIR/wrk/request.lua" "$base$SC_PATH" >"$out" 2>&1 \
    || { log "$tool failed ($server, $kind): $(tail -3 "$out")"; return 1; }
  # shellcheck disable=SC2086
  t1=$(cpu_ticks $pids); w1=$(date +%s%N); m1=$(machine_busy_ticks); children_cpu_ticks; c1=$CHILD_TICKS
  py wrk-parse "$out" >"$json"
  if [[ $server == gatehouse && -n $lfile ]]; then
    rm -f "$lfile"
    LINES_SEEN[$sc]=$(python3 -c "import json; print(max(json.load(open('$json'))['rps'] or 0, ${LINES_SEEN[$sc]:-0}))")
  fi
  local rec
  rec=$(LINES_MADE=$made python3 - "$json" "$t0" "$t1" "$w0" "$w1" "$CLK_TCK" "$m0" "$m1" "$c0" "$c1" "$NCPU" <<'PYEOF'
import json, os, sys
w = json.load(open(sys.argv[1]))
t0, t1, w0, w1, hz, m0, m1, c0, c1, ncpu = (int(x) for x in sys.argv[2:12])
cpu_us = (t1 - t0) * 1e6 / hz
wall_us = (w1 - w0) / 1e3
req = w.get("requests") or 0
# CPU used by anything but the server and wrk (other processes, unattributed kernel work),
# as a share of all the machine's CPU time during the run: a noisy machine shows here.
foreign = (m1 - m0) - (t1 - t0) - (c1 - c0)
print(json.dumps({"wrk": w, "lines_made": int(os.environ.get("LINES_MADE") or 0),
  "server_cpu_us": cpu_us,
  "cpu_us_per_request": (cpu_us / req) if req else None,
  "server_cpu_utilisation": cpu_us / wall_us,
  "client_cpu_utilisation": (c1 - c0) * 1e6 / hz / wall_us,
  "other_cpu_share": max(0.0, foreign * 1e6 / hz / (wall_us * ncpu))}))
PYEOF
  )
  python3 - "$WORK/runs.jsonl" "$rec" "$sc" "$server" "$kind" "$idx" "$conns" "$dur" "$delay" "$rate" "${WRK_EXTRA:-}" <<'PYEOF'
import json, sys
path, rec = sys.argv[1], json.loads(sys.argv[2])
sc, server, kind, idx, conns, dur, delay, rate, extra = sys.argv[3:12]
if extra:
    rec.update(json.loads(extra))
rec.update({"scenario": sc, "server": server, "kind": kind, "run": int(idx),
            "connections": int(conns), "duration_s": int(dur),
            "delay_ms": float(delay) if delay else None,
            "wrk2_rate": float(rate) if rate else None})
open(path, "a").write(json.dumps(rec) + "\n")
w = rec["wrk"]
lat = w.get("latency_us") or {}
sys.stderr.write("  %-9s %-11s #%s %9.0f req/s  p50 %7.0f us  p99 %7.0f us  cpu/req %s  server %3.0f%%  other %2.0f%%  %s\n" % (
    server, kind, idx, w.get("rps") or 0, lat.get("p50") or 0, lat.get("p99") or 0,
    "%.1f us" % rec["cpu_us_per_request"] if rec["cpu_us_per_request"] else "-",
    rec["server_cpu_utilisation"] * 100, rec["other_cpu_share"] * 100,
    ("non-2xx %d " % w["non_2xx_3xx"] if w.get("non_2xx_3xx") else "") +
    ("socket errors %d " % w["socket_errors"] if w.get("socket_errors") else "") +
    ("single-use values: %d of %d used%s" % (w.get("lines_used", 0), rec["lines_made"],
      ", %d requests without a fresh one" % w["lines_exhausted"] if w.get("lines_exhausted") else "")
     if rec["lines_made"] else "")))
PYEOF
  echo "$json"
}

# ---- single-use values ({{LINE}}) ----------------------------------------------------------------
# A scenario with SC_LINES_BOUND_ALGO defines sc_lines COUNT OUT (writes COUNT fresh values, one a
# line). Before each Gatehouse run a fresh batch is made, enough for the run at the highest rate
# the server could reach: each request verifies one value, so at most the verifications/s of
# `openssl speed SC_LINES_BOUND_ALGO` on the server core (measured once per scenario, 1 s), and
# once Gatehouse has run, at most twice its highest rate so far; 1.2x that over the run's
# seconds, plus 1,000. A run that used them all anyway is reported INVALID (lines_exhausted).
declare -A LINES_BOUND=() LINES_SEEN=()
lines_count() {  # lines_count SCENARIO SECONDS: sets LINES_N (no subshell: LINES_BOUND is cached)
  local sc=$1 secs=$2 line bound
  if [[ -z ${LINES_BOUND[$sc]:-} ]]; then
    line=$(taskset -c "$SERVER_CORE" openssl speed -seconds 1 -mr "$SC_LINES_BOUND_ALGO" 2>/dev/null | grep -E '^\+F[0-9]+:' | tail -1)
    LINES_BOUND[$sc]=$(awk -F: '{print ($4 ~ /^[0-9.]+$/) ? $5 : $6}' <<<"$line")   # verify/s (see oauth.sh)
    [[ ${LINES_BOUND[$sc]} =~ ^[0-9.]+$ ]] || die "openssl speed $SC_LINES_BOUND_ALGO printed no result: $line"
    log "  openssl speed $SC_LINES_BOUND_ALGO: ${LINES_BOUND[$sc]} verify/s (bounds the single-use values per run)"
  fi
  bound=${LINES_BOUND[$sc]}
  [[ -z ${LINES_SEEN[$sc]:-} ]] || bound=$(python3 -c "print(min($bound, 2 * ${LINES_SEEN[$sc]}))")
  LINES_N=$(python3 -c "import math; print(math.ceil($bound * $secs * 1.2) + 1000)")
}

# ---- OAuth scenarios ---------------------------------------------------------------------------
# oauth_value KEY [FIELD]: a value prepared by bench/lib/oauth_setup.mjs (apps, an ES256 server,
# a Bearer token, a token to introspect), run once per benchmark against $GH_URL.
oauth_value() {
  if [[ ! -s $WORK/oauth.json ]]; then
    node "$BENCH_DIR/lib/oauth_setup.mjs" "$GH_URL" "$GH_TOKEN" >"$WORK/oauth.json" 2>"$WORK/oauth_setup.err" \
      || die "OAuth set-up failed: $(tail -5 "$WORK/oauth_setup.err")"
  fi
  python3 -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v[sys.argv[3]] if len(sys.argv) > 3 else v)" \
    "$WORK/oauth.json" "$@"
}

# ensure_bench_groups: the 10 groups the list scenarios read (created once, whichever runs first).
ensure_bench_groups() {
  local i status
  for i in $(seq 1 10); do
    status=$(gh_api POST /api/v1/groups \
      "{\"profile\":{\"name\":\"bench-$i\",\"description\":\"Benchmark group $i\"}}")
    [[ $status == 200 || $status == 201 ]] && continue
    grep -q E0000001 "$WORK/last_api_body" && continue   # exists already
    die "creating group bench-$i: HTTP $status: $(head -c 500 "$WORK/last_api_body")"
  done
}
