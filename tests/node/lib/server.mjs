// Helpers for the integration tests: start the real `gatehouse` binary on a free
// port of 127.0.0.1, build Okta SDK clients for it, and make raw HTTP calls.
//
// Contract relied on (issue 2, "Command-line contract"):
//   gatehouse init --data DIR --base-url URL --admin-email EMAIL --json
//     -> one JSON object on stdout {orgUrl, orgId, adminUserId, adminLogin, adminPassword, apiTokens}
//   gatehouse serve --data DIR --listen 127.0.0.1:0
//     -> prints "listening on http://HOST:PORT" (https:// with --tls-cert/--tls-key); without
//        --base-url the first org's URL is that scheme + the bound address, later orgs are that
//        URL + /o/{subdomain}.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import okta from '@okta/okta-sdk-nodejs';

// The SDK reads these from the environment (okta-compat.md §7.1, §7.2); a leaked proxy would
// route requests for 127.0.0.1 elsewhere, a leaked OKTA_CLIENT_* would change the auth mode.
for (const name of Object.keys(process.env)) {
  if (/^OKTA_CLIENT_/i.test(name) || /^https?_proxy$/i.test(name) || /^all_proxy$/i.test(name)) {
    delete process.env[name];
  }
}

export const GATEHOUSE_BIN =
  process.env.GATEHOUSE_BIN || path.resolve(import.meta.dirname, '../../../build/gatehouse');

export const ADMIN_EMAIL = 'admin@example.com';
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_CHARS = 6_000;

// Servers not yet disposed (running or crashed): their output is printed when a test fails.
const liveServers = new Set();

// Under the sanitizers (scripts/sanitize.sh) every process writes its reports to
// GATEHOUSE_SANITIZER_REPORTS/report.<pid>: dispose() fails on a report of its server, so the test
// that caused it is named (the script also fails the run on any report, CLI runs included).
const SANITIZER_REPORTS = process.env.GATEHOUSE_SANITIZER_REPORTS ?? '';

async function sanitizerReports(pids) {
  if (!SANITIZER_REPORTS) return '';
  let out = '';
  for (const pid of pids) {
    const text = await fs.readFile(path.join(SANITIZER_REPORTS, `report.${pid}`), 'utf8').catch(() => '');
    if (text) out += `--- report.${pid} ---\n${text.split('\n').slice(0, 60).join('\n')}\n`;
  }
  return out;
}

// The store every server of this run uses (issue 18): GATEHOUSE_STORE=postgresql gives each
// server its own database (CREATE DATABASE; dropped by dispose()) in the PostgreSQL cluster at
// GATEHOUSE_PG_URL (postgresql://USER@HOST:PORT, no database: scripts/pg-throwaway.sh start);
// otherwise SQLite in the server's data dir.
export const STORE = process.env.GATEHOUSE_STORE === 'postgresql' ? 'postgresql' : 'sqlite';
const PG_URL = (process.env.GATEHOUSE_PG_URL ?? '').replace(/\/+$/, '');
if (STORE === 'postgresql' && !PG_URL) {
  throw new Error('GATEHOUSE_STORE=postgresql needs GATEHOUSE_PG_URL (scripts/pg-throwaway.sh start)');
}
// data dir -> its database URL, so that runCli(['serve', '--data', DIR, …]) uses it too.
const storeOfDir = new Map();
let databases = 0;

