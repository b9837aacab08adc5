// TLS built in (issue 19): `serve --tls-cert FILE --tls-key FILE`. A throwaway CA and two server
// certificates (RSA, SAN IP:127.0.0.1) are made with `openssl` in a temporary directory. Checked:
// a Node https client trusting the CA (management API, token endpoint, discovery's https issuer);
// `openssl s_client` handshakes with TLS 1.2 and 1.3 while TLS 1.0, 1.1 and weak TLS 1.2 suites
// are refused by the server (the client is told to offer them: SECLEVEL=0); plain HTTP to the
// TLS port closes without harm; SIGHUP reloads the pair (a new connection sees the new serial, a
// keep-alive connection opened before keeps working; a bad pair is refused and the current one
// kept); HSTS over TLS only; the console's cookie over TLS is __Host- and Secure; the refusals
// at start (one file of the pair, a missing or group-readable key, a key of another certificate,
// an http:// base URL, half a [tls] table).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { serviceAppBody, basicAuth } from './lib/oauth.mjs';
import { it, raw, runCli, startServer, unique, waitFor } from './lib/server.mjs';

const STEP_MS = 10_000;  // one openssl run or one request
const TEST_MS = 60_000;  // one test
const SERIAL_1 = '1A2B01';
const SERIAL_2 = '1A2B02';

let dir;  // the CA, the certificates and the live pair the server reads
let server;
let ca;
const live = {};

// Runs a command with `input` on its stdin, closed at once or after `holdMs`.
function run(cmd, args, { input = '', holdMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    let timer;
    const child = execFile(cmd, args, { timeout: STEP_MS, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      clearTimeout(timer);
      if (err && typeof err.code !== 'number' && !err.signal) reject(err);
      else resolve({ code: err ? err.code ?? null : 0, signal: err?.signal ?? null, out: `${stdout}\n${stderr}` });
    });
    child.stdin.on('error', () => {});  // the command may exit before reading it all
    child.stdin.write(input);
    if (holdMs) timer = setTimeout(() => child.stdin.end(), holdMs);
    else child.stdin.end();
  });
}

async function openssl(...args) {
  const r = await run('openssl', args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} -> ${r.code ?? r.signal}: ${r.out}`);
  return r;
}

const OPENSSL_CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
authorityKeyIdentifier = keyid
`;

// An RSA server key and its certificate, signed by the CA with the given serial. RSA, so that
// the RSA-key-exchange and CBC suites the server refuses would otherwise be possible.
async function serverPair(name, serial) {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const cnf = path.join(dir, 'openssl.cnf');
  await openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key);
  await openssl('req', '-new', '-config', cnf, '-key', key, '-subj', `/CN=gatehouse-${name}`, '-out', csr);
  await openssl('x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${serial}`,
    '-days', '2', '-extfile', cnf, '-extensions', 'server_ext', '-out', cert);
  return { key, cert };
}

// Puts a pair where the server reads it (the key 0600).
async function install(pair) {
  await fs.copyFile(pair.cert, live.cert);
  await fs.copyFile(pair.key, live.key);
  await fs.chmod(live.key, 0o600);
}

// One HTTPS request trusting the test CA; resolves with the peer certificate's serial.
// `ca: null`: the system's trust store only.
function request(urlPath, { method = 'GET', headers = {}, body, agent = false, ca: trust = ca.pem } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: server.port, path: urlPath, method, headers, agent, ca: trust ?? undefined, timeout: STEP_MS },
      (res) => {
        const serial = res.socket.getPeerCertificate().serialNumber;
        const protocol = res.socket.getProtocol();
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try { json = JSON.parse(text); } catch { json = undefined; }
          resolve({ status: res.statusCode, headers: res.headers, text, json, serial, protocol, reused: req.reusedSocket });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within ${STEP_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

const ssws = () => ({ Authorization: `SSWS ${server.adminToken}`, Accept: 'application/json' });

function sClient(...args) {
  return sClientWith({}, ...args);
}
function sClientWith(stdin, ...args) {
  return run('openssl', ['s_client', '-connect', `127.0.0.1:${server.port}`, '-CAfile', ca.cert, ...args], stdin);
}

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gatehouse-tls-'));
  await fs.writeFile(path.join(dir, 'openssl.cnf'), OPENSSL_CNF);
  ca = { key: path.join(dir, 'ca.key'), cert: path.join(dir, 'ca.pem') };
  await openssl('req', '-x509', '-config', path.join(dir, 'openssl.cnf'), '-extensions', 'ca_ext',
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ca.key, '-out', ca.cert,
    '-days', '2', '-subj', '/CN=Gatehouse Test CA');
  ca.pem = await fs.readFile(ca.cert, 'utf8');
  live.one = await serverPair('one', SERIAL_1);
  live.two = await serverPair('two', SERIAL_2);
  live.cert = path.join(dir, 'live.pem');
  live.key = path.join(dir, 'live.key');
  await install(live.one);
  server = await startServer({ serveArgs: ['--tls-cert', live.cert, '--tls-key', live.key] });
});

