// jose 6.2.18 verifies Gatehouse tokens against the published JWKS (issue 3 "Tests in make test",
// "Custom authorization servers … keys: list and rotate"; okta-compat.md §4 JWKS, §5 AS key and
// keyRotate): createRemoteJWKSet + jwtVerify on `default` tokens, then a key rotation: a new
// token has a new kid, and tokens of both keys verify. Last, a deleted custom authorization server
// (§5): its tokens are refused and its endpoints, keys included, are gone.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import * as jose from 'jose';
import { startServer, raw, rejection, it } from './lib/server.mjs';
import {
  secretApp, ensureAsScope, defaultToken, keyApp, orgToken, decodeHeader, basicToken, formPost, accessTokenOf,
} from './lib/oauth.mjs';
import { assertRawError } from './lib/checks.mjs';

let server;
let orgUrl;
let app;
let defaultIss;
let jwksUrl;
let cachedJwks; // one createRemoteJWKSet instance used before and after the rotation
let before1; // a token signed before the rotation
let keysBefore; // GET /credentials/keys before the rotation

const verifyOpts = () => ({ issuer: defaultIss, audience: 'api://default', algorithms: ['RS256'] });

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  defaultIss = `${orgUrl}/oauth2/default`;
  jwksUrl = new URL(`${defaultIss}/v1/keys`);
  await ensureAsScope(orgUrl, server.adminToken, 'widgets.read');
  app = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic' });
});

after(async () => {
  await server?.dispose();
});

it('createRemoteJWKSet(ORG/oauth2/default/v1/keys) + jwtVerify verifies a default token', async () => {
  cachedJwks = jose.createRemoteJWKSet(jwksUrl);
  before1 = await defaultToken(orgUrl, app, 'widgets.read');
  const { payload, protectedHeader } = await jwtVerifyOk(before1, cachedJwks);
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(typeof protectedHeader.kid, 'string');
  assert.equal(payload.iss, defaultIss);
  assert.equal(payload.aud, 'api://default');
  assert.equal(payload.cid, app.clientId);
  assert.deepEqual(payload.scp, ['widgets.read']);
});

async function jwtVerifyOk(token, jwks, what = 'jwtVerify') {
  try {
    return await jose.jwtVerify(token, jwks, verifyOpts());
  } catch (e) {
    throw new Error(`${what}: ${e.code ?? e.name}: ${e.message}; header ${JSON.stringify(decodeHeader(token))}`);
  }
}

it('the JWKS lists the ACTIVE and the NEXT key, public only, with Cache-Control', async () => {
  const res = await raw(jwksUrl.href);
  assert.equal(res.status, 200, res.text);
  assert.ok(res.headers.get('cache-control'), 'Cache-Control');
  const kids = res.json.keys.map((k) => k.kid);
  assert.ok(kids.length >= 2, `ACTIVE and NEXT are published: ${kids}`);
  assert.equal(new Set(kids).size, kids.length, 'kids are unique');
  for (const k of res.json.keys) {
    assert.deepEqual(
      Object.keys(k).filter((n) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].includes(n)),
      [],
      'no private members',
    );
    await jose.importJWK(k, 'RS256'); // each one imports as an RS256 public key
  }

  const api = await raw(`${orgUrl}/api/v1/authorizationServers/default/credentials/keys`, { token: server.adminToken });
  assert.equal(api.status, 200, api.text);
  assert.ok(Array.isArray(api.json), 'listAuthorizationServerKeys is an array');
  keysBefore = api.json;
  const statuses = keysBefore.map((k) => k.status).sort();
  assert.deepEqual(statuses.filter((s) => s !== 'EXPIRED'), ['ACTIVE', 'NEXT']);
  const active = keysBefore.find((k) => k.status === 'ACTIVE');
  assert.equal(active.kid, decodeHeader(before1).kid, 'tokens are signed with the ACTIVE key');
  for (const k of keysBefore) assert.ok(kids.includes(k.kid), `key ${k.kid} (${k.status}) is in the JWKS`);
});

