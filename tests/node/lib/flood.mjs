// Load on loopback for the flood test (tests/node/flood.test.mjs, bounded) and the soak
// (bench/soak.mjs, `make soak`, 10 minutes) of issue 19: "load held at 2x the measured peak rate
// without a crash or a leak (RSS flat over 10 minutes)".
//
// The mix, one request of each in turn: a client_credentials token with client_secret_basic at a
// custom authorization server signing ES256; an SSWS GET /api/v1/groups?limit=20; an introspection
// (client_secret_basic at `default`) of an active token. Requests are pre-built bytes on raw
// sockets, one in flight per connection (no pipelining): Node's own HTTP client would cost more
// CPU than the server on this machine, and the generator shares the cores with the server.
//
// measurePeak(): closed loop, each connection sends its next request when its answer arrives;
// the peak is the answers per second. offer(): open loop at a fixed rate: a request is due every
// 1/rate s whatever the answers; it goes out on an idle connection, or on the first one to
// answer within the same tick (~2 ms); when all `connections` stay busy that long it is counted
// as `unsent` (the bound on concurrent connections), never queued. Meanwhile the server's VmRSS (/proc/PID/status) is sampled.
import fs from 'node:fs';
import net from 'node:net';
import { ensureAsScope, secretApp, basicToken, accessTokenOf, basicAuth } from './oauth.mjs';
import { raw } from './server.mjs';

// Raised, not switched off, as in bench/gatehouse.toml: the limiter still runs on every request,
// but the load measures the work behind it rather than cheap 429s.
export const FLOOD_CONFIG = `[rate_limits]
users_per_minute = 1000000000
groups_per_minute = 1000000000
apps_per_minute = 1000000000
logs_per_minute = 1000000000
other_per_minute = 1000000000
token_per_client_per_minute = 1000000000
`;

async function must(res, what) {
  if (res.status !== 200 && res.status !== 201) throw new Error(`${what} -> ${res.status}: ${res.text.slice(0, 300)}`);
  return res.json;
}

