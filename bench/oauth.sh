#!/usr/bin/env bash
# Token-endpoint benchmark (issue 3 "Performance"): client_credentials with client_secret_basic
# at `default` (RS256) and at a custom server signing with ES256, compared with what
# `openssl speed` signs per second on the same core in the same run. Each token is one signature,
# so the ratio shows what the rest of the request (HTTP, client authentication, policy, claims,
# JSON) costs next to the cryptography.
# Environment (all optional): GATEHOUSE_BIN, GATEHOUSE_CONFIG (default bench/gatehouse.toml),
#   DURATION=10 WARMUP=2 RUNS=3 CONNECTIONS=16 SERVER_CORE=0 CLIENT_CORE=1,
#   TOKEN_SCENARIOS="rs256 es256", RESULTS_DIR=bench/results, RESULTS_SUFFIX=oauth,
#   VARIANTS="default no_rate_limits no_token_events": the same runs with the server restarted
#   with rate limiting off, then with token events off (issue 4: what each costs).
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
TOKEN_SCENARIOS=${TOKEN_SCENARIOS:-rs256 es256}
VARIANTS=${VARIANTS:-default no_rate_limits no_token_events}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
RESULTS_SUFFIX=${RESULTS_SUFFIX:-oauth}
GATEHOUSE_CONFIG=${GATEHOUSE_CONFIG:-$BENCH_DIR/gatehouse.toml}
if [[ -z ${GATEHOUSE_BIN:-} ]]; then
  for c in "$REPO/build-release/gatehouse" "$REPO/build/gatehouse"; do
    [[ -x $c ]] && { GATEHOUSE_BIN=$c; break; }
  done
fi
[[ -x ${GATEHOUSE_BIN:-} ]] || die "no gatehouse binary (set GATEHOUSE_BIN)"
for cmd in wrk taskset curl node openssl python3; do command -v "$cmd" >/dev/null || die "$cmd is missing"; done

WORK=$(mktemp -d /tmp/gatehouse-oauth-bench.XXXXXX)
trap 'rc=$?; stop_all; [[ ${KEEP_WORK:-0} == 1 ]] || rm -rf "$WORK"; exit $rc' EXIT
RUNS_FILE=$WORK/runs.jsonl
: >"$RUNS_FILE"

# ---- Gatehouse on the server core, one I/O thread -------------------------------------------
"$GATEHOUSE_BIN" init --data "$WORK/data" --base-url http://127.0.0.1:8080 \
  --admin-email bench@example.com --json >"$WORK/init.json" 2>"$WORK/init.err" || die "init: $(cat "$WORK/init.err")"
