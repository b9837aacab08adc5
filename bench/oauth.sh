#!/usr/bin/env bash
# Token-endpoint benchmark (issue 3 "Performance"): client_credentials with client_secret_basic
# at `default` (RS256) and at a custom server signing with ES256, compared with what
# `openssl speed` signs per second on the same core in the same run. Each token is one signature,
# so the ratio shows what the rest of the request (HTTP, client authentication, policy, claims,
# JSON) costs next to the cryptography. Issue 5: node-oidc-provider 9 (bench/peers/oidc-provider,
# one process on the same core) answers the same grant with a JWT of the same algorithm, and the
# ratio Gatehouse/oidc-provider is reported next to the ratio to `openssl speed`. Also (issue 5):
# EdDSA (a custom server with an Ed25519 key) vs `openssl speed ed25519` and the peer, and at the
# ES256 server private_key_jwt (RFC 7523, ES256 client assertions) and DPoP (RFC 9449, ES256
# proofs with the server's nonce), each vs one ECDSA P-256 sign plus one verify of `openssl speed`.
# Assertions and proofs are single use: lib/proofs.mjs makes a fresh batch before each run and
# wrk/request.lua sends each once (see bench/README.md, "Single-use values").
# Environment (all optional): GATEHOUSE_BIN, GATEHOUSE_CONFIG (default bench/gatehouse.toml),
#   DURATION=10 WARMUP=2 RUNS=3 CONNECTIONS=16 SERVER_CORE=0 CLIENT_CORE=1,
#   TOKEN_SCENARIOS="rs256 es256 eddsa pkjwt dpop", RESULTS_DIR=bench/results, RESULTS_SUFFIX=oauth,
#   VARIANTS="default no_rate_limits no_token_events": the same runs with the server restarted
#   with rate limiting off, then with token events off (issue 4: what each costs),
#   PEERS="oidc-provider" (empty: no peer; the peer runs in the `default` variant only),
#   HALFRATE=1 (0: none): after each round's peak run, Gatehouse again with each connection pacing
#   its requests to about half that rate; its p99 is the "p99 at half the peak rate" of issue 5,
#   FLOOR=nginx (empty: none), NGINX_BIN=/usr/sbin/nginx: the HTTP floor of each scenario, nginx on
#   the server core answering the same POST (for pkjwt and dpop with assertions or proofs of the
#   same size) with the bytes of Gatehouse's token response. Its CPU per request plus one signature
#   (pkjwt, dpop: and one verification) of `openssl speed` is what a token costs a server that does
#   nothing else, so C = 1 / (1/floor + 1/sign [+ 1/verify]) is the most any server can reach
#   here: the tables report it and each target as a share of it (issue 20's targets: a share of C).
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
TOKEN_SCENARIOS=${TOKEN_SCENARIOS:-rs256 es256 eddsa pkjwt dpop}
VARIANTS=${VARIANTS:-default no_rate_limits no_token_events}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
RESULTS_SUFFIX=${RESULTS_SUFFIX:-oauth}
PEERS=${PEERS-oidc-provider}
PEER_DIR=$BENCH_DIR/peers/oidc-provider
FLOOR=${FLOOR-nginx}
HALFRATE=${HALFRATE:-1}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
GATEHOUSE_CONFIG=${GATEHOUSE_CONFIG:-$BENCH_DIR/gatehouse.toml}
if [[ -z ${GATEHOUSE_BIN:-} ]]; then
  for c in "$REPO/build-release/gatehouse" "$REPO/build/gatehouse"; do
    [[ -x $c ]] && { GATEHOUSE_BIN=$c; break; }
  done
fi
[[ -x ${GATEHOUSE_BIN:-} ]] || die "no gatehouse binary (set GATEHOUSE_BIN)"
for cmd in wrk taskset curl node openssl python3; do command -v "$cmd" >/dev/null || die "$cmd is missing"; done
case " $PEERS " in
  "  " | " oidc-provider ") ;;
  *) die "unknown peer in PEERS=$PEERS (known: oidc-provider)" ;;
esac
case $FLOOR in
  "") ;;
  nginx) [[ -x $NGINX_BIN ]] || die "$NGINX_BIN is missing (apt-get install -y nginx-light, or FLOOR= to skip the floor)" ;;
  *) die "unknown FLOOR=$FLOOR (nginx or empty)" ;;
esac
if [[ -n $PEERS && ! -f $PEER_DIR/node_modules/oidc-provider/package.json ]]; then
  die "node-oidc-provider is not installed: run scripts/install-bench-deps.sh (or PEERS= to skip the peer)"
fi

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

