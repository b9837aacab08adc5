// Interop (issue 16): the C++ SDK is not tied to Gatehouse. node-oidc-provider (configured with
// client_credentials and a resource indicator, so that it issues RFC 9068 JWT access tokens)
// hands the SDK's TokenClient tokens for client_secret_basic, private_key_jwt and DPoP, found by
// discovery (openid-configuration: the provider serves no RFC 8414 document); the SDK's
// Verifier accepts those tokens (scope as a string, JWKS from the provider's metadata) and
// refuses them for another audience.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, after, test } from 'node:test';
import * as jose from 'jose';
import Provider from 'oidc-provider';
import { driver, tempDir } from './lib/sdk.mjs';

const RESOURCE = 'urn:example:orders-api';
const SECRET = 'interop-secret-0123456789abcdef';
let issuer;
let httpServer;
let dir;
let keyFile;

function decodePayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

before(async () => {
  dir = await tempDir();
  const signing = await jose.generateKeyPair('RS256', { extractable: true });
  const client = await jose.generateKeyPair('ES256', { extractable: true });
  const clientPrivate = { ...(await jose.exportJWK(client.privateKey)), kid: 'c1' };
  keyFile = path.join(dir, 'client.jwk.json');
  await fs.writeFile(keyFile, JSON.stringify(clientPrivate), { mode: 0o600 });
  httpServer = http.createServer();
  await new Promise((r) => httpServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${httpServer.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'svc-basic', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [],
        response_types: [], token_endpoint_auth_method: 'client_secret_basic' },
      { client_id: 'svc-key', grant_types: ['client_credentials'], redirect_uris: [], response_types: [],
        token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [{ ...(await jose.exportJWK(client.publicKey)), kid: 'c1', use: 'sig' }] } },
    ],
    jwks: { keys: [{ ...(await jose.exportJWK(signing.privateKey)), kid: 'op1', use: 'sig', alg: 'RS256' }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'orders.read orders.write',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  httpServer.on('request', provider.callback());
});

after(async () => {
  httpServer?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

test('client_secret_basic: a JWT access token from node-oidc-provider, accepted by the Verifier', async () => {
  const r = await driver(['token', '--issuer', issuer, '--client-id', 'svc-basic', '--method', 'basic',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read', '--resource', RESOURCE], { env: { SDK_SECRET: SECRET } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.token_endpoint, `${issuer}/token`);
  const claims = decodePayload(r.json.access_token);
  assert.equal(claims.aud, RESOURCE);
  assert.equal(claims.scope, 'orders.read');
  const ok = await driver(['verify', '--issuer', issuer, '--audience', RESOURCE, '--scopes', 'orders.read',
    '--token', r.json.access_token]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(ok.json.client_id, 'svc-basic');
  assert.deepEqual(ok.json.scopes, ['orders.read']);
  const other = await driver(['verify', '--issuer', issuer, '--audience', 'urn:example:else', '--token', r.json.access_token]);
  assert.equal(other.code, 1);
  assert.equal(other.json.detail, 'audience');
  const scope = await driver(['verify', '--issuer', issuer, '--audience', RESOURCE, '--scopes', 'orders.write',
    '--token', r.json.access_token]);
  assert.equal(scope.code, 1);
  assert.equal(scope.json.status, 403);
});

test('private_key_jwt (EC JWK): the provider accepts the SDK\'s RFC 7523 assertion', async () => {
  const r = await driver(['token', '--issuer', issuer, '--client-id', 'svc-key', '--method', 'key',
    '--key-file', keyFile, '--scopes', 'orders.read orders.write'.replace(' ', ','), '--resource', RESOURCE]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(decodePayload(r.json.access_token).client_id, 'svc-key');
  const ok = await driver(['verify', '--issuer', issuer, '--audience', RESOURCE, '--scopes', 'orders.read,orders.write',
    '--token', r.json.access_token]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
});

test('DPoP: the provider binds the token to the SDK\'s proof key (cnf.jkt)', async () => {
  const r = await driver(['token', '--issuer', issuer, '--client-id', 'svc-basic', '--method', 'basic',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read', '--resource', RESOURCE, '--dpop'], { env: { SDK_SECRET: SECRET } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.token_type, 'DPoP');
  assert.ok(decodePayload(r.json.access_token).cnf?.jkt);
  // Presented as a Bearer token, the bound token is refused (RFC 9449 §7.1).
  const bearer = await driver(['verify', '--issuer', issuer, '--audience', RESOURCE, '--token', r.json.access_token]);
  assert.equal(bearer.code, 1);
  assert.match(bearer.json.detail, /DPoP-bound/);
});
