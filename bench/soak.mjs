// `make soak` (issue 19, "load held at 2x the measured peak rate without a crash or a leak (RSS
// flat over 10 minutes)"): the long form of tests/node/flood.test.mjs, with the same generator
// (tests/node/lib/flood.mjs). Starts a server of its own (temp data dir, SQLite, rate limits
// raised as in bench/gatehouse.toml), measures the closed-loop peak of the mix over CONNECTIONS
// connections for PEAK_SECONDS, offers RATE_FACTOR x that open-loop for SOAK_SECONDS, then checks
// the server answers normally. Writes RESULTS_DIR/DATE-soak.json (every RSS sample) and
// DATE-soak.md, prints the summary, exits 1 if a check failed.
// Environment: GATEHOUSE_BIN (default build-release/gatehouse, then build/gatehouse),
//   SOAK_SECONDS=600 PEAK_SECONDS=20 RATE_FACTOR=2 CONNECTIONS=64 SLACK_MB=8 SAMPLE_MS=2000
//   RESULTS_DIR=bench/results. Runs wherever Node does; `nice` it on a shared machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');
if (!process.env.GATEHOUSE_BIN) {
  for (const c of ['build-release/gatehouse', 'build/gatehouse']) {
    if (fs.existsSync(path.join(repo, c))) {
      process.env.GATEHOUSE_BIN = path.join(repo, c);
      break;
    }
  }
}
const { startServer, raw } = await import('../tests/node/lib/server.mjs');
const { FLOOD_CONFIG, prepareMix, measurePeak, offer, rssVerdict, rssKb, cpuPerThousand } = await import('../tests/node/lib/flood.mjs');

