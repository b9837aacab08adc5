// @okta/jwt-verifier 4.0.2 verifies Gatehouse access tokens (issue 3 "Tests in make test";
// okta-compat.md §4, §4.2, §8): an org AS token obtained with a private_key_jwt assertion signed
// with jose (jwksUri = ORG/oauth2/v1/keys), and a `default` AS token obtained with
// client_secret_basic (jwksUri derived from the issuer). Tampered tokens are rejected.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import OktaJwtVerifier from '@okta/jwt-verifier';
import { startServer, raw, rejection, it } from './lib/server.mjs';
import {
  keyApp,
  secretApp,
  ensureAsScope,
  keyToken,
  basicToken,
  accessTokenOf,
  tamper,
  handJwt,
  decodeHeader,
  decodePayload,
  rsaKey,
} from './lib/oauth.mjs';

let server;
let orgUrl;
let keyClient; // private_key_jwt, okta.groups.read, READ_ONLY_ADMIN
let secretClient; // client_secret_basic
let orgAt; // org AS token of keyClient
let defaultAt; // default AS token of secretClient

function orgVerifier(assertClaims = {}) {
  return new OktaJwtVerifier({
    issuer: orgUrl,
    jwksUri: `${orgUrl}/oauth2/v1/keys`,
    assertClaims,
    testing: { disableHttpsCheck: true },
  });
}

function defaultVerifier(assertClaims = {}) {
  return new OktaJwtVerifier({
    issuer: `${orgUrl}/oauth2/default`,
    assertClaims,
    testing: { disableHttpsCheck: true },
  });
}

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  keyClient = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  secretClient = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic' });
  await ensureAsScope(orgUrl, server.adminToken, 'widgets.read');
});

after(async () => {
  await server?.dispose();
});

it('org AS: a private_key_jwt assertion signed with jose buys a token (200, no-store, the §4.1 body)', async () => {
  const res = await keyToken(`${orgUrl}/oauth2/v1/token`, keyClient, 'okta.groups.read');
  orgAt = accessTokenOf(res);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i);
  assert.match(res.headers.get('cache-control') ?? '', /no-store/i);
  assert.match(res.headers.get('pragma') ?? '', /no-cache/i);
  assert.equal(res.json.token_type, 'Bearer');
  assert.equal(res.json.expires_in, 3600);
  assert.equal(res.json.scope, 'okta.groups.read');
  assert.ok(!('refresh_token' in res.json) && !('id_token' in res.json), res.text);
});

it('org AS: jwt-verifier (issuer = org URL, jwksUri = ORG/oauth2/v1/keys, assertClaims cid) verifies it', async () => {
  assert.ok(orgAt, 'needs the org AS token of the previous test');
  const jwt = await orgVerifier({ cid: keyClient.clientId, 'scp.includes': ['okta.groups.read'] }).verifyAccessToken(
    orgAt,
    orgUrl,
  );
  const c = jwt.claims;
  assert.equal(c.iss, orgUrl);
  assert.equal(c.aud, orgUrl);
  assert.equal(c.cid, keyClient.clientId);
  assert.equal(c.sub, keyClient.clientId);
  assert.equal(c.ver, 1);
  assert.match(c.jti, /^AT\./);
  assert.deepEqual(c.scp, ['okta.groups.read']);
  assert.equal(c.exp - c.iat, 3600, 'org AS tokens live one hour');
  assert.ok(!('uid' in c), 'no uid for client_credentials');
  assert.equal(jwt.header.alg, 'RS256');
  assert.equal(typeof jwt.header.kid, 'string');
  // njwt's parsed header always has a typ property; read the token's own header.
  const header = decodeHeader(orgAt);
  assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid'], `header {kid, alg} without typ (§4.2): ${JSON.stringify(header)}`);
});

it('org AS: the verified token works on the management API', async () => {
  const res = await raw(`${orgUrl}/api/v1/groups`, { headers: { Authorization: `Bearer ${orgAt}` } });
  assert.equal(res.status, 200, res.text);
  assert.ok(res.json.some((g) => g.profile.name === 'Everyone'));
});