GH_TOKEN=$(py first-token "$WORK/init.json")
GH_PID=
GH_PORT=0
start_gatehouse() {  # start_gatehouse CONFIG: (re)starts the server on the same data and port
  if [[ -n $GH_PID ]]; then stop_pid "$GH_PID" 5; fi
  : >"$WORK/serve.out"
  taskset -c "$SERVER_CORE" "$GATEHOUSE_BIN" serve --data "$WORK/data" --listen "127.0.0.1:$GH_PORT" --threads 1 \
    --config "$1" >"$WORK/serve.out" 2>>"$WORK/serve.err" &
  GH_PID=$!
  register_pid "$GH_PID"
  GH_URL=
  for ((i = 0; i < 300; i++)); do
    GH_URL=$(sed -n 's#^.*listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*$#\1#p' "$WORK/serve.out" | head -1)
    [[ -n $GH_URL ]] && break
    alive "$GH_PID" || die "serve: $(tail -5 "$WORK/serve.err")"
    sleep 0.05
  done
  [[ -n $GH_URL ]] || die "gatehouse printed no 'listening on' line"
  GH_PORT=${GH_URL##*:}
  wait_http "$GH_URL/health/ready" 10 "$GH_PID" || die "gatehouse never became ready"
}
# The variants' configurations: the benchmark's, with one switch turned off.
cp "$GATEHOUSE_CONFIG" "$WORK/default.toml"
sed 's/^\[rate_limits\]$/[rate_limits]\nenabled = false/' "$GATEHOUSE_CONFIG" >"$WORK/no_rate_limits.toml"
grep -q '^enabled = false' "$WORK/no_rate_limits.toml" || printf '\n[rate_limits]\nenabled = false\n' >>"$WORK/no_rate_limits.toml"
{ cat "$GATEHOUSE_CONFIG"; printf '\n[system_log]\ntoken_events = false\n'; } >"$WORK/no_token_events.toml"
start_gatehouse "$WORK/default.toml"
log "gatehouse $GH_URL (PID $GH_PID) on core $SERVER_CORE; setting up apps and servers"
node "$BENCH_DIR/lib/oauth_setup.mjs" "$GH_URL" "$GH_TOKEN" >"$WORK/oauth.json" 2>"$WORK/setup.err" \
  || die "set-up failed: $(tail -5 "$WORK/setup.err")"
field() { python3 -c "import json,sys; d=json.load(open('$WORK/oauth.json')); print(d['$1']['$2'])"; }

# ---- one measured run of each kind ------------------------------------------------------------
openssl_run() {  # openssl_run SCENARIO IDX ALGORITHM: signatures/s of `openssl speed` on the server core
  local sc=$1 idx=$2 algo=$3 line rate
  line=$(taskset -c "$SERVER_CORE" openssl speed -seconds "$DURATION" -mr "$algo" 2>/dev/null | grep -E '^\+F[0-9]+:' | tail -1)
  # -mr: "+F2:<n>:<bits>:<sign/s>:<verify/s>" (RSA), "+F4:<n>:<bits>:<sign/s>:<verify/s>" (ECDSA)
  rate=$(cut -d: -f4 <<<"$line")
  [[ -n $rate ]] || die "openssl speed $algo printed no result"
  printf '{"scenario":"%s","server":"openssl","kind":"peak","idx":%s,"rps":%s,"what":"openssl speed -mr %s sign/s"}\n' \
    "$sc" "$idx" "$rate" "$algo" >>"$RUNS_FILE"
  log "  openssl speed $algo: $rate sign/s"
}

gatehouse_run() {  # gatehouse_run SCENARIO KIND IDX SECONDS
  local sc=$1 kind=$2 idx=$3 secs=$4 out="$WORK/wrk.$1.$2.$3.txt" t0 t1 w0 w1
  t0=$(cpu_ticks "$GH_PID"); w0=$(date +%s%N)
  BENCH_METHOD=POST BENCH_PATH="$TOKEN_PATH" BENCH_BODY_FILE="$WORK/$sc.body" \
  BENCH_HEADERS="Authorization: $BASIC
Content-Type: application/x-www-form-urlencoded
Accept: application/json" \
    timeout -k 5 $((secs + 30)) taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency \
    -s "$BENCH_DIR/wrk/request.lua" "$GH_URL$TOKEN_PATH" >"$out" 2>&1 || die "wrk failed: $(tail -3 "$out")"
  t1=$(cpu_ticks "$GH_PID"); w1=$(date +%s%N)
  [[ $kind == warmup ]] && return 0
  py wrk-parse "$out" | python3 -c "
import json, sys
w = json.load(sys.stdin); cpu_us = ($t1 - $t0) * 1e6 / $(getconf CLK_TCK)
req = w.get('requests') or 0
print(json.dumps({'scenario': '$sc', 'server': 'gatehouse', 'variant': '$variant', 'kind': '$kind', 'idx': $idx, 'rps': w['rps'],
  'non_2xx_3xx': w['non_2xx_3xx'], 'socket_errors': w['socket_errors'],
  'latency_us': w.get('latency_us', {}), 'cpu_us_per_request': cpu_us / req if req else None,
  'server_cpu_utilisation': cpu_us / (($w1 - $w0) / 1e3)}))" >>"$RUNS_FILE"
  log "  gatehouse: $(tail -1 "$RUNS_FILE" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["rps"]), "tokens/s,", r["non_2xx_3xx"], "errors")')"
}

CURRENT_VARIANT=default
use_variant() {  # use_variant NAME: restarts the server with that variant's config (same data, port)
  [[ -f $WORK/$1.toml ]] || die "unknown variant $1"
  [[ $1 == "$CURRENT_VARIANT" ]] && return 0
  start_gatehouse "$WORK/$1.toml"
  CURRENT_VARIANT=$1
}

# Variants are interleaved run by run (openssl, then each variant), so that drift of the
# machine over the run weighs on all of them alike.
for sc in $TOKEN_SCENARIOS; do
  case $sc in
    rs256) algo=rsa2048 ;;
    es256) algo=ecdsap256 ;;
    *) die "unknown token scenario $sc" ;;
  esac
  TOKEN_URL=$(field "$sc" tokenUrl)
  TOKEN_PATH=${TOKEN_URL#"$GH_URL"}
  BASIC="Basic $(printf '%s:%s' "$(field "$sc" clientId)" "$(field "$sc" secret)" | base64 -w0)"
  printf 'grant_type=client_credentials&scope=%s' "$(field "$sc" scope)" >"$WORK/$sc.body"
  code=$(curl -s -o "$WORK/$sc.sample" -w '%{http_code}' -X POST -H "Authorization: $BASIC" \
    --data-binary "@$WORK/$sc.body" "$GH_URL$TOKEN_PATH")
  [[ $code == 200 ]] || die "$sc: token request answered $code: $(head -c 300 "$WORK/$sc.sample")"
  log "scenario $sc: POST $TOKEN_PATH ($algo); $RUNS rounds of openssl speed and each variant ($VARIANTS), ${DURATION}s each"
  for ((r = 1; r <= RUNS; r++)); do
    openssl_run "$sc" "$r" "$algo"
    for variant in $VARIANTS; do
      use_variant "$variant"
      gatehouse_run "$sc" warmup 0 "$WARMUP"
      gatehouse_run "$sc" peak "$r" "$DURATION"
      log "    ($variant)"
    done
  done
done

mkdir -p "$RESULTS_DIR"
NAME=$(date -u +%F)-$RESULTS_SUFFIX
python3 - "$RUNS_FILE" "$RESULTS_DIR/$NAME.json" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)" \
  "$CONNECTIONS" "$DURATION" "$RUNS" <<'PYEOF' | tee "$RESULTS_DIR/$NAME.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
