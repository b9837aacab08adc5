// Crash cycles (issue 19): CRASH_CYCLES times (default 100), a concurrent write load (creates,
// updates and deletes of groups by 6 workers), kill -9 at a random moment, restart on the same
// data dir, and every acknowledged write checked: an acknowledged create is there with its
// acknowledged profile, an acknowledged update is what is stored (or the one write that was in
// flight at the crash), an acknowledged delete stays deleted, and nothing else appears. The final
// state is checked after the last restart, once more after a graceful stop.
// crash.test.mjs does one longer cycle; this one many short ones.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';
import { parseLinks } from './lib/checks.mjs';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 100);
const WORKERS = 6;
const MIN_LOAD_MS = 100;
const MAX_LOAD_MS = 400;
const PREFIX = 'cyc-';

let server;
before(async () => {
  // Durability, not rate limits: the load would pass the groups family's limit.
  server = await startServer({ config: '[rate_limits]\nenabled = false\n' });
});
after(async () => {
  await server?.dispose();
});

// id -> { known: profile or null (deleted), inFlight: [profiles or null] sent but not answered }
const groups = new Map();

async function listOurGroups() {
  const byId = new Map();
  let url = `${server.url}/api/v1/groups?limit=1000`;
  for (let page = 0; url && page < 100; page++) {
    const res = await raw(url, { token: server.adminToken });
    assert.equal(res.status, 200, res.text);
    for (const g of res.json) if (g.profile.name.startsWith(PREFIX)) byId.set(g.id, g.profile);
    url = parseLinks(res.headers.get('link')).next;
  }
  return byId;
}

const same = (a, b) => (a === null || b === null ? a === b : a.name === b.name && a.description === b.description);

// Checks what is stored against what was acknowledged; the stored state becomes the known one.
function check(stored, cycle) {
  const problems = [];
  for (const [id, g] of groups) {
    const got = stored.has(id) ? { name: stored.get(id).name, description: stored.get(id).description } : null;
    const allowed = [g.known, ...g.inFlight];
    if (!allowed.some((s) => same(s, got))) {
      problems.push(`${id}: stored ${JSON.stringify(got)}, acknowledged ${JSON.stringify(g.known)}, in flight ${JSON.stringify(g.inFlight)}`);
    }
    g.known = got;
    g.inFlight = [];
  }
  // A create in flight at the crash may have committed without its answer: adopt it if its name
  // is one a worker sent; anything else is a phantom.
  for (const [id, p] of stored) {
    if (groups.has(id)) continue;
    if (!sentNames.has(p.name)) problems.push(`${id}: ${p.name} was never written`);
    groups.set(id, { known: { name: p.name, description: p.description }, inFlight: [] });
  }
  assert.deepEqual(problems, [], `cycle ${cycle}: stored state differs from the acknowledged writes`);
}

const sentNames = new Set();
let seq = 0;
const stats = { creates: 0, updates: 0, deletes: 0, cut: 0 };

async function worker(w, cycle, stop) {
  const mine = () => [...groups].filter(([, g]) => g.owner === w && g.known !== null && g.inFlight.length === 0);
  while (!stop.now) {
    const n = ++seq;
    const candidates = mine();
    const op = candidates.length < 3 || n % 3 === 0 ? 'create' : n % 7 === 0 ? 'delete' : 'update';
    let res;
    try {
      if (op === 'create') {
        const profile = { name: `${PREFIX}${w}-${n}`, description: `created in cycle ${cycle} (${n})` };
        sentNames.add(profile.name);
        res = await raw(`${server.url}/api/v1/groups`, { method: 'POST', token: server.adminToken, body: { profile } });
        if (res.status !== 200) assert.fail(`create: ${res.status} ${res.text}`);
        groups.set(res.json.id, { owner: w, known: profile, inFlight: [] });
        stats.creates++;
      } else {
        const [id, g] = candidates[n % candidates.length];
        const next = op === 'delete' ? null : { name: g.known.name, description: `updated in cycle ${cycle} (${n})` };
        g.inFlight.push(next);
        res = op === 'delete'
          ? await raw(`${server.url}/api/v1/groups/${id}`, { method: 'DELETE', token: server.adminToken })
          : await raw(`${server.url}/api/v1/groups/${id}`, { method: 'PUT', token: server.adminToken, body: { profile: next } });
        if (res.status !== (op === 'delete' ? 204 : 200)) assert.fail(`${op}: ${res.status} ${res.text}`);
        g.known = next;
        g.inFlight = [];
        stats[op === 'delete' ? 'deletes' : 'updates']++;
      }
    } catch (e) {
      if (e?.code === 'ERR_ASSERTION') throw e;
      stats.cut++;  // the connection died with the server: not acknowledged
      return;
    }
  }
}

it(`${CYCLES} cycles of kill -9 under a concurrent write load lose no acknowledged write`, async () => {
  const started = Date.now();
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const stop = { now: false };
    const running = Array.from({ length: WORKERS }, (_, w) => worker(w, cycle, stop));
    await new Promise((r) => setTimeout(r, MIN_LOAD_MS + Math.floor(Math.random() * (MAX_LOAD_MS - MIN_LOAD_MS))));
    await server.kill9();
    stop.now = true;
    await Promise.all(running);
    await server.restart();
    check(await listOurGroups(), cycle);
  }
  const acked = stats.creates + stats.updates + stats.deletes;
  assert.ok(stats.creates >= CYCLES && stats.updates > 0 && stats.deletes > 0,
    `the load wrote in every way: ${JSON.stringify(stats)}`);
  // The final state, after a graceful stop and start too.
  const result = await server.stop();
  assert.equal(result?.code, 0, `exit code after SIGTERM: ${JSON.stringify(result)}`);
  await server.restart();
  check(await listOurGroups(), 'final');
  const live = [...groups.values()].filter((g) => g.known !== null).length;
  process.stderr.write(`crash cycles: ${CYCLES} in ${Date.now() - started} ms; ${acked} acknowledged writes ` +
    `(${JSON.stringify(stats)}); ${live} groups live\n`);
});
