// The CLI's client commands in a scripted session (issue 16): `gatehouse login`, `apps`,
// `token get`, `api-tokens`, `logs tail` against a real server, with HOME and XDG_CONFIG_HOME
// in a temp folder; the profile's modes (0700 folder, 0600 file); human and --json output;
// the documented exit codes for bad input, a wrong token, a missing profile, an unknown id.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { before, after } from 'node:test';
import { startServer, raw, it, unique, GATEHOUSE_BIN } from './lib/server.mjs';
import { ensureAsScope, decodePayload } from './lib/oauth.mjs';
import { runBin, tempDir } from './lib/sdk.mjs';

let server;
let orgUrl;
let home;
let env;

// Exit codes (README.md "Exit codes").
const USAGE = 2;
const NO_PROFILE = 3;
const UNAUTHORIZED = 4;
const NOT_FOUND = 6;
const REFUSED = 7;

function gh(args, { input, extraEnv = {} } = {}) {
  return runBin(GATEHOUSE_BIN, args, { env: { ...env, ...extraEnv }, input: input ?? '' });
}

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  home = await tempDir('gatehouse-cli-');
  env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg'), GATEHOUSE_API_TOKEN: '' };
  await ensureAsScope(orgUrl, server.adminToken, 'orders.read');
});