# ---- node-oidc-provider on the server core, one process (Node.js runs JavaScript on one thread) --
PEER_PID=
PEER_URL=
start_peer() {  # start_peer SCENARIO ALG: the peer for one scenario, the same client, scope and aud
  local sc=$1 alg=$2 port aud i
  [[ -z $PEER_PID ]] || stop_peer
  port=$(py free-port)
  # The resource indicator is the audience of Gatehouse's token, so both tokens carry the same aud.
  aud=$(py jwt-claims "$WORK/$sc.sample" | python3 -c 'import json,sys; print(json.load(sys.stdin)["payload"]["aud"])')
  printf 'grant_type=client_credentials&scope=%s&resource=%s' "$(field "$sc" scope)" \
    "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$aud")" >"$WORK/$sc.peer.body"
  : >"$WORK/peer.$sc.out"
  BENCH_CLIENT_ID=$(field "$sc" clientId) BENCH_CLIENT_SECRET=$(field "$sc" secret) BENCH_SCOPE=$(field "$sc" scope) \
    taskset -c "$SERVER_CORE" node "$PEER_DIR/server.mjs" "$port" "$alg" "$aud" >"$WORK/peer.$sc.out" 2>"$WORK/peer.$sc.err" &
  PEER_PID=$!
  register_pid "$PEER_PID"
  for ((i = 0; i < 300; i++)); do
    PEER_URL=$(sed -n 's#^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$#\1#p' "$WORK/peer.$sc.out" | head -1)
    [[ -n $PEER_URL ]] && break
    alive "$PEER_PID" || die "oidc-provider: $(tail -5 "$WORK/peer.$sc.err")"
    sleep 0.05
  done
  [[ -n $PEER_URL ]] || die "oidc-provider printed no 'listening on' line"
  wait_http "$PEER_URL/jwks" 10 "$PEER_PID" || die "oidc-provider never answered /jwks"
  check_token oidc-provider "$PEER_URL/token" "$WORK/$sc.peer.body" "$WORK/$sc.peer.sample" "$alg"
  log "  oidc-provider $PEER_VERSION (node $(node --version)) $PEER_URL (PID $PEER_PID) on core $SERVER_CORE, resource $aud"
}
stop_peer() {
  [[ -n $PEER_PID ]] || return 0
  kill -CONT "$PEER_PID" 2>/dev/null || true
  stop_pid "$PEER_PID" 5 || log "oidc-provider (PID $PEER_PID) needed SIGKILL"
  PEER_PID=
}
[[ -z $PEERS ]] || PEER_VERSION=$(node -p "require('$PEER_DIR/node_modules/oidc-provider/package.json').version")

check_token() {  # check_token SERVER URL BODY_FILE OUT ALG [LINE]: one request answers 200 with a JWT signed with ALG
  local server=$1 url=$2 body=$3 out=$4 alg=$5 line=${6:-} code got hdr args=()
  while IFS= read -r hdr; do
    [[ -n $hdr ]] && args+=(-H "${hdr//\{\{LINE\}\}/$line}")
  done <<<"$TOKEN_HEADERS"
  code=$(curl -s -D "$out.headers" -o "$out" -w '%{http_code}' -X POST "${args[@]}" --data-binary "$(sed "s|{{LINE}}|$line|g" "$body")" "$url")
  [[ $code == 200 ]] || die "$server: token request answered $code: $(head -c 300 "$out")"
  got=$(py jwt-claims "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["alg"])')
  [[ $got == "$alg" ]] || die "$server: the access token is signed with $got, not $alg"
}

# ---- one measured run of each kind ------------------------------------------------------------
openssl_run() {  # openssl_run SCENARIO IDX ALGORITHM CEILING: what `openssl speed` does per second on the server core
  local sc=$1 idx=$2 algo=$3 ceiling=$4 line sign verify rate
  line=$(taskset -c "$SERVER_CORE" openssl speed -seconds "$DURATION" -mr "$algo" 2>/dev/null | grep -E '^\+F[0-9]+:' | tail -1)
  # -mr: "+F2:<n>:<bits>:<sign/s>:<verify/s>" (RSA), "+F4:<n>:<bits>:<sign/s>:<verify/s>" (ECDSA),
  # "+F6:<n>:<bits>:Ed25519:<sign/s>:<verify/s>" (EdDSA: the curve's name is a field of its own)
  if [[ $(cut -d: -f4 <<<"$line") =~ ^[0-9.]+$ ]]; then
    sign=$(cut -d: -f4 <<<"$line"); verify=$(cut -d: -f5 <<<"$line")
  else
    sign=$(cut -d: -f5 <<<"$line"); verify=$(cut -d: -f6 <<<"$line")
  fi
  [[ $sign =~ ^[0-9.]+$ && $verify =~ ^[0-9.]+$ ]] || die "openssl speed $algo printed no result: $line"
  # sign: one signature per token. sign+verify: one signature and one verification per token
  # (the client assertion or the DPoP proof), so at most 1 / (1/sign + 1/verify) tokens/s.
  case $ceiling in
    sign) rate=$sign ;;
    sign+verify) rate=$(python3 -c "print(round(1 / (1 / $sign + 1 / $verify), 1))") ;;
  esac
  printf '{"scenario":"%s","server":"openssl","kind":"peak","idx":%s,"rps":%s,"sign_per_s":%s,"verify_per_s":%s,"what":"openssl speed -mr %s, %s per second"}\n' \
    "$sc" "$idx" "$rate" "$sign" "$verify" "$algo" "$ceiling" >>"$RUNS_FILE"
  CEILING_RPS=$rate
  log "  openssl speed $algo: $sign sign/s, $verify verify/s; $ceiling: $rate/s"
}

