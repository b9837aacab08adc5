// System Log polling with two nodes on one PostgreSQL (issue 18; okta-compat.md §2 "Pagination"
// and its polling exception): both nodes write events (token requests, flushed from each node's
// queue every 100 ms, and changes, whose events are in the change's transaction) while a client
// polls one node with sortOrder=ASCENDING, following its `next` links. Every event of both nodes
// reaches the client exactly once (store/postgres/event_log.hpp: seq order is commit order).
// PostgreSQL only: skipped on SQLite (one node).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before } from 'node:test';
import { GatehouseServer, STORE, databaseOf, it, makeDataDir, psql, raw, startServer, unique } from './lib/server.mjs';
import { parseLinks } from './lib/checks.mjs';
import { accessTokenOf, basicToken, ensureAsScope, secretApp } from './lib/oauth.mjs';

const skip = STORE !== 'postgresql' && 'needs the PostgreSQL store (GATEHOUSE_STORE=postgresql)';
const SCOPE = 'logs.nodes';
const WRITE_MS = 2_500;
// Per-node rate limits would refuse part of the load (and log the refusals): off, so that every
// request is one known event.
const CONFIG = '[rate_limits]\nenabled = false\n';

let a, b, dirB, appA, appB;
before(async () => {
  if (skip) return;
  a = await startServer({ config: CONFIG });
  await ensureAsScope(a.url, a.adminToken, SCOPE);
  // Each node's own client, made before B starts (B loads them from the store at start-up).
  appA = await secretApp(a.url, a.adminToken);
  appB = await secretApp(a.url, a.adminToken);
  dirB = await makeDataDir();
  await fs.cp(a.dataDir, dirB, { recursive: true });
  const url = `${process.env.GATEHOUSE_PG_URL.replace(/\/+$/, '')}/${databaseOf(a.dataDir)}`;
  b = new GatehouseServer(dirB, a.init);
  await b.serve({ extraArgs: [...a.extraArgs, '--store', url] });
});
after(async () => {
  await b?.stop();
  if (dirB) await fs.rm(dirB, { recursive: true, force: true });
  await a?.dispose();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

it('a client polling one node gets every event of both nodes exactly once', { skip }, async () => {
  const issued = new Map([[appA.clientId, 0], [appB.clientId, 0]]);
  const groups = [];
  let writing = true;
  // Token requests (four at a time per node) and group creations on both nodes.
  const tokens = async (node, app) => {
    while (writing) {
      accessTokenOf(await basicToken(`${node.url}/oauth2/default/v1/token`, app, SCOPE));
      issued.set(app.clientId, issued.get(app.clientId) + 1);
    }
  };
  const changes = async (node) => {
    while (writing) {
      const g = await raw(`${node.url}/api/v1/groups`, { method: 'POST', token: a.adminToken, body: { profile: { name: unique('poll') } } });
      assert.equal(g.status, 200, g.text);
      groups.push(g.json.id);
      await sleep(20);
    }
  };
  const load = [];
  for (const [node, app] of [[a, appA], [b, appB]]) {
    for (let i = 0; i < 4; i += 1) load.push(tokens(node, app));
    load.push(changes(node));
  }

  // The client: polls node A, each time from the `next` link of the last page.
  const seen = [];
  let next = `${a.url}/api/v1/logs?${new URLSearchParams({ sortOrder: 'ASCENDING', limit: '50' })}`;
  const poll = async () => {
    const res = await raw(next, { token: a.adminToken });
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json);
    next = parseLinks(res.headers.get('link')).next;
    assert.ok(next, 'a polling page always has a next link');
    return res.json.length;
  };
  const stopAt = Date.now() + WRITE_MS;
  while (Date.now() < stopAt) await poll();  // back to back: as many polls as flushes can race
  writing = false;
  await Promise.all(load);
  // Drained: every flush has happened (each node flushes every 100 ms) and the poll is caught up.
  await sleep(500);
  while ((await poll()) > 0);

  const stored = (await psql(`SELECT uuid FROM events WHERE org_id = '${a.init.orgId}'`, databaseOf(a.dataDir)))
    .split('\n').filter(Boolean);
  const uuids = seen.map((e) => e.uuid);
  assert.equal(new Set(uuids).size, uuids.length, 'no event was returned twice');
  assert.deepEqual([...uuids].sort(), [...stored].sort(), 'the poll returned every stored event');
  // And those are the events of both nodes: one token grant per token issued by each, one create
  // per group made on either.
  for (const [clientId, n] of issued) {
    assert.ok(n > 0, `tokens were issued to ${clientId}`);
    const grants = seen.filter((e) => e.eventType === 'app.oauth2.as.token.grant.access_token' && e.actor.id === clientId);
    assert.equal(grants.length, n, `every token grant of ${clientId}`);
  }
  const created = new Set(seen.filter((e) => e.eventType === 'group.lifecycle.create').map((e) => e.target[0].id));
  assert.ok(groups.length > 0 && groups.every((id) => created.has(id)), `every group created (${groups.length})`);
});
