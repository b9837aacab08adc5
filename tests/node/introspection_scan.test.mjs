// Introspection scanning (RFC 7662 §4; okta-compat.md §11.32), with a small limit from the config:
// a client whose introspections answered `active: false` LIMIT times within a minute gets 429 with
// Retry-After for every further introspection until the minute is over; another client is not
// affected, and a client introspecting the live tokens its callers hold never reaches the limit.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, it } from './lib/server.mjs';
import { secretApp, basicToken, accessTokenOf, formPost, assertOAuthError, ensureAsScope } from './lib/oauth.mjs';

const LIMIT = 5;
const SCOPE = 'inventory.read';
const CONFIG = `
[rate_limits]
introspection_inactive_per_client_per_minute = ${LIMIT}
`;

let server;
let introspectUrl;
let tokenUrl;

before(async () => {
  server = await startServer({ config: CONFIG });
  // The default custom authorization server: the org AS takes only private_key_jwt (§4).
  tokenUrl = `${server.url}/oauth2/default/v1/token`;
  introspectUrl = `${server.url}/oauth2/default/v1/introspect`;
  await ensureAsScope(server.url, server.adminToken, SCOPE);
});

after(async () => {
  await server?.dispose();
});

const introspect = (app, token) => formPost(introspectUrl, { token }, { basic: [app.clientId, app.secret] });

it('a scanning client is stopped for the minute; honest introspection and other clients are not', async () => {
  const scanner = await secretApp(server.url, server.adminToken);
  const honest = await secretApp(server.url, server.adminToken);
  const own = accessTokenOf(await basicToken(tokenUrl, scanner, SCOPE));
  const honestToken = accessTokenOf(await basicToken(tokenUrl, honest, SCOPE));

  // Live tokens never count: twice the limit of active answers.
  for (let i = 0; i < 2 * LIMIT; i++) {
    const r = await introspect(honest, honestToken);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.active, true);
  }
  for (let i = 0; i < LIMIT; i++) {
    const r = await introspect(scanner, `guess-${i}-${Math.random()}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { active: false });
  }
  // Over the limit: every introspection of this client, even of its own live token.
  for (const token of ['another-guess', own]) {
    const r = await introspect(scanner, token);
    assertOAuthError(r, 429, 'too_many_requests');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${r.headers.get('retry-after')}`);
  }
  // Another client, and this client's other endpoints, are unaffected.
  const r = await introspect(honest, 'a-guess-of-its-own');
  assert.deepEqual(r.json, { active: false });
  assert.equal((await basicToken(tokenUrl, scanner, SCOPE)).status, 200);
});