# ---- single-use values (private_key_jwt assertions, DPoP proofs) --------------------------------
# Before each run, a fresh batch: enough for the run at the highest rate it could reach. That
# rate is at most the crypto ceiling of `openssl speed` measured in this scenario (each token
# needs one verification and one signature) and, once Gatehouse has run in this variant, at most
# twice its highest rate so far; the batch holds 1.2x that over the run's seconds, plus 1,000.
# A run that still used them all is counted (lines_exhausted) and reported INVALID; the extra
# requests resend the last value and are refused as replays (non-2xx).
declare -A SEEN_RPS=()
make_lines() {  # make_lines SCENARIO SECONDS OUT: writes the batch; prints the count
  local sc=$1 secs=$2 out=$3 bound n params
  bound=$CEILING_RPS
  if [[ -n ${SEEN_RPS[$sc.$variant]:-} ]]; then
    bound=$(python3 -c "print(min($bound, 2 * ${SEEN_RPS[$sc.$variant]}))")
  fi
  n=$(python3 -c "import math; print(math.ceil($bound * $secs * 1.2) + 1000)")
  case $sc in
    pkjwt) params=$(python3 -c "import json; d=json.load(open('$WORK/oauth.json'))['pkjwt']
print(json.dumps({'jwk': d['jwk'], 'clientId': d['clientId'], 'aud': d['tokenUrl']}))")
           taskset -c "$CLIENT_CORE" node "$BENCH_DIR/lib/proofs.mjs" assertion "$n" "$out" "$params" >"$out.info" ;;
    dpop)  params=$(python3 -c "import json; d=json.load(open('$WORK/oauth.json'))['dpop']
print(json.dumps({'jwk': d['jwk'], 'htm': 'POST', 'htu': d['tokenUrl'],
  'nonceFrom': {'url': d['tokenUrl'], 'authorization': '$BASIC', 'body': 'grant_type=client_credentials&scope=' + d['scope']}}))")
           taskset -c "$CLIENT_CORE" node "$BENCH_DIR/lib/proofs.mjs" dpop "$n" "$out" "$params" >"$out.info" ;;
  esac || die "proofs.mjs failed for $sc"
  echo "$n"
}

# Gatehouse's runs of one round follow each other as closely as they can (the machine's speed
# drifts over minutes; see bench/README.md): the batches are made before the round, and made
# again only for a variant whose run follows a restart (§11.33, below).
premake_lines() {  # premake_lines SCENARIO: a warm-up and a peak batch for each variant
  local sc=$1 v
  for v in $VARIANTS; do
    variant=$v make_lines "$sc" "$WARMUP" "$WORK/$sc.$v.warmup.lines" >/dev/null
    variant=$v make_lines "$sc" "$DURATION" "$WORK/$sc.$v.peak.lines" >/dev/null
  done
}

token_run() {  # token_run SERVER SCENARIO KIND IDX SECONDS URL PID BODY_FILE: wrk on the client core
  local server=$1 sc=$2 kind=$3 idx=$4 secs=$5 url=$6 pid=$7 body=$8 out="$WORK/wrk.$1.$2.$3.$4.$variant.txt" t0 t1 k0 k1 w0 w1
  local lines='' made=0 wrap=0
  if [[ -n $LINES && $server == nginx ]]; then   # the floor checks nothing: one batch, round and round
    lines=$WORK/$sc.floor.lines wrap=1
    made=$(wc -l <"$lines")
  elif [[ -n $LINES && -f $WORK/$sc.$variant.$kind.lines ]]; then   # made before the round (premake_lines)
    lines=$WORK/$sc.$variant.$kind.lines
    made=$(wc -l <"$lines")
  elif [[ -n $LINES ]]; then
    lines=$WORK/$sc.lines
    made=$(make_lines "$sc" "$secs" "$lines")
  fi
  # shellcheck disable=SC2086 # pid: one PID, or nginx's master and worker
  t0=$(cpu_ticks $pid); k0=$(sys_ticks $pid); w0=$(date +%s%N)
  BENCH_METHOD=POST BENCH_BODY_FILE="$body" BENCH_LINES_FILE="$lines" BENCH_LINES_WRAP=$wrap BENCH_HEADERS="$TOKEN_HEADERS" BENCH_DELAY_MS="${DELAY_MS:-}" \
    timeout -k 5 $((secs + 30)) taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency \
    -s "$BENCH_DIR/wrk/request.lua" "$url" >"$out" 2>&1 || die "wrk failed: $(tail -3 "$out")"
  # shellcheck disable=SC2086
  t1=$(cpu_ticks $pid); k1=$(sys_ticks $pid); w1=$(date +%s%N)
  [[ -z $lines || $wrap == 1 ]] || rm -f "$lines"
  if [[ -n $LINES && $wrap == 0 ]]; then   # the highest rate so far bounds the next batch; warm-ups count too
    SEEN_RPS[$sc.$variant]=$(py wrk-parse "$out" | python3 -c "import json,sys; print(max(json.load(sys.stdin)['rps'] or 0, ${SEEN_RPS[$sc.$variant]:-0}))")
    local ex
    ex=$(py wrk-parse "$out" | python3 -c "import json,sys; print(json.load(sys.stdin).get('lines_exhausted', 0))")
    ((ex == 0)) || log "  $server ($kind): all $made single-use values were used; $ex requests resent the last one"
  fi
  [[ $kind == warmup ]] && return 0
  py wrk-parse "$out" | python3 -c "
import json, sys
w = json.load(sys.stdin); cpu_us = ($t1 - $t0) * 1e6 / $(getconf CLK_TCK); sys_us = ($k1 - $k0) * 1e6 / $(getconf CLK_TCK)
req = w.get('requests') or 0
print(json.dumps({'scenario': '$sc', 'server': '$server', 'variant': '$variant', 'kind': '$kind', 'idx': $idx, 'rps': w['rps'],
  'non_2xx_3xx': w['non_2xx_3xx'], 'socket_errors': w['socket_errors'],
  'lines_made': $made, 'lines_used': w.get('lines_used'), 'lines_exhausted': w.get('lines_exhausted', 0),
  'latency_us': w.get('latency_us', {}), 'bytes_per_request': w.get('bytes_per_request'),
  'cpu_us_per_request': cpu_us / req if req else None,
  'kernel_cpu_us_per_request': sys_us / req if req else None,
  'server_cpu_utilisation': cpu_us / (($w1 - $w0) / 1e3)}))" >>"$RUNS_FILE"
  log "  $server: $(tail -1 "$RUNS_FILE" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["rps"]), "tokens/s,", r["non_2xx_3xx"], "errors" + (", %d of %d single-use values used" % (r["lines_used"], r["lines_made"]) if r["lines_made"] else ""))')"
}
gatehouse_run() { token_run gatehouse "$1" "$2" "$3" "$4" "$GH_URL$TOKEN_PATH" "$GH_PID" "$WORK/$1.body"; }  # SCENARIO KIND IDX SECONDS
# Between its runs the peer is stopped (SIGSTOP): after a run node keeps collecting garbage and
# compiling on the server core for a while, which the next server measured there would pay for.
peer_run() {
  kill -CONT "$PEER_PID"
  token_run oidc-provider "$1" "$2" "$3" "$4" "$PEER_URL/token" "$PEER_PID" "$WORK/$1.peer.body"
  kill -STOP "$PEER_PID"
}

