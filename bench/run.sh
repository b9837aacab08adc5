#!/usr/bin/env bash
# Gatehouse benchmark harness: Gatehouse side by side with nginx serving the same bytes.
# See bench/README.md. Environment (all optional):
#   GATEHOUSE_BIN     the server binary (default build-release/gatehouse, then build/gatehouse)
#   GATEHOUSE_CONFIG  a TOML file passed to `gatehouse serve --config` (default bench/gatehouse.toml if present)
#   SCENARIOS         space-separated names from bench/scenarios/ (default: ssws_groups_list)
#   DURATION=10 WARMUP=2 RUNS=3 CONNECTIONS=16   seconds per measured run, warm-up, runs, connections
#   SERVER_CORE=0 CLIENT_CORE=1                  cores for the servers and for wrk
#   NOISY_SHARE=0.05 NOISY_RETRIES=2  repeat a run during which other processes took > 5% of the CPUs
#   WAIT_QUIET=0      wait up to this many seconds for the machine to be idle before starting
#   NGINX_BIN=/usr/sbin/nginx  RESULTS_DIR=bench/results  KEEP_WORK=1 (keep the temp dir)
#   SEED_USERS, SEED_TOKENS, SEED_APPS, SEED_ORGS  scale runs: rows added before serving (bench/lib/seed.py)
#   RESULTS_SUFFIX    results go to bench/results/DATE[-SUFFIX].{json,md}
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-16}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SCENARIOS=${SCENARIOS:-ssws_groups_list}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
NOISY_SHARE=${NOISY_SHARE:-0.05}
NOISY_RETRIES=${NOISY_RETRIES:-2}
WAIT_QUIET=${WAIT_QUIET:-0}
CLK_TCK=$(getconf CLK_TCK)
DATE=$(date -u +%F)

if [[ -z ${GATEHOUSE_BIN:-} ]]; then
  for c in "$REPO/build-release/gatehouse" "$REPO/build/gatehouse"; do
    [[ -x $c ]] && { GATEHOUSE_BIN=$c; break; }
  done
fi
[[ -n ${GATEHOUSE_BIN:-} && -x $GATEHOUSE_BIN ]] \
  || die "no gatehouse binary (set GATEHOUSE_BIN, or build build-release/gatehouse or build/gatehouse)"
if [[ -z ${GATEHOUSE_CONFIG:-} && -f $BENCH_DIR/gatehouse.toml ]]; then
  GATEHOUSE_CONFIG=$BENCH_DIR/gatehouse.toml
fi

for cmd in wrk taskset curl python3 timeout pgrep; do
  command -v "$cmd" >/dev/null || die "$cmd is missing (apt-get install -y wrk util-linux curl python3 procps)"
done
[[ -x $NGINX_BIN ]] || die "$NGINX_BIN is missing (apt-get install -y nginx-light)"
NCPU=$(nproc)
((NCPU > SERVER_CORE && NCPU > CLIENT_CORE)) || die "needs cores $SERVER_CORE and $CLIENT_CORE; this machine has $NCPU"

WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
chmod 755 "$WORK"   # nginx's worker (user nobody) reads the response files under it
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [[ ${KEEP_WORK:-0} == 1 || $rc != 0 ]]; then
    log "work files kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A SERVER_CPU_PIDS=()   # server name -> PIDs whose CPU time is the server's
declare -A NGINX_PORT=()        # scenario -> nginx port
declare -A NGINX_ADJUST=()      # scenario -> bytes added to (or cut from) X-Okta-Request-Id

py meta "$WORK/meta.json" "date=$DATE" "started_at=$(date -u +%FT%TZ)" \
  "host=$(hostname)" "cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
  "cores=$NCPU" "kernel=$(uname -r)" \
  "server_core=$SERVER_CORE" "client_core=$CLIENT_CORE" "connections=$CONNECTIONS" \
  "duration_s=$DURATION" "warmup_s=$WARMUP" "runs=$RUNS" \
  "gatehouse_bin=$GATEHOUSE_BIN" "gatehouse_config=${GATEHOUSE_CONFIG:-}" \
  "gatehouse_commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)" \
  "nginx_version=$("$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //')" \
  "wrk_version=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')" "warnings=[]"