it('org AS: a wrong cid, audience or issuer is rejected by the verifier', async () => {
  await rejection(orgVerifier({ cid: 'someone-else' }).verifyAccessToken(orgAt, orgUrl));
  await rejection(orgVerifier().verifyAccessToken(orgAt, 'api://default'));
  await rejection(
    new OktaJwtVerifier({
      issuer: `${orgUrl}/`,
      jwksUri: `${orgUrl}/oauth2/v1/keys`,
      testing: { disableHttpsCheck: true },
    }).verifyAccessToken(orgAt, orgUrl),
  );
});

it('default AS: client_secret_basic (secret from the create response) buys a widgets.read token', async () => {
  const res = await basicToken(`${orgUrl}/oauth2/default/v1/token`, secretClient, 'widgets.read');
  defaultAt = accessTokenOf(res);
  assert.equal(res.json.token_type, 'Bearer');
  assert.equal(typeof res.json.expires_in, 'number');
  assert.equal(res.json.scope, 'widgets.read');
  assert.match(res.headers.get('cache-control') ?? '', /no-store/i);
});

it("default AS: jwt-verifier (issuer ORG/oauth2/default, audience 'api://default') verifies it", async () => {
  assert.ok(defaultAt, 'needs the default AS token of the previous test');
  const jwt = await defaultVerifier({ cid: secretClient.clientId, 'scp.includes': ['widgets.read'] }).verifyAccessToken(
    defaultAt,
    'api://default',
  );
  const c = jwt.claims;
  assert.equal(c.iss, `${orgUrl}/oauth2/default`);
  assert.equal(c.aud, 'api://default');
  assert.equal(c.cid, secretClient.clientId);
  assert.equal(c.sub, secretClient.clientId);
  assert.equal(c.ver, 1);
  assert.match(c.jti, /^AT\./);
  assert.deepEqual(c.scp, ['widgets.read']);
  assert.equal(c.exp - c.iat, 3600, 'the Default Policy Rule gives 60-minute tokens');
  assert.ok(!('uid' in c));
});

it('the default token is not accepted as an org token and vice versa (issuer, keys)', async () => {
  await rejection(orgVerifier().verifyAccessToken(defaultAt, 'api://default'));
  await rejection(defaultVerifier().verifyAccessToken(orgAt, orgUrl));
  assert.notEqual(decodeHeader(orgAt).kid, decodeHeader(defaultAt).kid, 'the org AS and default sign with different keys');
});

it('tampered tokens are rejected: changed payload, changed signature, alg none, another key', async () => {
  const v = defaultVerifier();
  // More scopes, same signature.
  const widened = tamper(defaultAt, (p) => ({ ...p, scp: ['widgets.read', 'widgets.write'] }));
  await rejection(v.verifyAccessToken(widened, 'api://default'));
  // One flipped signature character.
  const [h, p, s] = defaultAt.split('.');
  const flipped = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
  await rejection(v.verifyAccessToken(flipped, 'api://default'));
  // alg none with the same kid.
  const none = handJwt({ ...decodeHeader(defaultAt), alg: 'none' }, decodePayload(defaultAt));
  await rejection(v.verifyAccessToken(none, 'api://default'));
  // Signed by a stranger under the server's kid.
  const stranger = await rsaKey(decodeHeader(defaultAt).kid);
  const forged = handJwt({ alg: 'RS256', kid: stranger.kid }, decodePayload(defaultAt), { key: stranger });
  await rejection(v.verifyAccessToken(forged, 'api://default'));
  // The untouched token still verifies with the same verifier.
  await v.verifyAccessToken(defaultAt, 'api://default');
});

it('the published JWKS has what jwks-rsa keeps (kty RSA, use sig, kid, no private members)', async () => {
  for (const url of [`${orgUrl}/oauth2/v1/keys`, `${orgUrl}/oauth2/default/v1/keys`]) {
    const res = await raw(url);
    assert.equal(res.status, 200, `${url}: ${res.text}`);
    assert.ok(Array.isArray(res.json?.keys) && res.json.keys.length >= 1, `${url}: ${res.text}`);
    for (const k of res.json.keys) {
      assert.equal(k.kty, 'RSA');
      assert.equal(k.alg, 'RS256');
      assert.equal(k.use, 'sig');
      assert.equal(typeof k.kid, 'string');
      assert.equal(k.e, 'AQAB');
      for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(priv in k), `${url}: private member ${priv}`);
    }
    assert.ok(res.headers.get('cache-control'), `${url}: Cache-Control`);
  }
});
