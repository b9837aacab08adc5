// Behaviour that needs a config file (serve --config): slow clients are cut off, limits apply,
// and lastUsed moves expiresAt (issue 2 "A slow client cannot hold a connection open forever",
// "It expires after 30 days unused (configurable). lastUsed ... flushed in batches").
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { before, after, describe } from 'node:test';
import { startServer, makeDataDir, raw, it, runCli, waitFor, watchConnection, trickle } from './lib/server.mjs';
import { basicToken, ensureAsScope, secretApp } from './lib/oauth.mjs';

const DAY = 24 * 3600 * 1000;
const CONFIG = `
[limits]
header_timeout_seconds = 1
body_timeout_seconds = 1
api_body_bytes = 4096

[tokens]
api_token_idle_days = 2
last_used_flush_seconds = 1
`;

let server;

before(async () => {
  server = await startServer({ config: CONFIG });
});

after(async () => {
  await server?.dispose();
});

const watchClose = (feed, limitMs) => watchConnection(server.port, feed, limitMs);

describe('slow clients', () => {
  it('a connection that stops in the middle of its headers is closed', async () => {
    const r = await watchClose((sock) => sock.write('GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\n'), 5_000);
    assert.notEqual(r.closedAfterMs, null, 'closed by the server within 5 s (header timeout 1 s)');
  });

  it('a client trickling its headers one byte at a time is closed too', async () => {
    const request = `GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const r = await watchClose(trickle(request), 6_000);
    assert.notEqual(r.closedAfterMs, null, 'closed within 6 s although bytes kept coming');
  });

  it('a body that never arrives is cut off', async () => {
    const r = await watchClose(
      (sock) =>
        sock.write(
          `POST /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: SSWS ${server.adminToken}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"profile":',
        ),
      5_000,
    );
    assert.notEqual(r.closedAfterMs, null, 'closed within 5 s (body timeout 1 s)');
  });

  it('an idle keep-alive connection is closed', async () => {
    const r = await watchClose(
      (sock) => sock.write(`GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
      5_000,
    );
    assert.match(r.data, /^HTTP\/1\.1 200/, 'the request was answered');
    assert.notEqual(r.closedAfterMs, null, 'then the idle connection was closed');
  });

  it('the server still serves', async () => {
    assert.equal((await raw(`${server.url}/api/v1/groups`, { token: server.adminToken })).status, 200);
  });
});

describe('configured limits and windows', () => {
  it('limits.api_body_bytes applies', async () => {
    const pad = (n) => ({ profile: { name: `pad-${n}`, description: 'x'.repeat(n) } });
    const big = await raw(`${server.url}/api/v1/groups`, { method: 'POST', token: server.adminToken, body: pad(5000) });
    assert.equal(big.status, 413);
    const small = await raw(`${server.url}/api/v1/groups`, { method: 'POST', token: server.adminToken, body: pad(1000) });
    assert.equal(small.status, 200, small.text);
  });

  it('tokens.api_token_idle_days sets expiresAt and tokenWindow', async () => {
    const res = await raw(`${server.url}/api/v1/api-tokens`, {
      method: 'POST',
      token: server.adminToken,
      body: { name: 'two days' },
    });
    assert.equal(res.status, 201, res.text);
    const left = Date.parse(res.json.expiresAt) - Date.now();
    assert.ok(left > 1.9 * DAY && left <= 2 * DAY + 60_000, `expiresAt two days ahead: ${res.json.expiresAt}`);
    assert.equal(res.json.tokenWindow, 'P2D');
  });

  // expiresAt = lastUsed + window; lastUsed is kept at one-minute precision and flushed in
  // batches, so a bounded test cannot watch it move. It must never move backwards, though.
  it('using a token never moves its expiresAt backwards, across a restart too', async () => {
    const created = await raw(`${server.url}/api/v1/api-tokens`, {
      method: 'POST',
      token: server.adminToken,
      body: { name: 'sliding' },
    });
    assert.equal(created.status, 201);
    const first = Date.parse(created.json.expiresAt);
    assert.equal((await raw(`${server.url}/api/v1/users/me`, { token: created.json.token })).status, 200);
    // No waiting for a flush interval: a clean stop writes what is queued (lastUsed and events),
    // which the first-use event found after the restart shows.
    await server.restart();
    const firstUse = encodeURIComponent(`eventType eq "system.api_token.first_used" and target.id eq "${created.json.id}"`);
    const used = await raw(`${server.url}/api/v1/logs?filter=${firstUse}&since=2000-01-01T00:00:00Z`, { token: server.adminToken });
    assert.equal(used.status, 200, used.text);
    assert.equal(used.json.length, 1, 'the first use, queued before the stop, was written');
    const m = await raw(`${server.url}/api/v1/api-tokens/${created.json.id}`, { token: server.adminToken });
    assert.equal(m.status, 200);
    assert.ok(Date.parse(m.json.expiresAt) >= first, `${m.json.expiresAt} >= ${created.json.expiresAt}`);
    assert.equal((await raw(`${server.url}/api/v1/users/me`, { token: created.json.token })).status, 200);
  });

  it('an unknown config key stops serve with a non-zero exit', async () => {
    const dir = await makeDataDir();
    try {
      const file = path.join(dir, 'bad.toml');
      await fs.writeFile(file, '[limits]\nno_such_key = 1\n');
      const r = await runCli(['serve', '--data', server.dataDir, '--listen', '127.0.0.1:0', '--config', file], {
        timeoutMs: 5_000,
      });
      assert.notEqual(r.code, 0, `exit ${r.code}, signal ${r.signal}`);
      assert.equal(r.signal, null, 'it exited by itself, not by the timeout');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('rate_limits.enabled = false and system_log.token_events = false', () => {
  let off;
  let dir;
  before(async () => {
    dir = await makeDataDir();
    const file = path.join(dir, 'off.toml');
    await fs.writeFile(file, '[rate_limits]\nenabled = false\ngroups_per_minute = 1\n\n[system_log]\ntoken_events = false\n');
    off = await startServer({ serveArgs: ['--config', file] });
  });
  after(async () => {
    await off?.dispose();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('no request is limited and no X-Rate-Limit-* header is sent', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await raw(`${off.url}/api/v1/groups?limit=1`, { token: off.adminToken });
      assert.equal(r.status, 200, `request ${i} with groups_per_minute = 1 but limits off`);
      assert.equal(r.headers.get('x-rate-limit-limit'), null);
    }
  });

  it('token requests leave no System Log event, changes still do', async () => {
    await ensureAsScope(off.url, off.adminToken, 'off.read');
    const app = await secretApp(off.url, off.adminToken);
    const res = await basicToken(`${off.url}/oauth2/default/v1/token`, app, 'off.read');
    assert.equal(res.status, 200, res.text);
    // Token events would go through the same queue as system.api_token.first_used, which
    // token_events = false keeps; once a later first use is written, the queue has passed the
    // token request (FIFO), so an absent token event is really absent.
    const marker = await raw(`${off.url}/api/v1/api-tokens`, { method: 'POST', token: off.adminToken, body: { name: 'marker' } });
    assert.equal(marker.status, 201, marker.text);
    assert.equal((await raw(`${off.url}/api/v1/users/me`, { token: marker.json.token })).status, 200);
    const firstUse = encodeURIComponent(`eventType eq "system.api_token.first_used" and target.id eq "${marker.json.id}"`);
    await waitFor(async () => {
      const r = await raw(`${off.url}/api/v1/logs?filter=${firstUse}&since=2000-01-01T00:00:00Z`, { token: off.adminToken });
      return r.status === 200 && r.json.length === 1;
    }, { what: 'the marker event to be written', timeoutMs: 5_000 });
    const filter = encodeURIComponent('eventType sw "app.oauth2.as.token"');
    const tokenEvents = await raw(`${off.url}/api/v1/logs?filter=${filter}&since=2000-01-01T00:00:00Z`, { token: off.adminToken });
    assert.equal(tokenEvents.status, 200, tokenEvents.text);
    assert.deepEqual(tokenEvents.json, []);
    const created = encodeURIComponent('eventType eq "application.lifecycle.create"');
    const appEvents = await raw(`${off.url}/api/v1/logs?filter=${created}&since=2000-01-01T00:00:00Z`, { token: off.adminToken });
    assert.equal(appEvents.status, 200, appEvents.text);
    assert.equal(appEvents.json.length, 1, 'the app creation is still recorded');
  });

  it('a value that is not a boolean stops serve', async () => {
    const file = path.join(dir, 'bad.toml');
    await fs.writeFile(file, '[rate_limits]\nenabled = "no"\n');
    const r = await runCli(['serve', '--data', off.dataDir, '--listen', '127.0.0.1:0', '--config', file], {
      timeoutMs: 5_000,
    });
    assert.notEqual(r.code, 0, `exit ${r.code}, signal ${r.signal}`);
    assert.equal(r.signal, null, 'it exited by itself, not by the timeout');
  });
});

describe('connections per source address', () => {
  it('past limits.max_connections_per_address a peer\'s new connections are closed; freed slots are reused', async () => {
    const s = await startServer({ config: '[limits]\nmax_connections_per_address = 3\n' });
    const open = [];
    try {
      const connect = () =>
        new Promise((resolve, reject) => {
          const sock = net.connect(s.port, '127.0.0.1');
          sock.once('connect', () => resolve(sock));
          sock.once('error', reject);
        });
      // Resolves with true if the server closes `sock` within `ms`.
      const closedWithin = (sock, ms) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), ms);
          sock.once('close', () => {
            clearTimeout(timer);
            resolve(true);
          });
          sock.on('error', () => {});
        });
      for (let i = 0; i < 3; i++) open.push(await connect());
      const fourth = await connect();
      open.push(fourth);
      assert.equal(await closedWithin(fourth, 2_000), true, 'the fourth connection from 127.0.0.1 is closed');
      // The first three still work.
      const res = await raw(`${s.url}/api/v1/users/me`, { token: s.adminToken }).catch((e) => ({ status: e.message }));
      assert.equal(typeof res.status, 'string', 'fetch opens a fourth connection too, and is refused');
      open[0].write(`GET /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: SSWS ${s.adminToken}\r\nAccept: application/json\r\n\r\n`);
      const answer = await new Promise((resolve) => open[0].once('data', (d) => resolve(d.toString('latin1'))));
      assert.match(answer, /^HTTP\/1\.1 200 /);
      // A freed slot is reused.
      open[1].destroy();
      await new Promise((r) => setTimeout(r, 200));
      const again = await raw(`${s.url}/api/v1/users/me`, { token: s.adminToken });
      assert.equal(again.status, 200);
    } finally {
      for (const sock of open) sock.destroy();
      await s.dispose();
    }
  });
});
