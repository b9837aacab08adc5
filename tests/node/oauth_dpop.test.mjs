// DPoP (RFC 9449) end to end (issue 4; okta-compat.md §1.2, §1.9-1.11, §3, §4.1, §11.26-29):
// Okta's Node SDK 8.1.0 in PrivateKey mode against a DPoP-bound app (the nonce dance, then
// `Authorization: DPoP` with a proof per call), oauth4webapi 3.8.8's DPoP at the `default`
// custom authorization server and at the management API, and the refusals of the token endpoint
// and of the resource side.
import assert from 'node:assert/strict';
import http from 'node:http';
import { before, after } from 'node:test';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import okta from '@okta/okta-sdk-nodejs';
import { startServer, raw, collectAll, it } from './lib/server.mjs';
import {
  keyApp,
  secretApp,
  rsaKey,
  ensureAsScope,
  keyToken,
  dpopProof,
  dpopKeyToken,
  decodePayload,
  assertOAuthError,
  signAssertion,
  ASSERTION_TYPE,
} from './lib/oauth.mjs';

const insecure = { [oauth.allowInsecureRequests]: true };
const ALGS = 'RS256 RS384 RS512 ES256 ES384 ES512';

let server;
let orgUrl;
let tokenUrl;
let app; // private_key_jwt, DPoP-bound, okta.groups.read, READ_ONLY_ADMIN
let bearerApp; // the same without DPoP

function sdkClient(a, url = orgUrl) {
  return new okta.Client({
    orgUrl: url,
    authorizationMode: 'PrivateKey',
    clientId: a.clientId,
    scopes: ['okta.groups.read'],
    privateKey: { ...a.key.privateJwk },
    cacheMiddleware: null,
  });
}

// Records what the SDK sends and gets (its request executor is an EventEmitter).
function record(c) {
  const seen = [];
  c.requestExecutor.on('request', (r) =>
    seen.push({ url: r.url, method: r.method, authorization: r.headers?.Authorization, dpop: r.headers?.DPoP }));
  c.requestExecutor.on('response', (r) => (seen[seen.length - 1].status = r.status));
  return seen;
}

// A DPoP-bound org AS token for `app`, obtained with raw requests (proofs signed by `popKey`).
async function dpopToken(popKey = app.key) {
  const { res } = await dpopKeyToken(tokenUrl, app, 'okta.groups.read', (nonce) =>
    dpopProof(popKey, { htu: tokenUrl, nonce }));
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.token_type, 'DPoP');
  return res.json.access_token;
}

// GET /api/v1/groups with `authorization` and at most one DPoP proof.
function groups(authorization, proof, { url = `${orgUrl}/api/v1/groups` } = {}) {
  const headers = {};
  if (authorization) headers.Authorization = authorization;
  if (proof) headers.DPoP = proof;
  return raw(url, { headers, lenient: true });
}

// A request with raw header lines (fetch would join two DPoP headers into one line).
function rawRequest(url, method, rawHeaders, body = '') {
  return new Promise((resolve, reject) => {
    const headers = ['Host', new URL(url).host, ...rawHeaders, 'Content-Length', String(Buffer.byteLength(body))];
    const req = http.request(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers)), text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  tokenUrl = `${orgUrl}/oauth2/v1/token`;
  await raw(`${orgUrl}/api/v1/groups`, {
    method: 'POST',
    token: server.adminToken,
    body: { profile: { name: 'Readers', description: 'seen through DPoP' } },
  });
  app = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN', dpop: true });
  bearerApp = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
});

after(async () => {
  await server?.dispose();
});

it("Okta's SDK: use_dpop_nonce, then a DPoP token, then Authorization: DPoP listing groups", async () => {
  const c = sdkClient(app);
  const seen = record(c);
  const names = (await collectAll(c.groupApi.listGroups())).map((g) => g.profile.name).sort();
  assert.deepEqual(names, ['Everyone', 'Readers']);
  assert.equal(c.oauth.isDPoP, true, 'the SDK switched to DPoP after use_dpop_nonce');
  const token = c.oauth.accessToken;
  assert.equal(token.token_type, 'DPoP', JSON.stringify(token));
  assert.equal(token.expires_in, 3600);
  const jkt = await jose.calculateJwkThumbprint(app.key.publicJwk, 'sha256');
  assert.deepEqual(decodePayload(token.access_token).cnf, { jkt }, 'cnf.jkt is the RFC 7638 thumbprint of the proof key');
  // The dance on the wire: token (400 use_dpop_nonce), token (200), then the API call with DPoP.
  const tokenCalls = seen.filter((s) => s.url === tokenUrl);
  assert.deepEqual(tokenCalls.map((s) => s.status), [400, 200]);
  const apiCalls = seen.filter((s) => s.url.includes('/api/v1/groups'));
  assert.ok(apiCalls.length >= 1);
  for (const s of apiCalls) {
    assert.equal(s.status, 200);
    assert.match(s.authorization, /^DPoP /);
    const proof = decodePayload(s.dpop);
    assert.equal(proof.htm, 'GET');
    assert.equal(proof.nonce, undefined, 'resource proofs carry no nonce (okta-compat.md §1.10)');
  }
});

