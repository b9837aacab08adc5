// Crash durability: concurrent creates, kill -9, restart on the same data dir; every group whose
// create was acknowledged with 2xx is there and whole (issue 2 "nothing is lost").
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';
import { parseLinks } from './lib/checks.mjs';

const WORKERS = 8;
const RUN_MS = 1_500;
const MAX_RUN_MS = 10_000;
const MIN_ACKS = 16;

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.dispose();
});

// Lists every group of the first org by following the Link headers.
async function listAllGroups() {
  const byId = new Map();
  let url = `${server.url}/api/v1/groups?limit=1000`;
  for (let page = 0; url && page < 1000; page++) {
    const res = await raw(url, { token: server.adminToken });
    assert.equal(res.status, 200, res.text);
    for (const g of res.json) {
      assert.ok(!byId.has(g.id), `group ${g.id} listed twice`);
      byId.set(g.id, g);
    }
    url = parseLinks(res.headers.get('link')).next;
  }
  return byId;
}

it('every acknowledged create survives kill -9', async () => {
  const acked = new Map(); // id -> {name, description}
  let stop = false;
  let errors = 0;
  let refused = 0;
  const started = Date.now();

  async function worker(w) {
    for (let i = 0; !stop; i++) {
      const name = `crash-${w}-${i}`;
      const description = `written by worker ${w}, iteration ${i}`;
      let res;
      try {
        res = await raw(`${server.url}/api/v1/groups`, {
          method: 'POST',
          token: server.adminToken,
          body: { profile: { name, description } },
        });
      } catch {
        errors += 1; // the connection died with the server: not acknowledged
        return;
      }
      if (res.status >= 200 && res.status < 300 && res.json?.id) {
        assert.equal(res.json.profile.name, name);
        acked.set(res.json.id, { name, description });
      } else {
        refused += 1;
        if (res.status === 429) await new Promise((r) => setTimeout(r, 50));
        else assert.fail(`unexpected ${res.status}: ${res.text}`);
      }
    }
  }

  const running = Array.from({ length: WORKERS }, (_, w) => worker(w));
  // Run for RUN_MS, and until at least MIN_ACKS writes were acknowledged (bounded).
  while (Date.now() - started < RUN_MS || (acked.size < MIN_ACKS && Date.now() - started < MAX_RUN_MS)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await server.kill9();
  stop = true;
  await Promise.all(running);
  const ackedAtKill = acked.size;
  assert.ok(ackedAtKill >= MIN_ACKS, `at least ${MIN_ACKS} creates acknowledged before the crash (got ${ackedAtKill})`);

  await server.restart(); // same data dir, same port if it is free

  const stored = await listAllGroups();
  const missing = [];
  const wrong = [];
  for (const [id, want] of acked) {
    const got = stored.get(id);
    if (!got) missing.push(`${id} (${want.name})`);
    else if (got.profile.name !== want.name || got.profile.description !== want.description) {
      wrong.push(`${id}: ${JSON.stringify(got.profile)} != ${JSON.stringify(want)}`);
    }
  }
  assert.deepEqual(missing, [], `acknowledged groups lost after kill -9 (${acked.size} acknowledged)`);
  assert.deepEqual(wrong, [], 'acknowledged groups changed after kill -9');

  // Nothing half-written: every crash-* group has a whole profile.
  for (const g of stored.values()) {
    if (!g.profile.name.startsWith('crash-')) continue;
    assert.match(g.profile.name, /^crash-\d+-\d+$/);
    const [, w, i] = /^crash-(\d+)-(\d+)$/.exec(g.profile.name);
    assert.equal(g.profile.description, `written by worker ${w}, iteration ${i}`);
  }

  // A sample read back one by one.
  const sample = [...acked.keys()].filter((_, i) => i % Math.max(1, Math.floor(acked.size / 20)) === 0);
  for (const id of sample) {
    const res = await raw(`${server.url}/api/v1/groups/${id}`, { token: server.adminToken });
    assert.equal(res.status, 200, `GET ${id}: ${res.text}`);
    assert.equal(res.json.profile.name, acked.get(id).name);
  }

  // The restarted server takes writes again, and the token from init still works.
  const res = await raw(`${server.url}/api/v1/groups`, {
    method: 'POST',
    token: server.adminToken,
    body: { profile: { name: 'after-restart' } },
  });
  assert.equal(res.status, 200, res.text);
  process.stderr.write(`crash test: ${ackedAtKill} acknowledged, ${errors} cut by the crash, ${refused} refused\n`);
});

it('a graceful stop (SIGTERM) exits 0 and keeps the data', async () => {
  const before = await listAllGroups();
  const result = await server.stop();
  assert.equal(result?.code, 0, `exit code after SIGTERM: ${JSON.stringify(result)}`);
  await server.restart();
  const afterRestart = await listAllGroups();
  assert.equal(afterRestart.size, before.size);
});
