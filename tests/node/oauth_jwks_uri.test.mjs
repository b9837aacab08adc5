// private_key_jwt with a jwks_uri (issue 3 "Public keys for private_key_jwt"; okta-compat.md
// §4.1, §11.22, §11.23): the server checks the addresses a jwks_uri host resolves to before it
// connects, so a jwks_uri that reaches this machine is never fetched, and the client gets 401
// invalid_client. Local servers run by the test count every connection; nothing here needs the
// internet (host names come from /etc/hosts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import dns from 'node:dns/promises';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, after } from 'node:test';
import { startServer, makeDataDir, raw, it, unique, runCli } from './lib/server.mjs';
import { assertRawError } from './lib/checks.mjs';
import { rsaKey, serviceAppBody, grantScope, handJwt, assertionClaims, keyToken, assertOAuthError } from './lib/oauth.mjs';

const isLoopback = (a) => a === '::1' || /^127\./.test(a) || /^::ffff:127\./i.test(a);

// A host name that registration accepts (§11.23 refuses localhost, *.localhost and IP literals)
// but that resolves only to loopback on this machine, from /etc/hosts: the machine's own name
// (Debian maps it to 127.0.1.1), or ip6-localhost.
async function loopbackName() {
  for (const name of [os.hostname(), 'ip6-localhost', 'ip6-loopback']) {
    if (!name || net.isIP(name) || /(^|\.)localhost\.?$/i.test(name)) continue;
    try {
      const addrs = await dns.lookup(name, { all: true });
      if (addrs.length > 0 && addrs.every((a) => isLoopback(a.address))) return { name, address: addrs[0].address };
    } catch {
      // not resolvable here
    }
  }
  return null;
}

// A listener that counts connections (TLS or plain) on `address`.
async function countingServer(kind, address, tls) {
  const counter = { hits: 0, requests: 0 };
  const handler = (req, res) => {
    counter.requests += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"keys":[]}');
  };
  const srv = kind === 'https' ? https.createServer(tls, handler) : http.createServer(handler);
  srv.on('connection', () => (counter.hits += 1));
  await new Promise((resolve) => srv.listen(0, address, resolve));
  counter.port = srv.address().port;
  counter.close = () => new Promise((resolve) => srv.close(resolve));
  return counter;
}

let server;
let orgUrl;
let T;
let tokenUrl;
let configDir;
let loop; // {name, address} or null
let httpsSrv; // https on the loopback name's address (or 127.0.0.1)
let httpSrv; // plain http on the same address
let key;

before(async () => {
  loop = await loopbackName();
  configDir = await makeDataDir();
  // A self-signed certificate for the local https server: if the address check ever failed, the
  // connection would still be counted before any certificate check.
  const keyFile = path.join(configDir, 'key.pem');
  const certFile = path.join(configDir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-keyout', keyFile, '-out', certFile,
    '-addext', `subjectAltName=DNS:localhost,DNS:${loop?.name ?? 'localhost'},IP:127.0.0.1`,
  ]);
  const tls = { key: await fs.readFile(keyFile), cert: await fs.readFile(certFile) };
  const address = loop?.address ?? '127.0.0.1';
  httpsSrv = await countingServer('https', address, tls);
  httpSrv = await countingServer('http', address);
  const file = path.join(configDir, 'gatehouse.toml');
  await fs.writeFile(file, `[jwks_uri]\nallow_http_hosts = [${JSON.stringify(loop?.name ?? 'keys.invalid')}]\n`);
  server = await startServer({ serveArgs: ['--config', file] });
  orgUrl = server.url;
  T = server.adminToken;
  tokenUrl = `${orgUrl}/oauth2/v1/token`;
  key = await rsaKey();
});

after(async () => {
  await server?.dispose();
  await httpsSrv?.close();
  await httpSrv?.close();
  if (configDir) await fs.rm(configDir, { recursive: true, force: true });
});

function createApp(jwksUri) {
  return raw(`${orgUrl}/api/v1/apps`, {
    method: 'POST',
    token: T,
    body: serviceAppBody({ label: unique('uri'), method: 'private_key_jwt', jwksUri }),
    lenient: true,
  });
}

async function uriApp(jwksUri) {
  const res = await createApp(jwksUri);
  assert.equal(res.status, 200, `create app with jwks_uri ${jwksUri}: ${res.text.slice(0, 400)}`);  // §6 createApplication
  assert.equal(res.json.settings?.oauthClient?.jwks_uri, jwksUri);
  await grantScope(orgUrl, T, res.json.id, 'okta.groups.read');
  return { id: res.json.id, clientId: res.json.credentials?.oauthClient?.client_id ?? res.json.id, key };
}

const logs = () => `${server.stdout}\n${server.stderr}`;