after(async () => {
  await server?.dispose();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('serve over TLS', () => {
  it('prints an https URL and answers the management API to a client trusting the CA, with HSTS', { timeout: TEST_MS }, async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await request('/api/v1/groups', { headers: ssws() });
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.json), res.text);
    assert.equal(res.serial, SERIAL_1);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
    // An error answer carries it too (every response over TLS).
    const missing = await request('/api/v1/groups/00gnope', { headers: ssws() });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['strict-transport-security'], 'max-age=31536000');
    // A client that does not trust the CA refuses the server (a real certificate check).
    await assert.rejects(request('/api/v1/groups', { headers: ssws(), ca: null }), /self-signed|unable to (get|verify)/);
  });

  it('issues a token over TLS; discovery names the https issuer', { timeout: TEST_MS }, async () => {
    const scope = await request('/api/v1/authorizationServers/default/scopes', {
      method: 'POST',
      headers: { ...ssws(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'widgets.read' }),
    });
    assert.equal(scope.status, 201, scope.text);
    const created = await request('/api/v1/apps', {
      method: 'POST',
      headers: { ...ssws(), 'Content-Type': 'application/json' },
      body: JSON.stringify(serviceAppBody({ label: unique('tls'), method: 'client_secret_basic' })),
    });
    assert.equal(created.status, 200, created.text);
    const { client_id: clientId, client_secret: secret } = created.json.credentials.oauthClient;
    const token = await request('/oauth2/default/v1/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basicAuth(clientId, secret) },
      body: 'grant_type=client_credentials&scope=widgets.read',
    });
    assert.equal(token.status, 200, token.text);
    assert.equal(typeof token.json.access_token, 'string');
    assert.equal(token.json.token_type, 'Bearer');
    const meta = await request('/oauth2/default/.well-known/openid-configuration');
    assert.equal(meta.status, 200, meta.text);
    assert.equal(meta.json.issuer, `${server.url}/oauth2/default`);
    assert.equal(meta.json.token_endpoint, `${server.url}/oauth2/default/v1/token`);
  });

  it("gives the console's session cookie the __Host- prefix and Secure", { timeout: TEST_MS }, async () => {
    const signIn = await request('/admin/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ login: server.init.adminLogin, password: server.init.adminPassword }),
    });
    assert.equal(signIn.status, 200, signIn.text);
    const cookie = signIn.headers['set-cookie']?.[0] ?? '';
    assert.match(cookie, /^__Host-gh_console=[^;]+;/);
    assert.match(cookie, /; Secure(;|$)/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.equal(signIn.headers['strict-transport-security'], 'max-age=31536000');
    const who = await request('/admin/api/session', { headers: { Cookie: cookie.split(';')[0], Accept: 'application/json' } });
    assert.equal(who.status, 200, who.text);
  });
});