# A benchmark on a busy machine measures the other work: look before starting.
quiet_deadline=$((SECONDS + WAIT_QUIET))
while :; do
  busy0=$(machine_busy_ticks); sleep 1; busy1=$(machine_busy_ticks)
  idle_busy=$(((busy1 - busy0) * 1000 / (CLK_TCK * NCPU)))   # per mille of all CPUs
  ((idle_busy > 100)) || break
  ((SECONDS >= quiet_deadline)) && break
  [[ -n ${told_busy:-} ]] || log "the machine is busy ($(cut -d' ' -f1-3 /proc/loadavg)); waiting up to ${WAIT_QUIET}s for it to be quiet"
  told_busy=1
  sleep 4
done
idle_busy=$(python3 -c "print($idle_busy / 1000)")
py meta "$WORK/meta.json" "busy_before_start=$idle_busy" "loadavg_before_start=$(cut -d' ' -f1-3 /proc/loadavg)"
if python3 -c "import sys; sys.exit(0 if $idle_busy > 0.10 else 1)"; then
  warn "the machine was $(python3 -c "print(round($idle_busy * 100))")% busy before the run started (load $(cut -d' ' -f1-3 /proc/loadavg)); figures will be disturbed"
fi

# ---- Gatehouse -------------------------------------------------------------------------------
GH_DATA=$WORK/data
GH_URL=
GH_PID=
GH_TOKEN=

gh_api() {  # gh_api METHOD PATH [JSON_BODY] -> prints the status; body in $WORK/last_api_body
  local args=(-sS --max-time 10 -X "$1" -H "Authorization: SSWS $GH_TOKEN" -H 'Accept: application/json')
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" -o "$WORK/last_api_body" -w '%{http_code}' "$GH_URL$2"
}

gh_start() {  # gh_start [--threads 1]: starts `gatehouse serve`; sets GH_PID, GH_URL
  local extra=("$@") t0 t1 i
  [[ -n ${GATEHOUSE_CONFIG:-} ]] && extra+=(--config "$GATEHOUSE_CONFIG")
  : >"$WORK/serve.out"; : >"$WORK/serve.err"
  t0=$(date +%s%N)
  taskset -c "$SERVER_CORE" "$GATEHOUSE_BIN" serve --data "$GH_DATA" --listen 127.0.0.1:0 \
    "${extra[@]}" \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
  GH_PID=$!
  register_pid "$GH_PID"
  for ((i = 0; i < 300; i++)); do
    GH_URL=$(sed -n 's#^.*listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*$#\1#p' "$WORK/serve.out" | head -1)
    [[ -n $GH_URL ]] && break
    alive "$GH_PID" || return 1
    sleep 0.05
  done
  [[ -n $GH_URL ]] || { log "gatehouse printed no 'listening on' line within 15 s"; return 1; }
  t1=$(date +%s%N)
  py meta "$WORK/meta.json" "startup_ms=$(((t1 - t0) / 1000000))" \
    "startup_log=$(grep -ho 'loaded orgs=.*' "$WORK/serve.out" "$WORK/serve.err" | head -1)"
  wait_http "$GH_URL/health/ready" 10 "$GH_PID" || { log "GET /health/ready never answered 200"; return 1; }
}

log "gatehouse binary: $GATEHOUSE_BIN"
"$GATEHOUSE_BIN" init --data "$GH_DATA" --base-url http://127.0.0.1:8080 \
  --admin-email bench@example.com --json >"$WORK/init.json" 2>"$WORK/init.err" \
  || die "gatehouse init failed: $(cat "$WORK/init.err")"
GH_TOKEN=$(py first-token "$WORK/init.json") || die "no apiTokens in init's output: $(cat "$WORK/init.json")"
# Scale runs (issue 2/5): SEED_USERS, SEED_TOKENS, SEED_APPS, SEED_ORGS rows written before the
# server starts.
if [[ -n ${SEED_USERS:-}${SEED_TOKENS:-}${SEED_APPS:-}${SEED_ORGS:-} ]]; then
  log "seeding users=${SEED_USERS:-0} tokens=${SEED_TOKENS:-0} apps=${SEED_APPS:-0} orgs=${SEED_ORGS:-0}"
  python3 "$BENCH_DIR/lib/seed.py" "$GH_DATA/gatehouse.db" --users "${SEED_USERS:-0}" \
    --tokens "${SEED_TOKENS:-0}" --apps "${SEED_APPS:-0}" --orgs "${SEED_ORGS:-0}" >>"$WORK/seed.log" 2>&1 \
    || die "seeding failed: $(tail -5 "$WORK/seed.log")"
  py meta "$WORK/meta.json" "seed_users=${SEED_USERS:-0}" "seed_tokens=${SEED_TOKENS:-0}" \
    "seed_apps=${SEED_APPS:-0}" "seed_orgs=${SEED_ORGS:-0}"
