// Two nodes on one PostgreSQL (issue 18, "many nodes"): a change made on node A is seen by node B
// within a second (LISTEN/NOTIFY, then a reload of the org from the store), B keeps serving when
// A dies, and both recover without a restart when PostgreSQL stops and starts again (readiness
// 503 then 200, no acknowledged write lost). PostgreSQL only: skipped on SQLite (one node).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import * as jose from 'jose';
import {
  GatehouseServer, STORE, databaseOf, it, makeDataDir, psql, raw, startServer, unique, waitFor,
} from './lib/server.mjs';
import { accessTokenOf, basicToken, createOrg, decodeHeader, ensureAsScope, formPost, secretApp } from './lib/oauth.mjs';

const skip = STORE !== 'postgresql' && 'needs the PostgreSQL store (GATEHOUSE_STORE=postgresql)';
// Both nodes behind one name, as behind a load balancer: tokens of either carry the same issuer.
const BASE = 'http://gatehouse-nodes.test';
const SCOPE = 'nodes.read';
const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/pg-throwaway.sh');
const WITHIN_MS = 1_000;  // issue 18: visible on every node within one second
// What a test sets up first (an app, a token, an org) is waited for longer: the second that is
// measured is the one after the change under test.
const SETUP_MS = 3_000;

let a, b, dirB;
before(async () => {
  if (skip) return;
  // Rate limits off: they are shared by the nodes (many_nodes_shared.test.mjs tests that), and
  // this file's load would meet them; here every answer must be a 200.
  a = await startServer({ serveArgs: ['--base-url', BASE], config: '[rate_limits]\nenabled = false\n' });
  // Node B: the same master key and store (a copy of A's data dir), its own process and port.
  dirB = await makeDataDir();
  await fs.cp(a.dataDir, dirB, { recursive: true });
  const url = `${process.env.GATEHOUSE_PG_URL.replace(/\/+$/, '')}/${databaseOf(a.dataDir)}`;
  b = new GatehouseServer(dirB, a.init);
  await b.serve({ extraArgs: ['--config', path.join(a.configDir, 'gatehouse.toml'), '--base-url', BASE, '--store', url] });
  await ensureAsScope(a.url, a.adminToken, SCOPE);
});
after(async () => {
  await b?.stop();
  if (dirB) await fs.rm(dirB, { recursive: true, force: true });
  await a?.dispose();
});

const token = (node, app) => basicToken(`${node.url}/oauth2/default/v1/token`, app, SCOPE);
const me = (node, apiToken) => raw(`${node.url}/api/v1/users/me`, { token: apiToken, lenient: true });
const ready = async (node) => (await fetch(`${node.url}/health/ready`).catch(() => ({ status: 0 }))).status;

// Polls `fn` every 20 ms until it is true; fails unless that happened within `ms`. Resolves to
// the time it took.
async function within(ms, what, fn) {
  const t0 = Date.now();
  await waitFor(fn, { timeoutMs: ms, intervalMs: 20, what: `${what} within ${ms} ms` });
  return Date.now() - t0;
}

// An app of the default authorization server, usable on both nodes.
async function appOnBoth() {
  const app = await secretApp(a.url, a.adminToken);
  await within(SETUP_MS, 'the new app on B', async () => (await token(b, app)).status === 200);
  return app;
}

it('an API token created on A works on B, and revoked on A is refused on B within a second', { skip }, async () => {
  const made = await raw(`${a.url}/api/v1/api-tokens`, { method: 'POST', token: a.adminToken, body: { name: unique('n') } });
  assert.equal(made.status, 201, made.text);
  await within(SETUP_MS, 'the new token on B', async () => (await me(b, made.json.token)).status === 200);
  const del = await raw(`${a.url}/api/v1/api-tokens/${made.json.id}`, { method: 'DELETE', token: a.adminToken });
  assert.equal(del.status, 204);
  assert.equal((await me(a, made.json.token)).status, 401, 'refused on A at once');
  await within(WITHIN_MS, 'the revoked token refused on B', async () => (await me(b, made.json.token)).status === 401);
  const refused = await me(b, made.json.token);
  assert.equal(refused.json?.errorCode, 'E0000011', refused.text);  // okta-compat.md §2: invalid token
});

