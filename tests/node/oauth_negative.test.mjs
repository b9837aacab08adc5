// Negative tests of the OAuth rules with raw fetch (issue 3 "Client authentication and token
// rules", "The org authorization server", "Negative tests for every rule above"; okta-compat.md
// §1.8, §1.9, §3, §4.1, §4.3, §11.2, §11.5, §11.19-§11.23): client authentication at the org AS,
// scopes, client assertions, request syntax, error bodies, Bearer tokens on /api/v1, cross-org
// use of tokens, assertions and app ids, one-time jtis under concurrency, deactivated apps.
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { before, after, beforeEach } from 'node:test';
import * as jose from 'jose';
import { startServer, raw, it, checkWireInvariants } from './lib/server.mjs';
import { assertRawError } from './lib/checks.mjs';
import {
  ASSERTION_TYPE,
  rsaKey,
  keyApp,
  secretApp,
  serviceAppBody,
  createOrg,
  ensureAsScope,
  signAssertion,
  assertionClaims,
  handJwt,
  tamper,
  formPost,
  keyToken,
  basicToken,
  basicAuth,
  accessTokenOf,
  orgToken,
  defaultToken,
  bearer,
  nowSec,
  assertOAuthError,
  assertInvalidToken,
} from './lib/oauth.mjs';

let server;
let orgUrl;
let T; // SSWS token of org A
let tokenUrl; // ORG/oauth2/v1/token
let defaultTokenUrl; // ORG/oauth2/default/v1/token
let pk; // private_key_jwt app: okta.groups.read, READ_ONLY_ADMIN
let sec; // client_secret_basic app with a grant for okta.groups.read
let orgB; // the 201 body of POST /api/v1/orgs

// A local listener that counts requests: key URLs inside assertion headers must never be fetched.
let canary;
let canaryHits = 0;
let canaryUrl;

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  T = server.adminToken;
  tokenUrl = `${orgUrl}/oauth2/v1/token`;
  defaultTokenUrl = `${orgUrl}/oauth2/default/v1/token`;
  await ensureAsScope(orgUrl, T, 'widgets.read');
  pk = await keyApp(orgUrl, T, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  sec = await secretApp(orgUrl, T, { method: 'client_secret_basic', scopes: ['okta.groups.read'] });

  canary = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [] }));
  });
  canary.on('connection', () => {
    canaryHits += 1; // connections, not requests: an https attempt counts too
  });
  await new Promise((r) => canary.listen(0, '127.0.0.1', r));
  canaryUrl = `http://127.0.0.1:${canary.address().port}`;
});

// If a test crashed the server, serve again on the same data dir and port, so that one crash
// fails one test rather than every test after it (the crash shows in that test's server log).
beforeEach(async () => {
  const p = server?.proc;
  if (p && (p.exitCode !== null || p.signalCode !== null)) {
    await server.restart();
    assert.equal(server.url, orgUrl, 'the server came back on the same port');
  }
});

after(async () => {
  canary?.closeAllConnections?.();
  await new Promise((r) => (canary ? canary.close(r) : r()));
  await server?.dispose();
});