fi

if ! gh_start --threads 1; then
  stop_pid "$GH_PID" 2 || true
  if grep -qi 'threads' "$WORK/serve.err"; then
    log "gatehouse refused --threads; retrying without it: $(head -c 300 "$WORK/serve.err")"
    warn "gatehouse serve refused --threads 1; it ran with its default thread count (pinned to one core)"
    gh_start || die "gatehouse serve failed: $(tail -5 "$WORK/serve.err")"
  else
    die "gatehouse serve failed: $(tail -5 "$WORK/serve.err")"
  fi
fi
SERVER_CPU_PIDS[gatehouse]=$GH_PID
sleep 1
RSS_IDLE=$(rss_kb "$GH_PID")
log "gatehouse $GH_URL (PID $GH_PID, threads $(ls "/proc/$GH_PID/task" | wc -l)), idle RSS ${RSS_IDLE} kB"
py meta "$WORK/meta.json" "gatehouse_url=$GH_URL" "gatehouse_threads=$(ls "/proc/$GH_PID/task" | wc -l)" \
  "serve_args=$(tr '\0' ' ' <"/proc/$GH_PID/cmdline")"

# ---- Scenarios: set up, capture the response -------------------------------------------------
load_scenario() {
  unset SC_DESCRIPTION SC_METHOD SC_PATH SC_HEADERS SC_BODY_FILE SC_TARGET SC_MIN_RATIO \
    SC_MAX_P99_MS_AT_HALF SC_LINES_BOUND_ALGO
  unset -f sc_setup sc_lines 2>/dev/null || true
  local f="$BENCH_DIR/scenarios/$1.sh"
  [[ -f $f ]] || die "unknown scenario $1 (no $f)"
  # shellcheck disable=SC1090
  source "$f"
  SC_METHOD=${SC_METHOD:-GET}
}

for sc in $SCENARIOS; do
  load_scenario "$sc"
  log "scenario $sc: setting up"
  if declare -F sc_setup >/dev/null; then sc_setup; fi
  mkdir -p "$WORK/sc/$sc"
  read -r code hsize bsize < <(sc_curl "$GH_URL" "$WORK/sc/$sc/headers" "$WORK/sc/$sc/body")
  [[ $code == 200 ]] || die "scenario $sc: $SC_METHOD $SC_PATH answered $code: $(head -c 500 "$WORK/sc/$sc/body")"
  chmod 644 "$WORK/sc/$sc/body"
  log "scenario $sc: captured $SC_METHOD $SC_PATH -> $code, headers $hsize B, body $bsize B"
  py meta "$WORK/meta.json" "scenario_list+={\"name\": \"$sc\"}"
  python3 - "$WORK/meta.json" "$sc" "$SC_DESCRIPTION" "$SC_TARGET" "${SC_MIN_RATIO:-}" \
    "${SC_MAX_P99_MS_AT_HALF:-}" "$WORK/sc/$sc/headers" "$hsize" "$bsize" "$SC_METHOD" "$SC_PATH" <<'PYEOF'
import json, sys
path, name, desc, target, min_ratio, max_p99, hfile, hsize, bsize, method, rpath = sys.argv[1:12]
meta = json.load(open(path))
for s in meta["scenario_list"]:
    if s["name"] == name:
        s.update({"description": desc, "target": target, "method": method, "path": rpath,
                  "min_ratio": float(min_ratio) if min_ratio else None,
                  "max_p99_ms_at_half": float(max_p99) if max_p99 else None,
                  "gatehouse_response": {"header_bytes": int(hsize), "body_bytes": int(bsize),
                                         "headers": open(hfile, encoding="latin-1").read().strip().splitlines()}})
json.dump(meta, open(path, "w"), indent=2)
PYEOF
done

# ---- nginx: the same bytes, one server block (own port) per scenario -------------------------
NX=$WORK/nginx
NGINX_PID=
mkdir -p "$NX"; chmod 755 "$NX"