# ---- the HTTP floor: nginx with the same request and response bytes, on the server core --------
NX=$WORK/nginx
NGINX_PID=
FLOOR_URL=
start_floor() {  # start_floor SCENARIO: nginx answers POST $TOKEN_PATH with $WORK/SCENARIO.sample
  local sc=$1 port i
  stop_floor
  mkdir -p "$NX"; chmod 755 "$WORK" "$NX"; chmod 644 "$WORK/$sc.sample"
  port=$(py free-port)
  py nginx-conf --template "$BENCH_DIR/nginx.conf.in" --prefix "$NX" --out "$NX/nginx.conf" \
    --server "$port|$WORK/$sc.sample|$TOKEN_PATH|$WORK/$sc.sample.headers|0"
  "$NGINX_BIN" -t -q -p "$NX/" -e "$NX/error.log" -c "$NX/nginx.conf" 2>>"$NX/stderr" \
    || die "nginx rejected its configuration: $(tail -5 "$NX/stderr")"
  taskset -c "$SERVER_CORE" "$NGINX_BIN" -p "$NX/" -e "$NX/error.log" -c "$NX/nginx.conf" -g 'daemon off;' \
    >>"$NX/stdout" 2>>"$NX/stderr" &
  NGINX_PID=$!
  register_pid "$NGINX_PID"
  FLOOR_URL=http://127.0.0.1:$port
  for ((i = 0; i < 100; i++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -X POST --data-binary @"$WORK/$sc.body" "$FLOOR_URL$TOKEN_PATH" || true) == 200 ]] && break
    alive "$NGINX_PID" || die "nginx exited: $(tail -5 "$NX/stderr") $(tail -5 "$NX/error.log" 2>/dev/null)"
    sleep 0.1
  done
  local want got
  want=$(stat -c %s "$WORK/$sc.sample")
  got=$(curl -s -o /dev/null -w '%{size_download}' -X POST --data-binary @"$WORK/$sc.body" "$FLOOR_URL$TOKEN_PATH")
  [[ $got == "$want" ]] || die "nginx answered $got bytes, not the $want of Gatehouse's token response"
  log "  floor: nginx $FLOOR_URL (PID $NGINX_PID) on core $SERVER_CORE, the same $want-byte token response"
}
stop_floor() {
  [[ -n $NGINX_PID ]] || return 0
  stop_pid "$NGINX_PID" 5 || log "nginx (PID $NGINX_PID) needed SIGKILL"
  NGINX_PID= FLOOR_URL=
}
nginx_pids() { echo "$NGINX_PID $(children_of "$NGINX_PID" | tr '\n' ' ')"; }  # master and worker: their CPU counts
floor_run() {  # SCENARIO KIND IDX SECONDS
  token_run nginx "$1" "$2" "$3" "$4" "$FLOOR_URL$TOKEN_PATH" "$(nginx_pids)" "$WORK/$1.body"
}
# At its own peak nginx answers several requests per wake-up, and the load generator is seldom
# asleep: that floor is a lower bound. At the rate Gatehouse reached, each answer may wake the
# load generator on the other core, which costs the sender more in the kernel. So the floor is
# also measured with each connection pacing its requests (wrk/request.lua think time) to about
# Gatehouse's rate in this round (kind "paced"). Paced, nginx also sleeps between requests and is
# woken for each, which a server busy signing is not: that floor is an upper bound.
floor_paced_run() {  # SCENARIO IDX SECONDS
  local rate
  rate=$(tail -1 "$RUNS_FILE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rps"] or 0)')
  DELAY_MS=$(python3 -c "r=float('$rate'); print(round($CONNECTIONS * 1000 / r, 2) if r > 0 else 0)") \
    token_run nginx "$1" paced "$2" "$3" "$FLOOR_URL$TOKEN_PATH" "$(nginx_pids)" "$WORK/$1.body"
}