// A token request at the org AS with the given client assertion.
function withAssertion(assertion, { url = tokenUrl, scope = 'okta.groups.read', extra = {} } = {}) {
  return formPost(url, {
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------
// Client authentication at the org AS, scopes

it('client_secret_basic at the org AS → 401 invalid_client (service apps must use private_key_jwt)', async () => {
  const res = await basicToken(tokenUrl, sec, 'okta.groups.read');
  assertOAuthError(res, 401, 'invalid_client', { notEchoed: [sec.secret] });
  assert.ok(!res.json.access_token);
});

it('client_secret_post at the org AS → 401 invalid_client', async () => {
  const res = await formPost(tokenUrl, {
    grant_type: 'client_credentials',
    scope: 'okta.groups.read',
    client_id: sec.clientId,
    client_secret: sec.secret,
  });
  assertOAuthError(res, 401, 'invalid_client', { notEchoed: [sec.secret] });
});

it('a wrong client secret at default → 401 invalid_client with WWW-Authenticate: Basic', async () => {
  const res = await basicToken(defaultTokenUrl, { clientId: sec.clientId, secret: `${sec.secret}x` }, 'widgets.read');
  assertOAuthError(res, 401, 'invalid_client', { notEchoed: [sec.secret] });
  assert.match(res.headers.get('www-authenticate') ?? '', /^Basic\b/i, `WWW-Authenticate: ${res.headers.get('www-authenticate')}`);
});

// RFC 6749 §5.2: a client that tried the Authorization header gets WWW-Authenticate matching its
// scheme with every invalid_client, whatever failed; a client that did not gets none.
it('every invalid_client to a request with Authorization: Basic carries a Basic challenge, at token, introspect and revoke', async () => {
  const tried = [
    ['bare Basic', 'Basic'],
    ['Basic and garbage', 'Basic !!!not-base64!!!'],
    ['an unknown client', basicAuth('0oazzzzzzzzzzzzzzzzz', 'gth_cs_unknown')],
    ['a wrong secret', basicAuth(sec.clientId, `${sec.secret}x`)],
  ];
  for (const endpoint of ['token', 'introspect', 'revoke']) {
    const url = `${orgUrl}/oauth2/default/v1/${endpoint}`;
    const params = endpoint === 'token' ? { grant_type: 'client_credentials', scope: 'widgets.read' } : { token: 'x' };
    for (const [name, authorization] of tried) {
      const res = await formPost(url, params, { headers: { Authorization: authorization } });
      assertOAuthError(res, 401, 'invalid_client', { notEchoed: [sec.secret] });
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"$/, `${endpoint}, ${name}`);
    }
    const post = await formPost(url, { ...params, client_id: sec.clientId, client_secret: `${sec.secret}x` });
    assertOAuthError(post, 401, 'invalid_client', { notEchoed: [sec.secret] });
    assert.equal(post.headers.get('www-authenticate'), null, `${endpoint}, client_secret_post: no challenge`);
  }
  // The grant's own invalid_client (a client_secret_basic app at the org AS) carries it too.
  const orgAs = await basicToken(tokenUrl, sec, 'okta.groups.read');
  assertOAuthError(orgAs, 401, 'invalid_client');
  assert.match(orgAs.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"$/, 'org AS, grant rule');
});

it('no client credentials at all → 401 invalid_client', async () => {
  const res = await formPost(defaultTokenUrl, { grant_type: 'client_credentials', scope: 'widgets.read' });
  assertOAuthError(res, 401, 'invalid_client');
});

it('an unknown scope at default → 400 invalid_scope (also when mixed with a known one)', async () => {
  assertOAuthError(await basicToken(defaultTokenUrl, sec, 'widgets.nope'), 400, 'invalid_scope');
  assertOAuthError(await basicToken(defaultTokenUrl, sec, 'widgets.read widgets.nope'), 400, 'invalid_scope');
});

it('no scope → 400 invalid_scope', async () => {
  assertOAuthError(await basicToken(defaultTokenUrl, sec, undefined), 400, 'invalid_scope');
  assertOAuthError(await keyToken(tokenUrl, pk, undefined), 400, 'invalid_scope');
});

it('org AS: a custom scope → 400 invalid_scope', async () => {
  assertOAuthError(await keyToken(tokenUrl, pk, 'widgets.read'), 400, 'invalid_scope');
  assertOAuthError(await keyToken(tokenUrl, pk, 'okta.groups.read openid'), 400, 'invalid_scope');
});

it('org AS: an okta scope without a grant → 400 invalid_scope, never silently narrowed', async () => {
  assertOAuthError(await keyToken(tokenUrl, pk, 'okta.users.read'), 400, 'invalid_scope');
  assertOAuthError(await keyToken(tokenUrl, pk, 'okta.groups.read okta.users.read'), 400, 'invalid_scope');
  assertOAuthError(await keyToken(tokenUrl, pk, 'okta.groups.manage'), 400, 'invalid_scope');
  // The granted scope alone works.
  accessTokenOf(await keyToken(tokenUrl, pk, 'okta.groups.read'));
});

// ---------------------------------------------------------------------------------------------
// Client assertions

it('a replayed assertion (same jti) → 401 invalid_client', async () => {
  const assertion = await signAssertion(pk.key, pk.clientId, tokenUrl);
  accessTokenOf(await withAssertion(assertion), 'first use');
  assertOAuthError(await withAssertion(assertion), 401, 'invalid_client', { notEchoed: [assertion] });
});

it('a jti is used once across endpoints too: an assertion used at the token endpoint is refused at introspect', async () => {
  const jti = crypto.randomUUID();
  const at = accessTokenOf(await keyToken(tokenUrl, pk, 'okta.groups.read', { claims: { jti } }));
  const a2 = await signAssertion(pk.key, pk.clientId, orgUrl, { claims: { jti } }); // aud = issuer, same jti
  const res = await formPost(`${orgUrl}/oauth2/v1/introspect`, {
    token: at,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: a2,
  });
  assertOAuthError(res, 401, 'invalid_client');
});

// Each case builds an assertion for `pk` at the org token endpoint that must be refused.
const now = () => nowSec();
const std = (claims = {}) => assertionClaims(pk.clientId, tokenUrl, claims);
const hdr = (extra = {}) => ({ alg: 'RS256', typ: 'JWT', kid: pk.key.kid, ...extra });

const assertionCases = [
  ['alg none', async () => handJwt({ alg: 'none', typ: 'JWT', kid: pk.key.kid }, std())],
  ['alg none without a signature part', async () => handJwt({ alg: 'none', kid: pk.key.kid }, std()).replace(/\.$/, '')],
  [
    'HS256 with the public key (SPKI PEM) as the HMAC secret',
    async () => {
      const pem = await jose.exportSPKI(pk.key.publicKey);
      return handJwt({ alg: 'HS256', typ: 'JWT', kid: pk.key.kid }, std(), { secret: pem });
    },
  ],
  [
    'HS256 with the public JWK JSON as the HMAC secret',
    async () => handJwt({ alg: 'HS256', typ: 'JWT', kid: pk.key.kid }, std(), { secret: JSON.stringify(pk.key.publicJwk) }),
  ],
  [
    "a jwk header carrying the attacker's own key",
    async () => {
      const evil = await rsaKey(pk.key.kid);
      return handJwt(hdr({ jwk: evil.publicJwk }), std(), { key: evil });
    },
  ],
  ['a jwk header (even the registered key)', async () => handJwt(hdr({ jwk: pk.key.publicJwk }), std(), { key: pk.key })],
  [
    'a jku header (never fetched)',
    async () => {
      const evil = await rsaKey(pk.key.kid);
      return handJwt(hdr({ jku: `${canaryUrl}/jku` }), std(), { key: evil });
    },
  ],
  ['a jku header on a correctly signed assertion', async () => handJwt(hdr({ jku: `${canaryUrl}/jku2` }), std(), { key: pk.key })],
  ['an x5u header (never fetched)', async () => handJwt(hdr({ x5u: `${canaryUrl}/x5u` }), std(), { key: pk.key })],
  ['an x5c header', async () => handJwt(hdr({ x5c: [Buffer.from('not a certificate').toString('base64')] }), std(), { key: pk.key })],
  ['aud as an array', async () => handJwt(hdr(), std({ aud: [tokenUrl] }), { key: pk.key })],
  ['aud of another endpoint (introspect)', async () => handJwt(hdr(), std({ aud: `${orgUrl}/oauth2/v1/introspect` }), { key: pk.key })],
  ['aud of the default AS token endpoint', async () => handJwt(hdr(), std({ aud: defaultTokenUrl }), { key: pk.key })],
  ['aud with a trailing slash', async () => handJwt(hdr(), std({ aud: `${tokenUrl}/` }), { key: pk.key })],
  ['expired (exp 5 minutes ago)', async () => handJwt(hdr(), std({ iat: now() - 600, exp: now() - 300 }), { key: pk.key })],
  ['expired beyond the 60 s skew (exp 90 s ago)', async () => handJwt(hdr(), std({ iat: now() - 300, exp: now() - 90 }), { key: pk.key })],
  ['no exp', async () => handJwt(hdr(), std({ exp: undefined }), { key: pk.key })],
  ['exp more than one hour ahead', async () => handJwt(hdr(), std({ exp: now() + 7200 }), { key: pk.key })],
  ['exp as a string', async () => handJwt(hdr(), std({ exp: String(now() + 300) }), { key: pk.key })],
  ['iat in the future (10 min)', async () => handJwt(hdr(), std({ iat: now() + 600, exp: now() + 900 }), { key: pk.key })],
  ['nbf in the future (10 min)', async () => handJwt(hdr(), std({ nbf: now() + 600 }), { key: pk.key })],
  ['no jti', async () => handJwt(hdr(), std({ jti: undefined }), { key: pk.key })],
  ['iss and sub differ', async () => handJwt(hdr(), std({ sub: sec.clientId }), { key: pk.key })],
  ['no sub', async () => handJwt(hdr(), std({ sub: undefined }), { key: pk.key })],
  ['iss = sub = an unknown client', async () => handJwt(hdr(), std({ iss: '0oaUnknownUnknown12', sub: '0oaUnknownUnknown12' }), { key: pk.key })],
  ['iss = sub = a client_secret_basic app', async () => handJwt(hdr(), std({ iss: sec.clientId, sub: sec.clientId }), { key: pk.key })],
  ['an unknown kid', async () => handJwt(hdr({ kid: 'no-such-kid' }), std(), { key: pk.key })],
  [
    'signed by another key under the registered kid',
    async () => handJwt(hdr(), std(), { key: await rsaKey(pk.key.kid) }),
  ],
  ['typ at+jwt', async () => handJwt(hdr({ typ: 'at+jwt' }), std(), { key: pk.key })],
  ['typ dpop+jwt', async () => handJwt(hdr({ typ: 'dpop+jwt' }), std(), { key: pk.key })],
  ['a crit header', async () => handJwt(hdr({ crit: ['exp'] }), std(), { key: pk.key })],
  ['a crit b64 header', async () => handJwt(hdr({ crit: ['b64'], b64: false }), std(), { key: pk.key })],
  ['alg RS384 in the header over an RS256 signature', async () => {
    const jwt = handJwt(hdr(), std(), { key: pk.key });
    const [, p, s] = jwt.split('.');
    return `${Buffer.from(JSON.stringify(hdr({ alg: 'RS384' }))).toString('base64url')}.${p}.${s}`;
  }],
  ['a tampered payload', async () => tamper(handJwt(hdr(), std(), { key: pk.key }), (p) => ({ ...p, exp: p.exp + 60 }))],
  ['not a JWT at all', async () => 'not-a-jwt'],
];

for (const [name, build] of assertionCases) {
  it(`client assertion refused: ${name} → 401 invalid_client`, async () => {
    const assertion = await build();
    const res = await withAssertion(assertion);
    assertOAuthError(res, 401, 'invalid_client', { notEchoed: [assertion] });
  });
}

it('no key URL from an assertion header was ever fetched', async () => {
  assert.equal(canaryHits, 0, `the server fetched ${canaryHits} URL(s) named in assertion headers`);
});

it('accepted edges: aud = the issuer, no typ, typ "jwt", exp 30 s ago and iat 30 s ahead (60 s skew)', async () => {
  accessTokenOf(await withAssertion(handJwt(hdr(), assertionClaims(pk.clientId, orgUrl), { key: pk.key })), 'aud = issuer');
  accessTokenOf(await withAssertion(handJwt({ alg: 'RS256', kid: pk.key.kid }, std(), { key: pk.key })), 'no typ');
  accessTokenOf(await withAssertion(handJwt(hdr({ typ: 'jwt' }), std(), { key: pk.key })), 'typ jwt');
  accessTokenOf(await withAssertion(handJwt(hdr(), std({ iat: now() - 300, exp: now() - 30 }), { key: pk.key })), 'exp 30 s ago');
  accessTokenOf(await withAssertion(handJwt(hdr(), std({ iat: now() + 30, exp: now() + 330 }), { key: pk.key })), 'iat 30 s ahead');
  // client_id may be present if it names the same client.
  accessTokenOf(
    await withAssertion(await signAssertion(pk.key, pk.clientId, tokenUrl), { extra: { client_id: pk.clientId } }),
    'client_id = iss',
  );
});

// RFC 7523 §3 / RFC 7521 §4.2: a client_id must name the client of the assertion; authentication
// then fails: 401 invalid_client (RFC 6749 §5.2).
it('client_id naming another client than the assertion → 401 invalid_client', async () => {
  const res = await withAssertion(await signAssertion(pk.key, pk.clientId, tokenUrl), { extra: { client_id: sec.clientId } });
  assertOAuthError(res, 401, 'invalid_client');
});

// RFC 6749 §5.2 invalid_request: "includes an unsupported parameter value".
it('a wrong client_assertion_type → 400 invalid_request', async () => {
  const res = await formPost(tokenUrl, {
    grant_type: 'client_credentials',
    scope: 'okta.groups.read',
    client_assertion_type: 'urn:example:nope',
    client_assertion: await signAssertion(pk.key, pk.clientId, tokenUrl),
  });
  assertOAuthError(res, 400, 'invalid_request');
});

// ---------------------------------------------------------------------------------------------
// Request syntax

it('two client authentication methods → 400 invalid_request', async () => {
  // Basic + assertion.
  const a = await signAssertion(pk.key, pk.clientId, tokenUrl);
  const r1 = await formPost(
    tokenUrl,
    { grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE, client_assertion: a },
    { basic: [sec.clientId, sec.secret] },
  );
  assertOAuthError(r1, 400, 'invalid_request', { notEchoed: [sec.secret] });
  // Basic + client_secret in the body, at default.
  const r2 = await formPost(
    defaultTokenUrl,
    { grant_type: 'client_credentials', scope: 'widgets.read', client_id: sec.clientId, client_secret: sec.secret },
    { basic: [sec.clientId, sec.secret] },
  );
  assertOAuthError(r2, 400, 'invalid_request', { notEchoed: [sec.secret] });
  // client_secret in the body + assertion.
  const r3 = await formPost(defaultTokenUrl, {
    grant_type: 'client_credentials',
    scope: 'widgets.read',
    client_id: sec.clientId,
    client_secret: sec.secret,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(pk.key, pk.clientId, defaultTokenUrl),
  });
  assertOAuthError(r3, 400, 'invalid_request', { notEchoed: [sec.secret] });
});

it('a parameter given twice → 400 invalid_request', async () => {
  const a = () => signAssertion(pk.key, pk.clientId, tokenUrl);
  const base = async () => [
    ['grant_type', 'client_credentials'],
    ['scope', 'okta.groups.read'],
    ['client_assertion_type', ASSERTION_TYPE],
    ['client_assertion', await a()],
  ];
  const dupScope = [...(await base()), ['scope', 'okta.groups.read']];
  assertOAuthError(await formPost(tokenUrl, dupScope), 400, 'invalid_request');
  const dupGrant = [...(await base()), ['grant_type', 'client_credentials']];
  assertOAuthError(await formPost(tokenUrl, dupGrant), 400, 'invalid_request');
  const dupAssertion = [...(await base()), ['client_assertion', await a()]];
  assertOAuthError(await formPost(tokenUrl, dupAssertion), 400, 'invalid_request');
  const dupEmpty = [...(await base()), ['scope', '']];
  assertOAuthError(await formPost(tokenUrl, dupEmpty), 400, 'invalid_request');
});

it('a missing grant_type → 400 invalid_request', async () => {
  const res = await formPost(defaultTokenUrl, { scope: 'widgets.read' }, { basic: [sec.clientId, sec.secret] });
  assertOAuthError(res, 400, 'invalid_request');
  const res2 = await keyToken(tokenUrl, pk, 'okta.groups.read', { extra: { grant_type: undefined } });
  assertOAuthError(res2, 400, 'invalid_request');
});

it('an unknown grant_type → 400 unsupported_grant_type', async () => {
  const res = await formPost(
    defaultTokenUrl,
    { grant_type: 'urn:example:no-such-grant', scope: 'widgets.read' },
    { basic: [sec.clientId, sec.secret] },
  );
  assertOAuthError(res, 400, 'unsupported_grant_type', { notEchoed: ['urn:example:no-such-grant'] });
});

it('error bodies are JSON with Cache-Control no-store and never echo request values', async () => {
  const markerScope = 'zzqscope<script>alert(1)</script>';
  assertOAuthError(await basicToken(defaultTokenUrl, sec, markerScope), 400, 'invalid_scope', {
    notEchoed: [markerScope, 'zzqscope', '<script>'],
  });
  const markerGrant = 'zzqgrant"\\\'';
  const r2 = await formPost(defaultTokenUrl, { grant_type: markerGrant, scope: 'widgets.read' }, { basic: [sec.clientId, sec.secret] });
  assertOAuthError(r2, 400, 'unsupported_grant_type', { notEchoed: ['zzqgrant'] });
  const r3 = await basicToken(defaultTokenUrl, { clientId: 'zzqclient-marker', secret: 'zzqsecret-marker' }, 'widgets.read');
  assertOAuthError(r3, 401, 'invalid_client', { notEchoed: ['zzqclient-marker', 'zzqsecret-marker'] });
  const a4 = handJwt(hdr(), std({ iss: 'zzqissuer-marker', sub: 'zzqissuer-marker' }), { key: pk.key });
  assertOAuthError(await withAssertion(a4), 401, 'invalid_client', { notEchoed: ['zzqissuer-marker'] });
  const r5 = await keyToken(tokenUrl, pk, 'okta.zzqmarker.read');
  assertOAuthError(r5, 400, 'invalid_scope', { notEchoed: ['zzqmarker'] });
  const r6 = await withAssertion(handJwt(hdr({ kid: 'zzqkid-marker' }), std(), { key: pk.key }));
  assertOAuthError(r6, 401, 'invalid_client', { notEchoed: ['zzqkid-marker'] });
});

it('OAuth endpoint responses carry X-Okta-Request-Id and Date; success is no-store too', async () => {
  const ok = await keyToken(tokenUrl, pk, 'okta.groups.read');
  checkWireInvariants(ok, 'token 200');
  assert.match(ok.headers.get('cache-control') ?? '', /no-store/i);
  checkWireInvariants(await basicToken(defaultTokenUrl, sec, 'widgets.nope'), 'token 400');
  checkWireInvariants(await raw(`${orgUrl}/oauth2/v1/keys`, { lenient: true }), 'keys');
  checkWireInvariants(await raw(`${orgUrl}/.well-known/openid-configuration`, { lenient: true }), 'discovery');
});

// ---------------------------------------------------------------------------------------------
// Bearer tokens on /api/v1

it('an org AS token works on /api/v1 (the baseline for the cases below)', async () => {
  const at = await orgToken(orgUrl, pk, 'okta.groups.read');
  const res = await bearer(`${orgUrl}/api/v1/groups`, at);
  assert.equal(res.status, 200, res.text);
});

it('a default-AS token on /api/v1 → 401 E0000011 with Bearer error="invalid_token"', async () => {
  const at = await defaultToken(orgUrl, sec, 'widgets.read');
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, at), 'default token');
});

it('`Authorization: Bearer undefined` → 401 E0000011', async () => {
  const res = await bearer(`${orgUrl}/api/v1/groups`, 'undefined');
  assertInvalidToken(res, 'Bearer undefined');
  assertRawError(res, 401, 'E0000011');
});

it('tampered, alg none, expired-looking and garbage Bearer tokens → 401 E0000011 invalid_token', async () => {
  const at = await orgToken(orgUrl, pk, 'okta.groups.read');
  const widened = tamper(at, (p) => ({ ...p, scp: ['okta.groups.manage'] }));
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, widened), 'tampered scp');
  const none = handJwt({ alg: 'none', kid: JSON.parse(Buffer.from(at.split('.')[0], 'base64url')).kid }, JSON.parse(Buffer.from(at.split('.')[1], 'base64url')));
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, none), 'alg none');
  const expired = tamper(at, (p) => ({ ...p, exp: nowSec() - 10 }));
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, expired), 'exp changed');
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, 'garbage'), 'garbage');
  // An SSWS API token sent as a Bearer token is not an access token.
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, T), 'SSWS value as Bearer');
});