it('keyRotate: 200 with an array of keys, no Link; ACTIVE → EXPIRED, NEXT → ACTIVE, a new NEXT', async () => {
  assert.ok(keysBefore, 'needs the key list of the previous test');
  const res = await raw(`${orgUrl}/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate`, {
    method: 'POST',
    token: server.adminToken,
    body: { use: 'sig' },
  });
  assert.equal(res.status, 200, res.text);
  assert.ok(Array.isArray(res.json), `an array of keys: ${res.text.slice(0, 300)}`);
  assert.equal(res.headers.get('link'), null, 'no Link header on keyRotate (§1.6)');

  const oldActive = keysBefore.find((k) => k.status === 'ACTIVE').kid;
  const oldNext = keysBefore.find((k) => k.status === 'NEXT').kid;
  const byKid = Object.fromEntries(res.json.map((k) => [k.kid, k.status]));
  assert.equal(byKid[oldNext], 'ACTIVE', `former NEXT is ACTIVE: ${JSON.stringify(byKid)}`);
  assert.equal(byKid[oldActive], 'EXPIRED', `former ACTIVE is EXPIRED: ${JSON.stringify(byKid)}`);
  assert.equal(res.json.filter((k) => k.status === 'ACTIVE').length, 1, `one ACTIVE key: ${JSON.stringify(byKid)}`);
  const list = await raw(`${orgUrl}/api/v1/authorizationServers/default/credentials/keys`, { token: server.adminToken });
  assert.equal(list.status, 200, list.text);
  const listed = Object.fromEntries(list.json.map((k) => [k.kid, k.status]));
  assert.equal(listed[oldNext], 'ACTIVE', `GET …/credentials/keys after the rotation: ${JSON.stringify(listed)}`);
  assert.equal(listed[oldActive], 'EXPIRED', `GET …/credentials/keys: ${JSON.stringify(listed)}`);
  const fresh = res.json.filter((k) => k.status === 'NEXT');
  assert.equal(fresh.length, 1, JSON.stringify(byKid));
  assert.ok(![oldActive, oldNext].includes(fresh[0].kid), 'a new NEXT key');

  const as = await raw(`${orgUrl}/api/v1/authorizationServers/default`, { token: server.adminToken });
  assert.equal(as.status, 200, as.text);
  assert.equal(as.json.credentials?.signing?.kid, oldNext, 'credentials.signing.kid is the new ACTIVE key');
});

it('after the rotation a new token has the new kid, and old and new tokens both verify', async () => {
  assert.ok(before1, 'needs the token of the first test');
  const after1 = await defaultToken(orgUrl, app, 'widgets.read');
  const oldKid = decodeHeader(before1).kid;
  const newKid = decodeHeader(after1).kid;
  assert.notEqual(newKid, oldKid, 'new tokens use the new key at once');
  assert.ok(keysBefore, 'needs the key list of the second test');
  const expectedNew = keysBefore.find((k) => k.status === 'NEXT').kid;
  assert.equal(newKid, expectedNew, 'the new key is the one that was published as NEXT');

  const freshJwks = jose.createRemoteJWKSet(jwksUrl);
  await jwtVerifyOk(before1, freshJwks, 'old token, fresh JWKS');
  await jwtVerifyOk(after1, freshJwks, 'new token, fresh JWKS');
  // A verifier that fetched the JWKS before the rotation already knows the new key (it was NEXT).
  await jwtVerifyOk(after1, cachedJwks, 'new token, JWKS cached before the rotation');
  await jwtVerifyOk(before1, cachedJwks, 'old token, JWKS cached before the rotation');
});

it('the org AS signs with its own keys: org tokens verify at ORG/oauth2/v1/keys, not at default', async () => {
  const keyed = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const at = await orgToken(orgUrl, keyed, 'okta.groups.read');
  const orgJwks = jose.createRemoteJWKSet(new URL(`${orgUrl}/oauth2/v1/keys`));
  const { payload } = await jose.jwtVerify(at, orgJwks, { issuer: orgUrl, audience: orgUrl, algorithms: ['RS256'] });
  assert.equal(payload.cid, keyed.clientId);
  assert.deepEqual(payload.scp, ['okta.groups.read']);

  const err = await rejection(jose.jwtVerify(at, jose.createRemoteJWKSet(jwksUrl), { algorithms: ['RS256'] }));
  assert.equal(err.code, 'ERR_JWKS_NO_MATCHING_KEY', `${err.code}: ${err.message}`);
  const dflt = await defaultToken(orgUrl, app, 'widgets.read');
  const err2 = await rejection(jose.jwtVerify(dflt, orgJwks, { algorithms: ['RS256'] }));
  assert.equal(err2.code, 'ERR_JWKS_NO_MATCHING_KEY', `${err2.code}: ${err2.message}`);
});

it('a second rotation: the token of two rotations ago still verifies until it expires', async () => {
  const res = await raw(`${orgUrl}/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate`, {
    method: 'POST',
    token: server.adminToken,
    body: { use: 'sig' },
  });
  assert.equal(res.status, 200, res.text);
  const after2 = await defaultToken(orgUrl, app, 'widgets.read');
  const jwks = jose.createRemoteJWKSet(jwksUrl);
  await jwtVerifyOk(before1, jwks, 'token of two rotations ago');
  await jwtVerifyOk(after2, jwks, 'token after the second rotation');
});

// ---------------------------------------------------------------------------------------------
// Deleting an authorization server (okta-compat.md §5 Authorization server): 204 whether it is
// ACTIVE or INACTIVE, as Okta's own SDK integration tests expect; its tokens are refused from then
// on, and its OAuth endpoints answer as an unknown server's do.