// What the server said about the load: System Log events it had to drop (its queue holds 100,000
// at most, store/event_queue.hpp) and its error lines.
function serverLog(text) {
  const dropped = [...text.matchAll(/system log queue full: events dropped=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const errors = text.split('\n').filter((l) => /\[error\]|\berror\b.*request failed/i.test(l));
  return { eventsDropped: dropped, errorLines: errors.length, firstErrors: errors.slice(0, 5) };
}

const env = (name, dflt) => Number(process.env[name] ?? dflt);
const SOAK_SECONDS = env('SOAK_SECONDS', 600);
const PEAK_SECONDS = env('PEAK_SECONDS', 20);
const RATE_FACTOR = env('RATE_FACTOR', 2);
const CONNECTIONS = env('CONNECTIONS', 64);
const SLACK_MB = env('SLACK_MB', 8);
const SAMPLE_MS = env('SAMPLE_MS', 2000);
const RESULTS_DIR = process.env.RESULTS_DIR ?? path.join(repo, 'bench/results');
const log = (s) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

const server = await startServer({ config: FLOOD_CONFIG });
const failures = [];
let report;
try {
  const pid = server.proc.pid;
  log(`server pid ${pid} on ${server.url} (${process.env.GATEHOUSE_BIN}), nice ${os.getPriority(pid)}`);
  const mix = await prepareMix(server.url, server.adminToken);
  const rssStart = rssKb(pid);
  const peak = await measurePeak({ port: server.port, mix, connections: CONNECTIONS, seconds: PEAK_SECONDS });
  log(`peak ${peak.rate.toFixed(0)} req/s (closed loop, ${CONNECTIONS} connections, ${PEAK_SECONDS} s)`);
  const rate = Math.round(RATE_FACTOR * peak.rate);
  log(`offering ${rate} req/s open-loop for ${SOAK_SECONDS} s`);
  const run = await offer({
    port: server.port, pid, mix, rate, seconds: SOAK_SECONDS, connections: CONNECTIONS, sampleMs: SAMPLE_MS,
    onSample: (s, st) => {
      if (s.t % 60 < SAMPLE_MS / 1000) log(`t=${s.t}s rss=${(s.rssKb / 1024).toFixed(1)} MiB answers=${st.answers} unsent=${st.unsent}`);
    },
  });
  const verdict = rssVerdict(run.samples, SLACK_MB * 1024);
  const alive = server.proc.exitCode === null && server.proc.signalCode === null;
  const after = alive
    ? {
        ready: (await raw(`${server.url}/health/ready`)).status,
        list: (await raw(`${server.url}/api/v1/groups?limit=20`, { token: server.adminToken })).status,
      }
    : null;
  const { stats } = run;
  if (!alive) failures.push('the server died');
  if (stats.invalid) failures.push(`${stats.invalid} answers that are not HTTP/1.1`);
  if (stats.dropped) failures.push(`${stats.dropped} requests dropped without an answer`);
  if (stats.connectErrors) failures.push(`${stats.connectErrors} connections refused`);
  const bad = Object.keys(stats.byStatus).filter((s) => !['200', '429', '503'].includes(s));
  if (bad.length) failures.push(`statuses ${bad.join(', ')}`);
  if (!verdict.enough) failures.push(`only ${run.samples.length} RSS samples: run longer`);
  else if (!verdict.flat) failures.push(`RSS grew: last third max ${verdict.maxLast} KiB > second third max ${verdict.maxSecond} KiB + ${SLACK_MB} MiB`);
  if (!after || after.ready !== 200 || after.list !== 200) failures.push(`after the load: ${JSON.stringify(after)}`);
  report = {
    date: new Date().toISOString(), host: { cpus: os.cpus().length, load1: os.loadavg()[0] },
    binary: process.env.GATEHOUSE_BIN, serverNice: os.getPriority(pid),
    mix: mix.map((m) => m.kind), connections: CONNECTIONS,
    peak: { seconds: PEAK_SECONDS, rate: Math.round(peak.rate), stats: peak.stats },
    soak: { seconds: SOAK_SECONDS, offered: rate, achieved: Math.round(run.achieved), stats },
    cpuMsPer1000Answers: cpuPerThousand(run.samples),
    serverLog: serverLog(`${server.stdout}\n${server.stderr}`),
    rss: { startKb: rssStart, ...verdict, samples: run.samples },
    after, failures,
  };
} catch (e) {
  failures.push(String(e?.stack ?? e));
} finally {
  await server.dispose();
}

function rateThirds(samples) {
  const third = Math.floor(samples.length / 3);
  const b = [samples[0], samples[third], samples[2 * third], samples[samples.length - 1]];
  return [0, 1, 2].map((i) => Math.round((b[i + 1].answers - b[i].answers) / Math.max(1, b[i + 1].t - b[i].t)));
}

if (report) {
  const day = report.date.slice(0, 10);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${day}-soak.json`), `${JSON.stringify(report, null, 1)}\n`);
  const s = report.soak.stats;
  const mib = (kb) => (kb / 1024).toFixed(1);
  const minute = report.rss.samples.filter((x, i, a) => i === 0 || Math.floor(x.t / 60) !== Math.floor(a[i - 1].t / 60));
  const md = `# Soak ${report.date} (bench/soak.mjs, issue 19)

- mix, one each in turn: ${report.mix.join(', ')}; ${report.connections} connections; server nice ${report.serverNice}, ${report.host.cpus} cores (shared)
- peak (closed loop, ${report.peak.seconds} s): **${report.peak.rate} req/s**
- offered (open loop, ${report.soak.seconds} s): **${report.soak.offered} req/s**; answered ${report.soak.achieved} req/s on average
- requests: offered ${s.offered}, sent ${s.sent}, unsent (all ${report.connections} connections busy) ${s.unsent}
- answers: ${s.answers} (${Object.entries(s.byStatus).map(([k, v]) => `${k}: ${v}`).join(', ')}); not HTTP: ${s.invalid}; dropped: ${s.dropped}; refused connections: ${s.connectErrors}
- RSS: ${mib(report.rss.startKb)} MiB before the load; max of each third ${mib(report.rss.first)} / ${mib(report.rss.maxSecond)} / ${mib(report.rss.maxLast)} MiB; growth of the last third over the second ${mib(report.rss.growthKb)} MiB (allowed ${report.rss.slackKb / 1024} MiB): ${!report.rss.enough ? 'too few samples' : report.rss.flat ? 'flat' : 'GREW'}
- server CPU per 1000 answers in each third: ${report.cpuMsPer1000Answers.join(' / ')} ms (a cost rising while the rate falls would be the server slowing down; a steady cost means other load on the cores)
- answers per second in each third: ${rateThirds(report.rss.samples).join(' / ')}
- server log: System Log events dropped (queue full) ${report.serverLog.eventsDropped}; error lines ${report.serverLog.errorLines}
- after: health ${report.after?.ready}, SSWS list ${report.after?.list}
- verdict: ${failures.length ? `FAILED: ${failures.join('; ')}` : 'passed'}

RSS once a minute (t s: MiB): ${minute.map((x) => `${x.t}: ${mib(x.rssKb)}`).join(', ')}
`;
  fs.writeFileSync(path.join(RESULTS_DIR, `${day}-soak.md`), md);
  process.stdout.write(`\n${md}`);
}
if (failures.length) {
  process.stderr.write(`soak FAILED: ${failures.join('; ')}\n`);
  process.exit(1);
}
