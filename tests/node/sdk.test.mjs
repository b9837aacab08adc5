// The C++ SDK against a real Gatehouse (issue 16): TokenClient with client_secret_basic,
// client_secret_post and private_key_jwt (RSA JWK, EC PEM), discovery from the org URL,
// DPoP-bound tokens used on the management API, concurrent callers sharing one token request,
// and the Verifier on tokens of the `default` custom authorization server.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, after } from 'node:test';
import * as jose from 'jose';
import { startServer, it, unique } from './lib/server.mjs';
import { keyApp, secretApp, createServiceApp, grantScope, assignClientRole, ensureAsScope, decodePayload } from './lib/oauth.mjs';
import { driver, tempDir, pemOf } from './lib/sdk.mjs';

let server;
let orgUrl;
let dir;
let keyClient; // private_key_jwt RSA, okta.groups.read, READ_ONLY_ADMIN
let basicClient;
let postClient;

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  dir = await tempDir();
  const token = server.adminToken;
  keyClient = await keyApp(orgUrl, token, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  basicClient = await secretApp(orgUrl, token, { method: 'client_secret_basic' });
  postClient = await secretApp(orgUrl, token, { method: 'client_secret_post' });
  await ensureAsScope(orgUrl, token, 'orders.read');
});

after(async () => {
  await server?.dispose();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function writeKey(name, text) {
  const file = path.join(dir, name);
  await fs.writeFile(file, text, { mode: 0o600 });
  return file;
}

// The org AS takes only private_key_jwt for client credentials (okta-compat.md §4.1): the
// secret methods are exercised at the `default` custom authorization server.
it('client_secret_basic: discovery from the default AS issuer (RFC 8414) and a token', async () => {
  const issuer = `${orgUrl}/oauth2/default`;
  const r = await driver(['token', '--issuer', issuer, '--client-id', basicClient.clientId, '--method', 'basic',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read'], { env: { SDK_SECRET: basicClient.secret } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.token_endpoint, `${issuer}/v1/token`);
  assert.equal(r.json.token_type, 'Bearer');
  assert.equal(r.json.scope, 'orders.read');
  assert.equal(decodePayload(r.json.access_token).cid, basicClient.clientId);
  assert.equal(r.json.token_requests, 1);
});

it('client_secret_post: a token; a wrong secret is an invalid_client error and exit 1', async () => {
  const issuer = `${orgUrl}/oauth2/default`;
  const r = await driver(['token', '--issuer', issuer, '--client-id', postClient.clientId, '--method', 'post',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read'], { env: { SDK_SECRET: postClient.secret } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(decodePayload(r.json.access_token).cid, postClient.clientId);
  const bad = await driver(['token', '--issuer', issuer, '--client-id', postClient.clientId, '--method', 'post',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read'], { env: { SDK_SECRET: 'wrong-secret-value' } });
  assert.equal(bad.code, 1, bad.stdout);
  assert.equal(bad.json.status, 401);
  assert.match(bad.json.detail, /^invalid_client/);
  assert.ok(!bad.stdout.includes('wrong-secret-value'), 'the secret is not echoed');
});

it('private_key_jwt with an RSA private JWK: token, then GET /api/v1/groups', async () => {
  const file = await writeKey('rsa.jwk.json', JSON.stringify(keyClient.key.privateJwk));
  const r = await driver(['token', '--issuer', orgUrl, '--client-id', keyClient.clientId, '--method', 'key',
    '--key-file', file, '--scopes', 'okta.groups.read', '--call', `${orgUrl}/api/v1/groups?limit=1`]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.call_status, 200, r.json.call_body);
});

it('private_key_jwt with an EC P-256 key from PKCS#8 PEM (kid given)', async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const kid = unique('ec');
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, use: 'sig', alg: 'ES256' };
  const app = await createServiceApp(orgUrl, server.adminToken, { method: 'private_key_jwt', jwks: { keys: [publicJwk] } });
  await grantScope(orgUrl, server.adminToken, app.id, 'okta.groups.read');
  const file = await writeKey('ec.pem', pemOf(await jose.exportJWK(privateKey)));
  const r = await driver(['token', '--issuer', orgUrl, '--client-id', app.clientId, '--method', 'key',
    '--key-file', file, '--kid', kid, '--scopes', 'okta.groups.read']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(decodePayload(r.json.access_token).cid, app.clientId);
});

it('DPoP: a DPoP-bound token (nonce handled by the SDK) used on the management API with proofs', async () => {
  const dpopApp = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN', dpop: true });
  const file = await writeKey('dpop.jwk.json', JSON.stringify(dpopApp.key.privateJwk));
  const r = await driver(['token', '--issuer', orgUrl, '--client-id', dpopApp.clientId, '--method', 'key',
    '--key-file', file, '--scopes', 'okta.groups.read', '--dpop', '--call', `${orgUrl}/api/v1/groups?limit=5`]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.token_type, 'DPoP');
  assert.ok(decodePayload(r.json.access_token).cnf?.jkt, 'bound to the proof key');
  assert.equal(r.json.call_status, 200, r.json.call_body);
  // Without --dpop the app's tokens are refused (the server requires DPoP for it).
  const plain = await driver(['token', '--issuer', orgUrl, '--client-id', dpopApp.clientId, '--method', 'key',
    '--key-file', file, '--scopes', 'okta.groups.read']);
  assert.equal(plain.code, 1, plain.stdout);
  assert.equal(plain.json.status, 400);
});

it('eight threads asking at once send one token request', async () => {
  const file = await writeKey('rsa2.jwk.json', JSON.stringify(keyClient.key.privateJwk));
  const r = await driver(['token', '--token-endpoint', `${orgUrl}/oauth2/v1/token`, '--client-id', keyClient.clientId,
    '--method', 'key', '--key-file', file, '--scopes', 'okta.groups.read', '--threads', '8']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.token_requests, 1);
});

it('Verifier: accepts a default-AS token for its audience and scope, refuses other audiences and missing scopes', async () => {
  const app = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic' });
  const issuer = `${orgUrl}/oauth2/default`;
  const got = await driver(['token', '--issuer', issuer, '--client-id', app.clientId, '--method', 'basic',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read'], { env: { SDK_SECRET: app.secret } });
  assert.equal(got.code, 0, got.stdout + got.stderr);
  const at = got.json.access_token;
  const aud = decodePayload(at).aud;
  assert.equal(aud, 'api://default');
  const ok = await driver(['verify', '--issuer', issuer, '--audience', aud, '--scopes', 'orders.read', '--token', at]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.deepEqual(ok.json.scopes, ['orders.read']);
  assert.equal(ok.json.client_id, app.clientId);
  const wrongAud = await driver(['verify', '--issuer', issuer, '--audience', 'api://other', '--token', at]);
  assert.equal(wrongAud.code, 1);
  assert.equal(wrongAud.json.detail, 'audience');
  const scope = await driver(['verify', '--issuer', issuer, '--audience', aud, '--scopes', 'orders.write', '--token', at]);
  assert.equal(scope.code, 1);
  assert.equal(scope.json.status, 403);
  const wrongIss = await driver(['verify', '--issuer', orgUrl, '--audience', aud, '--token', at]);
  assert.equal(wrongIss.code, 1, 'an org AS verifier refuses the default AS token');
});