it("Okta's SDK with a trailing-slash orgUrl: proofs name //api/v1/... and are accepted (okta-compat.md §1.2)", async () => {
  const c = sdkClient(app, `${orgUrl}/`);
  const seen = record(c);
  const all = await collectAll(c.groupApi.listGroups());
  assert.ok(all.length >= 2);
  const api = seen.find((s) => s.url.includes('/api/v1/groups'));
  assert.match(decodePayload(api.dpop).htu, /\/\/api\/v1\/groups$/);
});

it('a non-DPoP app gets a Bearer token although the SDK sent a DPoP header (okta-compat.md §1.9)', async () => {
  const c = sdkClient(bearerApp);
  await collectAll(c.groupApi.listGroups());
  assert.equal(c.oauth.isDPoP, false);
  assert.equal(c.oauth.accessToken.token_type, 'Bearer');
  assert.equal(decodePayload(c.oauth.accessToken.access_token).cnf, undefined);
});

it('the token endpoint refuses bad proofs of a DPoP app, each with its own error', async () => {
  const other = await rsaKey();
  const first = await keyToken(tokenUrl, app, 'okta.groups.read', { headers: { DPoP: await dpopProof(app.key, { htu: tokenUrl }) } });
  assertOAuthError(first, 400, 'use_dpop_nonce');
  assert.equal(first.json.error_description, 'Authorization server requires nonce in DPoP proof.');
  const nonce = first.headers.get('dpop-nonce');
  assert.ok(nonce);

  // A nonce from another server (another master key) is not ours.
  const elsewhere = await startServer();
  let foreignNonce;
  try {
    const e = await keyToken(`${elsewhere.url}/oauth2/v1/token`, app, 'okta.groups.read', {
      headers: { DPoP: await dpopProof(app.key, { htu: `${elsewhere.url}/oauth2/v1/token` }) },
    });
    // The app does not exist there: invalid_client. A nonce needs an app that exists: make one.
    assert.equal(e.status, 401);
    const there = await keyApp(elsewhere.url, elsewhere.adminToken, { scopes: ['okta.groups.read'], dpop: true, key: app.key });
    const r = await keyToken(`${elsewhere.url}/oauth2/v1/token`, there, 'okta.groups.read', {
      headers: { DPoP: await dpopProof(app.key, { htu: `${elsewhere.url}/oauth2/v1/token` }) },
    });
    foreignNonce = r.headers.get('dpop-nonce');
    assert.ok(foreignNonce);
  } finally {
    await elsewhere.dispose();
  }

  const port = Number(new URL(orgUrl).port);
  const privateJwk = { ...app.key.publicJwk, d: app.key.privateJwk.d };
  const cases = [
    ['no proof', undefined, 'invalid_dpop_proof', /header is missing/],
    ['not a JWT', 'garbage', 'invalid_dpop_proof', /cannot be parsed/],
    ['typ JWT', await dpopProof(app.key, { htu: tokenUrl, nonce, header: { typ: 'JWT' } }), 'invalid_dpop_proof', /'typ'/],
    ['htm GET', await dpopProof(app.key, { htu: tokenUrl, nonce, htm: 'GET' }), 'invalid_dpop_proof', /'htm'/],
    ['htu another host', await dpopProof(app.key, { htu: tokenUrl.replace('127.0.0.1', 'localhost'), nonce }), 'invalid_dpop_proof', /'htu'/],
    ['htu another port', await dpopProof(app.key, { htu: tokenUrl.replace(`:${port}`, `:${port + 1}`), nonce }), 'invalid_dpop_proof', /'htu'/],
    ['htu the default AS', await dpopProof(app.key, { htu: `${orgUrl}/oauth2/default/v1/token`, nonce }), 'invalid_dpop_proof', /'htu'/],
    ['private key in jwk', await dpopProof(app.key, { htu: tokenUrl, nonce, header: { jwk: privateJwk } }), 'invalid_dpop_proof', /private key material/],
    ['jwk of another key', await dpopProof(app.key, { htu: tokenUrl, nonce, header: { jwk: other.publicJwk } }), 'invalid_dpop_proof', /signature is invalid/],
    ['iat an hour ago', await dpopProof(app.key, { htu: tokenUrl, nonce, claims: { iat: Math.floor(Date.now() / 1000) - 3600 } }), 'invalid_dpop_proof', /five minutes in the past/],
    ['iat a day ahead', await dpopProof(app.key, { htu: tokenUrl, nonce, claims: { iat: Math.floor(Date.now() / 1000) + 86400 } }), 'invalid_dpop_proof', /in the future/],
    ['no jti', await dpopProof(app.key, { htu: tokenUrl, nonce, claims: { jti: undefined } }), 'invalid_dpop_proof', /'jti'/],
    ['nonce of another server', await dpopProof(app.key, { htu: tokenUrl, nonce: foreignNonce }), 'use_dpop_nonce', /requires nonce/],
  ];
  for (const [name, proof, error, description] of cases) {
    const res = await keyToken(tokenUrl, app, 'okta.groups.read', { headers: proof ? { DPoP: proof } : {} });
    assertOAuthError(res, 400, error);
    assert.match(res.json.error_description, description, name);
    if (error === 'use_dpop_nonce') assert.equal(res.headers.get('dpop-nonce'), nonce, `${name}: a fresh nonce`);
  }
  // Two DPoP header lines (RFC 9449 §4.3 (1)).
  const assertion = await signAssertion(app.key, app.clientId, tokenUrl);
  const form = `grant_type=client_credentials&scope=okta.groups.read&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}&client_assertion=${assertion}`;
  const two = await rawRequest(tokenUrl, 'POST', [
    'Content-Type', 'application/x-www-form-urlencoded',
    'DPoP', await dpopProof(app.key, { htu: tokenUrl, nonce }),
    'DPoP', await dpopProof(app.key, { htu: tokenUrl, nonce }),
  ], form);
  assertOAuthError(two, 400, 'invalid_dpop_proof');
  assert.equal(two.json.error_description, 'Multiple DPoP proof JWT headers are not allowed.');
  // A proof is single-use, even with a new assertion.
  const proof = await dpopProof(app.key, { htu: `${tokenUrl}?ignored=1`, nonce }); // §11.27: the query is ignored
  assert.equal((await keyToken(tokenUrl, app, 'okta.groups.read', { headers: { DPoP: proof } })).status, 200);
  const replay = await keyToken(tokenUrl, app, 'okta.groups.read', { headers: { DPoP: proof } });
  assertOAuthError(replay, 400, 'invalid_dpop_proof');
  assert.match(replay.json.error_description, /already been used/);
});