it('a token revoked at ORG/oauth2/v1/revoke is refused at /api/v1 from the next request on', async () => {
  const at = await orgToken(orgUrl, pk, 'okta.groups.read');
  assert.equal((await bearer(`${orgUrl}/api/v1/groups`, at)).status, 200);
  const revokeUrl = `${orgUrl}/oauth2/v1/revoke`;
  const res = await formPost(revokeUrl, {
    token: at,
    token_type_hint: 'access_token',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(pk.key, pk.clientId, revokeUrl),
  });
  assert.equal(res.status, 200, res.text);
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, at), 'revoked token');

  const introspectUrl = `${orgUrl}/oauth2/v1/introspect`;
  const ires = await formPost(introspectUrl, {
    token: at,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(pk.key, pk.clientId, introspectUrl),
  });
  assert.equal(ires.status, 200, ires.text);
  assert.deepEqual(ires.json, { active: false });
});

it('an access_token query parameter on /api/v1 → 400 E0000001 (§11.5)', async () => {
  const at = await orgToken(orgUrl, pk, 'okta.groups.read');
  assertRawError(
    await raw(`${orgUrl}/api/v1/groups?access_token=${encodeURIComponent(at)}`, { lenient: true }),
    400,
    'E0000001',
  );
  assertRawError(
    await raw(`${orgUrl}/api/v1/groups?access_token=${encodeURIComponent(at)}`, {
      headers: { Authorization: `Bearer ${at}` },
      lenient: true,
    }),
    400,
    'E0000001',
  );
});