# Issue 5: "p99 at half the peak rate < 2 ms (token RS256: < 5 ms)". wrk has no rate option, so
# each connection waits CONNECTIONS / (rate/2) seconds between its requests (wrk/request.lua
# BENCH_DELAY_MS), rate being Gatehouse's peak in this round (kind "halfrate"). A closed loop: the
# delay is not charged as queueing the way wrk2 would charge it (see run.sh's half-rate method).
gatehouse_halfrate_run() {  # SCENARIO IDX SECONDS PEAK_RPS
  DELAY_MS=$(python3 -c "r=float('$4'); print(round($CONNECTIONS * 1000 / (r / 2), 2) if r > 0 else 0)") \
    token_run gatehouse "$1" halfrate "$2" "$3" "$GH_URL$TOKEN_PATH" "$GH_PID" "$WORK/$1.body"
}

CURRENT_VARIANT=default
use_variant() {  # use_variant NAME: restarts the server with that variant's config (same data, port)
  [[ -f $WORK/$1.toml ]] || die "unknown variant $1"
  [[ $1 == "$CURRENT_VARIANT" ]] && return 0
  start_gatehouse "$WORK/$1.toml"
  CURRENT_VARIANT=$1
}

# Rounds: openssl speed, the peer, then each Gatehouse variant, so that drift of the machine
# over the run weighs on all of them alike. The variants' order turns by one each round, so that
# none is always the one measured right after the peer and the floor.
for sc in $TOKEN_SCENARIOS; do
  # algo: `openssl speed`'s; ceiling: what one token costs of it; LINES: single-use values per request
  case $sc in
    rs256) algo=rsa2048 alg=RS256 ceiling=sign LINES= ;;
    es256) algo=ecdsap256 alg=ES256 ceiling=sign LINES= ;;
    eddsa) algo=ed25519 alg=EdDSA ceiling=sign LINES= ;;
    pkjwt) algo=ecdsap256 alg=ES256 ceiling=sign+verify LINES=assertion ;;
    dpop)  algo=ecdsap256 alg=ES256 ceiling=sign+verify LINES=proof ;;
    *) die "unknown token scenario $sc" ;;
  esac
  use_variant default
  variant=default
  TOKEN_URL=$(field "$sc" tokenUrl)
  TOKEN_PATH=${TOKEN_URL#"$GH_URL"}
  BASIC=
  [[ $sc == pkjwt ]] || BASIC="Basic $(printf '%s:%s' "$(field "$sc" clientId)" "$(field "$sc" secret)" | base64 -w0)"
  TOKEN_HEADERS="Content-Type: application/x-www-form-urlencoded
Accept: application/json"
  [[ -z $BASIC ]] || TOKEN_HEADERS="Authorization: $BASIC
$TOKEN_HEADERS"
  case $sc in
    pkjwt) # RFC 7523 §2.2: the assertion in the body, client_assertion_type urlencoded
      printf 'grant_type=client_credentials&scope=%s&client_assertion_type=%s&client_assertion={{LINE}}' "$(field "$sc" scope)" \
        'urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer' >"$WORK/$sc.body" ;;
    dpop)  # RFC 9449 §5: the proof in the DPoP header
      TOKEN_HEADERS="$TOKEN_HEADERS