targets = {"rs256": ("token endpoint, client_secret_basic, RS256 (`default`)", "rsa2048", 0.85),
           "es256": ("token endpoint, client_secret_basic, ES256 (custom AS)", "ecdsap256", 0.50)}
out = {"commit": sys.argv[3], "connections": int(sys.argv[4]), "duration_s": int(sys.argv[5]),
       "runs": int(sys.argv[6]), "scenarios": {}}
print("| scenario | Gatehouse tokens/s | openssl speed sign/s | ratio | target | p99 | CPU/token | result |")
print("|---|---|---|---|---|---|---|---|")
for sc, (desc, algo, target) in targets.items():
    g = [r for r in runs if r["scenario"] == sc and r["server"] == "gatehouse" and r.get("variant") == "default"]
    o = [r for r in runs if r["scenario"] == sc and r["server"] == "openssl"]
    if not g or not o:
        continue
    grps, orps = statistics.median(r["rps"] for r in g), statistics.median(r["rps"] for r in o)
    errors = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in g)
    p99 = statistics.median(r["latency_us"].get("p99", 0) for r in g)
    cpu = statistics.median(r["cpu_us_per_request"] or 0 for r in g)
    ratio = grps / orps
    verdict = "INVALID (errors)" if errors else ("PASS" if ratio >= target else "FAIL")
    out["scenarios"][sc] = {"description": desc, "gatehouse_tokens_per_s": grps, "openssl_sign_per_s": orps,
                            "ratio": ratio, "target": target, "errors": errors, "p99_us": p99,
                            "cpu_us_per_token": cpu, "result": verdict, "runs": g + o}
    print(f"| {desc} | {grps:,.0f} | {orps:,.0f} ({algo}) | {ratio:.1%} | ≥ {target:.0%} | {p99/1000:.2f} ms | {cpu:.0f} µs | {verdict} |")
# Issue 4: what rate limiting and token events cost (throughput with the switch off vs on).
costs = []
for sc in targets:
    base = [r["rps"] for r in runs if r["scenario"] == sc and r.get("variant") == "default"]
    for variant, what, limit in (("no_rate_limits", "rate limiting", 0.05), ("no_token_events", "token events", 0.10)):
        off = [r["rps"] for r in runs if r["scenario"] == sc and r.get("variant") == variant]
        if not base or not off:
            continue
        on_rps, off_rps = statistics.median(base), statistics.median(off)
        cost = 1 - on_rps / off_rps
        costs.append({"scenario": sc, "what": what, "with": on_rps, "without": off_rps, "cost": cost, "limit": limit,
                      "result": "PASS" if cost < limit else "FAIL"})
if costs:
    print()
    print("| scenario | cost of | tokens/s with | tokens/s without | cost | target | result |")
    print("|---|---|---|---|---|---|---|")
    for c in costs:
        print(f"| {c['scenario']} | {c['what']} | {c['with']:,.0f} | {c['without']:,.0f} | {c['cost']:.1%} | < {c['limit']:.0%} | {c['result']} |")
out["costs"] = costs
json.dump(out, open(sys.argv[2], "w"), indent=2)
PYEOF
log "results: $RESULTS_DIR/$NAME.json"
