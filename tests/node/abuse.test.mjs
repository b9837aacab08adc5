// Slow and abusive clients on loopback (issue 19 "Slow and abusive clients"): request smuggling
// refused (RFC 9112 §6.1-§6.3, §2.2, RFC 9110 §8.6) with 400 and the connection closed, nothing
// after it processed; slowloris header and body trickles cut by their timeouts; idle keep-alive
// closed; chunk extensions cannot grow the server's memory; the server-wide connection limit.
// Every test is bounded in time. The per-address connection limit is in config.test.mjs
// ("connections per source address").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { before, after, describe } from 'node:test';
import { startServer, raw, it, watchConnection, trickle } from './lib/server.mjs';

const TIMEOUT_S = 1; // header_timeout_seconds and body_timeout_seconds of this server
let server;
let token;

before(async () => {
  server = await startServer({
    config: `[limits]\nheader_timeout_seconds = ${TIMEOUT_S}\nbody_timeout_seconds = ${TIMEOUT_S}\n`,
  });
  token = server.adminToken;
});

after(async () => {
  await server?.dispose();
});

const session = (feed, limitMs) => watchConnection(server.port, feed, limitMs);

// The statuses of the responses in `data`, split by their Content-Length (no HEAD here).
function statuses(data) {
  const out = [];
  let rest = data;
  while (rest.length) {
    const m = /^HTTP\/1\.[01] (\d{3}) /.exec(rest);
    const end = rest.indexOf('\r\n\r\n');
    assert.ok(m && end > 0, `a response head in ${JSON.stringify(rest.slice(0, 120))}`);
    out.push(Number(m[1]));
    const len = Number(/\r\ncontent-length: (\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
    rest = rest.slice(end + 4 + len);
  }
  return out;
}
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))[1]);