after(async () => {
  await server?.dispose();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

it('before login: a command says how to log in and exits 3', async () => {
  const r = await gh(['apps', 'list']);
  assert.equal(r.code, NO_PROFILE, r.stderr);
  assert.match(r.stderr, /not logged in.*gatehouse login --org-url/);
});

it('login: a wrong token is refused (exit 4) and no profile is written', async () => {
  const r = await gh(['login', '--org-url', orgUrl], { input: 'gth_not-a-real-token\n' });
  assert.equal(r.code, UNAUTHORIZED, r.stderr);
  assert.match(r.stderr, /^gatehouse: login: the token was not accepted: .*HTTP 401/);
  assert.ok(!r.stderr.includes('gth_not-a-real-token'), 'the token is not echoed');
  await assert.rejects(fs.stat(path.join(home, 'xdg/gatehouse/profile.json')));
  const bad = await gh(['login', '--org-url', 'http://example.com'], { input: `${server.adminToken}\n` });
  assert.equal(bad.code, 8, 'http:// to a remote host is refused');
  const empty = await gh(['login', '--org-url', orgUrl], { input: '' });
  assert.equal(empty.code, USAGE);
});

it('login: the token from stdin is checked and saved with mode 0600 in a 0700 folder', async () => {
  const r = await gh(['login', '--org-url', `${orgUrl}/`], { input: `${server.adminToken}\n` });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Logged in to http:\/\/127\.0\.0\.1:\d+ as admin@example\.com/);
  const file = path.join(home, 'xdg/gatehouse/profile.json');
  assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  assert.equal((await fs.stat(path.dirname(file))).mode & 0o777, 0o700);
  const profile = JSON.parse(await fs.readFile(file, 'utf8'));
  assert.deepEqual(profile, { orgUrl, apiToken: server.adminToken });
  // From the environment, and under ~/.config when XDG_CONFIG_HOME is unset.
  const viaEnv = await gh(['login', '--org-url', orgUrl, '--json'],
    { extraEnv: { XDG_CONFIG_HOME: '', GATEHOUSE_API_TOKEN: server.adminToken } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.equal(viaEnv.json.profile, path.join(home, '.config/gatehouse/profile.json'));
  assert.equal((await fs.stat(viaEnv.json.profile)).mode & 0o777, 0o600);
});

it('apps create service --generate-key: prints the client id and the key once; token get uses it', async () => {
  const name = unique('cli-key');
  const r = await gh(['apps', 'create', 'service', '--name', name, '--generate-key', '--scopes', 'okta.groups.read',
    '--role', 'READ_ONLY_ADMIN', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.json.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
  assert.deepEqual(r.json.scopes, ['okta.groups.read']);
  const keyFile = path.join(home, 'svc.pem');
  await fs.writeFile(keyFile, r.json.privateKeyPem, { mode: 0o600 });
  const got = await gh(['apps', 'get', r.json.id, '--json']);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.json.label, name);
  assert.equal(got.json.credentials.oauthClient.token_endpoint_auth_method, 'private_key_jwt');
  assert.ok(!JSON.stringify(got.json).includes('PRIVATE KEY'));

  const tok = await gh(['token', 'get', '--client-id', r.json.clientId, '--key', keyFile, '--kid', r.json.kid,
    '--scopes', 'okta.groups.read']);
  assert.equal(tok.code, 0, tok.stderr);
  const at = tok.stdout.trim();
  assert.equal(decodePayload(at).cid, r.json.clientId);
  const groups = await raw(`${orgUrl}/api/v1/groups`, { headers: { Authorization: `Bearer ${at}` }, lenient: true });
  assert.equal(groups.status, 200, 'the token printed for curl works on the management API');
  // A scope the app was not granted: refused, exit 7, the server's reason on stderr.
  const denied = await gh(['token', 'get', '--client-id', r.json.clientId, '--key', keyFile, '--kid', r.json.kid,
    '--scopes', 'okta.users.manage']);
  assert.equal(denied.code, REFUSED, denied.stderr);
  assert.match(denied.stderr, /invalid_scope|access_denied/);
});

it('apps create service --client-secret: the secret once (human output); token get --secret-stdin', async () => {
  const name = unique('cli-secret');
  const r = await gh(['apps', 'create', 'service', '--name', name, '--client-secret']);
  assert.equal(r.code, 0, r.stderr);
  const clientId = /Client ID: (\S+)/.exec(r.stdout)?.[1];
  const secret = /Client secret \(shown once; keep it safe\): (\S+)/.exec(r.stdout)?.[1];
  assert.ok(clientId && secret, r.stdout);
  const tok = await gh(['token', 'get', '--client-id', clientId, '--secret-stdin', '--issuer', `${orgUrl}/oauth2/default`,
    '--scopes', 'orders.read', '--json'], { input: `${secret}\n` });
  assert.equal(tok.code, 0, tok.stderr);
  assert.equal(tok.json.token_type, 'Bearer');
  assert.equal(tok.json.scope, 'orders.read');
  const wrong = await gh(['token', 'get', '--client-id', clientId, '--secret-stdin', '--issuer', `${orgUrl}/oauth2/default`,
    '--scopes', 'orders.read'], { input: 'not-the-secret\n' });
  assert.equal(wrong.code, UNAUTHORIZED, wrong.stderr);
  assert.match(wrong.stderr, /invalid_client/);
});

it('apps list, deactivate, delete; unknown ids exit 6; bad arguments exit 2', async () => {
  const name = unique('cli-life');
  const c = await gh(['apps', 'create', 'service', '--name', name, '--client-secret', '--json']);
  assert.equal(c.code, 0, c.stderr);
  const list = await gh(['apps', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`^${c.json.id}  ${name}  ACTIVE  client_id ${c.json.clientId}`, 'm'));
  const listJson = await gh(['apps', 'list', '--json']);
  assert.ok(listJson.json.some((a) => a.id === c.json.id));
  assert.equal((await gh(['apps', 'deactivate', c.json.id])).code, 0);
  assert.equal((await gh(['apps', 'get', c.json.id, '--json'])).json.status, 'INACTIVE');
  const del = await gh(['apps', 'delete', c.json.id]);
  assert.equal(del.code, 0, del.stderr);
  const gone = await gh(['apps', 'get', c.json.id]);
  assert.equal(gone.code, NOT_FOUND);
  assert.match(gone.stderr, /E0000007/);
  assert.equal((await gh(['apps', 'create', 'service', '--name', 'x'])).code, USAGE);
  assert.equal((await gh(['apps', 'create', 'service', '--name', 'x', '--generate-key', '--client-secret'])).code, USAGE);
  assert.equal((await gh(['apps', 'frobnicate'])).code, USAGE);
  assert.equal((await gh(['token', 'get', '--client-id', 'x', '--scopes', 'a'])).code, USAGE);
});

it('apps create service with a scope that does not exist: exit 7 and no app is left behind', async () => {
  const name = unique('cli-bad-scope');
  const r = await gh(['apps', 'create', 'service', '--name', name, '--generate-key', '--scopes', 'okta.no.such.scope']);
  assert.equal(r.code, REFUSED, r.stderr);
  assert.match(r.stderr, /granting okta\.no\.such\.scope \(the app was removed again\)/);
  assert.ok(!r.stdout.includes('PRIVATE KEY'));
  const list = await gh(['apps', 'list', '--json']);
  assert.ok(!list.json.some((a) => a.label === name), 'no half-made app');
});

it('api-tokens list and revoke: a revoked token no longer works', async () => {
  const created = await raw(`${orgUrl}/api/v1/api-tokens`, { method: 'POST', token: server.adminToken, body: { name: 'cli-victim' } });
  assert.equal(created.status, 201, created.text);
  const list = await gh(['api-tokens', 'list', '--json']);
  assert.equal(list.code, 0, list.stderr);
  const victim = list.json.find((t) => t.name === 'cli-victim');
  assert.ok(victim, JSON.stringify(list.json));
  assert.ok(!list.stdout.includes(created.json.token), 'token values are never listed');
  const human = await gh(['api-tokens', 'list']);
  assert.match(human.stdout, new RegExp(`^${victim.id}  cli-victim`, 'm'));
  const rev = await gh(['api-tokens', 'revoke', victim.id]);
  assert.equal(rev.code, 0, rev.stderr);
  const after = await raw(`${orgUrl}/api/v1/users/me`, { token: created.json.token, lenient: true });
  assert.equal(after.status, 401);
  assert.equal((await gh(['api-tokens', 'revoke', victim.id])).code, NOT_FOUND);
});

it('logs tail --once / --limit / --filter prints the events; a bad filter exits 7', async () => {
  const filter = 'eventType eq "application.lifecycle.create"';
  let r;
  for (let i = 0; i < 20; i += 1) {  // events reach the log within a tick
    r = await gh(['logs', 'tail', '--once', '--json', '--filter', filter]);
    if (r.code === 0 && r.stdout.trim()) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(events.length >= 3, r.stdout);
  assert.ok(events.every((e) => e.eventType === 'application.lifecycle.create'));
  const one = await gh(['logs', 'tail', '--limit', '1', '--filter', filter]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout.trim().split('\n').length, 1);
  assert.match(one.stdout, /application\.lifecycle\.create  SUCCESS  /);
  const bad = await gh(['logs', 'tail', '--once', '--filter', 'eventType zz "x"']);
  assert.equal(bad.code, REFUSED);
  assert.match(bad.stderr, /E0000001|E0000031|E0000030/);
});

it('logs tail polls: an event made after it started is printed, then --limit ends it', async () => {
  const since = new Date().toISOString();
  const label = unique('cli-polled');
  const tail = runBin(GATEHOUSE_BIN, ['logs', 'tail', '--json', '--since', since, '--interval', '1', '--limit', '1',
    '--filter', 'eventType eq "application.lifecycle.create"'], { env, input: '', timeoutMs: 20_000 });
  await new Promise((r) => setTimeout(r, 1500));  // at least one empty poll first
  const c = await gh(['apps', 'create', 'service', '--name', label, '--client-secret', '--json']);
  assert.equal(c.code, 0, c.stderr);
  const r = await tail;
  assert.equal(r.code, 0, r.stderr);
  const event = JSON.parse(r.stdout.trim());
  assert.equal(event.eventType, 'application.lifecycle.create');
  assert.ok(event.target.some((t) => t.id === c.json.id), r.stdout);
});

// The smallest PNG the server accepts (as in integrations_vendor.test.mjs).
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), Buffer.from([0x1f, 0x15, 0xc4, 0x89]),
]);

it('integrations init, validate, submit --draft, submit: the manifest in a repo becomes a submission', async () => {
  const repo = path.join(home, 'repo');
  await fs.mkdir(repo, { recursive: true });
  const file = path.join(repo, 'gatehouse-integration.json');
  const key = `acme_${unique('k').replace(/[^a-z0-9]/g, '_')}`.slice(0, 64);
  const init = await gh(['integrations', 'init', '--file', file, '--key', key, '--name', 'Acme sync']);
  assert.equal(init.code, 0, init.stderr);
  assert.equal((await gh(['integrations', 'init', '--file', file, '--key', key, '--name', 'x'])).code, USAGE, 'never overwritten');
  const empty = await gh(['integrations', 'validate', '--file', file]);
  assert.equal(empty.code, USAGE);
  for (const want of ['description:', 'appContactDetails[0].contact:', 'apiService.scopes[0].reason:', 'apiService.configGuideUrl:']) {
    assert.ok(empty.stderr.includes(want), `${want} in ${empty.stderr}`);
  }
  const m = JSON.parse(await fs.readFile(file, 'utf8'));
  assert.equal(m.id, key);
  m.description = 'Keeps Acme CRM contacts in step with your directory.';
  m.appContactDetails[0].contact = 'help@acme.example';
  m.apiService.scopes = [{ scope: 'okta.users.read', reason: 'Reads users to create CRM contacts' }];
  m.apiService.configGuideUrl = 'https://acme.example/guide';
  await fs.writeFile(file, JSON.stringify(m, null, 2));
  await fs.writeFile(path.join(repo, 'logo.png'), PNG);
  const ok = await gh(['integrations', 'validate', '--file', file]);
  assert.equal(ok.code, 0, ok.stderr);

  const draft = await gh(['integrations', 'submit', '--draft', '--file', file]);
  assert.equal(draft.code, 0, draft.stderr);
  assert.equal(draft.stdout.trim(), `Created ${key}; status DRAFT`);
  const sub = await gh(['integrations', 'submit', '--file', file, '--json']);
  assert.equal(sub.code, 0, sub.stderr);
  assert.equal(sub.json.status, 'SUBMITTED');
  assert.deepEqual(sub.json.apiService.scopes, m.apiService.scopes);
  assert.ok(sub.json.logo.startsWith(`${orgUrl}/integrations/logos/`), sub.json.logo);
  // Submitted: locked until reviewed; the server's refusal is shown and exits 7.
  const again = await gh(['integrations', 'submit', '--file', file]);
  assert.equal(again.code, REFUSED, again.stderr);
  assert.match(again.stderr, /E0000001/);
});

// test-instance's endpoint (POST …/submissions/{id}/test-instance) is built by another slice:
// the client side is checked against a stand-in server that records what the CLI sends.
it('integrations test-instance: POSTs to the submission\'s test-instance and prints the answer', async () => {
  const seen = [];
  const fake = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
    const ok = req.method === 'POST' && req.url === '/integrations/api/v1/submissions/acme_sync/test-instance';
    res.writeHead(ok ? 201 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(ok ? { orgUrl: 'http://127.0.0.1:1/o/acme-test', status: 'ACTIVE' }
      : { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found', errorCauses: [] }));
  });
  await new Promise((r) => fake.listen(0, '127.0.0.1', r));
  try {
    const xdg = path.join(home, 'xdg-fake');
    await fs.mkdir(path.join(xdg, 'gatehouse'), { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(xdg, 'gatehouse/profile.json'),
      JSON.stringify({ orgUrl: `http://127.0.0.1:${fake.address().port}`, apiToken: 'fake-token' }), { mode: 0o600 });
    const file = path.join(home, 'fake-integration.json');
    await fs.writeFile(file, JSON.stringify({ id: 'acme_sync', name: 'Acme' }));
    const r = await gh(['integrations', 'test-instance', '--file', file], { extraEnv: { XDG_CONFIG_HOME: xdg } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'orgUrl: http://127.0.0.1:1/o/acme-test\nstatus: ACTIVE\n');
    assert.deepEqual(seen, [{ method: 'POST', url: '/integrations/api/v1/submissions/acme_sync/test-instance', auth: 'SSWS fake-token' }]);
    await fs.writeFile(file, JSON.stringify({ id: 'other', name: 'Other' }));
    const missing = await gh(['integrations', 'test-instance', '--file', file], { extraEnv: { XDG_CONFIG_HOME: xdg } });
    assert.equal(missing.code, NOT_FOUND, missing.stderr);
  } finally {
    fake.close();
  }
});