it('an app or a client secret deactivated on A is refused at B\'s token endpoint within a second', { skip }, async () => {
  const app = await appOnBoth();
  const off = await raw(`${a.url}/api/v1/apps/${app.id}/lifecycle/deactivate`, { method: 'POST', token: a.adminToken });
  assert.equal(off.status, 200, off.text);
  await within(WITHIN_MS, 'the deactivated app refused on B', async () => (await token(b, app)).status === 401);

  const other = await appOnBoth();
  const secrets = `${a.url}/api/v1/apps/${other.id}/credentials/secrets`;
  const second = await raw(secrets, { method: 'POST', token: a.adminToken });
  assert.equal(second.status, 201, second.text);
  const first = (await raw(secrets, { token: a.adminToken })).json.find((s) => s.id !== second.json.id);
  const deactivated = await raw(`${secrets}/${first.id}/lifecycle/deactivate`, { method: 'POST', token: a.adminToken });
  assert.equal(deactivated.status, 200, deactivated.text);
  await within(WITHIN_MS, 'the deactivated secret refused on B', async () => (await token(b, other)).status === 401);
  const rotated = { ...other, secret: second.json.client_secret };
  accessTokenOf(await token(b, rotated), 'the new secret on B');
});

it('a key rotated on A signs on B: B mints with the new ACTIVE key and its JWKS publishes it', { skip }, async () => {
  const app = await appOnBoth();
  const rotate = await raw(`${a.url}/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate`, {
    method: 'POST', token: a.adminToken, body: { use: 'sig' },
  });
  assert.equal(rotate.status, 200, rotate.text);
  const active = rotate.json.find((k) => k.status === 'ACTIVE').kid;
  let minted;
  await within(WITHIN_MS, 'B signing with the rotated key', async () => {
    minted = accessTokenOf(await token(b, app));
    return decodeHeader(minted).kid === active;
  });
  const jwks = await raw(`${b.url}/oauth2/default/v1/keys`);
  assert.ok(jwks.json.keys.some((k) => k.kid === active), `B's JWKS has ${active}`);
  const { payload } = await jose.jwtVerify(minted, jose.createLocalJWKSet(jwks.json), { issuer: `${BASE}/oauth2/default` });
  assert.equal(payload.cid, app.clientId);
  // A verifies what B minted (introspection, RFC 7662 §2.2).
  const intro = await formPost(`${a.url}/oauth2/default/v1/introspect`, { token: minted }, { basic: [app.clientId, app.secret] });
  assert.equal(intro.json?.active, true, intro.text);
});

it('an org created, a user deactivated and an access token revoked on A are seen by B within a second', { skip }, async () => {
  const sub = `n${Date.now().toString(36)}`;
  const org = await createOrg(a.url, a.adminToken, sub);
  await within(SETUP_MS, 'the new org on B', async () => (await me({ url: `${b.url}/o/${sub}` }, org.token)).status === 200);
  // A user deactivated on A is deactivated on B.
  const other = await raw(`${a.url}/api/v1/users?activate=true`, {
    method: 'POST', token: a.adminToken,
    body: { profile: { firstName: 'N', lastName: 'B', email: `${sub}@x.example`, login: `${sub}@x.example` } },
  });
  assert.equal(other.status, 200, other.text);
  const off = await raw(`${a.url}/api/v1/users/${other.json.id}/lifecycle/deactivate`, { method: 'POST', token: a.adminToken });
  assert.equal(off.status, 200, off.text);
  await within(WITHIN_MS, 'the deactivated user gone on B', async () =>
    (await raw(`${b.url}/api/v1/users/${other.json.id}`, { token: a.adminToken })).json?.status === 'DEPROVISIONED');
  // RFC 7009: an access token revoked on A is inactive at B's introspection.
  const app = await appOnBoth();
  const at = accessTokenOf(await token(b, app));
  const introspect = (node) => formPost(`${node.url}/oauth2/default/v1/introspect`, { token: at }, { basic: [app.clientId, app.secret] });
  assert.equal((await introspect(b)).json?.active, true);
  const revoked = await formPost(`${a.url}/oauth2/default/v1/revoke`, { token: at }, { basic: [app.clientId, app.secret] });
  assert.equal(revoked.status, 200, revoked.text);
  await within(WITHIN_MS, 'the revoked access token inactive on B', async () => (await introspect(b)).json?.active === false);
});

