# Scenario: list groups with a DPoP-bound access token (issue 5: "GET /api/v1/groups?limit=10 with
# SSWS, Bearer and DPoP"). `Authorization: DPoP <token>` (an org-AS token bound to a P-256 key,
# okta.groups.read, READ_ONLY_ADMIN client role, made by bench/lib/oauth_setup.mjs) and a fresh
# DPoP proof per request (RFC 9449 §7: htm GET, htu the URL without its query, ath of the token,
# ES256, single use; no nonce at resources, okta-compat.md §1.10). The proofs are made before each
# run by lib/proofs.mjs and sent once each ({{LINE}}, see lib/common.sh "single-use values");
# nginx gets the same kind of requests (a batch of proofs sent round and round) and serves the
# captured response bytes. The issue sets no target for it: the ratio to nginx is reported.
# shellcheck shell=bash

SC_DESCRIPTION="GET /api/v1/groups?limit=10 with Authorization: DPoP (org AS token) and a fresh ES256 DPoP proof per request"
SC_METHOD=GET
SC_PATH="/api/v1/groups?limit=10"
SC_HEADERS="Authorization: DPoP $(oauth_value dpop_groups accessToken)
DPoP: {{LINE}}
Accept: application/json"
SC_BODY_FILE=
SC_TARGET="none (ratio reported)"
SC_MIN_RATIO=
# Each request verifies one P-256 signature (the proof): the bound on the proofs a run can use.
SC_LINES_BOUND_ALGO=ecdsap256

sc_setup() { ensure_bench_groups; }

sc_lines() {  # sc_lines COUNT OUT: COUNT fresh proofs, made on the client core
  taskset -c "$CLIENT_CORE" node "$BENCH_DIR/lib/proofs.mjs" dpop "$1" "$2" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["dpop_groups"]
print(json.dumps({"jwk": d["jwk"], "htm": "GET", "htu": d["htu"], "accessToken": d["accessToken"]}))' "$WORK/oauth.json")" \
    >/dev/null || die "proofs.mjs failed"
}