// Runs `sql` on a database of the throwaway cluster (default: its maintenance database);
// resolves to its output.
export function psql(sql, database = 'postgres') {
  return new Promise((resolve, reject) => {
    execFile('psql', [`${PG_URL}/${database}`, '-qAtc', sql], { timeout: START_TIMEOUT_MS }, (err, stdout, stderr) =>
      err ? reject(new Error(`psql ${sql}: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

// A new, empty database for one server (STORE === 'postgresql'): its URL.
export async function createDatabase() {
  databases += 1;
  const name = `gh_${process.pid}_${Date.now().toString(36)}_${databases}`;
  await psql(`CREATE DATABASE ${name}`);
  return `${PG_URL}/${name}`;
}

export async function dropDatabase(url) {
  const name = url.slice(url.lastIndexOf('/') + 1);
  await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

// Every row of the database of a data dir's server, as pg_dump prints it (PostgreSQL only).
export function dumpStore(dataDir) {
  const url = storeOfDir.get(dataDir);
  if (!url) return Promise.reject(new Error(`no PostgreSQL database for ${dataDir}`));
  return new Promise((resolve, reject) => {
    execFile('pg_dump', ['--data-only', url], { timeout: START_TIMEOUT_MS, maxBuffer: 256 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`pg_dump: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

// The name of the PostgreSQL database of a data dir's server (undefined under SQLite).
export function databaseOf(dataDir) {
  const url = storeOfDir.get(dataDir);
  return url && url.slice(url.lastIndexOf('/') + 1);
}

// ['--store', URL] for a data dir whose server uses PostgreSQL, else [].
export function storeArgs(dataDir) {
  const url = storeOfDir.get(dataDir);
  return url ? ['--store', url] : [];
}

function runInit(dataDir, adminEmail) {
  return new Promise((resolve, reject) => {
    execFile(
      GATEHOUSE_BIN,
      ['init', '--data', dataDir, '--base-url', 'http://127.0.0.1:8080', '--admin-email', adminEmail, '--json',
       ...storeArgs(dataDir)],
      { timeout: START_TIMEOUT_MS, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`gatehouse init failed (${err.code ?? err.signal}): ${stderr}\n${stdout}`));
          return;
        }
        const start = stdout.indexOf('{');
        const end = stdout.lastIndexOf('}');
        if (start < 0 || end < start) {
          reject(new Error(`gatehouse init --json printed no JSON object: ${stdout}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout.slice(start, end + 1)));
        } catch (e) {
          reject(new Error(`gatehouse init --json printed invalid JSON (${e.message}): ${stdout}`));
        }
      },
    );
  });
}

export class GatehouseServer {
  constructor(dataDir, init) {
    this.dataDir = dataDir;
    this.init = init; // the object printed by `init --json`
    this.proc = null;
    this.url = null; // the first org's URL, e.g. http://127.0.0.1:PORT
    this.port = null;
    this.stdout = '';
    this.stderr = '';
    this.exited = null; // promise of {code, signal} for the current process
  }

  get adminToken() {
    return this.init.apiTokens[0];
  }

  get adminUserId() {
    return this.init.adminUserId;
  }

  // Starts `serve`; resolves once the listening line was printed.
  async serve({ port = 0, extraArgs = this.extraArgs ?? [] } = {}) {
    this.extraArgs = extraArgs;
    const args = ['serve', '--data', this.dataDir, '--listen', `127.0.0.1:${port}`, ...storeArgs(this.dataDir),
                  ...extraArgs];
    const proc = spawn(GATEHOUSE_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    (this.pids ??= []).push(proc.pid);
    this.stdout += `\n--- ${args.join(' ')} (pid ${proc.pid}) ---\n`;
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.stderr += `\n--- exited (code ${code}, signal ${signal}) ---\n`;
        resolve({ code, signal });
      });
    });
    liveServers.add(this);

    let lineBuf = '';
    const listening = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`gatehouse serve printed no "listening on" line within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      proc.stdout.on('data', (chunk) => {
        const text = chunk.toString();
        this.stdout += text;
        lineBuf += text;
        const m = /listening on (https?:\/\/[^\s]+?):(\d+)\/?(\s|$)/.exec(lineBuf);
        if (m) {
          clearTimeout(timer);
          resolve({ base: m[1], port: Number(m[2]) });
        }
      });
      proc.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`gatehouse serve exited early (code ${code}, signal ${signal})`));
      });
    });
    proc.stderr.on('data', (chunk) => {
      this.stderr += chunk.toString();
    });
    try {
      const { base, port: bound } = await listening;
      this.port = bound;
      this.url = `${base}:${bound}`;
    } catch (e) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      throw new Error(`${e.message}\n${this.logs()}`);
    }
    return this;
  }

  // Graceful stop: SIGTERM, wait for exit, SIGKILL after 5 s. Resolves to {code, signal}.
  async stop() {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return this.exited ? this.exited : null;
    proc.kill('SIGTERM');
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve();
      }, STOP_GRACE_MS);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }

  // Crash: SIGKILL and wait until the process is gone.
  async kill9() {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGKILL');
    await this.exited;
  }

  // Serve again on the same data dir; tries the same port first so that org URLs stay the same.
  async restart() {
    await this.stop();
    const previous = this.port;
    try {
      return await this.serve({ port: previous ?? 0 });
    } catch (e) {
      this.stderr += `\n(restart on port ${previous} failed: ${e.message.split('\n')[0]}; retrying on a free port)\n`;
      return await this.serve({ port: 0 });
    }
  }

  // Stop and remove the data dir (unless GATEHOUSE_KEEP_DATA is set).
  async dispose() {
    await this.stop();
    liveServers.delete(this);
    const reports = await sanitizerReports(this.pids ?? []);
    if (!process.env.GATEHOUSE_KEEP_DATA) {
      await fs.rm(this.dataDir, { recursive: true, force: true });
      const db = storeOfDir.get(this.dataDir);
      storeOfDir.delete(this.dataDir);
      if (db) await dropDatabase(db);
    }
    if (this.configDir) await fs.rm(this.configDir, { recursive: true, force: true });
    if (reports) throw new Error(`sanitizer report of gatehouse serve (${this.dataDir}):\n${reports}`);
  }

  logs() {
    const tail = (s) => (s.length > LOG_TAIL_CHARS ? `…${s.slice(-LOG_TAIL_CHARS)}` : s);
    return `=== gatehouse (${this.dataDir}) stdout ===\n${tail(this.stdout)}\n=== stderr ===\n${tail(this.stderr)}\n`;
  }

  client(token = this.adminToken, orgUrl = this.url) {
    return client(orgUrl, token);
  }
}