it('the management API refuses a DPoP-bound token without its proper proof (okta-compat.md §3)', async () => {
  const token = await dpopToken();
  const other = await rsaKey();
  const url = `${orgUrl}/api/v1/groups`;
  const ok = await groups(`DPoP ${token}`, await dpopProof(app.key, { htm: 'GET', htu: url, accessToken: token }));
  assert.equal(ok.status, 200, ok.text);

  const proofRequired = /^Bearer .*error="invalid_request", error_description="The resource request requires a DPoP proof\."$/;
  const asBearer = await groups(`Bearer ${token}`);
  assert.equal(asBearer.status, 400, asBearer.text);
  assert.match(asBearer.headers.get('www-authenticate'), proofRequired);
  const noProof = await groups(`DPoP ${token}`);
  assert.equal(noProof.status, 400);
  assert.match(noProof.headers.get('www-authenticate'), proofRequired);

  const invalidProof = (what) => new RegExp(`^DPoP algs="${ALGS}", error="invalid_dpop_proof", error_description=".*${what}`);
  const cases = [
    ['another key', await dpopProof(other, { htm: 'GET', htu: url, accessToken: token }), 'not bound to the provided DPoP proof'],
    ['another method', await dpopProof(app.key, { htm: 'POST', htu: url, accessToken: token }), "'htm'"],
    ['another URL', await dpopProof(app.key, { htm: 'GET', htu: `${orgUrl}/api/v1/users`, accessToken: token }), "'htu'"],
    ['another host', await dpopProof(app.key, { htm: 'GET', htu: url.replace('127.0.0.1', 'localhost'), accessToken: token }), "'htu'"],
    ['no ath', await dpopProof(app.key, { htm: 'GET', htu: url }), "'ath'"],
    ['ath of another token', await dpopProof(app.key, { htm: 'GET', htu: url, accessToken: `${token}x` }), "'ath'"],
  ];
  for (const [name, proof, what] of cases) {
    const res = await groups(`DPoP ${token}`, proof);
    assert.equal(res.status, 400, `${name}: ${res.status} ${res.text}`);
    assert.match(res.headers.get('www-authenticate') ?? '', invalidProof(what), name);
  }

  // A replayed proof.
  const once = await dpopProof(app.key, { htm: 'GET', htu: `${url}?limit=1`, accessToken: token });
  assert.equal((await groups(`DPoP ${token}`, once, { url: `${url}?limit=1` })).status, 200);
  const replay = await groups(`DPoP ${token}`, once, { url: `${url}?limit=1` });
  assert.equal(replay.status, 400);
  assert.match(replay.headers.get('www-authenticate'), invalidProof('already been used'));

  // A DPoP-scheme call with a token that is not DPoP-bound (§11.29).
  const bearer = await keyToken(tokenUrl, bearerApp, 'okta.groups.read');
  assert.equal(bearer.json.token_type, 'Bearer');
  const notBound = await groups(
    `DPoP ${bearer.json.access_token}`,
    await dpopProof(bearerApp.key, { htm: 'GET', htu: url, accessToken: bearer.json.access_token }),
  );
  assert.equal(notBound.status, 401);
  assert.equal(notBound.json?.errorCode, 'E0000011');
  assert.equal(
    notBound.headers.get('www-authenticate'),
    `DPoP algs="${ALGS}", error="invalid_token", error_description="The access token is not DPoP bound."`,
  );
});

