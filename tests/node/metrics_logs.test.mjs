// Operations (issue 18): Prometheus text at /metrics (counts, refusals by reason, rate-limit
// hits, store latency, cache sizes; who may read it) and JSON logs (every line parses, request
// ids, never a secret). docs/deployment.md "Metrics" and "Logs".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, after, describe } from 'node:test';
import { startServer, raw, waitFor, it, GATEHOUSE_BIN, makeDataDir, storeArgs } from './lib/server.mjs';
import { secretApp, formPost, basicToken, ensureAsScope } from './lib/oauth.mjs';

// Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` once per family, before its
// samples; samples `name{label="value",…} number`. Returns Map("name{labels}" → number).
function parseMetrics(text) {
  const samples = new Map();
  const typed = new Map();
  const sampleRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.eE+-]+|[+-]Inf|NaN)$/;
  assert.ok(text.endsWith('\n'), 'the text ends with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      assert.ok(!typed.has(type[1]), `TYPE of ${type[1]} given twice`);
      typed.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = sampleRe.exec(line);
    assert.ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(typed.has(m[1]) || typed.get(family) === 'histogram', `sample before its TYPE: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

const metric = (samples, key) => samples.get(key) ?? 0;

describe('metrics on, loopback only, JSON logs', () => {
  const CONFIG = 'log_level = "debug"\nlog_format = "json"\n[metrics]\nenabled = true\n[rate_limits]\ngroups_per_minute = 2\n';
  let server;
  before(async () => {
    server = await startServer({ config: CONFIG });
  });
  after(async () => {
    await server?.dispose();
  });
  const scrape = async () => {
    const res = await raw(`${server.url.replace(/\/o\/.*$/, '')}/metrics`, { lenient: true });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    return parseMetrics(res.text);
  };

  it('requests by route family and status, latency histograms, and a refused token with its reason', async () => {
    const before = await scrape();
    const usersKey = 'gatehouse_http_requests_total{route="/api/v1/users",status="200"}';
    for (let i = 0; i < 3; i++) assert.equal((await raw(`${server.url}/api/v1/users/${server.adminUserId}`, { token: server.adminToken })).status, 200);
    await ensureAsScope(server.url, server.adminToken, 'metrics.read');
    const app = await secretApp(server.url, server.adminToken);
    const issued = await basicToken(`${server.url}/oauth2/default/v1/token`, app, 'metrics.read');
    assert.equal(issued.status, 200, issued.text);
    const bad = await formPost(`${server.url}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'metrics.read' }, {
      basic: [app.clientId, `${app.secret}x`],
    });
    assert.equal(bad.status, 401, bad.text);
    const unsupported = await formPost(`${server.url}/oauth2/default/v1/token`, { grant_type: 'password', scope: 'x' }, {
      basic: [app.clientId, app.secret],
    });
    assert.equal(unsupported.json?.error, 'unsupported_grant_type', unsupported.text);
    const after = await scrape();
    assert.equal(metric(after, usersKey) - metric(before, usersKey), 3);
    const latency = 'gatehouse_http_request_duration_seconds_count{route="/api/v1/users"}';
    assert.ok(metric(after, latency) - metric(before, latency) >= 3);
    assert.equal(after.get('gatehouse_http_request_duration_seconds_bucket{route="/api/v1/users",le="+Inf"}'), after.get(latency));
    const issuedKey = 'gatehouse_tokens_issued_total{grant="client_credentials"}';
    assert.equal(metric(after, issuedKey) - metric(before, issuedKey), 1);
    assert.equal(metric(after, 'gatehouse_tokens_refused_total{grant="client_credentials",error="invalid_client"}'), 1);
    assert.equal(metric(after, 'gatehouse_tokens_refused_total{grant="other",error="unsupported_grant_type"}'), 1);
    assert.equal(metric(after, 'gatehouse_http_requests_total{route="/oauth2/*/v1/token",status="401"}'), 1);
    // Commits (the app, its scope) were timed; the model's sizes are there.
    assert.ok(metric(after, 'gatehouse_store_duration_seconds_count{op="commit"}') >= 2);
    assert.equal(after.get('gatehouse_orgs'), 1);
    assert.ok(after.get('gatehouse_api_tokens') >= 1);
    assert.ok(after.has('gatehouse_replay_cache_entries{cache="assertion"}'));
    assert.ok(after.has('gatehouse_jwks_cache_entries'));
    // Labels are route families: no id, no secret, no token anywhere.
    const text = (await raw(`${server.url}/metrics`, { lenient: true })).text;
    for (const leak of [server.adminUserId, app.clientId, app.secret, issued.json.access_token, server.adminToken])
      assert.ok(!text.includes(leak), `metrics text contains ${leak.slice(0, 8)}…`);
  });

  it('rate-limit hits are counted by route family', async () => {
    const key = 'gatehouse_rate_limited_total{route="/api/v1/groups"}';
    const before = metric(await scrape(), key);
    let limited = 0;
    for (let i = 0; i < 4; i++) if ((await raw(`${server.url}/api/v1/groups`, { token: server.adminToken, lenient: true })).status === 429) limited += 1;
    assert.ok(limited >= 1, 'groups_per_minute = 2 limits the 4 requests');
    assert.equal(metric(await scrape(), key) - before, limited);
  });

  it('JSON logs: every log line is one JSON object; refusals carry their request id; no secret', async () => {
    const app = await secretApp(server.url, server.adminToken, { method: 'client_secret_basic', dpop: true });
    const res = await formPost(`${server.url}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'metrics.read' }, {
      basic: [app.clientId, app.secret],
    });
    assert.equal(res.status, 400, res.text);
    const id = res.headers.get('x-okta-request-id');
    const objects = () =>
      `${server.stdout}\n${server.stderr}`
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('--- ') && !l.startsWith('listening on '))
        .map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            assert.fail(`a log line that is not JSON: ${l}`);
          }
        });
    await waitFor(() => objects().some((o) => o.request_id === id), { what: `a JSON log line with request_id ${id}` });
    for (const o of objects()) {
      assert.equal(typeof o.time, 'string');
      assert.ok(!Number.isNaN(Date.parse(o.time)), o.time);
      assert.match(o.level, /^(trace|debug|info|warning|error|critical)$/);
      assert.equal(typeof o.message, 'string');
    }
    const refused = objects().find((o) => o.request_id === id);
    assert.equal(refused.level, 'debug');
    assert.match(refused.message, /refused request_id=\S+ .*error=invalid_dpop_proof/);
    const out = `${server.stdout}\n${server.stderr}`;
    assert.ok(!out.includes(app.secret), 'the client secret is in the logs');
    assert.ok(!out.includes(Buffer.from(`${app.clientId}:${app.secret}`).toString('base64')), 'the Authorization header is in the logs');
    assert.ok(!out.includes(server.adminToken), 'the SSWS token is in the logs');
  });
});

describe('who may read /metrics', () => {
  it('off by default: 404, as any unknown path', async () => {
    const server = await startServer();
    try {
      const res = await raw(`${server.url}/metrics`, { lenient: true });
      assert.equal(res.status, 404);
      assert.ok(!res.text.includes('gatehouse_'));
    } finally {
      await server.dispose();
    }
  });

  it('with a token file: the bearer token is required, from loopback too', async () => {
    const dir = await makeDataDir();
    const tokenFile = path.join(dir, 'metrics.token');
    const token = 'm3tr1cs-token-0123456789abcdef';
    await fs.writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const server = await startServer({ config: `[metrics]\nenabled = true\ntoken_file = "${tokenFile}"\n` });
    try {
      const none = await raw(`${server.url}/metrics`, { lenient: true });
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate'), /^Bearer /);
      const wrong = await raw(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}x` }, lenient: true });
      assert.equal(wrong.status, 401);
      const ok = await raw(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` }, lenient: true });
      assert.equal(ok.status, 200);
      parseMetrics(ok.text);
    } finally {
      await server.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a token file open to others is refused at start', async () => {
    const dir = await makeDataDir();
    const tokenFile = path.join(dir, 'metrics.token');
    await fs.writeFile(tokenFile, 'm3tr1cs-token-0123456789abcdef\n', { mode: 0o644 });
    await fs.chmod(tokenFile, 0o644);
    await assert.rejects(startServer({ config: `[metrics]\nenabled = true\ntoken_file = "${tokenFile}"\n` }), /open to group or others/);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('without a token: loopback peers only; another address gets 404', async (t) => {
    const external = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      t.skip('no non-loopback IPv4 address on this machine');
      return;
    }
    const server = await startServer();  // its data dir, served again on every address below
    await server.stop();
    const configDir = await makeDataDir();
    const config = path.join(configDir, 'gatehouse.toml');
    await fs.writeFile(config, '[metrics]\nenabled = true\n');
    const proc = spawn(GATEHOUSE_BIN, ['serve', '--data', server.dataDir, '--listen', '0.0.0.0:0', '--config', config,
                                         ...storeArgs(server.dataDir)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    try {
      let out = '';
      const port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000);
        proc.stdout.on('data', (c) => {
          out += c;
          const m = /listening on http:\/\/[^\s]+:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      assert.equal((await raw(`http://127.0.0.1:${port}/metrics`, { lenient: true })).status, 200);
      const far = await raw(`http://${external.address}:${port}/metrics`, { lenient: true });
      assert.equal(far.status, 404, `from ${external.address}`);
      assert.ok(!far.text.includes('gatehouse_'));
      assert.equal((await raw(`http://${external.address}:${port}/health/live`, { lenient: true })).status, 200);
    } finally {
      proc.kill('SIGTERM');
      await exited;
      await server.dispose();
      await fs.rm(configDir, { recursive: true, force: true });
    }
  });
});