// A custom AS that issues `${name}.read` to any client with client_credentials; resolves to
// {id, issuer}.
async function customServer(name) {
  const sdk = server.client();
  const as = await sdk.authorizationServerApi.createAuthorizationServer({
    authorizationServer: { name, description: `${name} API`, audiences: [`api://${name}`] },
  });
  const post = async (path, body) => {
    const res = await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}${path}`, { method: 'POST', token: server.adminToken, body });
    assert.equal(res.status, 201, `POST …${path}: ${res.text}`);
    return res.json;
  };
  await post('/scopes', { name: `${name}.read` });
  const policy = await post('/policies', {
    type: 'OAUTH_AUTHORIZATION_POLICY', name: 'all clients', conditions: { clients: { include: ['ALL_CLIENTS'] } },
  });
  await post(`/policies/${policy.id}/rules`, {
    name: 'client credentials', type: 'RESOURCE_ACCESS',
    conditions: { grantTypes: { include: ['client_credentials'] }, scopes: { include: [`${name}.read`] } },
  });
  return { id: as.id, issuer: `${orgUrl}/oauth2/${as.id}` };
}

const introspect = (url, token) => formPost(url, { token }, { basic: [app.clientId, app.secret] });

// What an AS's OAuth endpoints answer, to compare a deleted server with one that never existed.
async function endpointAnswers(issuer, token) {
  const out = {};
  for (const [what, res] of [
    ['discovery', await raw(`${issuer}/.well-known/openid-configuration`, { lenient: true })],
    ['keys', await raw(`${issuer}/v1/keys`, { lenient: true })],
    ['token', await basicToken(`${issuer}/v1/token`, app, 'x.read')],
    ['introspect', await introspect(`${issuer}/v1/introspect`, token)],
  ]) {
    out[what] = { status: res.status, error: res.json?.error };
  }
  return out;
}

it('DELETE of an ACTIVE authorization server is 204; its tokens are refused from then on', async () => {
  const { id, issuer } = await customServer('doomed');
  const at = accessTokenOf(await basicToken(`${issuer}/v1/token`, app, 'doomed.read'), 'token of the custom AS');
  const live = await introspect(`${issuer}/v1/introspect`, at);
  assert.equal(live.status, 200, live.text);
  assert.equal(live.json.active, true, 'active before the delete');
  const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/v1/keys`));
  await jose.jwtVerify(at, jwks, { issuer, audience: 'api://doomed', algorithms: ['RS256'] });

  // Through the SDK, as Okta's integration tests do: no deactivation first.
  assert.equal((await server.client().authorizationServerApi.getAuthorizationServer({ authServerId: id })).status, 'ACTIVE');
  await server.client().authorizationServerApi.deleteAuthorizationServer({ authServerId: id });
  const get = await raw(`${orgUrl}/api/v1/authorizationServers/${id}`, { token: server.adminToken });
  assertRawError(get, 404, 'E0000007');
  assertRawError(await raw(`${orgUrl}/api/v1/authorizationServers/${id}`, { method: 'DELETE', token: server.adminToken }), 404, 'E0000007');

  // Its endpoints answer as those of a server that never existed: 404 everywhere, so the token
  // no longer introspects as active there.
  const gone = await endpointAnswers(issuer, at);
  assert.equal(gone.introspect.status, 404, JSON.stringify(gone));
  assert.deepEqual(gone, await endpointAnswers(`${orgUrl}/oauth2/ausNoSuchServer12345`, at));
  for (const [what, a] of Object.entries(gone)) assert.equal(a.status, 404, `${what}: ${JSON.stringify(a)}`);
  // Nor anywhere else: `default` does not take a token of another issuer.
  const elsewhere = await introspect(`${defaultIss}/v1/introspect`, at);
  assert.equal(elsewhere.status, 200, elsewhere.text);
  assert.deepEqual(elsewhere.json, { active: false });
});

it('DELETE of an INACTIVE authorization server is 204 too; `default` still cannot be deleted', async () => {
  const { id } = await customServer('retired');
  const sdk = server.client();
  await sdk.authorizationServerApi.deactivateAuthorizationServer({ authServerId: id });
  const res = await raw(`${orgUrl}/api/v1/authorizationServers/${id}`, { method: 'DELETE', token: server.adminToken });
  assert.equal(res.status, 204, res.text);
  assert.equal(res.text, '');
  assertRawError(await raw(`${orgUrl}/api/v1/authorizationServers/${id}`, { token: server.adminToken }), 404, 'E0000007');

  assertRawError(await raw(`${orgUrl}/api/v1/authorizationServers/default`, { method: 'DELETE', token: server.adminToken }), 400, 'E0000001');
  assert.equal((await sdk.authorizationServerApi.getAuthorizationServer({ authServerId: 'default' })).status, 'ACTIVE');
  assert.equal((await defaultToken(orgUrl, app, 'widgets.read')).split('.').length, 3, 'default still issues tokens');
});