// Creates a data dir (or uses the given one), runs `init`, then `serve` on a free port.
// `serveArgs` are appended to the serve command line (e.g. ['--base-url', URL]); `config`, a TOML
// text, is written to a file of its own and passed as `--config` (removed by dispose()).
export async function startServer({ dataDir, adminEmail = ADMIN_EMAIL, serveArgs = [], config } = {}) {
  const dir = dataDir ?? (await makeDataDir());
  let configDir;
  try {
    if (config !== undefined) {
      configDir = await makeDataDir();
      const file = path.join(configDir, 'gatehouse.toml');
      await fs.writeFile(file, config);
      serveArgs = ['--config', file, ...serveArgs];
    }
    if (STORE === 'postgresql') storeOfDir.set(dir, await createDatabase());
    const init = await runInit(dir, adminEmail);
    if (!Array.isArray(init.apiTokens) || init.apiTokens.length < 1) {
      throw new Error(`init --json gave no apiTokens: ${JSON.stringify(init)}`);
    }
    const server = new GatehouseServer(dir, init);
    server.configDir = configDir;
    await server.serve({ extraArgs: serveArgs });
    return server;
  } catch (e) {
    if (!dataDir && !process.env.GATEHOUSE_KEEP_DATA) {
      await fs.rm(dir, { recursive: true, force: true });
      const db = storeOfDir.get(dir);
      storeOfDir.delete(dir);
      if (db) await dropDatabase(db).catch(() => {});
    }
    if (configDir) await fs.rm(configDir, { recursive: true, force: true });
    throw e;
  }
}

export function makeDataDir() {
  return fs.mkdtemp(path.join(os.tmpdir(), 'gatehouse-test-'));
}

// Runs the binary with args; resolves to {code, signal, stdout, stderr} (never rejects on exit code).
// `serve --data DIR` of a server started here gets that server's store (storeArgs).
export function runCli(args, { timeoutMs = START_TIMEOUT_MS } = {}) {
  const data = args.indexOf('--data');
  if (args[0] === 'serve' && data >= 0 && !args.includes('--store')) args = [...args, ...storeArgs(args[data + 1])];
  return new Promise((resolve, reject) => {
    execFile(GATEHOUSE_BIN, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number' && !err.signal) {
        reject(err);
        return;
      }
      resolve({ code: err ? err.code ?? null : 0, signal: err?.signal ?? null, stdout, stderr });
    });
  });
}

