// The command-line contract of `gatehouse init` and `gatehouse serve` (issue 2,
// "Command-line contract"): init --json, re-init refusal, --api-tokens, --admin-password-file,
// the master key's mode, serve --base-url, graceful SIGTERM.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, describe } from 'node:test';
import { startServer, makeDataDir, runCli, raw, it, GatehouseServer, waitFor } from './lib/server.mjs';
import { assertOktaId, parseLinks } from './lib/checks.mjs';

const cleanup = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function freshDir() {
  const dir = await makeDataDir();
  cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function parseJsonOut(stdout) {
  const trimmed = stdout.trim();
  assert.ok(trimmed.startsWith('{') && trimmed.endsWith('}'), `stdout is exactly one JSON object: ${stdout}`);
  return JSON.parse(trimmed);
}

async function serveDir(dir, init, extraArgs = []) {
  const s = new GatehouseServer(dir, init);
  await s.serve({ extraArgs });
  cleanup.push(() => s.stop());
  return s;
}

describe('init', () => {
  it('--json prints one object with the documented fields', async () => {
    const dir = await freshDir();
    const r = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'root@example.com', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJsonOut(r.stdout);
    assert.equal(out.orgUrl, 'http://127.0.0.1:8080');
    assertOktaId(out.orgId, '00o');
    assertOktaId(out.adminUserId, '00u');
    assert.equal(out.adminLogin, 'root@example.com');
    assert.equal(typeof out.adminPassword, 'string', 'a generated password is printed');
    assert.ok(out.adminPassword.length >= 12);
    assert.equal(out.apiTokens.length, 1, 'one token by default');
  });

  it('keeps the master key private (mode 0600)', async () => {
    const dir = await freshDir();
    const r = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'k@example.com', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const names = await fs.readdir(dir);
    const keys = names.filter((n) => /key/i.test(n));
    assert.ok(keys.length >= 1, `a key file in ${names}`);
    for (const n of keys) {
      const st = await fs.stat(path.join(dir, n));
      assert.equal(st.mode & 0o077, 0, `${n} is not readable by group or others (mode ${(st.mode & 0o777).toString(8)})`);
    }
  });

  it('--api-tokens 3 makes three working tokens; --admin-password-file prints no password', async () => {
    const dir = await freshDir();
    const pwFile = path.join(dir, '..', `${path.basename(dir)}-pw`);
    await fs.writeFile(pwFile, 'My-Own-Password-123!\n', { mode: 0o600 });
    cleanup.push(() => fs.rm(pwFile, { force: true }));
    const r = await runCli([
      'init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'three@example.com',
      '--admin-password-file', pwFile, '--api-tokens', '3', '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJsonOut(r.stdout);
    assert.ok(!('adminPassword' in out), 'no adminPassword when it was given');
    assert.ok(!r.stdout.includes('My-Own-Password-123!'), 'the given password is not printed');
    assert.equal(out.apiTokens.length, 3);
    assert.equal(new Set(out.apiTokens).size, 3);
    const s = await serveDir(dir, out);
    for (const t of out.apiTokens) {
      const res = await raw(`${s.url}/api/v1/users/me`, { token: t });
      assert.equal(res.status, 200);
      assert.equal(res.json.id, out.adminUserId);
    }
    const me = await raw(`${s.url}/api/v1/users/me`, { token: out.apiTokens[0] });
    assert.ok(!me.text.includes('My-Own-Password-123!'));
  });

  it('on an initialised dir it changes nothing and exits 2', async () => {
    const dir = await freshDir();
    const first = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'once@example.com', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const out = parseJsonOut(first.stdout);
    const second = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:9090', '--admin-email', 'twice@example.com', '--json']);
    assert.equal(second.code, 2, `exit code ${second.code}; ${second.stderr}`);
    assert.ok((second.stderr + second.stdout).trim().length > 0, 'says why');
    const s = await serveDir(dir, out);
    const me = await raw(`${s.url}/api/v1/users/me`, { token: out.apiTokens[0] });
    assert.equal(me.status, 200, 'the first token still works');
    assert.equal(me.json.profile.login, 'once@example.com');
    const users = await raw(`${s.url}/api/v1/users`, { token: out.apiTokens[0] });
    assert.deepEqual(users.json.map((u) => u.profile.login), ['once@example.com'], 'no second admin');
  });

  it('keeps the data directory 0700 and every file in it 0600, the database and its WAL included', async () => {
    const dir = await freshDir();
    await fs.chmod(dir, 0o755);  // a directory made by someone else, too open
    const r = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'm@example.com', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJsonOut(r.stdout);
    const s = await serveDir(dir, out);
    const res = await raw(`${s.url}/api/v1/groups`, { method: 'POST', token: out.apiTokens[0],
      body: { profile: { name: 'Mode check' } } });
    assert.equal(res.status, 200, 'a write, so the WAL exists');
    assert.equal((await fs.stat(dir)).mode & 0o777, 0o700, 'the directory is 0700');
    const names = await fs.readdir(dir);
    assert.ok(names.includes('gatehouse.db-wal'), `the WAL is there: ${names}`);
    for (const n of names) {
      const mode = (await fs.stat(path.join(dir, n))).mode & 0o777;
      assert.equal(mode, 0o600, `${n} is 0600 (mode ${mode.toString(8)})`);
    }
  });

  it('serve refuses a master key open to group or others, with a clear message', async () => {
    const dir = await freshDir();
    const r = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'o@example.com', '--json']);
    assert.equal(r.code, 0, r.stderr);
    await fs.chmod(path.join(dir, 'master.key'), 0o644);
    const serve = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
    assert.equal(serve.code, 1, `exit code ${serve.code}; ${serve.stderr}`);
    assert.match(serve.stderr, /master\.key is open to group or others \(mode 0644\).*chmod 600/);
  });

  it('serve refuses a missing master key, and one that is not the key the data was sealed with', async () => {
    const dir = await freshDir();
    const r = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 'w@example.com', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const keyFile = path.join(dir, 'master.key');
    const key = await fs.readFile(keyFile);
    await fs.rm(keyFile);
    const missing = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
    assert.equal(missing.code, 1, `exit code ${missing.code}; ${missing.stderr}`);
    assert.match(missing.stderr, /cannot read .*master\.key: No such file/);
    const other = Buffer.from(key.map((b) => b ^ 0x5a));
    await fs.writeFile(keyFile, other, { mode: 0o600 });
    const wrong = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0']);
    assert.equal(wrong.code, 1, `exit code ${wrong.code}; ${wrong.stderr}`);
    assert.match(wrong.stderr, /master\.key is not the key this data was sealed with/);
    await fs.writeFile(keyFile, key, { mode: 0o600 });
    const s = await serveDir(dir, parseJsonOut(r.stdout));
    assert.equal((await raw(`${s.url}/api/v1/users/me`, { token: parseJsonOut(r.stdout).apiTokens[0] })).status, 200,
      'the right key serves again');
  });

  it('serve refuses a store other than the one init put the data in', async () => {
    const dir = await freshDir();
    const r = await runCli(['init', '--data', dir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', 's@example.com', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const serve = await runCli(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--store', 'postgresql://127.0.0.1:1/nowhere']);
    assert.equal(serve.code, 2, `exit code ${serve.code}; ${serve.stderr}`);
    assert.match(serve.stderr, /was initialised with SQLite; serve it with no --store/);
  });

  it('refuses missing required options with a non-zero exit', async () => {
    const dir = await freshDir();
    const r = await runCli(['init', '--data', dir, '--admin-email', 'x@example.com']);
    assert.notEqual(r.code, 0);
  });
});

describe('serve', () => {
  it('--base-url sets the first org URL written in links', async () => {
    const s = await startServer({ serveArgs: ['--base-url', 'http://gatehouse.test:9999'] });
    cleanup.push(() => s.dispose());
    const res = await raw(`http://127.0.0.1:${s.port}/api/v1/groups?limit=1`, { token: s.adminToken });
    assert.equal(res.status, 200);
    assert.equal(res.json[0]._links.self.href, `http://gatehouse.test:9999/api/v1/groups/${res.json[0].id}`);
    const links = parseLinks(res.headers.get('link'));
    assert.ok(links.self.startsWith('http://gatehouse.test:9999/api/v1/groups'), links.self);
  });

  it('without --base-url the org URL is http:// + the bound address', async () => {
    const s = await startServer();
    cleanup.push(() => s.dispose());
    assert.equal(s.url, `http://127.0.0.1:${s.port}`);
    const res = await raw(`${s.url}/api/v1/users/me`, { token: s.adminToken });
    assert.equal(res.json._links.self.href, `${s.url}/api/v1/users/${s.adminUserId}`);
  });

  it('SIGTERM finishes in-flight requests and exits 0', async () => {
    const s = await startServer();
    cleanup.push(() => s.dispose());
    const results = [];
    const inflight = Array.from({ length: 16 }, (_, i) =>
      raw(`${s.url}/api/v1/groups`, {
        method: 'POST',
        token: s.adminToken,
        body: { profile: { name: `term-${i}` } },
      }).then(
        (r) => results.push({ i, status: r.status, id: r.json?.id }),
        (e) => results.push({ i, error: e.message }),
      ),
    );
    // Stop once the server has answered one of them, so the others are in flight or queued.
    await waitFor(() => results.length > 0, { what: 'a first answer', intervalMs: 1 });
    const exit = await s.stop();
    await Promise.all(inflight);
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
    // Every request got a whole answer or was never accepted; every 2xx is stored.
    for (const r of results) {
      if (r.status !== undefined) assert.equal(r.status, 200, JSON.stringify(r));
    }
    assert.ok(results.some((r) => r.status === 200), 'at least the first answer is checked against the store');
    await s.restart();
    for (const r of results.filter((x) => x.status === 200)) {
      const g = await raw(`${s.url}/api/v1/groups/${r.id}`, { token: s.adminToken });
      assert.equal(g.status, 200, `term-${r.i} was acknowledged and must be stored`);
    }
  });
});