it('a jwks_uri host name that resolves to loopback is never connected to: 401 invalid_client', async (t) => {
  if (!loop) return t.skip('no host name other than localhost resolves to loopback on this machine');
  const secretish = unique('query-secret');
  const uri = `https://${loop.name}:${httpsSrv.port}/keys/jwks.json?token=${secretish}`;
  const app = await uriApp(uri);
  const res = await keyToken(tokenUrl, app, 'okta.groups.read');
  assertOAuthError(res, 401, 'invalid_client');
  // Ten at once: all refused, still no connection (at most one fetch attempt a minute per app).
  const many = await Promise.all(Array.from({ length: 10 }, () => keyToken(tokenUrl, app, 'okta.groups.read')));
  for (const r of many) assertOAuthError(r, 401, 'invalid_client');
  assert.equal(httpsSrv.hits, 0, 'the loopback https server saw a connection');
  // The failure is logged with the host and the reason, never the path or query.
  assert.match(logs(), new RegExp(`jwks_uri fetch failed .*client_id=${app.clientId} host=${loop.name}:${httpsSrv.port} .*non-public address`));
  assert.ok(!logs().includes(secretish), 'the jwks_uri query appears in the log');
});

it('localhost and loopback IP literals are refused at registration (400 E0000001), never fetched', async () => {
  const port = httpsSrv.port;
  for (const uri of [
    `https://localhost:${port}/jwks`,
    `https://LocalHost.:${port}/jwks`,
    `https://keys.localhost:${port}/jwks`,
    `https://127.0.0.1:${port}/jwks`,
    `https://127.0.1.1:${port}/jwks`,
    `https://[::1]:${port}/jwks`,
    `https://[::ffff:7f00:1]:${port}/jwks`,
    `https://2130706433:${port}/jwks`,
  ]) {
    assertRawError(await createApp(uri), 400, 'E0000001');
  }
  assert.equal(httpsSrv.hits, 0);
});

it('http:// only for a host in [jwks_uri] allow_http_hosts, whose loopback address is still refused', async (t) => {
  assertRawError(await createApp(`http://keys.example.com:${httpSrv.port}/jwks`), 400, 'E0000001');
  if (!loop) return t.skip('no host name other than localhost resolves to loopback on this machine');
  const app = await uriApp(`http://${loop.name}:${httpSrv.port}/jwks`);
  assertOAuthError(await keyToken(tokenUrl, app, 'okta.groups.read'), 401, 'invalid_client');
  assert.equal(httpSrv.hits, 0, 'the loopback http server saw a connection');
});

it('jku and x5u in the assertion header make no outbound request', async () => {
  // An app whose jwks_uri is public (never reached: the assertions below are refused first).
  const app = await uriApp(`https://keys.example.com/${unique('jwks')}.json`);
  for (const extra of [
    { jku: `https://127.0.0.1:${httpsSrv.port}/jku` },
    { x5u: `https://127.0.0.1:${httpsSrv.port}/x5u` },
    { jku: `http://127.0.0.1:${httpSrv.port}/jku` },
  ]) {
    const header = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...extra };
    const assertion = handJwt(header, assertionClaims(app.clientId, tokenUrl), { key });
    const res = await keyToken(tokenUrl, app, 'okta.groups.read', {
      extra: { client_assertion: assertion },
    });
    assertOAuthError(res, 401, 'invalid_client');
  }
  assert.equal(httpsSrv.hits + httpSrv.hits, 0);
});

it('bad [jwks_uri] settings stop serve with a non-zero exit naming the key', async () => {
  for (const [body, key] of [
    ['[jwks_uri]\nallow_http_hosts = "keys.example.com"\n', 'jwks_uri.allow_http_hosts'],
    ['[jwks_uri]\nallow_http_hosts = [""]\n', 'jwks_uri.allow_http_hosts'],
    ['[jwks_uri]\ntimeout_seconds = 0\n', 'jwks_uri.timeout_seconds'],
    ['[jwks_uri]\nmax_bytes = 10\n', 'jwks_uri.max_bytes'],
    ['[jwks_uri]\nfollow_redirects = true\n', 'jwks_uri.follow_redirects'],
    ['outbound_threads = 0\n', 'outbound_threads'],
  ]) {
    const file = path.join(configDir, 'bad.toml');
    await fs.writeFile(file, body);
    const r = await runCli(['serve', '--data', server.dataDir, '--listen', '127.0.0.1:0', '--config', file], {
      timeoutMs: 5_000,
    });
    assert.notEqual(r.code, 0, `${body}: exit ${r.code}, signal ${r.signal}`);
    assert.equal(r.signal, null, `${body}: it exited by itself, not by the timeout`);
    assert.ok(r.stderr.includes(key), `${body}: stderr names ${key}: ${r.stderr}`);
  }
});