// ---------------------------------------------------------------------------------------------
// Cross-org

it('set-up: a second org (POST /api/v1/orgs)', async () => {
  orgB = await createOrg(orgUrl, T, 'beta');
  assert.equal(orgB.orgUrl, `${orgUrl}/o/beta`);
});

it("an org AS token of org A at org B's /api/v1 → 401 E0000011", async () => {
  assert.ok(orgB, 'needs org B');
  const at = await orgToken(orgUrl, pk, 'okta.groups.read');
  assertInvalidToken(await bearer(`${orgB.orgUrl}/api/v1/groups`, at), 'org A token at org B');
});

it("an app id of org A at org B's token endpoint → 401 invalid_client", async () => {
  assert.ok(orgB, 'needs org B');
  const bTokenUrl = `${orgB.orgUrl}/oauth2/v1/token`;
  // An assertion made for org B's endpoint, signed with the key registered in org A.
  const r1 = await keyToken(bTokenUrl, pk, 'okta.groups.read');
  assertOAuthError(r1, 401, 'invalid_client');
  // An assertion made for org A, replayed at org B.
  const r2 = await withAssertion(await signAssertion(pk.key, pk.clientId, tokenUrl), { url: bTokenUrl });
  assertOAuthError(r2, 401, 'invalid_client');
  // A client secret of org A at org B's default AS.
  const r3 = await basicToken(`${orgB.orgUrl}/oauth2/default/v1/token`, sec, 'widgets.read');
  assertOAuthError(r3, 401, 'invalid_client', { notEchoed: [sec.secret] });
});

