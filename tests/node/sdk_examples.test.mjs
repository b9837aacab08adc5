// The SDK's examples, built by the top CMakeLists and run against a real Gatehouse (issue 16):
// examples/partner-sync lists every group with a private_key_jwt token, following the Link
// pages; examples/protected-api requires orders.read of the `default` custom authorization
// server through the SDK's Verifier used as middleware, Bearer and DPoP (proof per call).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, after } from 'node:test';
import { startServer, raw, it, unique } from './lib/server.mjs';
import { keyApp, secretApp, ensureAsScope, basicToken, accessTokenOf } from './lib/oauth.mjs';
import { BUILD_DIR, runBin, tempDir, driver } from './lib/sdk.mjs';

const PARTNER_SYNC = path.join(BUILD_DIR, 'examples/partner-sync/partner-sync');
const PROTECTED_API = path.join(BUILD_DIR, 'examples/protected-api/protected-api');

let server;
let orgUrl;
let dir;
let api; // the protected-api process
let apiUrl;

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  dir = await tempDir();
  await ensureAsScope(orgUrl, server.adminToken, 'orders.read');
  await ensureAsScope(orgUrl, server.adminToken, 'widgets.read');
});

after(async () => {
  api?.kill('SIGTERM');
  await server?.dispose();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

it('partner-sync: a private_key_jwt token, then every group over several pages', async () => {
  for (let i = 0; i < 5; i += 1) {
    const res = await raw(`${orgUrl}/api/v1/groups`, { method: 'POST', token: server.adminToken,
      body: { profile: { name: unique('partners'), description: 'synced' } } });
    assert.equal(res.status, 200, res.text);
  }
  const all = await raw(`${orgUrl}/api/v1/groups?limit=200`, { token: server.adminToken });
  const ids = all.json.map((g) => g.id).sort();
  assert.ok(ids.length >= 6);
  const app = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const keyFile = path.join(dir, 'partner.jwk.json');
  await fs.writeFile(keyFile, JSON.stringify(app.key.privateJwk), { mode: 0o600 });
  const r = await runBin(PARTNER_SYNC, ['--org-url', orgUrl, '--client-id', app.clientId, '--key-file', keyFile,
    '--page-size', '2']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.pop(), `synced ${ids.length} groups`);
  assert.deepEqual(lines.map((l) => l.split(' ')[0]).sort(), ids, 'every group once, across pages of 2');
  // Without the role the same token is refused: a clear error and exit 1.
  const noRole = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'] });
  await fs.writeFile(keyFile, JSON.stringify(noRole.key.privateJwk));
  const refused = await runBin(PARTNER_SYNC, ['--org-url', orgUrl, '--client-id', noRole.clientId, '--key-file', keyFile]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /HTTP 403/);
});

async function startApi() {
  api = spawn(PROTECTED_API, ['--issuer', `${orgUrl}/oauth2/default`, '--audience', 'api://default',
    '--scope', 'orders.read'], { stdio: ['ignore', 'pipe', 'pipe'] });
  apiUrl = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`protected-api did not start: ${out}`)), 10_000);
    api.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    api.on('exit', (code) => reject(new Error(`protected-api exited ${code}: ${out}`)));
  });
}

it('protected-api: orders.read from the default AS gets in; no token, a wrong scope or an org AS token do not', async () => {
  await startApi();
  const tokenUrl = `${orgUrl}/oauth2/default/v1/token`;
  const app = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic' });
  const good = accessTokenOf(await basicToken(tokenUrl, app, 'orders.read'));
  const ok = await fetch(`${apiUrl}/orders`, { headers: { Authorization: `Bearer ${good}` } });
  assert.equal(ok.status, 200);
  const body = await ok.json();
  assert.equal(body.client, app.clientId);
  assert.equal(body.orders.length, 2);

  const none = await fetch(`${apiUrl}/orders`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="api://default"');

  const widgets = accessTokenOf(await basicToken(tokenUrl, app, 'widgets.read'));
  const wrong = await fetch(`${apiUrl}/orders`, { headers: { Authorization: `Bearer ${widgets}` } });
  assert.equal(wrong.status, 403);
  assert.match(wrong.headers.get('www-authenticate'), /error="insufficient_scope", scope="orders.read"/);

  const tampered = `${good.slice(0, -4)}AAAA`;
  const bad = await fetch(`${apiUrl}/orders`, { headers: { Authorization: `Bearer ${tampered}` } });
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate'), /error="invalid_token"/);
});

it('protected-api: a DPoP-bound default-AS token, sent by the SDK with a proof per call, gets in; as Bearer it does not', async () => {
  assert.ok(apiUrl, 'needs the protected-api of the previous test');
  const app = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic', dpop: true });
  const r = await driver(['token', '--issuer', `${orgUrl}/oauth2/default`, '--client-id', app.clientId, '--method', 'basic',
    '--secret-env', 'SDK_SECRET', '--scopes', 'orders.read', '--dpop', '--call', `${apiUrl}/orders`],
  { env: { SDK_SECRET: app.secret } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.json.token_type, 'DPoP');
  assert.equal(r.json.call_status, 200, r.json.call_body);
  assert.equal(JSON.parse(r.json.call_body).client, app.clientId);
  const bearer = await fetch(`${apiUrl}/orders`, { headers: { Authorization: `Bearer ${r.json.access_token}` } });
  assert.equal(bearer.status, 401);
  const stolen = await fetch(`${apiUrl}/orders`, { headers: { Authorization: `DPoP ${r.json.access_token}` } });
  assert.equal(stolen.status, 401, 'a DPoP token without its proof');
  assert.match(stolen.headers.get('www-authenticate'), /^DPoP .*error="invalid_dpop_proof"/);
});
