// A base_url with a path (gatehouse behind a reverse proxy at https://host/auth): every org's
// paths live under it, absolute URLs the server writes start with it, and the bare paths are
// not served (DESIGN.md "Tenancy": ORG is canonical).
import assert from 'node:assert/strict';
import { before, after, describe } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';

const BASE = 'http://gatehouse.test/auth';
let server;
let local; // the same paths on the real socket: http://127.0.0.1:PORT/auth

before(async () => {
  server = await startServer({ serveArgs: ['--base-url', BASE] });
  local = `http://127.0.0.1:${server.port}/auth`;
});
after(async () => {
  await server?.dispose();
});

describe('base_url with a path', () => {
  it('serves the management API under the path and writes absolute links with it', async () => {
    const res = await raw(`${local}/api/v1/groups?limit=1`, { token: server.adminToken });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json));
    assert.match(res.headers.get('link') ?? '', /<http:\/\/gatehouse\.test\/auth\/api\/v1\/groups\?limit=1>; rel="self"/);
  });

  it('serves the OAuth metadata under the path with the base_url as issuer', async () => {
    const res = await raw(`${local}/.well-known/oauth-authorization-server`);
    assert.equal(res.status, 200);
    assert.equal(res.json.issuer, BASE);
    assert.equal(res.json.token_endpoint, `${BASE}/oauth2/v1/token`);
  });

  it('does not serve the paths without the prefix', async () => {
    const res = await raw(`http://127.0.0.1:${server.port}/api/v1/groups`, { token: server.adminToken, lenient: true });
    assert.equal(res.status, 404);
  });
});