nginx_start() {
  local args=() sc path i
  for sc in $SCENARIOS; do
    load_scenario "$sc"
    path=${SC_PATH%%\?*}
    args+=(--server "${NGINX_PORT[$sc]}|$WORK/sc/$sc/body|$path|$WORK/sc/$sc/headers|${NGINX_ADJUST[$sc]:-0}")
  done
  py nginx-conf --template "$BENCH_DIR/nginx.conf.in" --prefix "$NX" --out "$NX/nginx.conf" "${args[@]}"
  "$NGINX_BIN" -t -q -p "$NX/" -e "$NX/error.log" -c "$NX/nginx.conf" 2>>"$NX/stderr" \
    || die "nginx rejected its configuration: $(tail -5 "$NX/stderr")"
  taskset -c "$SERVER_CORE" "$NGINX_BIN" -p "$NX/" -e "$NX/error.log" -c "$NX/nginx.conf" \
    -g 'daemon off;' >>"$NX/stdout" 2>>"$NX/stderr" &
  NGINX_PID=$!
  register_pid "$NGINX_PID"
  for sc in $SCENARIOS; do
    load_scenario "$sc"
    for ((i = 0; i < 100; i++)); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:${NGINX_PORT[$sc]}${SC_PATH}" || true) == 200 ]] && break
      alive "$NGINX_PID" || die "nginx exited: $(tail -5 "$NX/stderr") $(tail -5 "$NX/error.log" 2>/dev/null)"
      sleep 0.1
    done
  done
  SERVER_CPU_PIDS[nginx]="$NGINX_PID $(children_of "$NGINX_PID" | tr '\n' ' ')"
}

nginx_stop() { [[ -n $NGINX_PID ]] && stop_pid "$NGINX_PID" 5; NGINX_PID=; }

mapfile -t ports < <(py free-port "$(wc -w <<<"$SCENARIOS")")
i=0
for sc in $SCENARIOS; do NGINX_PORT[$sc]=${ports[i]}; NGINX_ADJUST[$sc]=0; i=$((i + 1)); done
nginx_start

# Make the response sizes equal: nginx adds Server and Connection headers that Gatehouse may not
# send; the difference is taken from (or added to) the copied X-Okta-Request-Id value.
compare_sizes() {  # prints "gatehouse_total nginx_total"
  local gh gb nh nb
  read -r _ gh gb < <(sc_curl "$GH_URL" "$WORK/sc/$1/headers.check" /dev/null)
  read -r _ nh nb < <(sc_curl "http://127.0.0.1:${NGINX_PORT[$1]}" "$WORK/sc/$1/nginx.headers" /dev/null)
  echo "$((gh + gb)) $((nh + nb)) $gb $nb"
}
restart=0
for sc in $SCENARIOS; do
  load_scenario "$sc"
  read -r g n gb nb < <(compare_sizes "$sc")
  [[ $gb == "$nb" ]] || warn "scenario $sc: body sizes differ (gatehouse $gb B, nginx $nb B)"
  if ((g != n)); then NGINX_ADJUST[$sc]=$((g - n)); restart=1; fi
done
if ((restart)); then nginx_stop; nginx_start; fi
for sc in $SCENARIOS; do
  load_scenario "$sc"
  read -r g n gb nb < <(compare_sizes "$sc")
  log "scenario $sc: response bytes gatehouse $g, nginx $n (X-Okta-Request-Id adjusted by ${NGINX_ADJUST[$sc]})"
  python3 - "$WORK/meta.json" "$sc" "$g" "$n" "${NGINX_ADJUST[$sc]}" "$WORK/sc/$sc/nginx.headers" <<'PYEOF'
import json, sys
path, name, g, n, adj, hfile = sys.argv[1:7]
meta = json.load(open(path))
for s in meta["scenario_list"]:
    if s["name"] == name:
        s["response_bytes"] = {"gatehouse": int(g), "nginx": int(n), "nginx_request_id_adjust": int(adj)}
        s["nginx_response_headers"] = open(hfile, encoding="latin-1").read().strip().splitlines()
json.dump(meta, open(path, "w"), indent=2)
PYEOF
  # nginx always sends Server and Connection; when Gatehouse sends fewer header bytes than that,
  # a small excess remains on nginx's side (it only makes the floor slightly harder to reach).
  if (( (g > n ? g - n : n - g) * 200 > g )); then
    warn "scenario $sc: response sizes differ by $((n - g)) bytes (nginx - gatehouse), more than 0.5%"
  fi
done
log "nginx PID $NGINX_PID (worker ${SERVER_CPU_PIDS[nginx]#* }) on core $SERVER_CORE"

