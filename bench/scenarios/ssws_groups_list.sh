# Scenario: list groups with an API token (issue 2, "Performance"; issue 5, "SSWS list").
# A scenario file sets the request (SC_METHOD, SC_PATH, SC_HEADERS, SC_BODY_FILE), its targets,
# and sc_setup, which prepares Gatehouse's data once before the response is captured.
# Available: $GH_URL (Gatehouse's base URL), $GH_TOKEN (the admin's API token), gh_api.
# shellcheck shell=bash

SC_DESCRIPTION="GET /api/v1/groups?limit=10 with Authorization: SSWS (10 groups + Everyone)"
SC_METHOD=GET
SC_PATH="/api/v1/groups?limit=10"
SC_HEADERS="Authorization: SSWS $GH_TOKEN
Accept: application/json"
SC_BODY_FILE=
SC_TARGET="≥ 40% of nginx (aim 50%)"
SC_MIN_RATIO=0.40
SC_MAX_P99_MS_AT_HALF=2

sc_setup() { ensure_bench_groups; }
