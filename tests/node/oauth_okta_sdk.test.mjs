// Okta's Node SDK in PrivateKey mode against Gatehouse (issue 3 "Tests in make test"; okta-compat.md
// §1.8, §1.9, §1.11, §3, §7.3-7.5): an RSA key registered inline in the app, a scope grant for
// okta.groups.read and a READ_ONLY_ADMIN client role. The SDK signs its own assertion (njwt,
// RS256, kid from the JWK, no client_id in the form) and always sends a DPoP header.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import okta from '@okta/okta-sdk-nodejs';
import { startServer, raw, rejection, collectAll, it, unique } from './lib/server.mjs';
import { keyApp, grantScope, rsaKey } from './lib/oauth.mjs';

let server;
let orgUrl;
let app; // private_key_jwt, okta.groups.read, READ_ONLY_ADMIN

function sdkClient(a, scopes = ['okta.groups.read']) {
  return new okta.Client({
    orgUrl,
    authorizationMode: 'PrivateKey',
    clientId: a.clientId,
    scopes,
    privateKey: { ...a.key.privateJwk }, // the SDK sets alg on the object it is given
    cacheMiddleware: null,
  });
}

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  await raw(`${orgUrl}/api/v1/groups`, {
    method: 'POST',
    token: server.adminToken,
    body: { profile: { name: 'Readers', description: 'seen through OAuth' } },
  });
  app = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
});

after(async () => {
  await server?.dispose();
});

it('PrivateKey mode lists groups with for await (token from ORG/oauth2/v1/token)', async () => {
  const c = sdkClient(app);
  const groups = await collectAll(c.groupApi.listGroups());
  const names = groups.map((g) => g.profile.name).sort();
  assert.deepEqual(names, ['Everyone', 'Readers']);
  // The SDK cached what the token endpoint answered: a Bearer token with the granted scope.
  const cached = c.oauth.accessToken;
  assert.equal(cached?.token_type, 'Bearer', JSON.stringify(cached));
  assert.equal(cached.scope, 'okta.groups.read');
  assert.equal(cached.expires_in, 3600);
  assert.equal(c.oauth.isDPoP, false, 'the DPoP header of a non-DPoP app is ignored (no use_dpop_nonce)');
});

it('a second page through the SDK (limit=1) follows the Link header with the Bearer token', async () => {
  const c = sdkClient(app);
  const groups = await collectAll(c.groupApi.listGroups({ limit: 1 }));
  assert.ok(groups.length >= 2, `${groups.length} groups`);
  assert.equal(new Set(groups.map((g) => g.id)).size, groups.length, 'no group twice');
});

it('creating a group without okta.groups.manage → 403 (OktaApiError or HttpError), not retried as 401', async () => {
  const c = sdkClient(app);
  const err = await rejection(c.groupApi.createGroup({ group: { profile: { name: unique('nope') } } }));
  assert.ok(['OktaApiError', 'HttpError'].includes(err.name), `${err.name}: ${err.message}`);
  assert.equal(err.status, 403, err.message);
  const res = await raw(`${orgUrl}/api/v1/groups?q=nope`, { token: server.adminToken });
  assert.deepEqual(res.json, [], 'no group was created');
});

it('the 403 for a missing scope carries the insufficient_scope challenge (§3)', async () => {
  const c = sdkClient(app);
  await collectAll(c.groupApi.listGroups());
  const at = c.oauth.accessToken.access_token;
  const res = await raw(`${orgUrl}/api/v1/groups`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${at}` },
    body: { profile: { name: unique('nope') } },
    lenient: true,
  });
  assert.equal(res.status, 403, res.text);
  const wa = res.headers.get('www-authenticate') ?? '';
  assert.match(wa, /^Bearer /i, `WWW-Authenticate: ${wa}`);
  assert.match(wa, /error="insufficient_scope"/, `WWW-Authenticate: ${wa}`);
  assert.match(wa, /scope="okta\.groups\.manage"/, `WWW-Authenticate: ${wa}`);
});

it('a scope the role cannot use: okta.groups.manage granted, READ_ONLY_ADMIN → 403 E0000006', async () => {
  const weak = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.manage'], role: 'READ_ONLY_ADMIN' });
  const c = sdkClient(weak, ['okta.groups.manage']);
  const groups = await collectAll(c.groupApi.listGroups()); // manage implies read
  assert.ok(groups.length >= 2);
  const err = await rejection(c.groupApi.createGroup({ group: { profile: { name: unique('weak') } } }));
  assert.equal(err.name, 'OktaApiError', `${err.name}: ${err.message}`);
  assert.equal(err.status, 403);
  assert.equal(err.errorCode, 'E0000006');
});

it('an app with no client role → 403 E0000006 even with the scope', async () => {
  const noRole = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'] });
  const c = sdkClient(noRole);
  const err = await rejection(collectAll(c.groupApi.listGroups()));
  assert.equal(err.status, 403, `${err.name}: ${err.message}`);
});

it('a scope without a grant: the token request fails, the SDK then sends Bearer undefined → 401 E0000011', async () => {
  const c = sdkClient(app, ['okta.users.read']);
  const err = await rejection(collectAll(c.userApi.listUsers()));
  assert.equal(err.name, 'OktaApiError', `${err.name}: ${err.message}`);
  assert.equal(err.status, 401);
  assert.equal(err.errorCode, 'E0000011');
  assert.equal(c.oauth.accessToken?.error, 'invalid_scope', `cached token-endpoint answer: ${JSON.stringify(c.oauth.accessToken)}`);
});

it('a client whose private key does not match the registered key cannot call the API (401)', async () => {
  const other = await rsaKey(app.key.kid); // same kid, different key
  const c = sdkClient({ clientId: app.clientId, key: other });
  const err = await rejection(collectAll(c.groupApi.listGroups()));
  assert.equal(err.status, 401, `${err.name}: ${err.message}`);
  assert.equal(c.oauth.accessToken?.error, 'invalid_client', JSON.stringify(c.oauth.accessToken));
});

// The token still verifies, but its scope is no longer granted: the scope check refuses it
// (okta-compat.md §3 "Scope check": 403 insufficient_scope).
it('revoking the grant takes effect on the next call made with the already-issued token: 403', async () => {
  const a = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const c = sdkClient(a);
  assert.ok((await collectAll(c.groupApi.listGroups())).length >= 2);
  const tokenBefore = c.oauth.accessToken.access_token;

  const del = await raw(`${orgUrl}/api/v1/apps/${a.id}/grants/${a.grants[0].id}`, {
    method: 'DELETE',
    token: server.adminToken,
  });
  assert.equal(del.status, 204, del.text);

  const err = await rejection(collectAll(c.groupApi.listGroups()));
  assert.equal(err.status, 403, `${err.name} ${err.status}: ${err.message}`);

  // The token issued before the revocation is refused on its own too.
  const res = await raw(`${orgUrl}/api/v1/groups`, { headers: { Authorization: `Bearer ${tokenBefore}` }, lenient: true });
  assert.equal(res.status, 403, `old token after grant revocation: ${res.text}`);
  assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);

  // Granting again lets a new token through.
  await grantScope(orgUrl, server.adminToken, a.id, 'okta.groups.read');
  const c2 = sdkClient(a);
  assert.ok((await collectAll(c2.groupApi.listGroups())).length >= 2);
});

it('many concurrent first calls of one client each get a token (distinct jtis, §7.3)', async () => {
  const c = sdkClient(app);
  const results = await Promise.all(Array.from({ length: 8 }, () => collectAll(c.groupApi.listGroups())));
  for (const r of results) assert.ok(r.length >= 2, `${r.length} groups`);
});