# ---- Load ------------------------------------------------------------------------------------
HAVE_WRK2=0
command -v wrk2 >/dev/null && HAVE_WRK2=1
if ((HAVE_WRK2)); then
  py meta "$WORK/meta.json" "halfrate_method=wrk2 -R (constant request rate, latency corrected for coordinated omission), $CONNECTIONS connections"
else
  py meta "$WORK/meta.json" "halfrate_method=wrk2 is not installed: wrk with a Lua delay() between each connection's requests ($CONNECTIONS connections), the think time calibrated in two $((WARMUP > 2 ? WARMUP : 2)) s runs so that the achieved rate is about half of Gatehouse's median peak; this is a closed loop, so queueing delay is not charged the way wrk2 charges it (no coordinated-omission correction). The achieved rate is reported with p99."
fi

# A measured run during which other processes took more than NOISY_SHARE of the machine's CPU
# is repeated, at most NOISY_RETRIES times; the last attempt counts whatever happened.
measured_run() {
  local attempt
  for ((attempt = 0; attempt <= NOISY_RETRIES; attempt++)); do
    wrk_run "$@" >/dev/null
    ((attempt == NOISY_RETRIES)) && break
    [[ $(py discard-if-noisy "$WORK/runs.jsonl" "$NOISY_SHARE") == ok ]] && break
    log "  (other processes were busy during that run: repeating it)"
    sleep 1
  done
}

base_url() { if [[ $1 == gatehouse ]]; then echo "$GH_URL"; else echo "http://127.0.0.1:${NGINX_PORT[$2]}"; fi; }

half_rate_run() {  # half_rate_run SCENARIO SERVER RATE
  local sc=$1 server=$2 rate=$3 base delay
  base=$(base_url "$server" "$sc")
  if ((HAVE_WRK2)); then
    WRK_EXTRA="{\"target_rps\": $rate, \"method\": \"wrk2 -R\", \"method_short\": \"wrk2 -R\"}" \
      measured_run "$sc" "$server" halfrate 1 "$base" "$CONNECTIONS" "$DURATION" "" "$rate"
    return
  fi
  # Closed-loop pacing: each of C connections waits `delay` ms after each response, so
  # rate = C / (delay + the rest of the cycle). The rest is measured in short calibration runs
  # (a run disturbed by other processes does not count), then the measured run is repeated (at
  # most twice) if its rate missed the target by more than 15%.
  local cal=$((WARMUP > 2 ? WARMUP : 2)) k=0 tries=0 rps other next
  delay=$(python3 -c "print($CONNECTIONS * 1000.0 / $rate)")
  while ((k < 2 && tries < 2 + 2 * NOISY_RETRIES)); do
    tries=$((tries + 1))
    wrk_run "$sc" "$server" calibration "$tries" "$base" "$CONNECTIONS" "$cal" "$delay" >/dev/null
    read -r rps other < <(py last-run "$WORK/runs.jsonl")
    if python3 -c "import sys; sys.exit(0 if $other > $NOISY_SHARE else 1)"; then continue; fi
    delay=$(next_delay "$rps" "$delay" "$rate")
    k=$((k + 1))
  done
  for ((k = 0; k <= 2; k++)); do
    WRK_EXTRA="{\"target_rps\": $rate, \"method\": \"wrk + Lua delay() pacing, closed loop\", \"method_short\": \"paced wrk\"}" \
      measured_run "$sc" "$server" halfrate 1 "$base" "$CONNECTIONS" "$DURATION" "$delay"
    read -r rps other < <(py last-run "$WORK/runs.jsonl")
    python3 -c "import sys; sys.exit(0 if abs($rps - $rate) > 0.15 * $rate else 1)" || break
    ((k == 2)) && break
    log "  (rate $rps req/s missed the target $rate: recalibrating and repeating)"
    py discard-if-noisy "$WORK/runs.jsonl" -1 offrate >/dev/null   # kept in the raw data only
    delay=$(next_delay "$rps" "$delay" "$rate")
  done
}

next_delay() {  # next_delay ACHIEVED_RPS DELAY_MS TARGET_RPS: think time for the target rate
  python3 - "$@" "$CONNECTIONS" <<'PYEOF'
import sys
a, d, r, c = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
if a <= 0:
    print(d)                     # nothing completed: keep the think time
else:
    rest = c * 1000.0 / a - d    # ms of each connection's cycle that is not think time
    print(round(max(0.0, c * 1000.0 / r - max(0.0, rest)), 3))
PYEOF
}