it('oauth4webapi: DPoP client credentials at the default authorization server, introspected', async () => {
  await ensureAsScope(orgUrl, server.adminToken, 'widgets.read');
  const a = await secretApp(orgUrl, server.adminToken, { dpop: true });
  const issuer = new URL(`${orgUrl}/oauth2/default`);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  assert.ok(as.dpop_signing_alg_values_supported.includes('ES256'), '§11.26');
  const client = { client_id: a.clientId };
  const auth = oauth.ClientSecretBasic(a.secret);
  const keyPair = await oauth.generateKeyPair('ES256');
  const DPoP = oauth.DPoP(client, keyPair);
  const request = () =>
    oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ scope: 'widgets.read' }), { DPoP, ...insecure });
  let nonceErrors = 0;
  let tr;
  for (let attempt = 0; attempt < 2 && !tr; attempt += 1) {
    try {
      tr = await oauth.processClientCredentialsResponse(as, client, await request());
    } catch (err) {
      if (!oauth.isDPoPNonceError(err)) throw err;
      nonceErrors += 1; // the handle cached the DPoP-Nonce; retry once
    }
  }
  assert.equal(nonceErrors, 1, 'one use_dpop_nonce round trip');
  assert.equal(tr.token_type, 'dpop');
  const jkt = await DPoP.calculateThumbprint();
  assert.deepEqual(decodePayload(tr.access_token).cnf, { jkt });
  const ires = await oauth.introspectionRequest(as, client, auth, tr.access_token, insecure);
  const info = await oauth.processIntrospectionResponse(as, client, ires);
  assert.equal(info.active, true);
  assert.equal(info.token_type, 'DPoP');
  assert.deepEqual(info.cnf, { jkt });
  // The nonce stays cached in the handle: a second token needs no round trip.
  const again = await oauth.processClientCredentialsResponse(as, client, await request());
  assert.equal(again.token_type, 'dpop');
});

it('oauth4webapi: a DPoP token of the org AS and a protected resource request to the management API', async () => {
  const issuer = new URL(orgUrl);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  const client = { client_id: app.clientId };
  // PrivateKeyJwt signs aud = the issuer; okta-compat.md §11.19 accepts it beside the endpoint URL.
  const auth = oauth.PrivateKeyJwt({ key: app.key.privateKey, kid: app.key.kid });
  const keyPair = await oauth.generateKeyPair('ES256');
  const DPoP = oauth.DPoP(client, keyPair);
  const request = () =>
    oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ scope: 'okta.groups.read' }), { DPoP, ...insecure });
  let tr;
  try {
    tr = await oauth.processClientCredentialsResponse(as, client, await request());
  } catch (err) {
    assert.ok(oauth.isDPoPNonceError(err), `${err.name}: ${err.message}`);
    tr = await oauth.processClientCredentialsResponse(as, client, await request());
  }
  assert.equal(tr.token_type, 'dpop');
  const res = await oauth.protectedResourceRequest(tr.access_token, 'GET', new URL(`${orgUrl}/api/v1/groups?limit=10`), new Headers({ accept: 'application/json' }), null, { DPoP, ...insecure });
  assert.equal(res.status, 200);
  const names = (await res.json()).map((g) => g.profile.name).sort();
  assert.deepEqual(names, ['Everyone', 'Readers']);
});