it("org A's apps and grants are invisible in org B", async () => {
  assert.ok(orgB, 'needs org B');
  assertRawError(await raw(`${orgB.orgUrl}/api/v1/apps/${pk.id}`, { token: orgB.token }), 404, 'E0000007');
  assertRawError(
    await raw(`${orgB.orgUrl}/api/v1/apps/${pk.id}/grants`, {
      method: 'POST',
      token: orgB.token,
      body: { issuer: orgB.orgUrl, scopeId: 'okta.users.read' },
    }),
    404,
    'E0000007',
  );
  const list = await raw(`${orgB.orgUrl}/api/v1/apps`, { token: orgB.token });
  assert.equal(list.status, 200, list.text);
  assert.ok(!list.json.some((a) => a.id === pk.id), "org A's app is not listed in org B");
});

it("org B's own service app gets an org B token, refused at org A", async () => {
  assert.ok(orgB, 'needs org B');
  const b = await keyApp(orgB.orgUrl, orgB.token, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const at = await orgToken(orgB.orgUrl, b, 'okta.groups.read');
  assert.equal((await bearer(`${orgB.orgUrl}/api/v1/groups`, at)).status, 200);
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, at), 'org B token at org A');
  // Its assertion at org A's token endpoint.
  assertOAuthError(await keyToken(tokenUrl, b, 'okta.groups.read'), 401, 'invalid_client');
});

