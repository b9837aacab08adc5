// The database failing to write (issue 19), with real faults and no test seam in the server:
// - SQLITE_IOERR: the server's file-size limit lowered from outside (prlimit --fsize=1: every
//   write past the first byte of a file fails with EFBIG, which SQLite reports as
//   SQLITE_IOERR_WRITE; the server ignores SIGXFSZ), then raised again;
// - SQLITE_FULL: the data directory on a small tmpfs filled to the last byte (ENOSPC), then
//   freed (needs mount(2): skipped where the test may not mount).
// Under the fault a write answers 503 E0000010 with Okta's envelope and writes nothing (an org,
// an app with its secret: all or nothing, a retry of the same create succeeds later); reads,
// token issuance and the System Log's reads go on; the server does not crash; the events queued
// during the fault (token grants) are written once it clears; writes work again without a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { startServer, raw, it, unique, waitFor } from './lib/server.mjs';
import { assertRawError } from './lib/checks.mjs';
import { serviceAppBody, secretApp, ensureAsScope, basicToken, accessTokenOf, formPost, assertOAuthError } from './lib/oauth.mjs';

const SCOPE = 'faults.read';
const servers = [];
const mounts = [];
after(async () => {
  for (const s of servers) await s.dispose();
  for (const m of mounts) {
    try { execFileSync('umount', [m]); } catch { /* already gone */ }
    await fs.rm(m, { recursive: true, force: true });
  }
});

function hasPrlimit() {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function tryMountTmpfs(megabytes) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gatehouse-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await fs.rm(dir, { recursive: true, force: true });
    return null;
  }
  mounts.push(dir);
  return dir;
}

function orgBody(subdomain) {
  const login = `root@${subdomain}.example`;
  return {
    subdomain,
    name: `${subdomain} Inc.`,
    website: `https://${subdomain}.example`,
    edition: 'SKU',
    admin: {
      profile: { firstName: 'Root', lastName: 'Admin', email: login, login },
      credentials: { password: { value: 'Another-Long-Passw0rd!' } },
    },
  };
}

const post = (server, p, body) => raw(`${server.url}${p}`, { method: 'POST', token: server.adminToken, body });
const get = (server, p) => raw(`${server.url}${p}`, { token: server.adminToken });

function assertUnavailable(res, what) {
  assertRawError(res, 503, 'E0000010');
  assert.equal(res.json.errorSummary, 'Service is in read only mode', what);
  assert.deepEqual(res.json.errorCauses, [], what);
}

async function appLabels(server) {
  const res = await get(server, '/api/v1/apps?limit=200');
  assert.equal(res.status, 200, res.text);
  return res.json.map((a) => a.label);
}

async function eventCount(server, filter) {
  const q = encodeURIComponent(filter);
  const res = await get(server, `/api/v1/logs?filter=${q}&since=2000-01-01T00:00:00Z&limit=1000`);
  assert.equal(res.status, 200, res.text);
  return res.json.length;
}