describe('protocol versions and cipher suites (openssl s_client)', () => {
  it('handshakes with TLS 1.2 (ECDHE, AEAD) and TLS 1.3, verifying the chain', { timeout: TEST_MS }, async () => {
    const v12 = await sClient('-tls1_2');
    assert.equal(v12.code, 0, v12.out);
    assert.match(v12.out, /New, TLSv1\.2, Cipher is ECDHE-RSA-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)\n/);
    assert.match(v12.out, /Secure Renegotiation IS supported/);  // RFC 5746's extension is sent
    assert.match(v12.out, /Verify return code: 0 \(ok\)/);
    assert.match(v12.out, /Compression: NONE/);
    const v13 = await sClient('-tls1_3');
    assert.equal(v13.code, 0, v13.out);
    assert.match(v13.out, /New, TLSv1\.3, Cipher is TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)\n/);
    assert.match(v13.out, /Verify return code: 0 \(ok\)/);
  });

  it('refuses TLS 1.0 and 1.1 offered by a client willing to use them', { timeout: TEST_MS }, async () => {
    for (const flag of ['-tls1', '-tls1_1']) {
      const r = await sClient(flag, '-cipher', 'DEFAULT@SECLEVEL=0');
      assert.notEqual(r.code, 0, `${flag}: ${r.out}`);
      // The server's protocol_version alert (RFC 8446 §6.2), not the client's own refusal.
      assert.match(r.out, /alert protocol version/, `${flag}: ${r.out}`);
      assert.doesNotMatch(r.out, /Cipher is (?!\(NONE\))/, `${flag}: ${r.out}`);
    }
  });

  it('refuses TLS 1.2 suites without ECDHE or without an AEAD', { timeout: TEST_MS }, async () => {
    for (const cipher of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA']) {
      const r = await sClient('-tls1_2', '-cipher', `${cipher}@SECLEVEL=0`);
      assert.notEqual(r.code, 0, `${cipher}: ${r.out}`);
      assert.match(r.out, /alert handshake failure/, `${cipher}: ${r.out}`);
    }
  });

  it('refuses a client-initiated renegotiation (TLS 1.2)', { timeout: TEST_MS }, async () => {
    // s_client renegotiates on "R"; the server answers no_renegotiation (RFC 5246 §7.2.2).
    const r = await sClientWith({ input: 'R\n', holdMs: 3_000 }, '-tls1_2');
    assert.match(r.out, /RENEGOTIATING/, r.out);
    assert.match(r.out, /no renegotiation/, r.out);
  });

  it('closes a plain HTTP request to the TLS port and keeps serving', { timeout: TEST_MS }, async () => {
    const got = await new Promise((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1');
      let data = '';
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error('the server did not close a plain HTTP connection within 10 s'));
      }, STEP_MS);
      sock.on('data', (d) => { data += d.toString('latin1'); });
      sock.on('close', () => { clearTimeout(timer); resolve(data); });
      sock.on('error', () => {});
      sock.write('GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    assert.doesNotMatch(got, /^HTTP\//, 'no HTTP answer in clear text');
    const res = await request('/api/v1/groups', { headers: ssws() });
    assert.equal(res.status, 200, res.text);
  });
});

describe('reload on SIGHUP', () => {
  const logs = () => server.stdout + server.stderr;
  const count = (re) => (logs().match(re) ?? []).length;

  it('new connections get the new certificate; a keep-alive connection from before keeps working', { timeout: TEST_MS }, async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.pem });
    try {
      const first = await request('/api/v1/groups', { headers: ssws(), agent });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.serial, SERIAL_1);
      const reloads = count(/tls: reloaded/g);
      await install(live.two);
      server.proc.kill('SIGHUP');
      await waitFor(() => count(/tls: reloaded/g) > reloads, { timeoutMs: STEP_MS, what: 'the reload log line' });
      assert.match(logs(), new RegExp(`tls: reloaded.*serial=${SERIAL_2}`));
      const fresh = await request('/api/v1/groups', { headers: ssws() });
      assert.equal(fresh.status, 200, fresh.text);
      assert.equal(fresh.serial, SERIAL_2);
      const kept = await request('/api/v1/groups', { headers: ssws(), agent });
      assert.equal(kept.status, 200, kept.text);
      assert.equal(kept.reused, true, 'the request went over the connection opened before the reload');
      assert.equal(kept.serial, SERIAL_1);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a bad pair on reload, logs why and keeps the current one', { timeout: TEST_MS }, async () => {
    // The key of the first certificate with the second: they do not belong together.
    await fs.copyFile(live.one.key, live.key);
    await fs.chmod(live.key, 0o600);
    let refusals = count(/tls: reload refused/g);
    server.proc.kill('SIGHUP');
    await waitFor(() => count(/tls: reload refused/g) > refusals, { timeoutMs: STEP_MS, what: 'the refusal log line' });
    assert.match(logs(), /tls: reload refused.*does not belong to the certificate/);
    // A key open to others is refused too.
    await install(live.two);
    await fs.chmod(live.key, 0o644);
    refusals = count(/tls: reload refused/g);
    server.proc.kill('SIGHUP');
    await waitFor(() => count(/tls: reload refused/g) > refusals, { timeoutMs: STEP_MS, what: 'the refusal log line' });
    assert.match(logs(), /tls: reload refused.*open to group or others \(mode 0644\)/);
    await fs.chmod(live.key, 0o600);
    const res = await request('/api/v1/groups', { headers: ssws() });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.serial, SERIAL_2);
    assert.equal(server.proc.exitCode, null, 'still running');
  });
});

