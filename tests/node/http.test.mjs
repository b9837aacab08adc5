// Wire-level checks with plain HTTP: headers, error envelopes, status codes, limits, paths and
// query injection (okta-compat.md §1, §2, §11; issue 2 "Bad input gets a clear error").
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { before, after, describe } from 'node:test';
import { startServer, raw, it, client, collectAll } from './lib/server.mjs';
import { assertRawError, assertEnvelope, assertCommonHeaders, parseLinks } from './lib/checks.mjs';

let server;
let url;
let token;

before(async () => {
  server = await startServer();
  url = server.url;
  token = server.adminToken;
  // A few groups so that lists page.
  for (const name of ['Alpha', 'Beta', 'Gamma']) {
    const res = await raw(`${url}/api/v1/groups`, { method: 'POST', token, body: { profile: { name } } });
    assert.equal(res.status, 200, res.text);
  }
});

after(async () => {
  await server?.dispose();
});

// Sends bytes on a fresh TCP connection and returns what came back until close or timeout.
function rawSocket(bytes, { timeoutMs = 3_000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(data);
    }, timeoutMs);
    sock.on('data', (d) => {
      data += d.toString('latin1');
      // One complete response is enough.
      const head = data.indexOf('\r\n\r\n');
      if (head >= 0) {
        const m = /content-length:\s*(\d+)/i.exec(data.slice(0, head));
        if (!m || data.length >= head + 4 + Number(m[1])) {
          clearTimeout(timer);
          sock.destroy();
          resolve(data);
        }
      }
    });
    sock.on('end', () => {
      clearTimeout(timer);
      resolve(data);
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      if (data) resolve(data);
      else reject(e);
    });
    sock.write(bytes);
  });
}

function statusOf(response) {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(response);
  assert.ok(m, `an HTTP response, got ${JSON.stringify(response.slice(0, 200))}`);
  return Number(m[1]);
}

// POSTs a large body with node:http, tolerating the server closing before it read it all.
function postLarge(path, size) {
  return new Promise((resolve, reject) => {
    const body = Buffer.alloc(size, 0x20);
    body.write('{"profile":{"name":"big","description":"', 0);
    body.write('"}}', size - 3);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        headers: { Authorization: `SSWS ${token}`, 'Content-Type': 'application/json', 'Content-Length': size },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        res.on('error', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      },
    );
    req.on('error', (e) => reject(e));
    req.end(body);
  });
}

describe('headers on every response', () => {
  it('200, 401, 404 and 405 all carry X-Okta-Request-Id and Date', async () => {
    const responses = [
      await raw(`${url}/api/v1/groups`, { token }),
      await raw(`${url}/api/v1/groups`),
      await raw(`${url}/api/v1/groups/00gNoSuchGroup123456`, { token }),
      await raw(`${url}/api/v1/groups`, { method: 'PATCH', token, body: {} }),
      await raw(`${url}/health/live`),
    ];
    const ids = new Set();
    for (const res of responses) {
      assertCommonHeaders(res);
      ids.add(res.headers.get('x-okta-request-id'));
    }
    assert.equal(ids.size, responses.length, 'request ids are unique');
  });

  it('JSON responses say application/json', async () => {
    const res = await raw(`${url}/api/v1/groups`, { token });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.ok(Array.isArray(res.json), 'a collection is a top-level array');
  });

  it('API responses carry X-Rate-Limit-* headers', async () => {
    const res = await raw(`${url}/api/v1/groups`, { token });
    for (const h of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']) {
      assert.match(res.headers.get(h) ?? '', /^\d+$/, `${h} is an integer`);
    }
  });

  it('health endpoints answer 200', async () => {
    assert.equal((await raw(`${url}/health/live`)).status, 200);
    assert.equal((await raw(`${url}/health/ready`)).status, 200);
  });
});

