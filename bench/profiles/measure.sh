#!/usr/bin/env bash
# Instructions per ES256 token (client_secret_basic, custom AS), independent of how busy the
# machine is (bench/profiles/README in bench/README.md, "Per-token instructions"):
#   1. gatehouse init + serve (bench/gatehouse.toml, --threads 1), apps and servers from
#      lib/oauth_setup.mjs, then the server is restarted under callgrind;
#   2. WARM requests, counters zeroed, exactly N requests (client.mjs, 16 connections), dump:
#      user-space instructions of the whole process (request thread, writer, timers) / N;
#   3. the same N again without valgrind under `strace -c -f`: syscalls per token (the kernel's
#      share: no hardware counters in this VM, so kernel instructions cannot be counted);
#   4. sign_loop.c under callgrind: instructions per SHA-256 + EVP_PKEY_sign with P-256.
# Usage: [SCENARIO=pkjwt|introspect] bench/profiles/measure.sh OUT_DIR [N] [WARM]. Leaves OUT_DIR/callgrind.out and
# OUT_DIR/summary.txt. Everything it starts is stopped by PID.
set -euo pipefail
OUT=${1:?OUT_DIR}; N=${2:-2000}; WARM=${3:-300}
HERE=$(cd "$(dirname "$0")" && pwd); BENCH=$(dirname "$HERE"); REPO=$(dirname "$BENCH")
BIN=${GATEHOUSE_BIN:-$REPO/build/gatehouse}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/gh-profile.XXXXXX)
PID=
cleanup() { [[ -z $PID ]] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT
serve() {  # serve [PREFIX...]: starts the server on a free port, waits for /health/ready
  : >"$WORK/serve.out"
  "$@" "$BIN" serve --data "$WORK/data" --listen 127.0.0.1:0 --threads 1 --config "$BENCH/gatehouse.toml" \
    >"$WORK/serve.out" 2>>"$WORK/serve.err" &
  PID=$!
  for ((i = 0; i < 1200; i++)); do
    URL=$(sed -n 's#^.*listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*$#\1#p' "$WORK/serve.out" | head -1)
    [[ -n $URL ]] && curl -sf "$URL/health/ready" >/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start: $(tail -3 "$WORK/serve.err")" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
"$BIN" init --data "$WORK/data" --base-url http://127.0.0.1:8080 --admin-email bench@example.com --json >"$WORK/init.json"
TOKEN=$(python3 "$BENCH/lib/bench.py" first-token "$WORK/init.json")
serve
node "$BENCH/lib/oauth_setup.mjs" "$URL" "$TOKEN" >"$WORK/oauth.json"
stop
# es256 (the token endpoint, client_secret_basic), pkjwt (private_key_jwt with an ES256 assertion
# at the ES256 server) or introspect (RFC 7662, an RS256 JWT)
SCENARIO=${SCENARIO:-es256}
f() { python3 -c "import json; d=json.load(open('$WORK/oauth.json'))['$SCENARIO']; print(d.get('$1', ''))"; }
if [[ $SCENARIO == introspect ]]; then
  # The token is fetched from each server started below: without --base-url the issuer is the
  # bound address, which changes with every start.
  path=$(f url); scope=$(python3 -c "import json; print(json.load(open('$WORK/oauth.json'))['rs256']['scope'])")
else
  path=$(f tokenUrl); scope=$(f scope)
fi
path=/${path#http://*/}; id=$(f clientId); secret=$(f secret)
client() {
  if [[ $SCENARIO == pkjwt ]]; then
    # Single use, and aud is this server's token URL: a batch from each started server, made after
    # its start (okta-compat.md §11.33 refuses assertions issued up to it).
    sleep 1
    local params
    params=$(python3 -c "import json; d=json.load(open('$WORK/oauth.json'))['pkjwt']
print(json.dumps({'jwk': d['jwk'], 'clientId': d['clientId'], 'aud': '$URL$path'}))")
    node "$BENCH/lib/proofs.mjs" assertion "$1" "$WORK/lines" "$params" >/dev/null
    export LINES=$WORK/lines
    export BODY="grant_type=client_credentials&scope=$(python3 -c "import urllib.parse; print(urllib.parse.quote('$scope'))")&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={{LINE}}"
  fi
  if [[ $SCENARIO == introspect ]]; then
    BODY="token=$(curl -sf -u "$id:$secret" -d "grant_type=client_credentials&scope=$scope" "$URL/oauth2/default/v1/token" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')&token_type_hint=access_token"
    export BODY
  fi
  node "$HERE/client.mjs" "$URL$path" "$id" "$secret" "$scope" "$1"
}

# 2. callgrind: user-space instructions per token
serve valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" --dump-instr=no --separate-threads=no
client "$WARM"
sleep 1
callgrind_control -z "$PID" >/dev/null
client "$N"
sleep 0.5   # the token-event writer flushes every 100 ms: its share lands in the same dump
callgrind_control -d "$PID" >/dev/null
stop
dump=$(ls -t "$OUT"/callgrind.out* | grep -v '^.*callgrind.out$' | head -1 || true)
[[ -n $dump ]] && mv "$dump" "$OUT/callgrind.out.tokens"
rm -f "$OUT"/callgrind.out "$OUT"/callgrind.out.[0-9]*
ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p;s/^totals: *\([0-9]*\).*/\1/p' "$OUT/callgrind.out.tokens" | head -1)

# 3. syscalls per token (no valgrind)
serve
client "$WARM"
strace -c -f -q -o "$WORK/strace.txt" -p "$PID" &
SPID=$!
sleep 1
client "$N"
kill -INT "$SPID"; wait "$SPID" 2>/dev/null || true
stop
calls=$(awk '$NF=="total"{print $4}' "$WORK/strace.txt")

# 4. one ES256 signature
cc -O2 "$HERE/sign_loop.c" -o "$WORK/sign_loop" -lcrypto
sl() { valgrind --tool=callgrind --callgrind-out-file="$WORK/sl.$1" "$WORK/sign_loop" "$1" 2>&1 | sed -n 's/.*Collected : *//p'; }
a=$(sl 200); b=$(sl 1200)
{
  echo "tokens: $N (after $WARM warm-up)"
  echo "user-space instructions per token (callgrind, all threads): $((ir / N))"
  echo "syscalls per token (strace -c -f, all threads): $(python3 -c "print(round($calls / $N, 2))")"
  echo "instructions per ES256 signature (SHA-256 of a 330-byte input + EVP_PKEY_sign, P-256): $(((b - a) / 1000))"
  echo; echo "strace -c:"; cat "$WORK/strace.txt"
} | tee "$OUT/summary.txt"