// ---------------------------------------------------------------------------------------------
// Concurrency, deactivation

it('ten concurrent copies of one assertion → exactly one 200, the others 401 invalid_client', async () => {
  const assertion = await signAssertion(pk.key, pk.clientId, tokenUrl);
  const results = await Promise.all(Array.from({ length: 10 }, () => withAssertion(assertion)));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses}`);
  for (const r of results.filter((x) => x.status !== 200)) assertOAuthError(r, 401, 'invalid_client');
});

it("a deactivated app's token is refused at once; the app gets no new token", async () => {
  const a = await keyApp(orgUrl, T, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const at = await orgToken(orgUrl, a, 'okta.groups.read');
  assert.equal((await bearer(`${orgUrl}/api/v1/groups`, at)).status, 200);
  const res = await raw(`${orgUrl}/api/v1/apps/${a.id}/lifecycle/deactivate`, { method: 'POST', token: T, lenient: true });
  assert.equal(res.status, 200, res.text);
  assertInvalidToken(await bearer(`${orgUrl}/api/v1/groups`, at), 'token of a deactivated app');
  assertOAuthError(await keyToken(tokenUrl, a, 'okta.groups.read'), 401, 'invalid_client');
});

it("a deactivated client_secret app gets 401 invalid_client at default", async () => {
  const s = await secretApp(orgUrl, T, { method: 'client_secret_basic' });
  await defaultToken(orgUrl, s, 'widgets.read');
  const res = await raw(`${orgUrl}/api/v1/apps/${s.id}/lifecycle/deactivate`, { method: 'POST', token: T, lenient: true });
  assert.equal(res.status, 200, res.text);
  assertOAuthError(await basicToken(defaultTokenUrl, s, 'widgets.read'), 401, 'invalid_client', { notEchoed: [s.secret] });
});

// ---------------------------------------------------------------------------------------------
// Key registration (§11.22, §11.23)

async function createWithJwks(keys, extra = {}) {
  return raw(`${orgUrl}/api/v1/apps`, {
    method: 'POST',
    token: T,
    body: serviceAppBody({ method: 'private_key_jwt', jwks: keys ? { keys } : undefined, ...extra }),
    lenient: true,
  });
}

it('registering a private key, a short RSA key or a duplicate kid → 400 E0000001', async () => {
  const k = await rsaKey('dup');
  assertRawError(await createWithJwks([k.privateJwk]), 400, 'E0000001');
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }); // jose refuses < 2048
  const short = { ...publicKey.export({ format: 'jwk' }), kid: 'short', alg: 'RS256', use: 'sig' };
  assertRawError(await createWithJwks([short]), 400, 'E0000001');
  const k2 = await rsaKey('dup');
  assertRawError(await createWithJwks([k.publicJwk, k2.publicJwk]), 400, 'E0000001');
  assertRawError(await createWithJwks([{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }]), 400, 'E0000001');
});

it('a jwks_uri on loopback addresses, in any notation, or over http → 400 E0000001, never fetched', async () => {
  // Every candidate points at the local canary's port (loopback only: nothing leaves the machine).
  const port = canary.address().port;
  for (const uri of [
    `${canaryUrl}/jwks`,
    `https://127.0.0.1:${port}/jwks`,
    `https://[::1]:${port}/jwks`,
    `https://localhost:${port}/jwks`,
    `https://2130706433:${port}/jwks`,
    `https://0x7f.1:${port}/jwks`,
    `https://[::ffff:127.0.0.1]:${port}/jwks`,
  ]) {
    assertRawError(await createWithJwks(undefined, { jwksUri: uri }), 400, 'E0000001');
  }
  assert.equal(canaryHits, 0);
});
