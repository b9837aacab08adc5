// gatehouse backup / restore (issue 18, SQLite; docs/deployment.md "Backups"): an online,
// consistent copy while the server takes writes; restore into a new data dir that then serves
// the data; refusals with clear messages (a non-empty or running data dir, a file that is no
// Gatehouse database, an existing output file, a PostgreSQL data dir).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, after, describe } from 'node:test';
import { startServer, raw, runCli, it, makeDataDir, GatehouseServer, STORE } from './lib/server.mjs';

const mode = async (file) => (await fs.stat(file)).mode & 0o777;

describe('backup and restore', { skip: STORE === 'postgresql' && 'SQLite only (PostgreSQL: pg_dump)' }, () => {
  let server;
  let work;
  before(async () => {
    server = await startServer();
    work = await makeDataDir();
  });
  after(async () => {
    await server?.dispose();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  const createGroup = async (name) => {
    const res = await raw(`${server.url}/api/v1/groups`, { method: 'POST', token: server.adminToken, body: { profile: { name } } });
    assert.equal(res.status, 200, res.text);
    return res.json.id;
  };
  const groupNames = async (url, token) => {
    const res = await raw(`${url}/api/v1/groups?limit=200`, { token });
    assert.equal(res.status, 200, res.text);
    return new Set(res.json.map((g) => g.profile.name));
  };

  it('a backup taken while the server writes restores into a new data dir that serves the data', async () => {
    for (let i = 0; i < 5; i++) await createGroup(`before-${i}`);
    // Writes go on during the backup.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await createGroup(`during-${written}`);
        written += 1;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const file = path.join(work, 'gatehouse-backup.db');
    const backup = await runCli(['backup', '--data', server.dataDir, '--out', file]);
    await new Promise((r) => setTimeout(r, 100));
    writing = false;
    await writer;
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /without the master key/);
    assert.equal(await mode(file), 0o600);
    assert.ok(written > 0, 'writes went on during the backup');

    const restored = path.join(work, 'restored');
    const restore = await runCli(['restore', '--from', file, '--data', restored,
                                  '--master-key', path.join(server.dataDir, 'master.key')]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(await mode(restored), 0o700);
    for (const f of ['gatehouse.db', 'master.key']) assert.equal(await mode(path.join(restored, f)), 0o600, f);

    const copy = new GatehouseServer(restored, server.init);
    try {
      await copy.serve();
      const names = await groupNames(copy.url, server.adminToken);  // the API token came along
      for (let i = 0; i < 5; i++) assert.ok(names.has(`before-${i}`), `before-${i} restored`);
      // Consistent: a prefix of the writes made during the backup, with no gap.
      const during = [...names].filter((n) => n.startsWith('during-')).map((n) => Number(n.slice(7)));
      assert.ok(during.length <= written);
      for (let i = 0; i < during.length; i++) assert.ok(names.has(`during-${i}`), `during-${i} missing in a backup holding ${during.length}`);
      // The restored node writes too.
      const res = await raw(`${copy.url}/api/v1/groups`, { method: 'POST', token: server.adminToken, body: { profile: { name: 'after' } } });
      assert.equal(res.status, 200, res.text);
    } finally {
      await copy.stop();
    }
  });

  it('refusals: a running or non-empty data dir, junk, an existing file, a second master key', async () => {
    const file = path.join(work, 'refusals.db');
    assert.equal((await runCli(['backup', '--data', server.dataDir, '--out', file])).code, 0);

    const exists = await runCli(['backup', '--data', server.dataDir, '--out', file]);
    assert.equal(exists.code, 2);
    assert.match(exists.stderr, /exists; a backup never overwrites/);

    const running = await runCli(['restore', '--from', file, '--data', server.dataDir]);
    assert.equal(running.code, 2);
    assert.match(running.stderr, /is not empty \(it holds .*\); restore into a new or empty data directory/);
    assert.equal((await raw(`${server.url}/api/v1/groups?limit=1`, { token: server.adminToken })).status, 200, 'the running server is untouched');

    const stray = path.join(work, 'stray');
    await fs.mkdir(stray);
    await fs.writeFile(path.join(stray, 'notes.txt'), 'x');
    const nonEmpty = await runCli(['restore', '--from', file, '--data', stray]);
    assert.equal(nonEmpty.code, 2);
    assert.match(nonEmpty.stderr, /holds notes\.txt/);

    const junk = path.join(work, 'junk.db');
    await fs.writeFile(junk, 'not a database at all, but long enough to look like one maybe');
    const bad = await runCli(['restore', '--from', junk, '--data', path.join(work, 'from-junk')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /junk\.db/);
    await assert.rejects(fs.stat(path.join(work, 'from-junk')), 'nothing was created for a refused restore');

    const notGatehouse = await runCli(['backup', '--data', path.join(work, 'nothing-here'), '--out', path.join(work, 'x.db')]);
    assert.equal(notGatehouse.code, 2);
    assert.match(notGatehouse.stderr, /holds no SQLite database/);

    // The master key placed by hand first, then the restore: allowed once, not twice.
    const keyed = path.join(work, 'keyed');
    await fs.mkdir(keyed, { mode: 0o700 });
    await fs.copyFile(path.join(server.dataDir, 'master.key'), path.join(keyed, 'master.key'));
    await fs.chmod(path.join(keyed, 'master.key'), 0o600);
    const twice = await runCli(['restore', '--from', file, '--data', keyed, '--master-key', path.join(server.dataDir, 'master.key')]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /already holds a master key/);
    const ok = await runCli(['restore', '--from', file, '--data', keyed]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.doesNotMatch(ok.stdout, /no master key yet/);
  });

  it('a restore without the master key says so, and the data is not served until it is there', async () => {
    const file = path.join(work, 'nokey.db');
    assert.equal((await runCli(['backup', '--data', server.dataDir, '--out', file])).code, 0);
    const dir = path.join(work, 'nokey');
    const restore = await runCli(['restore', '--from', file, '--data', dir]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /no master key yet: copy the master key/);
    const serve = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0'], { timeoutMs: 10_000 });
    assert.notEqual(serve.code, 0);
    assert.match(serve.stderr, /master\.key/);
    // A different master key: refused at start (issue 19's check), never served wrong.
    const other = await makeDataDir();
    try {
      const init = await runCli(['init', '--data', other, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'o@example.com']);
      assert.equal(init.code, 0, init.stderr);
      await fs.copyFile(path.join(other, 'master.key'), path.join(dir, 'master.key'));
      await fs.chmod(path.join(dir, 'master.key'), 0o600);
      const wrong = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0'], { timeoutMs: 10_000 });
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /not the key this data was sealed with/);
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });
});

describe('backup of a PostgreSQL data dir', { skip: STORE !== 'postgresql' && 'PostgreSQL runs only' }, () => {
  it('is refused with a pointer to pg_dump', async () => {
    const server = await startServer();
    try {
      const res = await runCli(['backup', '--data', server.dataDir, '--out', path.join(server.dataDir, 'x.db')]);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /PostgreSQL: back it up with pg_dump/);
    } finally {
      await server.dispose();
    }
  });
});
