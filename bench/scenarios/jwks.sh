# Scenario: the org authorization server's JWKS (issue 3, "Performance": JWKS ≥ 60% of nginx).
# shellcheck shell=bash

SC_DESCRIPTION="GET /oauth2/v1/keys (org AS JWKS, no authentication)"
SC_METHOD=GET
SC_PATH="/oauth2/v1/keys"
SC_HEADERS="Accept: application/json"
SC_BODY_FILE=
SC_TARGET="≥ 60% of nginx"
SC_MIN_RATIO=0.60
