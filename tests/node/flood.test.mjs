// Flood on loopback, bounded (issue 19: "load held at 2x the measured peak rate without a crash
// or a leak"; the 10-minute run is `make soak`, bench/soak.mjs). The peak rate of the mix (ES256
// token with client_secret_basic, SSWS list, introspection) is measured closed-loop, then twice
// that is offered open-loop over at most 64 connections for FLOOD_SECONDS (default 36) while the
// server's RSS is sampled. About a minute in all.
import assert from 'node:assert/strict';
import { before, after, describe } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';
import { FLOOD_CONFIG, prepareMix, measurePeak, offer, rssVerdict } from './lib/flood.mjs';

const SECONDS = Number(process.env.FLOOD_SECONDS ?? 36);
// The mix never touches the store on its hot path, so make test runs it once, in the SQLite pass.
// Not under the sanitizers either: ASan's quarantine of freed memory makes RSS meaningless.
const skip = (process.env.GATEHOUSE_STORE === 'postgresql' && 'runs in the SQLite pass only (the mix does not touch the store)') ||
  (process.env.GATEHOUSE_SANITIZER_REPORTS && 'not under ASan (its quarantine of freed memory grows RSS by design)');
let server;
let mix;

before(async () => {
  if (skip) return;
  server = await startServer({ config: FLOOD_CONFIG });
  mix = await prepareMix(server.url, server.adminToken);
});

after(async () => {
  await server?.dispose();
});

describe('flood at twice the peak rate', { skip, timeout: (SECONDS + 60) * 1000 }, () => {
  let peak;
  let run;

  it('measures the peak rate of the mix (closed loop, 64 connections, 8 s)', async () => {
    peak = await measurePeak({ port: server.port, mix, connections: 64, seconds: 8 });
    const { stats } = peak;
    assert.equal(stats.invalid + stats.dropped, 0, JSON.stringify(stats));
    for (const kind of ['token', 'list', 'introspect'])
      assert.ok(stats.byKind[kind]?.[200] > 0, `${kind} answered 200: ${JSON.stringify(stats.byKind)}`);
    assert.ok(peak.rate > 50, `peak ${peak.rate.toFixed(0)} req/s`);
  });

  it('holds twice the peak, open loop: every answer a valid 200 (or a clean 429/503), no crash, RSS flat', async () => {
    const rate = Math.round(2 * peak.rate);
    run = await offer({ port: server.port, pid: server.proc.pid, mix, rate, seconds: SECONDS, connections: 64 });
    const { stats, samples } = run;
    const verdict = rssVerdict(samples);
    const summary = JSON.stringify({ peak: Math.round(peak.rate), offered: rate, achieved: Math.round(run.achieved),
      stats, rss: verdict });
    process.stderr.write(`flood: ${summary}\n`);
    assert.equal(server.proc.exitCode, null, 'the server is still running');
    assert.equal(server.proc.signalCode, null, 'the server is still running');
    assert.equal(stats.invalid, 0, `answers that are not HTTP/1.1: ${summary}`);
    assert.equal(stats.dropped, 0, `requests the server dropped without an answer: ${summary}`);
    assert.equal(stats.connectErrors, 0, `refused connections: ${summary}`);
    for (const status of Object.keys(stats.byStatus))
      assert.ok(['200', '429', '503'].includes(status), `status ${status}: ${summary}`);
    assert.ok(stats.unsent > 0, `twice the peak exceeds what 64 connections get answered: ${summary}`);
    assert.ok(run.achieved > 0.2 * peak.rate, `the server kept answering under overload: ${summary}`);
    assert.ok(verdict.flat, `RSS flat (max of the last third ≤ max of the second third + 8 MiB): ${summary}`);
  });

  it('answers normally right after', async () => {
    assert.equal((await raw(`${server.url}/health/ready`)).status, 200);
    const list = await raw(`${server.url}/api/v1/groups?limit=20`, { token: server.adminToken });
    assert.equal(list.status, 200);
    assert.equal(list.json.length, 20);
  });
});