describe('authentication', () => {
  it('no credentials: 401 with a WWW-Authenticate challenge and the full envelope', async () => {
    const res = await raw(`${url}/api/v1/groups`);
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /SSWS/i, `challenge names SSWS: ${challenge}`);
    assert.match(challenge, /Bearer/i, `challenge names Bearer: ${challenge}`);
    assert.doesNotMatch(challenge, /error=/i, 'no error code when no credentials were sent');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assertEnvelope(res.json);
  });

  it('an unknown token: 401 E0000011 with a challenge', async () => {
    const res = await raw(`${url}/api/v1/groups`, { token: 'not-a-real-token' });
    assertRawError(res, 401, 'E0000011');
    assert.ok(res.headers.get('www-authenticate'));
  });

  it('an unsupported scheme: 401 E0000011 with a challenge', async () => {
    const res = await raw(`${url}/api/v1/groups`, { headers: { Authorization: `Basic ${btoa('a:b')}` } });
    assertRawError(res, 401, 'E0000011');
    assert.ok(res.headers.get('www-authenticate'));
  });

  it('the scheme name matches case-insensitively', async () => {
    const res = await raw(`${url}/api/v1/groups`, { headers: { Authorization: `ssws ${token}` } });
    assert.equal(res.status, 200);
  });

  it('authentication is decided before the body is parsed', async () => {
    const res = await raw(`${url}/api/v1/groups`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    assert.equal(res.status, 401);
  });

  it('an access_token query parameter is 400 E0000001', async () => {
    const res = await raw(`${url}/api/v1/groups?access_token=abc`, { token });
    assertRawError(res, 400, 'E0000001');
  });
});

describe('errors', () => {
  it('malformed JSON is 400 E0000003', async () => {
    const res = await raw(`${url}/api/v1/groups`, {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"profile": {"name": "x",',
    });
    assertRawError(res, 400, 'E0000003');
  });

  it('JSON nested deeper than 64 levels is 400 E0000003', async () => {
    const deep = `{"profile":{"name":"deep","description":"d"},"x":${'['.repeat(100)}${']'.repeat(100)}}`;
    const res = await raw(`${url}/api/v1/groups`, {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: deep,
    });
    assertRawError(res, 400, 'E0000003');
  });

  it('wrong types are 400 E0000001 with errorCauses', async () => {
    const res = await raw(`${url}/api/v1/groups`, { method: 'POST', token, body: { profile: { name: 42 } } });
    assertRawError(res, 400, 'E0000001');
    assert.ok(res.json.errorCauses.length > 0);
  });

  it('an unknown id is 404 E0000007', async () => {
    assertRawError(await raw(`${url}/api/v1/groups/00gNoSuchGroup123456`, { token }), 404, 'E0000007');
    assertRawError(await raw(`${url}/api/v1/users/00uNoSuchUser1234567`, { token }), 404, 'E0000007');
    assertRawError(await raw(`${url}/api/v1/api-tokens/00TNoSuchToken123456`, { token }), 404, 'E0000007');
  });

  it('PATCH on /api/v1/groups is 405 E0000022', async () => {
    const res = await raw(`${url}/api/v1/groups`, { method: 'PATCH', token, body: {} });
    assertRawError(res, 405, 'E0000022');
    const item = await raw(`${url}/api/v1/users/${server.adminUserId}`, { method: 'PATCH', token, body: {} });
    assertRawError(item, 405, 'E0000022');
  });

  it('an unknown API path is 404 with the envelope', async () => {
    const res = await raw(`${url}/api/v1/nothing-here`, { token });
    assert.equal(res.status, 404);
    assertEnvelope(res.json);
  });

  it('a JSON content type with parameters is accepted', async () => {
    const res = await raw(`${url}/api/v1/groups`, {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ profile: { name: 'Charset' } }),
    });
    assert.equal(res.status, 200, res.text);
  });

  it('+ in a query value means space', async () => {
    const res = await raw(`${url}/api/v1/groups?search=profile.name+eq+%22Alpha%22`, { token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.map((g) => g.profile.name), ['Alpha']);
  });

  it('a duplicate group name is 400 E0000001 with an errorCauses array', async () => {
    const res = await raw(`${url}/api/v1/groups`, { method: 'POST', token, body: { profile: { name: 'Alpha' } } });
    assertRawError(res, 400, 'E0000001');
    assert.ok(Array.isArray(res.json.errorCauses) && res.json.errorCauses.length >= 1);
    for (const c of res.json.errorCauses) assert.equal(typeof c.errorSummary, 'string');
  });

  it('a non-JSON body type is 415', async () => {
    const res = await raw(`${url}/api/v1/groups`, {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'text/plain' },
      body: '{"profile":{"name":"plain"}}',
    });
    assertRawError(res, 415, 'E0000001');
  });

  it('a body over 1 MiB is 413', async () => {
    const res = await postLarge('/api/v1/groups', (1 << 20) + 1024);
    assert.equal(res.status, 413);
    const check = await raw(`${url}/api/v1/groups?q=big`, { token });
    assert.deepEqual(check.json, [], 'nothing was created');
  });

  it('a body just under 1 MiB is accepted by the limit (not 413)', async () => {
    const res = await postLarge('/api/v1/groups', (1 << 20) - 1024);
    assert.notEqual(res.status, 413);
    assert.ok(res.status < 500, `status ${res.status}`);
  });

  it('a 500 is never answered for odd paths', async () => {
    for (const path of ['/api/v1/groups/%00', '/api/v1/users/%', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/v1/groups/..']) {
      const res = await raw(`${url}${path}`, { token });
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
    }
  });
});

