#!/usr/bin/env bash
# shellcheck disable=SC2034 # SC_*, SERVER_CPU_PIDS: read by lib/common.sh (wrk_run, sc_curl)
# PostgreSQL benchmark (issue 18: "the token endpoint and the SSWS list on PostgreSQL within 10% of
# SQLite (hot paths never touch the store); two nodes on one PostgreSQL, each pinned to one core,
# issue ≥ 1.8x the tokens of one node"). A throwaway cluster (scripts/pg-throwaway.sh), then:
#   1. store: one node on SQLite and one on PostgreSQL, the same requests with the same harness
#      (lib/common.sh wrk_run), rounds interleaved (the order turns each round): the token endpoint
#      (client_credentials, client_secret_basic, ES256 custom server) and the SSWS list (GET
#      /api/v1/groups?limit=10). Both nodes run on SERVER_CORE, the cluster on PG_CORES (default
#      SERVER_CORE: what the store costs lands on the server's core with either backend, as
#      SQLite's does in-process). PG_CORES elsewhere (e.g. 1 on 2 cores: the load generator's core)
#      stands in for a separate database host; the report then says the measured ratio does not
#      count the cluster's CPU. Either way it gives the CPU-per-request ratio with the cluster's
#      CPU counted and without it (lib/pg_report.py).
#   2. scale: the ES256 token endpoint on one PostgreSQL node, then on two nodes on the same
#      database, each node pinned to one core (NODE_CORES), one wrk per node. With fewer than 4
#      cores the load generators and PostgreSQL must share the nodes' cores: the script then also
#      reports the ceiling 2 cores allow, cores / (node + wrk + PostgreSQL CPU per token) of the
#      one-node runs, and the share of it reached (bench/README.md, "PostgreSQL: pg.sh").
# Every process's affinity is read back from /proc and each core's busy share measured per run.
# Environment (all optional): GATEHOUSE_BIN, GATEHOUSE_CONFIG (bench/gatehouse.toml), DURATION=10
#   WARMUP=2 RUNS=3 CONNECTIONS=16 SERVER_CORE=0 CLIENT_CORE=1 PG_CORES=$SERVER_CORE,
#   PG_SCENARIOS="token ssws_list" (empty: skip part 1), SCALE=1 (0: skip part 2), NODE_CORES="0 1",
#   SCALE_CLIENT_CORES, SCALE_PG_CORES (defaults by the number of cores: see bench/README.md),
#   RESULTS_DIR=bench/results, RESULTS_SUFFIX=pg, KEEP_WORK=0.
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
PG_CORES=${PG_CORES:-$SERVER_CORE}
PG_SCENARIOS=${PG_SCENARIOS-token ssws_list}
SCALE=${SCALE:-1}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
RESULTS_SUFFIX=${RESULTS_SUFFIX:-pg}
GATEHOUSE_CONFIG=${GATEHOUSE_CONFIG:-$BENCH_DIR/gatehouse.toml}
NCPU=$(nproc)
CLK_TCK=$(getconf CLK_TCK)
read -r -a NODE_CORE <<<"${NODE_CORES:-0 1}"
((${#NODE_CORE[@]} == 2)) || die "NODE_CORES must name two cores"
# Where the load generators and PostgreSQL run in part 2: cores of their own when there are
# enough, else the other node's core for each wrk and both nodes' cores for PostgreSQL.
if ((NCPU >= 4)); then
  WRK_CORE_A=${SCALE_CLIENT_CORES:-2} WRK_CORE_B=${SCALE_CLIENT_CORES:-2} SCALE_PG=${SCALE_PG_CORES:-3}
elif ((NCPU == 3)); then
  WRK_CORE_A=${SCALE_CLIENT_CORES:-2} WRK_CORE_B=${SCALE_CLIENT_CORES:-2} SCALE_PG=${SCALE_PG_CORES:-2}
else
  WRK_CORE_A=${SCALE_CLIENT_CORES:-${NODE_CORE[1]}} WRK_CORE_B=${SCALE_CLIENT_CORES:-${NODE_CORE[0]}}
  SCALE_PG=${SCALE_PG_CORES:-${NODE_CORE[0]},${NODE_CORE[1]}}
fi
if [[ -z ${GATEHOUSE_BIN:-} ]]; then
  for c in "$REPO/build-release/gatehouse" "$REPO/build/gatehouse"; do
    [[ -x $c ]] && { GATEHOUSE_BIN=$c; break; }
  done
fi
[[ -x ${GATEHOUSE_BIN:-} ]] || die "no gatehouse binary (set GATEHOUSE_BIN)"
for cmd in wrk taskset curl node python3 psql; do command -v "$cmd" >/dev/null || die "$cmd is missing"; done

WORK=$(mktemp -d /tmp/gatehouse-pg-bench.XXXXXX)
PG_DIR=
cleanup() {
  stop_all
  [[ -z $PG_DIR ]] || bash "$REPO/scripts/pg-throwaway.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  [[ ${KEEP_WORK:-0} == 1 ]] || rm -rf "$WORK"
}
trap 'rc=$?; cleanup; exit $rc' EXIT
: >"$WORK/runs.jsonl"
: >"$WORK/extra.jsonl"
: >"$WORK/scale.jsonl"
declare -A SERVER_CPU_PIDS=() NODE_PID=() NODE_URL=() NODE_TOKEN=()

# ---- the cluster ---------------------------------------------------------------------------
pg_env=$(bash "$REPO/scripts/pg-throwaway.sh" start) || die "cannot start a PostgreSQL cluster"
PG_DIR=$(sed -n 's/^GATEHOUSE_PG_DIR=//p' <<<"$pg_env")
PG_URL=$(sed -n 's/^GATEHOUSE_PG_URL=//p' <<<"$pg_env")
PG_VERSION=$(psql "$PG_URL/postgres" -qAtc 'SHOW server_version')
psql "$PG_URL/postgres" -qAtc 'CREATE DATABASE gh_bench' >/dev/null
STORE_URL=$PG_URL/gh_bench
postmaster() { head -1 "$PG_DIR/data/postmaster.pid"; }
pg_pids() { local pm; pm=$(postmaster); echo "$pm $(children_of "$pm" | tr '\n' ' ')"; }
pin() {  # pin CORES PID...: every thread of each (new backends inherit the postmaster's)
  local cores=$1 p; shift
  for p in "$@"; do taskset -a -cp "$cores" "$p" >/dev/null 2>&1 || warn "cannot pin PID $p to $cores"; done
}
affinity() { awk '/^Cpus_allowed_list/ {print $2}' "/proc/$1/status" 2>/dev/null || echo gone; }
# shellcheck disable=SC2046
pin "$PG_CORES" $(pg_pids)
log "PostgreSQL $PG_VERSION ($PG_DIR, fsync off: the test suite's throwaway cluster) on cores $(affinity "$(postmaster)")"

# ---- nodes ---------------------------------------------------------------------------------
start_node() {  # start_node NAME DATA CORE [serve args...]: sets NODE_PID/NODE_URL[NAME]
  local name=$1 data=$2 core=$3 url='' i pid
  shift 3
  : >"$WORK/$name.out"
  taskset -c "$core" "$GATEHOUSE_BIN" serve --data "$data" --listen 127.0.0.1:0 --threads 1 \
    --config "$GATEHOUSE_CONFIG" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  pid=$!
  register_pid "$pid"
  for ((i = 0; i < 300; i++)); do
    url=$(sed -n 's#^.*listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*$#\1#p' "$WORK/$name.out" | head -1)
    [[ -n $url ]] && break
    alive "$pid" || die "$name: $(tail -5 "$WORK/$name.err")"
    sleep 0.05
  done
  [[ -n $url ]] || die "$name printed no 'listening on' line"
  wait_http "$url/health/ready" 10 "$pid" || die "$name never became ready"
  NODE_PID[$name]=$pid NODE_URL[$name]=$url
  log "node $name $url (PID $pid) on cores $(affinity "$pid")"
}
init_node() {  # init_node NAME [--store URL]: a data dir with an org; sets NODE_TOKEN[NAME]
  local name=$1; shift
  "$GATEHOUSE_BIN" init --data "$WORK/$name" --base-url http://127.0.0.1:8080 --admin-email bench@example.com \
    --json "$@" >"$WORK/$name.init.json" 2>"$WORK/$name.init.err" || die "init $name: $(cat "$WORK/$name.init.err")"
  NODE_TOKEN[$name]=$(py first-token "$WORK/$name.init.json")
}
setup_node() {  # setup_node NAME: the ES256 app and server (lib/oauth_setup.mjs) and 10 groups
  local name=$1 i code
  node "$BENCH_DIR/lib/oauth_setup.mjs" "${NODE_URL[$name]}" "${NODE_TOKEN[$name]}" >"$WORK/$name.oauth.json" \
    2>"$WORK/$name.setup.err" || die "set-up of $name failed: $(tail -5 "$WORK/$name.setup.err")"
  for i in $(seq 1 10); do
    code=$(curl -sS --max-time 10 -X POST -H "Authorization: SSWS ${NODE_TOKEN[$name]}" -H 'Accept: application/json' \
      -H 'Content-Type: application/json' --data-binary "{\"profile\":{\"name\":\"bench-$i\"}}" \
      -o "$WORK/last_api_body" -w '%{http_code}' "${NODE_URL[$name]}/api/v1/groups")
    [[ $code == 200 ]] || die "$name: creating group bench-$i: HTTP $code: $(head -c 300 "$WORK/last_api_body")"
  done
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['es256'][sys.argv[2]])" "$WORK/$1.oauth.json" "$2"; }

# scenario SC NAME: the request of scenario SC for node NAME (SC_* as run.sh's scenario files)
scenario() {
  local sc=$1 name=$2 token_url
  case $sc in
    token)
      token_url=$(field "$name" tokenUrl)
      SC_METHOD=POST SC_PATH=/${token_url#http://*/}   # the path: node B's org is node A's
      SC_HEADERS="Authorization: Basic $(printf '%s:%s' "$(field "$name" clientId)" "$(field "$name" secret)" | base64 -w0)
Content-Type: application/x-www-form-urlencoded
Accept: application/json"
      printf 'grant_type=client_credentials&scope=%s' "$(field "$name" scope)" >"$WORK/$name.token.body"
      SC_BODY_FILE=$WORK/$name.token.body ;;
    ssws_list)
      SC_METHOD=GET SC_PATH='/api/v1/groups?limit=10' SC_BODY_FILE=
      SC_HEADERS="Authorization: SSWS ${NODE_TOKEN[$name]}
Accept: application/json" ;;
    *) die "unknown scenario $sc (token, ssws_list)" ;;
  esac
  SC_LINES_BOUND_ALGO=
}
check() {  # check SC NAME: one request answers 200
  local status
  status=$(sc_curl "${NODE_URL[$2]}" "$WORK/check.h" "$WORK/check.b" | cut -d' ' -f1)
  [[ $status == 200 ]] || die "$1 on $2 answered $status: $(head -c 300 "$WORK/check.b")"
}

# The busy ticks of each core, from /proc/stat ("cpuN user nice system idle iowait irq softirq ...").
core_ticks() { awk '/^cpu[0-9]/ {printf "%s:%d ", substr($1, 4), $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# ---- part 1: SQLite against PostgreSQL, one node each ------------------------------------------
if [[ -n $PG_SCENARIOS ]]; then
  init_node sqlite
  init_node pg --store "$STORE_URL"
  start_node sqlite "$WORK/sqlite" "$SERVER_CORE"
  start_node pg "$WORK/pg" "$SERVER_CORE" --store "$STORE_URL"
  # shellcheck disable=SC2046
  pin "$PG_CORES" $(pg_pids)
  setup_node sqlite
  setup_node pg
  store_run() {  # store_run SC NAME KIND IDX SECONDS: wrk_run, plus PostgreSQL's CPU and the cores' use
    local sc=$1 name=$2 kind=$3 idx=$4 secs=$5 p0 p1 c0 c1 pids
    pids=$(pg_pids)
    # The PostgreSQL node's CPU includes the cluster's (its store's work, wherever PG_CORES puts
    # it); pg_cpu_ticks is the cluster's alone, so the report can count it or leave it out.
    SERVER_CPU_PIDS[$name]=${NODE_PID[$name]}
    [[ $name == pg ]] && SERVER_CPU_PIDS[$name]="${NODE_PID[$name]} $pids"
    # shellcheck disable=SC2086
    p0=$(cpu_ticks $pids); c0=$(core_ticks)
    wrk_run "$sc" "$name" "$kind" "$idx" "${NODE_URL[$name]}" "$CONNECTIONS" "$secs" >/dev/null || die "wrk failed"
    # shellcheck disable=SC2086
    p1=$(cpu_ticks $pids); c1=$(core_ticks)
    printf '{"scenario":"%s","server":"%s","kind":"%s","run":%s,"pg_cpu_ticks":%s,"cores0":"%s","cores1":"%s"}\n' \
      "$sc" "$name" "$kind" "$idx" "$((p1 - p0))" "$c0" "$c1" >>"$WORK/extra.jsonl"
  }
  for sc in $PG_SCENARIOS; do
    for name in sqlite pg; do scenario "$sc" "$name"; check "$sc" "$name"; done
    log "store: $sc on SQLite and on PostgreSQL, $RUNS interleaved rounds of ${DURATION}s; server core $SERVER_CORE, wrk core $CLIENT_CORE, PostgreSQL cores $PG_CORES$([[ $PG_CORES == "$SERVER_CORE" ]] || echo ' (not the server core: a stand-in for a separate database host)')"
    for ((r = 1; r <= RUNS; r++)); do
      order=(sqlite pg)
      ((r % 2 == 1)) || order=(pg sqlite)
      for name in "${order[@]}"; do
        scenario "$sc" "$name"
        store_run "$sc" "$name" warmup "$r" "$WARMUP"
        store_run "$sc" "$name" peak "$r" "$DURATION"
      done
    done
  done
  stop_pid "${NODE_PID[sqlite]}" 5 || true
fi

# ---- part 2: two nodes on one PostgreSQL against one --------------------------------------------
if [[ $SCALE == 1 ]]; then
  if [[ -z ${NODE_PID[pg]:-} ]]; then
    init_node pg --store "$STORE_URL"
    start_node pg "$WORK/pg" "${NODE_CORE[0]}" --store "$STORE_URL"
    setup_node pg
  fi
  # Node B: the same master key and database (a copy of A's data dir), its own process and core.
  cp -r "$WORK/pg" "$WORK/pgB"
  NODE_TOKEN[pgB]=${NODE_TOKEN[pg]}
  start_node pgB "$WORK/pgB" "${NODE_CORE[1]}" --store "$STORE_URL"
  cp "$WORK/pg.oauth.json" "$WORK/pgB.oauth.json"
  pin "${NODE_CORE[0]}" "${NODE_PID[pg]}"
  # shellcheck disable=SC2046
  pin "$SCALE_PG" $(pg_pids)
  # Each node's request, made before the runs: nothing but wrk runs in this shell while measuring.
  declare -A TOKEN_PATH=() TOKEN_HEADERS=()
  for name in pg pgB; do
    scenario token "$name"; check token "$name"
    TOKEN_PATH[$name]=$SC_PATH TOKEN_HEADERS[$name]=$SC_HEADERS
  done
  LAYOUT=$(printf '{"node_a":"%s","node_b":"%s","wrk_a":"%s","wrk_b":"%s","postgresql":"%s","read_back":{"node_a":"%s","node_b":"%s","postmaster":"%s"}}' \
    "${NODE_CORE[0]}" "${NODE_CORE[1]}" "$WRK_CORE_A" "$WRK_CORE_B" "$SCALE_PG" \
    "$(affinity "${NODE_PID[pg]}")" "$(affinity "${NODE_PID[pgB]}")" "$(affinity "$(postmaster)")")
  log "scale: node A on ${NODE_CORE[0]}, node B on ${NODE_CORE[1]}, wrk for A on $WRK_CORE_A, for B on $WRK_CORE_B, PostgreSQL on $SCALE_PG ($NCPU cores)"

  # scale_run KIND IDX SECONDS NAME...: one wrk per node at once; node, PostgreSQL and wrk CPU.
  scale_run() {
    local kind=$1 idx=$2 secs=$3 name core i pids wpids=() n0=() n1=() p0 p1 c0 c1 w0 w1 t0 t1 rec
    shift 3
    local names=("$@")
    pids=$(pg_pids)
    for name in "${names[@]}"; do n0+=("$(cpu_ticks "${NODE_PID[$name]}")"); done
    # shellcheck disable=SC2086
    p0=$(cpu_ticks $pids); c0=$(core_ticks); t0=$(date +%s%N); children_cpu_ticks; w0=$CHILD_TICKS
    for name in "${names[@]}"; do
      core=$WRK_CORE_A
      [[ $name == pgB ]] && core=$WRK_CORE_B
      BENCH_METHOD=POST BENCH_PATH=${TOKEN_PATH[$name]} BENCH_HEADERS=${TOKEN_HEADERS[$name]} BENCH_BODY_FILE=$WORK/$name.token.body \
      BENCH_DELAY_MS='' BENCH_LINES_FILE='' BENCH_LINES_WRAP='' BENCH_RUN_ID=$idx$SECONDS \
        timeout -k 5 $((secs + 30)) taskset -c "$core" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency \
        -s "$BENCH_DIR/wrk/request.lua" "${NODE_URL[$name]}${TOKEN_PATH[$name]}" >"$WORK/scale.$kind.$idx.${#names[@]}.$name.txt" 2>&1 &
      wpids+=($!)
    done
    for i in "${wpids[@]}"; do wait "$i" || die "wrk failed: $(tail -3 "$WORK"/scale."$kind"."$idx".*.txt)"; done
    children_cpu_ticks; w1=$CHILD_TICKS; t1=$(date +%s%N)
    # shellcheck disable=SC2086
    p1=$(cpu_ticks $pids); c1=$(core_ticks)
    for name in "${names[@]}"; do n1+=("$(cpu_ticks "${NODE_PID[$name]}")"); done
    [[ $kind == warmup ]] && return 0
    rec="{\"kind\":\"$kind\",\"run\":$idx,\"nodes\":{"
    for i in "${!names[@]}"; do
      ((i == 0)) || rec+=","
      rec+="\"${names[i]}\":{\"wrk\":$(py wrk-parse "$WORK/scale.$kind.$idx.${#names[@]}.${names[i]}.txt"),\"cpu_ticks\":$((n1[i] - n0[i]))}"
    done
    rec+="},\"pg_cpu_ticks\":$((p1 - p0)),\"wrk_cpu_ticks\":$((w1 - w0)),\"wall_ns\":$((t1 - t0)),\"cores0\":\"$c0\",\"cores1\":\"$c1\"}"
    echo "$rec" >>"$WORK/scale.jsonl"
    python3 -c "
import json, sys
r = json.loads(sys.argv[1]); t = sum(n['wrk']['rps'] or 0 for n in r['nodes'].values())
sys.stderr.write('  %-9s #%s %9.0f tokens/s (%s)\n' % (sys.argv[2], r['run'], t, ', '.join('%s %.0f' % (k, n['wrk']['rps'] or 0) for k, n in r['nodes'].items())))" "$rec" "$kind"
  }
  log "scale: ES256 tokens, one node against two, $RUNS interleaved rounds of ${DURATION}s"
  for ((r = 1; r <= RUNS; r++)); do
    order=(one two)
    ((r % 2 == 1)) || order=(two one)
    for k in "${order[@]}"; do
      nodes=(pg)
      [[ $k == two ]] && nodes=(pg pgB)
      scale_run warmup "$r" "$WARMUP" "${nodes[@]}"
      scale_run "$k" "$r" "$DURATION" "${nodes[@]}"
    done
  done
fi

# ---- report --------------------------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
DATE=$(date -u +%F)
NAME=$DATE-$RESULTS_SUFFIX
python3 "$BENCH_DIR/lib/pg_report.py" --runs "$WORK/runs.jsonl" --extra "$WORK/extra.jsonl" --scale "$WORK/scale.jsonl" \
  --out "$RESULTS_DIR/$NAME.json" --commit "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)" \
  --config "{\"duration_s\":$DURATION,\"warmup_s\":$WARMUP,\"runs\":$RUNS,\"connections\":$CONNECTIONS,\"ncpu\":$NCPU,\"clk_tck\":$CLK_TCK,\"postgresql\":\"$PG_VERSION\",\"postgresql_settings\":\"throwaway cluster (scripts/pg-throwaway.sh): fsync off, synchronous_commit off, full_page_writes off\",\"store\":{\"server_core\":\"$SERVER_CORE\",\"client_core\":\"$CLIENT_CORE\",\"postgresql_cores\":\"$PG_CORES\"},\"scale_layout\":${LAYOUT:-null}}" \
  | tee "$RESULTS_DIR/$NAME.md"
log "results: $RESULTS_DIR/$NAME.json"