describe('request smuggling is refused: 400, the connection closed, nothing after it answered', () => {
  const body = '{"profile":{"name":"smuggled"}}';
  const api = () => `Host: 127.0.0.1\r\nAuthorization: SSWS ${token}\r\nContent-Type: application/json\r\n`;
  // What a front proxy could take for the next request: it must never be processed.
  const next = 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const post = (fields, rest) => `POST /api/v1/groups HTTP/1.1\r\n${api()}${fields}\r\n${rest}${next}`;
  const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const vectors = {
    // RFC 9112 §6.3 ¶3: both framings.
    'Content-Length with Transfer-Encoding (CL.TE)': () =>
      post(`Content-Length: ${chunked.length}\r\nTransfer-Encoding: chunked\r\n`, chunked),
    'Transfer-Encoding with Content-Length (TE.CL)': () =>
      post(`Transfer-Encoding: chunked\r\nContent-Length: 4\r\n`, chunked),
    // RFC 9110 §8.6: two Content-Lengths, differing or not, or a list.
    'two differing Content-Lengths': () => post(`Content-Length: ${body.length}\r\nContent-Length: 0\r\n`, body),
    'two equal Content-Lengths': () =>
      post(`Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n`, body),
    // Field names match whatever their case (RFC 9110 §5.1).
    'two equal Content-Lengths in different case': () =>
      post(`Content-Length: ${body.length}\r\ncontent-LENGTH: ${body.length}\r\n`, body),
    'TRANSFER-ENCODING and content-length': () => post(`TRANSFER-ENCODING: chunked\r\ncontent-length: 4\r\n`, chunked),
    'two Host fields in different case': () =>
      `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nhOST: 127.0.0.1\r\n\r\n${next}`,
    'a Content-Length list': () => post(`Content-Length: ${body.length}, ${body.length}\r\n`, body),
    'a signed Content-Length': () => post(`Content-Length: +${body.length}\r\n`, body),
    'a hexadecimal Content-Length': () => post(`Content-Length: 0x${body.length.toString(16)}\r\n`, body),
    // RFC 9112 §6.3 ¶4, §6.1: chunked must be the final (here: the only) coding.
    'Transfer-Encoding: xchunked': () => post('Transfer-Encoding: xchunked\r\n', chunked),
    'Transfer-Encoding: chunked, identity': () => post('Transfer-Encoding: chunked, identity\r\n', chunked),
    'Transfer-Encoding: identity': () => post('Transfer-Encoding: identity\r\n', ''),
    'Transfer-Encoding: gzip, chunked': () => post('Transfer-Encoding: gzip, chunked\r\n', chunked),
    'two Transfer-Encoding fields': () => post('Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n', chunked),
    // RFC 9112 §5.1: no whitespace between a field name and the colon.
    'Transfer-Encoding : chunked': () => post('Transfer-Encoding : chunked\r\n', chunked),
    'Content-Length : n': () => post(`Content-Length : ${body.length}\r\n`, body),
    // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0.
    'Transfer-Encoding in HTTP/1.0': () =>
      `POST /api/v1/groups HTTP/1.0\r\n${api()}Transfer-Encoding: chunked\r\n\r\n${chunked}${next}`,
    // RFC 9112 §2.2: bare LF and bare CR are not line ends here.
    'bare LF line ends': () => `GET /health/live HTTP/1.1\nHost: 127.0.0.1\n\n${next}`,
    'a bare LF inside the header': () => `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\nX-A: b\r\n\r\n${next}`,
    'a bare CR inside the header': () => `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\rX-A: b\r\n\r\n${next}`,
    'a NUL in a field value': () => `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b\0c\r\n\r\n${next}`,
    // RFC 9112 §7.1: chunk syntax.
    'a chunk size that overflows': () => post('Transfer-Encoding: chunked\r\n', 'FFFFFFFFFFFFFFFFF1\r\nabc\r\n0\r\n\r\n'),
    'chunk lines ended by bare LF': () =>
      post('Transfer-Encoding: chunked\r\n', `${body.length.toString(16)}\n${body}\n0\n\n`),
    // RFC 9112 §3: the request line.
    'HTTP/0.9 request line': () => `GET /health/live\r\n\r\n${next}`,
    'whitespace in the request target': () => `GET /health/live x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${next}`,
    'Host : x (space before the colon)': () => `GET /health/live HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n${next}`,
  };

  for (const [name, make] of Object.entries(vectors)) {
    it(name, async () => {
      const r = await session((sock) => sock.write(make()), 5_000);
      assert.deepEqual(statuses(r.data), [400], `one answer, 400: ${JSON.stringify(r.data.slice(0, 200))}`);
      assert.notEqual(r.closedAfterMs, null, 'the server closed the connection');
    });
  }

  it('nothing smuggled was created, and a well-framed chunked request still works', async () => {
    const list = await raw(`${server.url}/api/v1/groups?q=smuggled`, { token });
    assert.deepEqual(list.json, []);
    const r = await session((sock) => sock.write(post('Transfer-Encoding: chunked\r\n', chunked)), 3_000);
    assert.deepEqual(statuses(r.data), [200, 200], 'the group is created and the next request answered');
    const again = await raw(`${server.url}/api/v1/groups?q=smuggled`, { token });
    assert.equal(again.json.length, 1);
  });

  it('an obs-fold is read as a space (RFC 9112 §5.2), so a folded Transfer-Encoding with a Content-Length is still refused', async () => {
    const r = await session(
      (sock) => sock.write(post(`Content-Length: ${chunked.length}\r\nTransfer-Encoding:\r\n chunked\r\n`, chunked)),
      3_000,
    );
    assert.deepEqual(statuses(r.data), [400]);
    assert.notEqual(r.closedAfterMs, null);
  });

  it('megabytes of chunk extensions are cut off without growing the server', async () => {
    const before = rssKb();
    const r = await session(async (sock, isDone) => {
      sock.write(`POST /api/v1/groups HTTP/1.1\r\n${api()}Transfer-Encoding: chunked\r\n\r\n5;a=`);
      const mib = 'b'.repeat(1 << 20);
      for (let i = 0; i < 32 && !isDone(); i++) {
        sock.write(mib);
        await new Promise((res) => setTimeout(res, 10));
      }
    }, 5_000);
    assert.deepEqual(statuses(r.data), [400]);
    assert.notEqual(r.closedAfterMs, null, 'closed');
    assert.ok(rssKb() - before < 8 * 1024, `RSS grew by ${rssKb() - before} KiB`);
  });
});

