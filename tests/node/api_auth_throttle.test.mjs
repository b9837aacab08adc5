// Failed authentication at the management API counts per source address (okta-compat.md §11.31):
// past the limit, further failing requests get 429 E0000047 with Retry-After; forwarding headers
// change nothing; the org's bucket is never charged; valid credentials are never refused.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';
import { assertRawError } from './lib/checks.mjs';

const FAILURES_PER_ADDRESS = 6;
const CONFIG = `
[rate_limits]
auth_failures_per_address_per_minute = ${FAILURES_PER_ADDRESS}
`;

let server;

before(async () => {
  server = await startServer({ config: CONFIG });
});

after(async () => {
  await server?.dispose();
});

const groups = (headers) => raw(`${server.url}/api/v1/groups?limit=1`, { headers });

it('bad SSWS and Bearer tokens from one address: 401 up to the limit, then 429 with Retry-After', async () => {
  const before = await raw(`${server.url}/api/v1/groups?limit=1`, { token: server.adminToken });
  assert.equal(before.status, 200);
  const remainingBefore = Number(before.headers.get('x-rate-limit-remaining'));

  const bad = [
    { Authorization: 'SSWS 00-not-a-token' },
    { Authorization: `SSWS ${server.adminToken}x` },
    { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln' },
  ];
  for (let i = 0; i < FAILURES_PER_ADDRESS; i++) {
    const res = await groups(bad[i % bad.length]);
    assert.equal(res.status, 401, `failure ${i + 1}: ${res.status} ${res.text}`);
  }
  for (const headers of bad) {
    // Rotating forwarding headers changes nothing: only the socket's peer counts (RFC 9700 §4.13).
    const res = await groups({ ...headers, 'X-Forwarded-For': `203.0.113.${Math.floor(Math.random() * 250)}`, 'X-Real-IP': '198.51.100.7' });
    assertRawError(res, 429, 'E0000047');
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${res.headers.get('retry-after')}`);
  }

  // Valid credentials from the same address are never refused, and the failures spent nothing
  // of the org's groups bucket (only this call did).
  const ok = await raw(`${server.url}/api/v1/groups?limit=1`, { token: server.adminToken });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(Number(ok.headers.get('x-rate-limit-remaining')) >= remainingBefore - 1,
    `remaining ${ok.headers.get('x-rate-limit-remaining')} after ${remainingBefore}`);
});