DPoP: {{LINE}}"
      printf 'grant_type=client_credentials&scope=%s' "$(field "$sc" scope)" >"$WORK/$sc.body" ;;
    *)     printf 'grant_type=client_credentials&scope=%s' "$(field "$sc" scope)" >"$WORK/$sc.body" ;;
  esac
  if [[ -n $LINES ]]; then
    CEILING_RPS=1
    make_lines "$sc" 0 "$WORK/$sc.check" >/dev/null   # 1,000 values; the first one for the check
    check_token gatehouse "$GH_URL$TOKEN_PATH" "$WORK/$sc.body" "$WORK/$sc.sample" "$alg" "$(head -1 "$WORK/$sc.check")"
    rm -f "$WORK/$sc.check"
  else
    check_token gatehouse "$GH_URL$TOKEN_PATH" "$WORK/$sc.body" "$WORK/$sc.sample" "$alg"
  fi
  peer=
  # The peer is configured for client_secret_basic only (peers/oidc-provider/server.mjs).
  [[ -n $PEERS && -z $LINES ]] && peer=oidc-provider
  log "scenario $sc: POST $TOKEN_PATH ($algo); $RUNS rounds of openssl speed${peer:+, $peer} and each variant ($VARIANTS), ${DURATION}s each"
  variant=default
  if [[ -n $peer ]]; then start_peer "$sc" "$alg"; peer_run "$sc" warmup 0 "$WARMUP"; fi
  # The floor, for every scenario: nginx answers the same POST (with an assertion or a DPoP proof
  # of the same size: one batch of 20,000, sent round and round, as run.sh does) with the same
  # bytes. Issue 20: the ceiling is C = 1 / (1/floor + 1/sign [+ 1/verify]).
  floor=
  if [[ -n $FLOOR ]]; then
    if [[ -n $LINES ]]; then CEILING_RPS=$((15834 / (DURATION > 0 ? DURATION : 1) + 1)); variant=floor make_lines "$sc" "$DURATION" "$WORK/$sc.floor.lines" >/dev/null; fi
    floor=nginx; start_floor "$sc"; floor_run "$sc" warmup 0 "$WARMUP"
  fi
  for ((r = 1; r <= RUNS; r++)); do
    openssl_run "$sc" "$r" "$algo" "$ceiling"
    variant=default   # what the peer's and the floor's records say; they have no variants
    # A warm-up first: the peer was stopped since its last run (peer_run).
    [[ -z $peer ]] || { peer_run "$sc" warmup 0 "$WARMUP"; peer_run "$sc" peak "$r" "$DURATION"; }
    [[ -z $floor ]] || floor_run "$sc" peak "$r" "$DURATION"
    order=($VARIANTS)
    [[ -z $LINES ]] || premake_lines "$sc"
    for ((k = 0; k < ${#order[@]}; k++)); do
      variant=${order[(k + r - 1) % ${#order[@]}]}
      restarted=0
      [[ $variant == "$CURRENT_VARIANT" ]] || restarted=1
      use_variant "$variant"
      # okta-compat.md §11.33: a restarted server refuses assertions and proofs issued up to its
      # start (single use across restarts), so a batch made before the restart would all be
      # replays: after a restart, this variant's batches are made again.
      if [[ -n $LINES && $restarted == 1 ]]; then
        sleep 1   # the server's start is a whole second: the new batch's iat must be after it
        make_lines "$sc" "$WARMUP" "$WORK/$sc.$variant.warmup.lines" >/dev/null
        make_lines "$sc" "$DURATION" "$WORK/$sc.$variant.peak.lines" >/dev/null
      fi
      gatehouse_run "$sc" warmup 0 "$WARMUP"
      gatehouse_run "$sc" peak "$r" "$DURATION"
      log "    ($variant)"
      if [[ $variant == default ]]; then
        peak_rps=$(tail -1 "$RUNS_FILE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rps"] or 0)')
        [[ -z $floor ]] || floor_paced_run "$sc" "$r" "$DURATION"
        [[ $HALFRATE != 1 ]] || gatehouse_halfrate_run "$sc" "$r" "$DURATION" "$peak_rps"
      fi
    done
  done
  stop_peer
  stop_floor
done

mkdir -p "$RESULTS_DIR"
DATE=$(date -u +%F)
NAME=$DATE-$RESULTS_SUFFIX
PEER_INFO=null
[[ -z $PEERS ]] || PEER_INFO="{\"oidc-provider\":{\"version\":\"$PEER_VERSION\",\"node\":\"$(node --version)\"}}"
python3 - "$RUNS_FILE" "$RESULTS_DIR/$NAME.json" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)" \
  "$CONNECTIONS" "$DURATION" "$RUNS" "$PEER_INFO" <<'PYEOF' | tee "$RESULTS_DIR/$NAME.md"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
# scenario: (description, what of openssl speed, target vs openssl speed, target vs node-oidc-provider);
# None: the issue sets no target, the ratio is reported.
targets = {"rs256": ("token endpoint, client_secret_basic, RS256 (`default`)", "rsa2048", 0.85, 1.2),
           "es256": ("token endpoint, client_secret_basic, ES256 (custom AS)", "ecdsap256", 0.50, 10.0),
           "eddsa": ("token endpoint, client_secret_basic, EdDSA (custom AS, Ed25519)", "ed25519", None, None),
           "pkjwt": ("token endpoint, private_key_jwt (ES256 assertion), ES256 (custom AS)", "ecdsap256 sign+verify", None, None),
           "dpop": ("token endpoint, client_secret_basic + DPoP (ES256 proof, nonce), ES256 (custom AS)", "ecdsap256 sign+verify", None, None)}
# Issue 20: each scenario's share of its same-run ceiling C = 1 / (1/floor + 1/sign [+ 1/verify]).
ceiling_targets = {"rs256": 0.95, "es256": 0.85, "eddsa": None, "pkjwt": 0.80, "dpop": 0.80}
out = {"commit": sys.argv[3], "connections": int(sys.argv[4]), "duration_s": int(sys.argv[5]),
       "runs": int(sys.argv[6]), "peers": json.loads(sys.argv[7]), "scenarios": {}, "ratios": []}
med = lambda rs, key: statistics.median(r[key] or 0 for r in rs)
def of(server, sc, kind="peak"):
    return [r for r in runs if r["scenario"] == sc and r["server"] == server and r.get("kind") == kind
            and r.get("variant", "default") == "default"]
def errors(rs):
    return sum(r["non_2xx_3xx"] + r["socket_errors"] + (r.get("lines_exhausted") or 0) for r in rs)
def verdict(ratio, target, *errs):
    if any(errs):
        return "INVALID (errors)"
    return "no target" if target is None else ("PASS" if ratio >= target else "FAIL")
tgt = lambda t, fmt: "–" if t is None else fmt.format(t)

rows_openssl, rows_peer, rows_floor, rows_paced, rows_half = [], [], [], [], []
for sc, (desc, algo, target, peer_target) in targets.items():
    g, o, p = of("gatehouse", sc), of("openssl", sc), of("oidc-provider", sc)
    if not g:
        continue
    grps, gerr = med(g, "rps"), errors(g)
    entry = {"description": desc, "gatehouse_tokens_per_s": grps, "errors": gerr,
             "p99_us": statistics.median(r["latency_us"].get("p99", 0) for r in g),
             "cpu_us_per_token": med(g, "cpu_us_per_request"), "runs": g + o + p}
    if o:
        orps = med(o, "rps")
        ratio = grps / orps
        entry.update({"openssl_sign_per_s": orps, "ratio": ratio, "target": target,
                      "result": verdict(ratio, target, gerr)})
        out["ratios"].append({"scenario": sc, "against": f"openssl speed {algo}", "ratio": ratio,
                              "target": target, "result": entry["result"]})
        rows_openssl.append(f"| {desc} | {grps:,.0f} | {orps:,.0f} ({algo}) | {ratio:.1%} | {tgt(target, '≥ {:.0%}')} | "
                            f"{entry['p99_us']/1000:.2f} ms | {entry['cpu_us_per_token']:.0f} µs | {entry['result']} |")
    if p:
        prps, perr = med(p, "rps"), errors(p)
        ratio = grps / prps
        peer = {"tokens_per_s": prps, "errors": perr,
                "p99_us": statistics.median(r["latency_us"].get("p99", 0) for r in p),
                "cpu_us_per_token": med(p, "cpu_us_per_request"),
                "server_cpu_utilisation": med(p, "server_cpu_utilisation"),
                "bytes_per_response": med(p, "bytes_per_request")}
        entry.update({"oidc_provider": peer, "ratio_vs_oidc_provider": ratio,
                      "target_vs_oidc_provider": peer_target,
                      "result_vs_oidc_provider": verdict(ratio, peer_target, gerr, perr)})
        out["ratios"].append({"scenario": sc, "against": "node-oidc-provider", "ratio": ratio,
                              "target": peer_target, "result": entry["result_vs_oidc_provider"]})
        rows_peer.append(f"| {desc} | {grps:,.0f} | {prps:,.0f} | {ratio:.2f}x | {tgt(peer_target, '≥ {:g}x')} | "
                         f"{entry['p99_us']/1000:.2f} ms / {peer['p99_us']/1000:.2f} ms | "
                         f"{entry['cpu_us_per_token']:.0f} µs / {peer['cpu_us_per_token']:.0f} µs | "
                         f"{entry['result_vs_oidc_provider']} |")
    n = of("nginx", sc)
    if n and o:
        # The most any server can reach here: one signature plus what nginx spends answering the
        # same request with the same bytes (its CPU per request at its own peak: a lower bound
        # of the floor at a slower server's rate, so this ceiling is, if anything, too high).
        sign = med(o, "sign_per_s")
        # private_key_jwt and DPoP: one verification (the assertion, the proof) per token as well.
        crypto_s = 1 / sign + (1 / med(o, "verify_per_s") if algo.endswith("sign+verify") else 0)
        floor_cpu = med(n, "cpu_us_per_request")
        ceiling = 1 / (crypto_s + floor_cpu * 1e-6)
        paced = of("nginx", sc, "paced")
        paced_cpu = med(paced, "cpu_us_per_request") if paced else None
        ceiling_paced = 1 / (crypto_s + paced_cpu * 1e-6) if paced else None
        sign = 1 / crypto_s   # below: the crypto ceiling (sign, or sign+verify) per second
        ctarget = ceiling_targets.get(sc)
        entry["ceiling"] = {"C_tokens_per_s": ceiling, "ratio": grps / ceiling, "target": ctarget,
                            "result": verdict(grps / ceiling, ctarget, gerr, errors(n))}
        out["ratios"].append({"scenario": sc, "against": "ceiling C (same-run nginx floor + openssl speed)",
                              "ratio": grps / ceiling, "target": ctarget, "result": entry["ceiling"]["result"]})
        entry["floor_paced"] = None if not paced else {
            "rps": med(paced, "rps"), "cpu_us_per_request": paced_cpu, "ceiling_tokens_per_s": ceiling_paced,
            "ceiling_vs_openssl": ceiling_paced / sign, "ratio_to_ceiling": grps / ceiling_paced,
            "target_reachable": None if target is None else target * sign <= ceiling_paced, "runs": paced}
        if paced:
            rows_paced.append(f"| {desc} | {med(paced, 'rps'):,.0f} | {paced_cpu:.1f} µs ({med(paced, 'kernel_cpu_us_per_request'):.1f} µs kernel) | {ceiling_paced:,.0f} "
                              f"({ceiling_paced / sign:.1%} of openssl) | {grps:,.0f} ({grps / ceiling_paced:.1%}) | "
                              + ("–" if target is None else
                                 f"{target:.0%} of openssl = {target * sign / ceiling_paced:.1%} of the ceiling; leaves "
                                 f"{1e6 / (target * sign) - 1e6 / sign - paced_cpu:.1f} µs a token for everything else") + " |")
        entry["kernel_cpu_us_per_token"] = med(g, "kernel_cpu_us_per_request")
        entry["floor"] = {"server": "nginx", "rps": med(n, "rps"), "cpu_us_per_request": floor_cpu,
                          "kernel_cpu_us_per_request": med(n, "kernel_cpu_us_per_request"),
                          "errors": errors(n), "sign_per_s": sign, "ceiling_tokens_per_s": ceiling,
                          "ratio_to_ceiling": grps / ceiling,
                          "ceiling_vs_openssl": ceiling / sign,
                          "target_reachable": None if target is None else target * sign <= ceiling,
                          "runs": n}
        rows_floor.append(f"| {desc} | {med(n, 'rps'):,.0f} | {floor_cpu:.1f} µs ({med(n, 'kernel_cpu_us_per_request'):.1f} µs kernel) "
                          f"| {entry['cpu_us_per_token']:.1f} µs ({entry['kernel_cpu_us_per_token']:.1f} µs kernel) | {sign:,.0f} | {ceiling:,.0f} "
                          f"({ceiling / sign:.1%} of openssl) | {grps:,.0f} ({grps / ceiling:.1%}) | "
                          + ("–" if target is None else
                             f"{target:.0%} of openssl = {target * sign / ceiling:.1%} of the ceiling"
                             + ("" if target * sign <= ceiling else ": above the ceiling")) + " |")
    h = of("gatehouse", sc, "halfrate")
    if h:
        limit_ms = 5.0 if sc == "rs256" else 2.0
        p99_ms = statistics.median(r["latency_us"].get("p99", 0) for r in h) / 1000
        entry["halfrate"] = {"rps": med(h, "rps"), "p99_ms": p99_ms, "target_ms": limit_ms,
                             "result": "INVALID (errors)" if errors(h) else ("PASS" if p99_ms < limit_ms else "FAIL"), "runs": h}
        rows_half.append(f"| {desc} | {med(h, 'rps'):,.0f} of {grps:,.0f} | "
                         f"{statistics.median(r['latency_us'].get('p50', 0) for r in h) / 1000:.2f} ms | {p99_ms:.2f} ms | "
                         f"< {limit_ms:g} ms | {entry['halfrate']['result']} |")
    out["scenarios"][sc] = entry
if rows_openssl:
    print("| scenario | Gatehouse tokens/s | openssl speed per s (ceiling) | ratio | target | p99 | CPU/token | result |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows_openssl))
if rows_peer:
    peer = (out["peers"] or {}).get("oidc-provider", {})
    print()
    print(f"| scenario | Gatehouse tokens/s | node-oidc-provider {peer.get('version', '')} tokens/s "
          f"(node {peer.get('node', '')}) | ratio | target | p99 Gatehouse / peer | CPU/token Gatehouse / peer | result |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows_peer))
def table(columns, rows):  # a markdown table after a blank line; nothing when there are no rows
    if rows:
        print()
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        print("\n".join(rows))
table(["scenario", "floor at nginx's peak (lower bound): rps, same bytes", "floor CPU/request", "Gatehouse CPU/token",
       "openssl sign/s (pkjwt, dpop: 1/(1/sign + 1/verify))", "ceiling tokens/s = 1/(1/sign [+ 1/verify] + floor CPU) (upper bound)", "Gatehouse (share of the ceiling)",
       "target"], rows_floor)
table(["scenario", "ceiling C = 1/(1/floor + 1/sign [+ 1/verify]) tokens/s", "Gatehouse tokens/s", "share of C",
       "target (issue 20)", "result"],
      [f"| {e['description']} | {e['ceiling']['C_tokens_per_s']:,.0f} | {e['gatehouse_tokens_per_s']:,.0f} | "
       f"{e['ceiling']['ratio']:.1%} | {tgt(e['ceiling']['target'], '≥ {:.0%} of C')} | {e['ceiling']['result']} |"
       for e in out["scenarios"].values() if "ceiling" in e])
table(["scenario", "floor paced to Gatehouse's rate (upper bound): nginx rps", "floor CPU/request",
       "ceiling at that rate (lower bound)", "Gatehouse (share of it)", "target"], rows_paced)
table(["scenario", "Gatehouse at about half its peak (paced wrk): tokens/s of peak", "p50", "p99", "target", "result"],
      rows_half)
# Issue 4: what rate limiting and token events cost (throughput with the switch off vs on). The
# cost is the median over rounds of each round's own comparison: a round's runs follow each other
# closely, while the machine's speed drifts between rounds (bench/README.md, "Erratic runs").
costs = []
for sc in targets:
    def by_round(variant):
        return {r["idx"]: r["rps"] for r in runs if r["scenario"] == sc and r["server"] == "gatehouse"
                and r.get("variant") == variant and r.get("kind") == "peak" and r["rps"]}
    base = by_round("default")
    for variant, what, limit in (("no_rate_limits", "rate limiting", 0.05), ("no_token_events", "token events", 0.10)):
        off = by_round(variant)
        rounds = sorted(set(base) & set(off))
        if not rounds:
            continue
        per_round = [1 - base[i] / off[i] for i in rounds]
        cost = statistics.median(per_round)
        on_rps, off_rps = statistics.median(base[i] for i in rounds), statistics.median(off[i] for i in rounds)
        costs.append({"scenario": sc, "what": what, "with": on_rps, "without": off_rps, "cost": cost,
                      "cost_per_round": per_round, "limit": limit, "result": "PASS" if cost < limit else "FAIL"})
if costs:
    print()
    print("| scenario | cost of | tokens/s with (median) | tokens/s without (median) | cost: median of the rounds' | each round | target | result |")
    print("|---|---|---|---|---|---|---|---|")
    for c in costs:
        each = " ".join(f"{x:+.1%}" for x in c["cost_per_round"])
        print(f"| {c['scenario']} | {c['what']} | {c['with']:,.0f} | {c['without']:,.0f} | {c['cost']:.1%} | {each} | < {c['limit']:.0%} | {c['result']} |")
out["costs"] = costs
json.dump(out, open(sys.argv[2], "w"), indent=2)
PYEOF
log "results: $RESULTS_DIR/$NAME.json"
# The chart of the ratios (with bench/run.sh's of the same date, if there are any).
if [[ $RESULTS_SUFFIX == oauth ]]; then
  if python3 "$BENCH_DIR/lib/chart.py" --dir "$RESULTS_DIR" --date "$DATE" >/dev/null; then
    log "chart: $RESULTS_DIR/$DATE.png"
  else
    log "no chart (gnuplot missing or failed)"
  fi
fi