// Creates what the mix needs through the management API; returns [{kind, bytes}] (one per kind).
export async function prepareMix(orgUrl, token) {
  const host = new URL(orgUrl).host;
  const as = await must(await raw(`${orgUrl}/api/v1/authorizationServers`, {
    method: 'POST', token, body: { name: 'flood-es256', audiences: ['api://flood'], signing: { alg: 'ES256' } },
  }), 'POST authorizationServers');
  await must(await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}/scopes`, {
    method: 'POST', token, body: { name: 'flood.read' },
  }), 'POST scopes');
  const policy = await must(await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}/policies`, {
    method: 'POST', token,
    body: { type: 'OAUTH_AUTHORIZATION_POLICY', name: 'flood', priority: 1, conditions: { clients: { include: ['ALL_CLIENTS'] } } },
  }), 'POST policies');
  await must(await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}/policies/${policy.id}/rules`, {
    method: 'POST', token,
    body: { type: 'RESOURCE_ACCESS', name: 'flood', priority: 1,
      conditions: { grantTypes: { include: ['client_credentials'] }, scopes: { include: ['flood.read'] } } },
  }), 'POST rules');
  const app = await secretApp(orgUrl, token, { method: 'client_secret_basic' });
  const tokenPath = `/oauth2/${as.id}/v1/token`;
  accessTokenOf(await basicToken(`${orgUrl}${tokenPath}`, app, 'flood.read'), 'ES256 token');
  await ensureAsScope(orgUrl, token, 'flood.read');
  const active = accessTokenOf(await basicToken(`${orgUrl}/oauth2/default/v1/token`, app, 'flood.read'), 'default token');
  for (let i = 0; i < 30; i++) {
    await must(await raw(`${orgUrl}/api/v1/groups`, { method: 'POST', token, body: { profile: { name: `flood-${i}` } } }),
      'POST groups');
  }
  const basic = basicAuth(app.clientId, app.secret);
  const form = (path, body) =>
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${basic}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return [
    { kind: 'token', bytes: Buffer.from(form(tokenPath, 'grant_type=client_credentials&scope=flood.read')) },
    { kind: 'list', bytes: Buffer.from(
      `GET /api/v1/groups?limit=20 HTTP/1.1\r\nHost: ${host}\r\nAuthorization: SSWS ${token}\r\nAccept: application/json\r\n\r\n`) },
    { kind: 'introspect', bytes: Buffer.from(
      form('/oauth2/default/v1/introspect', `token=${active}&token_type_hint=access_token`)) },
  ];
}

export function rssKb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

// CPU time of `pid` so far (user + system, /proc/PID/stat fields 14 and 15, in clock ticks of
// 10 ms: USER_HZ is 100 on Linux), in ms.
export function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

// Server CPU per 1000 answers in each third of the samples: a cost that rises while the rate
// falls is the server slowing down; a steady cost with a falling rate is other load on the cores.
export function cpuPerThousand(samples) {
  const ok = samples.filter((s) => s.cpuMs !== null);
  const third = Math.floor(ok.length / 3);
  const bounds = [0, third, 2 * third, ok.length - 1];
  const out = [];
  for (let i = 0; i < 3; i++) {
    const a = ok[bounds[i]];
    const b = ok[bounds[i + 1]];
    out.push(b && a && b.answers > a.answers ? Math.round(((b.cpuMs - a.cpuMs) * 1000) / (b.answers - a.answers)) : null);
  }
  return out;
}

// Counts of one run: answers by status and kind, and what went wrong on the wire.
function newStats() {
  return { sent: 0, unsent: 0, answers: 0, byStatus: {}, byKind: {}, invalid: 0, dropped: 0, connectErrors: 0 };
}

// One keep-alive connection with at most one request in flight. `onAnswer(status, kind)` on each
// complete answer; a connection the server closes is reopened; a request in flight on it then is
// counted as dropped (no answer), an answer that is not HTTP/1.1 as invalid.
class Conn {
  constructor(port, stats, onIdle) {
    this.port = port;
    this.stats = stats;
    this.onIdle = onIdle;
    this.busy = null; // the kind in flight
    this.closed = false;
    this.open();
  }

  open() {
    this.buf = Buffer.alloc(0);
    this.ready = false;
    const sock = net.connect(this.port, '127.0.0.1');
    sock.setNoDelay(true);
    this.sock = sock;
    sock.on('connect', () => {
      this.ready = true;
      if (!this.busy) this.onIdle(this);
    });
    sock.on('data', (d) => this.data(d));
    sock.on('error', () => {});
    sock.on('close', (hadError) => {
      if (sock !== this.sock) return;
      if (!this.ready && hadError) this.stats.connectErrors += 1;
      if (this.busy) {
        this.stats.dropped += 1;
        this.busy = null;
      }
      if (!this.closed) setTimeout(() => this.open(), this.ready ? 0 : 50);
    });
  }

  send(req) {
    this.busy = req.kind;
    this.stats.sent += 1;
    this.sock.write(req.bytes);
  }

  data(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end);
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      const len = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!m || !this.busy) {
        this.stats.invalid += 1;
        this.sock.destroy();
        return;
      }
      const total = end + 4 + (len ? Number(len[1]) : 0);
      if (this.buf.length < total) return;
      this.buf = this.buf.subarray(total);
      const status = Number(m[1]);
      const kind = this.busy;
      this.busy = null;
      const s = this.stats;
      s.answers += 1;
      s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
      const k = (s.byKind[kind] ??= {});
      k[status] = (k[status] ?? 0) + 1;
      if (/\r\nconnection: close/i.test(head)) {
        this.sock.destroy(); // 'close' reopens it
        return;
      }
      this.onIdle(this);
    }
  }

  close() {
    this.closed = true;
    this.sock.destroy();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Closed loop for `seconds` over `connections`: resolves to {rate, stats}.
export async function measurePeak({ port, mix, connections = 64, seconds = 10 }) {
  const stats = newStats();
  let next = 0;
  let running = true;
  const conns = [];
  const onIdle = (c) => {
    if (running && c.ready) c.send(mix[next++ % mix.length]);
  };
  for (let i = 0; i < connections; i++) conns.push(new Conn(port, stats, onIdle));
  await sleep(1000); // warm-up, not counted
  const a0 = stats.answers;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const rate = ((stats.answers - a0) * 1000) / (performance.now() - t0);
  running = false;
  await sleep(200);
  for (const c of conns) c.close();
  return { rate, stats };
}

// Open loop at `rate` requests/s for `seconds` over at most `connections` connections, sampling
// the RSS of `pid` every `sampleMs`. Resolves to {stats, samples: [{t, rssKb}], achieved}.
export async function offer({ port, pid, mix, rate, seconds, connections = 64, sampleMs = 1000, onSample }) {
  const stats = newStats();
  const idle = [];
  const conns = [];
  let next = 0;
  let credit = 0; // requests due in this tick that found no idle connection yet
  const onIdle = (c) => {
    if (credit > 0 && c.ready && !c.closed) {
      credit -= 1;
      c.send(mix[next++ % mix.length]);
    } else idle.push(c);
  };
  for (let i = 0; i < connections; i++) conns.push(new Conn(port, stats, onIdle));
  await sleep(200);
  const samples = [];
  let due = 0;
  const t0 = performance.now();
  const sampler = setInterval(() => {
    let kb = null;
    let cpu = null;
    try {
      kb = rssKb(pid);
      cpu = cpuMs(pid);
    } catch {
      kb = null; // the process is gone: the caller sees the crash
    }
    const s = { t: Math.round((performance.now() - t0) / 1000), rssKb: kb, cpuMs: cpu, answers: stats.answers };
    samples.push(s);
    onSample?.(s, stats);
  }, sampleMs);
  const end = t0 + seconds * 1000;
  for (;;) {
    const now = performance.now();
    if (now >= end) break;
    // What the last tick could not send is given up: a request waits at most one tick (~2 ms)
    // for a connection that answered; past the bound it is counted, never queued.
    stats.unsent += credit;
    credit = 0;
    const target = Math.floor(((now - t0) / 1000) * rate);
    while (due < target) {
      due += 1;
      let c;
      while ((c = idle.pop()) && (c.busy || !c.ready || c.closed));
      if (c) c.send(mix[next++ % mix.length]);
      else credit += 1;
    }
    await sleep(2);
  }
  stats.unsent += credit;
  credit = 0;
  clearInterval(sampler);
  const achieved = (stats.answers * 1000) / (performance.now() - t0);
  // Answers still in flight get a moment; those that do not come are counted as dropped on close.
  for (let i = 0; i < 50 && conns.some((c) => c.busy); i++) await sleep(100);
  for (const c of conns) c.close();
  stats.offered = due;
  return { stats, samples, achieved };
}

// "RSS flat" (issue 19): the samples of the loaded run in thirds; the first is warm-up (caches,
// the allocator's arenas, the System Log queue finding its level); flat means the highest sample
// of the last third is at most the highest of the second third plus `slackKb`.
export function rssVerdict(samples, slackKb = 8 * 1024) {
  const kb = samples.map((s) => s.rssKb).filter((v) => v !== null);
  const third = Math.floor(kb.length / 3);
  const second = kb.slice(third, 2 * third);
  const last = kb.slice(2 * third);
  const maxSecond = Math.max(...second);
  const maxLast = Math.max(...last);
  return {
    first: Math.max(...kb.slice(0, third)), maxSecond, maxLast, slackKb,
    growthKb: maxLast - maxSecond, enough: kb.length >= 6, flat: kb.length >= 6 && maxLast <= maxSecond + slackKb,
  };
}