// Okta SDK client in SSWS mode, without the response cache (okta-compat.md §1.13).
export function client(orgUrl, token) {
  return new okta.Client({ orgUrl, token, cacheMiddleware: null });
}

// Invariants every response must meet (okta-compat.md §1.4, §2): X-Okta-Request-Id and Date
// on every response; a JSON content type only with a body that parses; an empty body without one.
export function checkWireInvariants(res, what = '') {
  const problems = [];
  if (!res.headers.get('x-okta-request-id')) problems.push('no X-Okta-Request-Id');
  if (!res.headers.get('date')) problems.push('no Date');
  const ct = res.headers.get('content-type') ?? '';
  if (/application\/json/i.test(ct)) {
    if (res.text.length === 0) problems.push('empty body with a JSON content type');
    else if (res.json === undefined) problems.push('JSON content type, body does not parse');
  } else if (res.text.length > 0 && res.json !== undefined) {
    problems.push(`a JSON body without a JSON content type (${ct || 'none'})`);
  }
  if (problems.length) {
    throw new Error(`${what} -> ${res.status}: ${problems.join('; ')}; body: ${res.text.slice(0, 300)}`);
  }
}

// Minimal wire-level helper. `body` may be an object (sent as JSON), a string or a Buffer.
// Resolves to {status, headers, text, json} where json is the parsed body or undefined.
// Fails on a response that breaks checkWireInvariants unless `lenient` is set.
export async function raw(url, { method = 'GET', headers = {}, body, token, lenient = false } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `SSWS ${token}`;
  let payload = body;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const out = { status: res.status, headers: res.headers, text, json };
  if (!lenient) checkWireInvariants(out, `${method} ${url}`);
  return out;
}

// Polls fn until it returns a truthy value or the timeout passes.
// Opens a raw connection to 127.0.0.1:`port`, runs `feed(sock, isDone)`, collects what comes back
// and resolves with {data, closedAfterMs} when the server closes it, or {data, closedAfterMs:
// null} if it is still open after `limitMs` (slow and abusive clients: config, abuse tests).
export function watchConnection(port, feed, limitMs) {
  return new Promise((resolve) => {
    const start = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let done = false;
    const finish = (closedAfterMs) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data, closedAfterMs });
    };
    const timer = setTimeout(() => finish(null), limitMs);
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('end', () => finish(Date.now() - start));
    sock.on('close', () => finish(Date.now() - start));
    sock.on('error', () => finish(Date.now() - start));
    sock.on('connect', () => feed(sock, () => done));
  });
}

// A feed for watchConnection that writes `text` one byte every `everyMs` (a slowloris client).
export function trickle(text, everyMs = 100) {
  return (sock, isDone) => {
    let i = 0;
    const tick = () => {
      if (isDone() || i >= text.length) return;
      sock.write(text[i++]);
      setTimeout(tick, everyMs);
    };
    tick();
  };
}

export async function waitFor(fn, { timeoutMs = 5_000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Runs fn and returns the error it throws (fails if it does not throw).
export async function rejection(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

// Collects every item of an SDK Collection with `for await`.
export async function collectAll(collectionPromise) {
  const items = [];
  for await (const item of await collectionPromise) {
    if (item === null) throw new Error('Collection yielded a null item (empty page with a next link?)');
    items.push(item);
  }
  return items;
}

// A `test` whose failure prints the tail of every running server's output.
export function it(name, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  return test(name, options, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      for (const s of liveServers) process.stderr.write(`\n[${name}] failed; ${s.logs()}`);
      throw e;
    }
  });
}

let counter = 0;
// A name unique within this process run.
export function unique(prefix = 'x') {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const PASSWORD = 'Correct-Horse-Battery-9!';

// A user body for userApi.createUser.
export function userBody(login, { password = PASSWORD, ...profile } = {}) {
  const body = {
    profile: { firstName: 'Test', lastName: 'User', email: login, login, ...profile },
  };
  if (password) body.credentials = { password: { value: password } };
  return body;
}