describe('refusals at start', () => {
  const serve = (...args) => runCli(['serve', '--data', server.dataDir, '--listen', '127.0.0.1:0', ...args]);

  it('refuses half a pair, a missing or group-readable key, a key of another certificate, an http base URL', { timeout: TEST_MS }, async () => {
    const half = await serve('--tls-cert', live.one.cert);
    assert.equal(half.code, 2, half.stderr);
    assert.match(half.stderr, /--tls-cert and --tls-key go together/);

    const missing = await serve('--tls-cert', live.one.cert, '--tls-key', path.join(dir, 'nope.key'));
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /cannot read .*nope\.key: No such file/);

    const open = path.join(dir, 'open.key');
    await fs.copyFile(live.one.key, open);
    await fs.chmod(open, 0o640);
    const readable = await serve('--tls-cert', live.one.cert, '--tls-key', open);
    assert.equal(readable.code, 1, readable.stderr);
    assert.match(readable.stderr, /open\.key is open to group or others \(mode 0640\).*chmod 600/);

    const other = path.join(dir, 'other.key');
    await fs.copyFile(live.two.key, other);
    await fs.chmod(other, 0o600);
    const mismatched = await serve('--tls-cert', live.one.cert, '--tls-key', other);
    assert.equal(mismatched.code, 1, mismatched.stderr);
    assert.match(mismatched.stderr, /the key in .*other\.key does not belong to the certificate in .*one\.pem/);

    const notCert = await serve('--tls-cert', other, '--tls-key', other);
    assert.equal(notCert.code, 1, notCert.stderr);
    assert.match(notCert.stderr, /holds no usable PEM certificate/);

    const httpBase = await serve('--tls-cert', live.one.cert, '--tls-key', other, '--base-url', 'http://127.0.0.1:1');
    assert.equal(httpBase.code, 1, httpBase.stderr);
    assert.match(httpBase.stderr, /must start with https:\/\/ when TLS is on/);

    const cfg = path.join(dir, 'half.toml');
    await fs.writeFile(cfg, `[tls]\ncert_file = "${live.one.cert}"\n`);
    const halfTable = await serve('--config', cfg);
    assert.equal(halfTable.code, 2, halfTable.stderr);
    assert.match(halfTable.stderr, /config tls: cert_file and key_file go together/);
  });
});

describe('plain HTTP (TLS off)', () => {
  let plain;
  before(async () => {
    plain = await startServer();
  });
  after(async () => {
    await plain?.dispose();
  });

  it('sends no HSTS and a console cookie without __Host- or Secure', { timeout: TEST_MS }, async () => {
    assert.match(plain.url, /^http:\/\//);
    const res = await raw(`${plain.url}/api/v1/groups`, { token: plain.adminToken });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('strict-transport-security'), null);
    const signIn = await raw(`${plain.url}/admin/api/session`, {
      method: 'POST',
      body: { login: plain.init.adminLogin, password: plain.init.adminPassword },
    });
    assert.equal(signIn.status, 200, signIn.text);
    const cookie = signIn.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^gh_console=/);
    assert.doesNotMatch(cookie, /Secure/);
    assert.equal(signIn.headers.get('strict-transport-security'), null);
  });
});