describe('paths and links', () => {
  it('//api/v1/groups works like /api/v1/groups', async () => {
    const res = await raw(`${url}//api/v1/groups`, { token });
    assert.equal(res.status, 200);
    assert.ok(res.json.some((g) => g.profile.name === 'Alpha'));
    const sdk = client(`${url}/`, token); // the SDK then sends //api/v1/...
    const groups = await collectAll(sdk.groupApi.listGroups());
    assert.ok(groups.some((g) => g.profile.name === 'Beta'));
  });

  it('Link headers are absolute and self is always present', async () => {
    const res = await raw(`${url}/api/v1/groups?limit=1`, { token });
    assert.equal(res.status, 200);
    const links = parseLinks(res.headers.get('link'));
    assert.ok(links.self?.startsWith(`${url}/`), `self: ${links.self}`);
    assert.ok(links.next?.startsWith(`${url}/api/v1/groups?`), `next: ${links.next}`);
    const full = await raw(`${url}/api/v1/groups?limit=200`, { token });
    const fl = parseLinks(full.headers.get('link'));
    assert.ok(fl.self);
    assert.equal(fl.next, undefined, 'no next when everything fits');
  });

  it('_links.self.href is the absolute URL of the resource', async () => {
    const list = await raw(`${url}/api/v1/groups?q=Gamma`, { token });
    const g = list.json[0];
    assert.equal(g._links.self.href, `${url}/api/v1/groups/${g.id}`);
    const again = await raw(g._links.self.href, { token });
    assert.equal(again.status, 200);
    assert.equal(again.json.id, g.id);
  });
});

