# Scenario: list groups with an OAuth access token (issue 3, "Performance": Bearer list).
# The token is an org-AS token (okta.groups.read, READ_ONLY_ADMIN client role) made by
# bench/lib/oauth_setup.mjs; the verified-token cache is allowed, revocation still acts at once.
# shellcheck shell=bash

SC_DESCRIPTION="GET /api/v1/groups?limit=10 with Authorization: Bearer (org AS token)"
SC_METHOD=GET
SC_PATH="/api/v1/groups?limit=10"
SC_HEADERS="Authorization: Bearer $(oauth_value bearer)
Accept: application/json"
SC_BODY_FILE=
SC_TARGET="≥ 40% of nginx"
SC_MIN_RATIO=0.40

sc_setup() { ensure_bench_groups; }