for sc in $SCENARIOS; do
  load_scenario "$sc"
  log "scenario $sc: warm-up ${WARMUP}s each, then $RUNS runs of ${DURATION}s each, alternating"
  wrk_run "$sc" nginx warmup 0 "$(base_url nginx "$sc")" "$CONNECTIONS" "$WARMUP" >/dev/null
  wrk_run "$sc" gatehouse warmup 0 "$GH_URL" "$CONNECTIONS" "$WARMUP" >/dev/null
  for ((r = 1; r <= RUNS; r++)); do
    measured_run "$sc" nginx peak "$r" "$(base_url nginx "$sc")" "$CONNECTIONS" "$DURATION"
    measured_run "$sc" gatehouse peak "$r" "$GH_URL" "$CONNECTIONS" "$DURATION"
  done
  # Rates of error responses are no result: show what the server answered.
  errs=$(python3 -c "
import json
n = sum(r['wrk'].get('non_2xx_3xx', 0) for r in map(json.loads, open('$WORK/runs.jsonl'))
        if r['scenario'] == '$sc' and r['server'] == 'gatehouse')
print(n)")
  if ((errs > 0)); then
    read -r code _ _ < <(sc_curl "$GH_URL" "$WORK/sc/$sc/error.headers" "$WORK/sc/$sc/error.body")
    sample=" (now $SC_METHOD $SC_PATH answers $code: $(head -c 300 "$WORK/sc/$sc/error.body"))"
    log "scenario $sc: gatehouse answered $errs non-2xx responses$sample"
    python3 - "$WORK/meta.json" "$sc" "$sample" <<'PYEOF'
import json, sys
path, name, sample = sys.argv[1:4]
meta = json.load(open(path))
for s in meta["scenario_list"]:
    if s["name"] == name:
        s["error_sample"] = sample
json.dump(meta, open(path, "w"), indent=2)
PYEOF
  fi
  peak=$(py median "$WORK/runs.jsonl" "$sc" gatehouse peak)
  if [[ -n $peak && -n ${SC_MAX_P99_MS_AT_HALF:-} ]]; then
    half=$(python3 -c "print(round($peak / 2))")
    log "scenario $sc: latency at half of Gatehouse's median peak ($half req/s)"
    half_rate_run "$sc" gatehouse "$half"
    half_rate_run "$sc" nginx "$half"
  fi
done

RSS_AFTER=$(rss_kb "$GH_PID")
HWM=$(hwm_kb "$GH_PID")
py meta "$WORK/meta.json" "gatehouse_rss_kb={\"idle\": $RSS_IDLE, \"after_load\": ${RSS_AFTER:-null}, \"peak_hwm\": ${HWM:-null}}"
alive "$GH_PID" || warn "gatehouse exited during the run: $(tail -5 "$WORK/serve.err")"

# Stop the servers now, so a server that does not stop on SIGTERM is reported.
nginx_stop || warn "nginx did not stop on SIGTERM"
if alive "$GH_PID"; then
  kill -TERM "$GH_PID"
  for ((i = 0; i < 50; i++)); do alive "$GH_PID" || break; sleep 0.1; done
  if alive "$GH_PID"; then
    warn "gatehouse did not exit within 5 s of SIGTERM"
    stop_pid "$GH_PID" 1 || true
  else
    set +e; wait "$GH_PID"; gh_rc=$?; set -e
    ((gh_rc == 0)) || warn "gatehouse exited with status $gh_rc after SIGTERM"
  fi
fi
py meta "$WORK/meta.json" "finished_at=$(date -u +%FT%TZ)"

mkdir -p "$RESULTS_DIR"
NAME=$DATE${RESULTS_SUFFIX:+-$RESULTS_SUFFIX}
OUT=$RESULTS_DIR/$NAME.json
py summary --work "$WORK" --out "$OUT" | tee "$RESULTS_DIR/$NAME.md"
log "results: $OUT (table: $RESULTS_DIR/$NAME.md)"
# The chart of the ratios (with bench/oauth.sh's of the same date, if there are any).
if [[ -z ${RESULTS_SUFFIX:-} ]]; then
  if python3 "$BENCH_DIR/lib/chart.py" --dir "$RESULTS_DIR" --date "$DATE" >/dev/null; then
    log "chart: $RESULTS_DIR/$DATE.png"
  else
    log "no chart (gnuplot missing or failed)"
  fi
fi