describe('slow clients are cut by their timeouts', () => {
  it('a header trickled a byte every 100 ms is closed at the header timeout, not when it ends', async () => {
    const request = `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const r = await session(trickle(request), 8_000);
    assert.notEqual(r.closedAfterMs, null, 'closed although bytes kept coming (the whole header takes 23 s)');
    assert.ok(r.closedAfterMs >= TIMEOUT_S * 1000 - 100 && r.closedAfterMs < TIMEOUT_S * 1000 + 2_000,
      `closed after ${r.closedAfterMs} ms, the timeout is ${TIMEOUT_S} s`);
    assert.deepEqual(statuses(r.data), [], 'no request was answered');
  });

  it('a body trickled a byte every 100 ms is closed at the body timeout and never processed', async () => {
    const body = `{"profile":{"name":"trickled","description":"${'d'.repeat(200)}"}}`;
    const r = await session((sock, isDone) => {
      sock.write(
        `POST /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: SSWS ${token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      let i = 0;
      const tick = () => {
        if (isDone() || i >= body.length) return;
        sock.write(body[i++]);
        setTimeout(tick, 100);
      };
      tick();
    }, 8_000);
    assert.notEqual(r.closedAfterMs, null, 'closed although bytes kept coming (the whole body takes 25 s)');
    assert.ok(r.closedAfterMs >= TIMEOUT_S * 1000 - 100 && r.closedAfterMs < TIMEOUT_S * 1000 + 2_000,
      `closed after ${r.closedAfterMs} ms, the timeout is ${TIMEOUT_S} s`);
    assert.ok(!statuses(r.data).includes(200), 'the request was not processed');
    const list = await raw(`${server.url}/api/v1/groups?q=trickled`, { token });
    assert.deepEqual(list.json, [], 'nothing was created');
  });

  it('an idle keep-alive connection is closed after the idle timeout', async () => {
    const r = await session((sock) => sock.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 6_000);
    assert.deepEqual(statuses(r.data), [200]);
    assert.notEqual(r.closedAfterMs, null, 'closed while idle');
    assert.ok(r.closedAfterMs >= TIMEOUT_S * 1000 - 100, `not before the timeout: ${r.closedAfterMs} ms`);
  });

  it('a second request on a keep-alive connection within the timeout is served', async () => {
    const req = 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const r = await session((sock) => {
      sock.write(req);
      setTimeout(() => sock.write(req), TIMEOUT_S * 500);
    }, 4_000);
    assert.deepEqual(statuses(r.data), [200, 200]);
  });

  it('the server still serves', async () => {
    assert.equal((await raw(`${server.url}/api/v1/groups`, { token })).status, 200);
  });
});

describe('the server-wide connection limit', () => {
  it('past limits.max_connections new connections are closed, whatever their address; a freed slot is reused', async () => {
    const s = await startServer({ config: '[limits]\nmax_connections = 3\n' });
    const open = [];
    try {
      const connect = () =>
        new Promise((resolve, reject) => {
          const sock = net.connect(s.port, '127.0.0.1');
          sock.on('error', () => {});
          sock.once('connect', () => resolve(sock));
          sock.once('error', reject);
        });
      const closedWithin = (sock, ms) =>
        new Promise((resolve) => {
          if (sock.destroyed) return resolve(true);
          const timer = setTimeout(() => resolve(false), ms);
          sock.once('close', () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
      for (let i = 0; i < 3; i++) open.push(await connect());
      const fourth = await connect();
      open.push(fourth);
      assert.equal(await closedWithin(fourth, 2_000), true, 'the fourth connection is closed');
      assert.equal(await closedWithin(open[0], 300), false, 'the first three stay open');
      open[0].destroy();
      await new Promise((r) => setTimeout(r, 200));
      const res = await raw(`${s.url}/health/ready`);
      assert.equal(res.status, 200, 'a freed slot is taken by the next connection');
    } finally {
      for (const sock of open) sock.destroy();
      await s.dispose();
    }
  });
});
