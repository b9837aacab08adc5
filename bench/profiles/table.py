#!/usr/bin/env python3
"""Where the instructions of one token go, from a callgrind dump of bench/profiles/measure.sh.
Usage: table.py CALLGRIND_OUT N  (N: tokens in the dump). Prints a markdown table: inclusive
instructions per token of the token path's parts, each part with its callees, minus the parts
named below it (so the rows add up to the total)."""
import re
import subprocess
import sys

out, n = sys.argv[1], int(sys.argv[2])
text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no", "--threshold=100", out],
                      capture_output=True, text=True, check=True).stdout
incl = {}
total = 0
for line in text.splitlines():
    m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line)
    if not m:
        continue
    cost = int(m.group(1).replace(",", ""))
    name = m.group(2)
    if name.startswith("PROGRAM TOTALS"):
        total = cost
        continue
    name = name.split(":", 1)[1] if name.startswith("???:") else name
    incl.setdefault(name, cost)


def f(prefix):
    """Inclusive cost of the first function whose name starts with `prefix` (0 if none)."""
    best = 0
    for name, cost in incl.items():
        if name.startswith(prefix):
            best = max(best, cost)
    return best


def per(x):
    return x / n


request_thread = f("gh::http::Server::run(")
gateway = f("gh::server::Gateway::handle(")
token = f("gh::oauth::TokenEndpoint::handle(")
issue = f("gh::oauth::TokenEndpoint::issue(")
auth = f("gh::oauth::ClientAuthenticator::check(")
secret = f("gh::oauth::detail::secret_matches(")
grant = f("gh::oauth::ClientCredentialsGrant::handle(")
mint = f("gh::oauth::mint_access_token(")
jws = f("gh::jose::sign")
ecdsa = f("EVP_PKEY_sign")
form = f("gh::oauth::parse_form_body(")
event = f("gh::oauth::record_token_event(")
render = f("gh::oauth::render_token_response(") + f("gh::oauth::set_rate_headers(")
write = f("gh::http::Server::Impl::write")
parser = f("boost::beast::http::basic_parser<true>::put(boost::asio::const_buffer")
flush = f("gh::store::EventQueue::flush(")

rows = [
    ("ECDSA P-256 signature (`EVP_PKEY_sign`: nonce, scalar multiplication, DER)", ecdsa),
    ("JWS around it (SHA-256 of the input, base64url, header, DER to r‖s)", jws - ecdsa),
    ("claims: `jti`, JSON of the claims (`mint_access_token` outside `jose::sign`)", mint - jws),
    ("grant: scopes, access policy, resource claims, audience, key lookup", grant - mint),
    ("client authentication (Basic decoding, lookup, secret)", auth - secret),
    ("  the secret's checksum and peppered HMAC (`secret_matches`)", secret),
    ("rate limit, grant type, scope split (`issue` outside the above)", issue - auth - grant),
    ("form parsing (`parse_form_body`)", form),
    ("token event on the request thread (`record_token_event`)", event),
    ("response JSON and headers (`render_token_response`, rate headers)", render),
    ("token endpoint, rest (`TokenEndpoint::handle` outside the above)", token - issue - form - event - render),
    ("routing, org and server lookup (`Gateway::handle` outside the endpoint)", gateway - token),
    ("HTTP: Beast's request parser", parser),
    ("HTTP: response head and write (`Server::Impl::write`)", write),
    ("HTTP: executor, coroutine, strand, request copy, reads (request thread outside the above)",
     request_thread - gateway - parser - write),
    ("token-event writer thread (SQLite, batched every 100 ms)", flush),
    ("other (timers, other threads)", total - request_thread - flush),
]
print(f"| part | instructions per token | share |")
print("|---|---:|---:|")
for what, cost in rows:
    print(f"| {what} | {per(cost):,.0f} | {cost / total:.1%} |")
print(f"| **total (user space, all threads)** | **{per(total):,.0f}** | 100% |")
print(f"| of which not the ECDSA signature | {per(total - ecdsa):,.0f} | {(total - ecdsa) / total:.1%} |")
print(f"| of which the request thread, not the ECDSA signature | {per(request_thread - ecdsa):,.0f} | "
      f"{(request_thread - ecdsa) / total:.1%} |")