it('kill -9 of A under load: B keeps serving', { skip }, async () => {
  const app = await appOnBoth();
  let stop = false;
  const statuses = [];
  const load = (async () => {
    while (!stop) {
      const [t, g] = await Promise.all([token(b, app), raw(`${b.url}/api/v1/groups?limit=5`, { token: a.adminToken, lenient: true }),
                                        raw(`${a.url}/api/v1/groups?limit=5`, { token: a.adminToken, lenient: true }).catch(() => null)]);
      statuses.push(t.status, g.status);
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  await a.kill9();
  const atKill = statuses.length;
  await new Promise((r) => setTimeout(r, 1_000));
  // B writes alone meanwhile.
  const group = await raw(`${b.url}/api/v1/groups`, { method: 'POST', token: a.adminToken, body: { profile: { name: unique('b') } } });
  assert.equal(group.status, 200, group.text);
  stop = true;
  await load;
  assert.ok(statuses.length > atKill + 10, `B answered after the kill (${statuses.length - atKill} answers)`);
  assert.deepEqual([...new Set(statuses)], [200], 'every answer of B was 200');
  assert.equal(await ready(b), 200);
  await a.serve();  // back for the next test: it sees B's group
  assert.equal((await raw(`${a.url}/api/v1/groups/${group.json.id}`, { token: a.adminToken })).status, 200);
});

function pgCtl(command) {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, command, process.env.GATEHOUSE_PG_DIR], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`pg-throwaway.sh ${command}: ${stderr || err.message}`)) : resolve(stdout));
  });
}

const pgSkip = skip || (!process.env.GATEHOUSE_PG_DIR && 'needs GATEHOUSE_PG_DIR (scripts/pg-throwaway.sh start)');
it('PostgreSQL stops and starts: both nodes 503 then 200, no acknowledged write lost, writes work again', { skip: pgSkip }, async () => {
  const app = await appOnBoth();
  const minted = accessTokenOf(await token(a, app));
  // Writes on both nodes until PostgreSQL stops; every acknowledged one must be there after.
  const acked = [];
  let writing = true;
  const writer = async (node) => {
    while (writing) {
      const res = await raw(`${node.url}/api/v1/groups`, {
        method: 'POST', token: a.adminToken, body: { profile: { name: unique('ack') } }, lenient: true,
      }).catch(() => null);
      if (res?.status === 200) acked.push(res.json.id);
      else await new Promise((r) => setTimeout(r, 20));
    }
  };
  const writers = [writer(a), writer(b)];
  await new Promise((r) => setTimeout(r, 300));
  await pgCtl('halt');
  let resumed = false;
  try {
    await within(5_000, 'both nodes not ready', async () => (await ready(a)) === 503 && (await ready(b)) === 503);
    writing = false;
    await Promise.all(writers);
    assert.ok(acked.length > 0, 'some writes were acknowledged before the stop');
    // Down: writes are 503 E0000010; tokens for existing clients, their verification and reads
    // of the model go on.
    const refused = await raw(`${b.url}/api/v1/groups`, { method: 'POST', token: a.adminToken, body: { profile: { name: unique('down') } } });
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.errorCode, 'E0000010');
    const fresh = accessTokenOf(await token(b, app), 'a token while PostgreSQL is down');
    for (const [node, at] of [[a, fresh], [b, minted]]) {
      const intro = await formPost(`${node.url}/oauth2/default/v1/introspect`, { token: at }, { basic: [app.clientId, app.secret] });
      assert.equal(intro.json?.active, true, intro.text);
    }
    assert.equal((await raw(`${a.url}/api/v1/groups/${acked[0]}`, { token: a.adminToken })).status, 200);
    await pgCtl('resume');
    resumed = true;
  } finally {
    writing = false;
    if (!resumed) await pgCtl('resume').catch(() => {});
  }
  await within(10_000, 'both nodes ready again', async () => (await ready(a)) === 200 && (await ready(b)) === 200);
  // Every acknowledged write is in PostgreSQL.
  const ids = (await psql(`SELECT id FROM groups WHERE id IN (${acked.map((id) => `'${id}'`).join(',')})`, databaseOf(a.dataDir)))
    .split('\n').filter(Boolean);
  assert.equal(ids.length, acked.length, `all ${acked.length} acknowledged groups are stored`);
  // Writes work again on both, without a restart, and each node sees the other's.
  for (const [from, to] of [[a, b], [b, a]]) {
    const g = await raw(`${from.url}/api/v1/groups`, { method: 'POST', token: a.adminToken, body: { profile: { name: unique('up') } } });
    assert.equal(g.status, 200, g.text);
    await within(WITHIN_MS, 'the new group on the other node', async () =>
      (await raw(`${to.url}/api/v1/groups/${g.json.id}`, { token: a.adminToken, lenient: true })).status === 200);
  }
});