// Runs the whole scenario; `inject` starts the fault, `clear` ends it.
async function scenario(server, { inject, clear, sqliteError }) {
  await ensureAsScope(server.url, server.adminToken, SCOPE);
  const app = await secretApp(server.url, server.adminToken);
  const grantFilter = 'eventType eq "app.oauth2.as.token.grant.access_token"';  // a fresh server: only ours
  const appsBefore = await appLabels(server);
  const label = unique('refused-app');
  const subdomain = `refused${Date.now().toString(36)}`;
  const groupName = unique('refused-group');
  const revokeUrl = `${server.url}/oauth2/default/v1/revoke`;
  const revokeMe = accessTokenOf(await basicToken(`${server.url}/oauth2/default/v1/token`, app, SCOPE));
  const revoke = () => formPost(revokeUrl, { token: revokeMe }, { basic: [app.clientId, app.secret] });

  await inject();
  try {
    // Writes: 503 with Okta's envelope. An org (its admin, API token, authorization servers and
    // keys: one transaction) and an app with its client secret are multi-row changes.
    assertUnavailable(await post(server, '/api/v1/orgs', orgBody(subdomain)), 'POST /api/v1/orgs');
    assertUnavailable(await post(server, '/api/v1/apps', serviceAppBody({ label, method: 'client_secret_basic' })), 'POST /api/v1/apps');
    assertUnavailable(await post(server, '/api/v1/groups', { profile: { name: groupName } }), 'POST /api/v1/groups');
    // Revocation writes too: RFC 7009 §2.2.1 503, retry later.
    const refused = await revoke();
    assertOAuthError(refused, 503, 'temporarily_unavailable');
    assert.equal(refused.headers.get('retry-after'), '1');
    // Reads go on, and show nothing of the refused writes.
    assert.deepEqual(await appLabels(server), appsBefore);
    const groups = await get(server, `/api/v1/groups?q=${groupName}`);
    assert.equal(groups.status, 200, groups.text);
    assert.equal(groups.json.length, 0);
    assert.equal((await get(server, '/api/v1/users/me')).status, 200);
    // Token issuance needs no write: it goes on; its event waits in the queue.
    for (let i = 0; i < 3; i++) {
      accessTokenOf(await basicToken(`${server.url}/oauth2/default/v1/token`, app, SCOPE), 'token under the fault');
    }
    // The System Log is read from the database: still readable.
    assert.equal(await eventCount(server, `eventType eq "application.lifecycle.create" and target.displayName eq "${label}"`), 0);
    // The tick tries to flush the queued events and fails (logged); the server stays up.
    await waitFor(() => (server.stdout + server.stderr).includes('system log flush failed'), { timeoutMs: 5_000, what: 'a failed flush' });
    await new Promise((r) => setTimeout(r, 1_200));  // a retry or two under the fault
    assert.equal(server.proc.exitCode, null, 'the server is still running');
    assert.ok((server.stdout + server.stderr).includes(`sqlite="${sqliteError}"`), `the store logged ${sqliteError}`);
  } finally {
    await clear();
  }

  // Recovery without a restart: the queued token events are written, the same creates succeed
  // (nothing half-written is in their way).
  await waitFor(async () => (await eventCount(server, grantFilter)) >= 3, { timeoutMs: 5_000, what: 'the queued token events' });
  const org = await post(server, '/api/v1/orgs', orgBody(subdomain));
  assert.equal(org.status, 201, org.text);
  const created = await post(server, '/api/v1/apps', serviceAppBody({ label, method: 'client_secret_basic' }));
  assert.equal(created.status, 200, created.text);
  const group = await post(server, '/api/v1/groups', { profile: { name: groupName } });
  assert.equal(group.status, 200, group.text);
  assert.equal((await revoke()).status, 200, 'the same revocation, retried, succeeds');
  const introspected = await formPost(`${server.url}/oauth2/default/v1/introspect`, { token: revokeMe }, { basic: [app.clientId, app.secret] });
  assert.deepEqual(introspected.json, { active: false });

  // What is on disk after a restart is what was acknowledged: one app of that label, one group.
  await server.restart();
  const labels = await appLabels(server);
  assert.equal(labels.filter((l) => l === label).length, 1, `one app labelled ${label}`);
  const again = await get(server, `/api/v1/groups?q=${groupName}`);
  assert.equal(again.json.length, 1);
  assert.equal(await eventCount(server, `eventType eq "application.lifecycle.create" and target.displayName eq "${label}"`), 1);
  assert.ok((await eventCount(server, grantFilter)) >= 3, 'the token events of the fault survived the restart');
}

// SQLite's own faults: under GATEHOUSE_STORE=postgresql the database is not in the data directory
// (store_unavailable.test.mjs covers PostgreSQL going away).
const onPostgres = process.env.GATEHOUSE_STORE === 'postgresql' && 'SQLite faults; the store is PostgreSQL here';

it('SQLITE_IOERR (file-size limit): 503 E0000010, nothing written, reads and tokens go on, recovery', { skip: onPostgres || (!hasPrlimit() && 'needs prlimit (util-linux)') }, async () => {
  const server = await startServer();
  servers.push(server);
  const pid = String(server.proc.pid);
  await scenario(server, {
    inject: () => execFileSync('prlimit', ['--pid', pid, '--fsize=1:unlimited']),
    clear: () => execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:unlimited']),
    sqliteError: 'disk I/O error',
  });
});

it('SQLITE_FULL (no space left): 503 E0000010, nothing written, reads and tokens go on, recovery', { skip: onPostgres }, async (t) => {
  const mount = await tryMountTmpfs(48);
  if (!mount) {
    t.skip('cannot mount a tmpfs here (needs CAP_SYS_ADMIN)');
    return;
  }
  const dataDir = path.join(mount, 'data');
  await fs.mkdir(dataDir, { mode: 0o700 });
  const server = await startServer({ dataDir });
  servers.push(server);
  const filler = path.join(mount, 'filler');
  await scenario(server, {
    inject: async () => {
      const fh = await fs.open(filler, 'w');
      const chunk = Buffer.alloc(1 << 16, 0x5a);
      try {
        for (;;) await fh.write(chunk);
      } catch (e) {
        assert.equal(e.code, 'ENOSPC', `the tmpfs filled up: ${e.message}`);
      } finally {
        await fh.close();
      }
    },
    clear: () => fs.rm(filler, { force: true }),
    sqliteError: 'database or disk is full',
  });
});