describe('query values are data, never SQL', () => {
  const evil = "'; DROP TABLE users; --";

  it('a filter string literal with SQL is data', async () => {
    const filter = `profile.login eq "${evil}"`;
    const res = await raw(`${url}/api/v1/users?filter=${encodeURIComponent(filter)}`, { token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, []);
    const users = await raw(`${url}/api/v1/users`, { token });
    assert.equal(users.status, 200);
    assert.ok(users.json.some((u) => u.id === server.adminUserId), 'the users table still works');
  });

  it('a search string literal with SQL, quotes and % is data', async () => {
    for (const s of [evil, '%', '%%', "a' OR '1'='1", '\\" or 1=1 --']) {
      const search = `profile.name sw ${JSON.stringify(s)}`;
      const res = await raw(`${url}/api/v1/groups?search=${encodeURIComponent(search)}`, { token });
      assert.equal(res.status, 200, `${search}: ${res.text}`);
      assert.deepEqual(res.json, [], `${search} matches nothing`);
    }
    const groups = await raw(`${url}/api/v1/groups`, { token });
    assert.equal(groups.status, 200);
    assert.ok(groups.json.length >= 4);
  });

  it('q with quotes, -- and % is data', async () => {
    for (const q of [evil, '%', "'", '_', 'Al%']) {
      const res = await raw(`${url}/api/v1/groups?q=${encodeURIComponent(q)}`, { token });
      assert.equal(res.status, 200, `${q}: ${res.text}`);
      assert.deepEqual(res.json, [], `q=${q} matches nothing`);
    }
    const users = await raw(`${url}/api/v1/users?q=${encodeURIComponent(evil)}`, { token });
    assert.equal(users.status, 200);
    assert.deepEqual(users.json, []);
  });

  // The cursor is a position in id order (okta-compat.md §2 "Pagination": opaque to clients), so
  // any string is a position: a page from there, never a 500 nor an error.
  it('a bogus after cursor is a position like any other: 200 with a page', async () => {
    for (const after of [evil, '%', 'AAAA', "00g' OR 1=1 --"]) {
      const res = await raw(`${url}/api/v1/groups?after=${encodeURIComponent(after)}`, { token });
      assert.equal(res.status, 200, `after=${after}: ${res.text}`);
      assert.ok(Array.isArray(res.json), `after=${after}: a page`);
      for (const g of res.json) assert.ok(g.id > after, `after=${after}: ${g.id} comes after the cursor`);
    }
  });

  it('an unparseable filter is 400 E0000031, never an unfiltered list', async () => {
    for (const filter of ['status eq', '((', 'status eq "ACTIVE" and', 'status xx "ACTIVE"', 'status eq ACTIVE"']) {
      const res = await raw(`${url}/api/v1/users?filter=${encodeURIComponent(filter)}`, { token });
      assertRawError(res, 400, 'E0000031');
    }
  });

  it('the tables still work after all of that', async () => {
    const res = await raw(`${url}/api/v1/groups`, { method: 'POST', token, body: { profile: { name: evil } } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.profile.name, evil);
    const found = await raw(`${url}/api/v1/groups?search=${encodeURIComponent(`profile.name eq ${JSON.stringify(evil)}`)}`, {
      token,
    });
    assert.deepEqual(found.json.map((g) => g.id), [res.json.id]);
  });
});

describe('HTTP framing', () => {
  it('Content-Length together with Transfer-Encoding is 400', async () => {
    const body = '{"profile":{"name":"smuggled"}}';
    const reqText =
      `POST /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: SSWS ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    assert.equal(statusOf(await rawSocket(reqText)), 400);
  });

  it('two Host headers is 400', async () => {
    const reqText =
      `GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nHost: evil.example\r\n` +
      `Authorization: SSWS ${token}\r\n\r\n`;
    assert.equal(statusOf(await rawSocket(reqText)), 400);
  });

  it('no Host header on HTTP/1.1 is 400', async () => {
    const reqText = `GET /api/v1/groups HTTP/1.1\r\nAuthorization: SSWS ${token}\r\n\r\n`;
    assert.equal(statusOf(await rawSocket(reqText)), 400);
  });

  it('headers over 16 KiB are 431', async () => {
    const reqText =
      `GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: SSWS ${token}\r\n` +
      `X-Padding: ${'a'.repeat(20 * 1024)}\r\n\r\n`;
    assert.equal(statusOf(await rawSocket(reqText)), 431);
  });

  it('more than 100 header fields is 431', async () => {
    let headers = '';
    for (let i = 0; i < 120; i++) headers += `X-H${i}: v\r\n`;
    const reqText =
      `GET /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: SSWS ${token}\r\n${headers}\r\n`;
    assert.equal(statusOf(await rawSocket(reqText)), 431);
  });

  it('the server still serves after all of that', async () => {
    const res = await raw(`${url}/api/v1/groups`, { token });
    assert.equal(res.status, 200);
    assert.ok(!res.json.some((g) => g.profile.name === 'smuggled'));
  });
});

// The response head is written by our own code (http/server/server.cpp), so its framing is
// checked on the wire: RFC 9112 §6 (lengths), §9.3 (persistence), RFC 9110 §9.3.2 (HEAD).
describe('connections and response framing', () => {
  // Writes `bytes` and collects everything until the server closes or `ms` pass.
  function exchange(bytes, ms = 1_500) {
    return new Promise((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1');
      let data = '';
      let closed = false;
      const timer = setTimeout(() => {
        sock.destroy();
        resolve({ data, closed });
      }, ms);
      sock.on('data', (d) => (data += d.toString('latin1')));
      sock.on('end', () => {
        closed = true;
        clearTimeout(timer);
        resolve({ data, closed });
      });
      sock.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.write(bytes);
    });
  }
  // Splits a stream of responses by their Content-Length (bodiless for HEAD, listed in `heads`).
  function splitResponses(data, heads = []) {
    const out = [];
    let rest = data;
    while (rest.length) {
      const end = rest.indexOf('\r\n\r\n');
      assert.ok(end > 0, `a response head in ${JSON.stringify(rest.slice(0, 120))}`);
      const head = rest.slice(0, end);
      const len = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
      const bodyLen = heads.includes(out.length) ? 0 : len;
      out.push({ head, length: len, body: rest.slice(end + 4, end + 4 + bodyLen) });
      rest = rest.slice(end + 4 + bodyLen);
    }
    return out;
  }
  const keys = `GET /oauth2/default/v1/keys HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

  it('keeps an HTTP/1.1 connection open, answering pipelined requests in order', async () => {
    const health = `GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const { data, closed } = await exchange(keys + health + keys);
    assert.equal(closed, false);
    const rs = splitResponses(data);
    assert.equal(rs.length, 3);
    for (const r of rs) {
      assert.match(r.head, /^HTTP\/1\.1 200 OK\r\n/);
      assert.doesNotMatch(r.head, /\r\nconnection:/i);
      assert.match(r.head, /\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/);
      assert.match(r.head, /\r\nX-Okta-Request-Id: \S+/);
      assert.equal(Buffer.byteLength(r.body, 'latin1'), r.length);
    }
    assert.ok(JSON.parse(rs[0].body).keys.length >= 1);
    assert.deepEqual(JSON.parse(rs[1].body), { status: 'UP' });
    assert.equal(rs[2].body, rs[0].body);
  });

  // The answer is first sent by one non-blocking write; what does not fit in the socket's buffers
  // is written asynchronously (session.cpp). A reader that stops reading must still get every
  // answer whole and in order once it reads again.
  it('answers a reader that stops reading whole and in order once it reads again', async () => {
    const description = 'd'.repeat(1000);
    for (let i = 0; i < 40; i++) {
      const r = await raw(`${url}/api/v1/groups`, { method: 'POST', token, body: { profile: { name: `Stalled ${i}`, description } } });
      assert.equal(r.status, 200, r.text);
    }
    const list = `GET /api/v1/groups?q=Stalled&limit=200 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: SSWS ${token}\r\n\r\n`;
    const count = 150;
    const data = await new Promise((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1');
      const chunks = [];
      let size = 0;
      sock.pause();  // nothing is read: the kernel's buffers fill and the server's writes wait
      sock.on('data', (d) => {
        chunks.push(d);
        size += d.length;
        if (size >= count * 40_000) {  // enough for every answer; then parsed below
          const all = Buffer.concat(chunks).toString('latin1');
          const n = (all.match(/HTTP\/1\.1 /g) ?? []).length;
          const rs = n === count ? splitResponses(all) : [];
          if (rs.length === count && rs[count - 1].body.length === rs[count - 1].length) {
            sock.destroy();
            resolve(all);
          }
        }
      });
      sock.on('error', reject);
      sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      sock.write(list.repeat(count));
      setTimeout(() => sock.resume(), 1_000);
    });
    const rs = splitResponses(data);
    assert.equal(rs.length, count);
    assert.ok(data.length > 6_000_000, `${data.length} bytes: more than the socket buffers hold`);
    for (const r of rs) {
      assert.match(r.head, /^HTTP\/1\.1 200 OK\r\n/);
      assert.equal(Buffer.byteLength(r.body, 'latin1'), r.length);
      assert.equal(r.body, rs[0].body);
    }
    assert.equal(JSON.parse(rs[0].body).length, 40);
  });

  it('closes after answering Connection: close, and says so', async () => {
    const { data, closed } = await exchange(keys.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n') + keys);
    assert.equal(closed, true);
    const rs = splitResponses(data);
    assert.equal(rs.length, 1, 'nothing after the closing answer');
    assert.match(rs[0].head, /\r\nConnection: close(\r\n|$)/);
  });

  it('closes after a Connection list naming close in any case', async () => {
    const { data, closed } = await exchange(keys.replace('\r\n\r\n', '\r\nconnection: Upgrade, CLOSE\r\n\r\n') + keys);
    assert.equal(closed, true);
    assert.equal(splitResponses(data).length, 1, 'nothing after the closing answer');
  });

  it('keeps an HTTP/1.0 connection for Connection: keep-alive only, not Proxy-Connection', async () => {
    const proxy = `GET /health/ready HTTP/1.0\r\nProxy-Connection: keep-alive\r\n\r\n`;
    const r = await exchange(proxy + proxy);
    assert.equal(r.closed, true);
    assert.equal(splitResponses(r.data).length, 1);
    const kept = `GET /health/ready HTTP/1.0\r\nCONNECTION: Keep-Alive\r\n\r\n`;
    const k = await exchange(kept + kept);
    assert.equal(k.closed, false);
    assert.equal(splitResponses(k.data).length, 2);
  });

  it('closes an HTTP/1.0 connection unless asked to keep it', async () => {
    const once = await exchange(`GET /health/ready HTTP/1.0\r\n\r\n`);
    assert.equal(once.closed, true);
    assert.match(once.data, /^HTTP\/1\.0 200 OK\r\n/);
    assert.doesNotMatch(once.data, /\r\nconnection:/i);
    assert.match(once.data, /\r\n\r\n\{"status":"UP"\}$/);

    const req = `GET /health/ready HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`;
    const kept = await exchange(req + req);
    assert.equal(kept.closed, false);
    const rs = splitResponses(kept.data);
    assert.equal(rs.length, 2);
    for (const r of rs) assert.match(r.head, /\r\nConnection: keep-alive(\r\n|$)/);
  });

  it('answers HEAD with the length of the GET body and no body', async () => {
    const head = keys.replace('GET', 'HEAD');
    const { data } = await exchange(head + keys);
    const rs = splitResponses(data, [0]);
    assert.equal(rs.length, 2, 'the GET answer follows the HEAD head at once');
    assert.match(rs[0].head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.equal(rs[0].length, rs[1].length);
    assert.ok(rs[1].length > 0);
    assert.equal(Buffer.byteLength(rs[1].body, 'latin1'), rs[1].length);
  });

  it('sends no Content-Length on 204', async () => {
    const created = await raw(`${url}/api/v1/groups`, { method: 'POST', token, body: { profile: { name: 'Framing' } } });
    assert.equal(created.status, 200, created.text);
    const del = `DELETE /api/v1/groups/${created.json.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: SSWS ${token}\r\n\r\n`;
    const { data } = await exchange(del + `GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const [first, second] = splitResponses(data);
    assert.match(first.head, /^HTTP\/1\.1 204 No Content\r\n/);
    assert.doesNotMatch(first.head, /content-length/i);
    assert.match(second.head, /^HTTP\/1\.1 200 OK\r\n/);
  });
});
