// The store on the command line (issue 18): --store and the config key `store`, `gatehouse
// migrate`, a schema newer than the binary, and a PostgreSQL password kept out of every message.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after } from 'node:test';
import { runCli, makeDataDir, it, raw, STORE, psql, createDatabase, dropDatabase, GatehouseServer } from './lib/server.mjs';

const cleanup = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});
async function freshDir() {
  const dir = await makeDataDir();
  cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'data');
}
const initArgs = (dir, ...more) =>
  ['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'a@example.com', '--json', ...more];

it('a store that is not a postgresql:// URL is refused, on the command line and in the config file', async () => {
  const dir = await freshDir();
  assert.equal((await runCli(initArgs(dir))).code, 0);
  const flag = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--store', 'mysql://db/x'], { timeoutMs: 5_000 });
  assert.equal(flag.code, 1, flag.stderr);
  assert.match(flag.stderr, /postgresql:\/\//);
  const file = path.join(path.dirname(dir), 'bad.toml');
  await fs.writeFile(file, 'store = "/var/lib/other.db"\n');
  const cfg = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--config', file], { timeoutMs: 5_000 });
  assert.equal(cfg.code, 2, cfg.stderr);
  assert.match(cfg.stderr, /config store: must be a postgresql:\/\/ URL/);
});

it('an unreachable PostgreSQL fails init with the server named and the password nowhere', async () => {
  const dir = await freshDir();
  const r = await runCli(initArgs(dir, '--store', 'postgresql://gatehouse:hunter2-secret@127.0.0.1:1/gh'));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cannot connect to PostgreSQL at postgresql:\/\/gatehouse:\*\*\*@127\.0\.0\.1:1\/gh/);
  assert.ok(!r.stderr.includes('hunter2') && !r.stdout.includes('hunter2'), r.stderr);
  await assert.rejects(fs.access(dir), 'no data directory is made for a store that cannot be reached');
  const m = await runCli(['migrate', '--store', 'postgresql://gatehouse:hunter2-secret@127.0.0.1:1/gh']);
  assert.equal(m.code, 1);
  assert.ok(!m.stderr.includes('hunter2'), m.stderr);
});

const pgOnly = STORE !== 'postgresql' && 'needs the PostgreSQL store (GATEHOUSE_STORE=postgresql)';

it('migrate, init --store, a second init refused, and a newer schema refused with exit 3', { skip: pgOnly }, async () => {
  const url = await createDatabase();
  cleanup.push(() => dropDatabase(url));
  const db = url.slice(url.lastIndexOf('/') + 1);
  const m = await runCli(['migrate', '--store', url]);
  assert.equal(m.code, 0, m.stderr);
  assert.match(m.stdout, /schema version 2\b/);
  const dir = await freshDir();
  const init = await runCli(initArgs(dir, '--store', url));
  assert.equal(init.code, 0, init.stderr);
  assert.equal(JSON.parse(init.stdout).adminLogin, 'a@example.com');
  assert.equal((await psql('SELECT count(*) FROM orgs', db)).trim(), '1', 'the org is in PostgreSQL');
  await assert.rejects(fs.access(path.join(dir, 'gatehouse.db')), 'no SQLite database beside the master key');
  // Served with the store from the config file (no --store): the org init made is there.
  const file = path.join(path.dirname(dir), 'pg.toml');
  await fs.writeFile(file, `store = "${url}"\n`);
  const server = new GatehouseServer(dir, JSON.parse(init.stdout));
  await server.serve({ extraArgs: ['--config', file] });
  try {
    const me = await raw(`${server.url}/api/v1/users/me`, { token: server.adminToken });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.profile.login, 'a@example.com');
  } finally {
    await server.stop();
  }
  // Served without its store, it would come up empty: refused.
  const bare = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0'], { timeoutMs: 10_000 });
  assert.equal(bare.code, 2, bare.stderr);
  assert.match(bare.stderr, /was initialised with PostgreSQL; serve it with --store/);
  const again = await runCli(initArgs(await freshDir(), '--store', url));
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /already holds an org/);
  await psql('INSERT INTO schema_version (version) VALUES (99)', db);
  const serve = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--store', url], { timeoutMs: 10_000 });
  assert.equal(serve.code, 3, serve.stderr);
  assert.match(serve.stderr, /schema is version 99, newer than this build knows \(2\)/);
  assert.equal((await runCli(['migrate', '--store', url])).code, 3);
});
