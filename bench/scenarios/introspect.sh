# Scenario: introspection of a JWT by the client that owns it (issue 3, "Performance":
# introspection ≥ 30% of nginx). client_secret_basic at `default`; nginx answers the same bytes
# to the same POST.
# shellcheck shell=bash

SC_DESCRIPTION="POST /oauth2/default/v1/introspect (client_secret_basic, an active RS256 JWT)"
SC_METHOD=POST
SC_PATH="/oauth2/default/v1/introspect"
SC_HEADERS="Authorization: Basic $(printf '%s:%s' "$(oauth_value introspect clientId)" "$(oauth_value introspect secret)" | base64 -w0)
Content-Type: application/x-www-form-urlencoded
Accept: application/json"
SC_BODY_FILE=$WORK/introspect.body
SC_TARGET="≥ 30% of nginx"
SC_MIN_RATIO=0.30

printf 'token=%s&token_type_hint=access_token' "$(oauth_value introspect token)" >"$SC_BODY_FILE"
