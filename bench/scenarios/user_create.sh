# Scenario: create a user (issue 5: "a user create (write path)"). POST /api/v1/users?activate=false
# with SSWS and a new login per request: {{SEQ}} in the body is replaced by wrk/request.lua with
# RUN-THREAD-N, unique per request and run (BENCH_RUN_ID), so every request is a real insert
# (a repeated login would answer 400 E0000001 and count as an error). bench/gatehouse.toml raises
# rate_limits.users_per_minute, so the limiter allows the rate. The peer is the same as for the
# other scenarios: nginx answering the same POST with the bytes of one captured 200 response (a
# static file; it writes nothing), i.e. the HTTP floor, not another server's write path. The
# issue sets no target for it: the ratio to nginx is reported.
# shellcheck shell=bash

SC_DESCRIPTION="POST /api/v1/users?activate=false with SSWS, a unique login per request (write path)"
SC_METHOD=POST
SC_PATH="/api/v1/users?activate=false"
SC_HEADERS="Authorization: SSWS $GH_TOKEN
Content-Type: application/json
Accept: application/json"
SC_BODY_FILE=$WORK/user_create.body
SC_TARGET="none (ratio reported)"
SC_MIN_RATIO=

printf '%s' '{"profile":{"firstName":"Bench","lastName":"User","email":"u{{SEQ}}@example.com","login":"u{{SEQ}}@example.com"}}' \
  >"$SC_BODY_FILE"
