// Rate limits at the token endpoint and the management API with real clients (issue 4;
// okta-compat.md §1.12, §2, §11.30), with small limits from the config file:
// - the token endpoint's per-client bucket answers 429 with a JSON OAuth error, Date and
//   X-Rate-Limit-*, before the assertion's jti is consumed, so the same request succeeds later;
// - Okta's SDK waits on a token-endpoint 429 and on a management-API 429 and succeeds on its
//   retry (the latter in DPoP mode: the retry carries the very same proof);
// - failed client authentication gets 429 past the limits, and correct credentials never do.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import okta from '@okta/okta-sdk-nodejs';
import { startServer, raw, collectAll, it } from './lib/server.mjs';
import { keyApp, rsaKey, keyToken, assertOAuthError, signAssertion, formPost, ASSERTION_TYPE } from './lib/oauth.mjs';

const TOKEN_LIMIT = 30; // per client per minute: one token back every 2 s
const GROUPS_LIMIT = 30; // per org per minute
const FAILURES_PER_CLIENT = 5;
const FAILURES_PER_ADDRESS = 12;
const CONFIG = `
[rate_limits]
groups_per_minute = ${GROUPS_LIMIT}
token_per_client_per_minute = ${TOKEN_LIMIT}
auth_failures_per_client_per_minute = ${FAILURES_PER_CLIENT}
auth_failures_per_address_per_minute = ${FAILURES_PER_ADDRESS}
`;

let server;
let orgUrl;
let tokenUrl;

before(async () => {
  server = await startServer({ config: CONFIG });
  orgUrl = server.url;
  tokenUrl = `${orgUrl}/oauth2/v1/token`;
});

after(async () => {
  await server?.dispose();
});

function sdkClient(a) {
  return new okta.Client({
    orgUrl,
    authorizationMode: 'PrivateKey',
    clientId: a.clientId,
    scopes: ['okta.groups.read'],
    privateKey: { ...a.key.privateJwk },
    cacheMiddleware: null,
  });
}

// Records the SDK's requests, responses and backoffs (its request executor is an EventEmitter).
function record(c) {
  const seen = { requests: [], backoffs: 0 };
  c.requestExecutor.on('request', (r) => seen.requests.push({ url: r.url, headers: { ...r.headers }, body: r.body }));
  c.requestExecutor.on('response', (r) => (seen.requests[seen.requests.length - 1].status = r.status));
  c.requestExecutor.on('backoff', () => (seen.backoffs += 1));
  return seen;
}

// Sends token requests for `a` until one gets 429; resolves to {accepted, limited}.
async function exhaustTokenBucket(a) {
  let accepted = 0;
  for (let i = 0; i < 3 * TOKEN_LIMIT; i += 1) {
    const r = await keyToken(tokenUrl, a, 'okta.groups.read');
    if (r.status === 429) return { accepted, limited: r };
    accepted += 1;
  }
  throw new Error(`no 429 after ${3 * TOKEN_LIMIT} token requests`);
}

// Waits until a 429's X-Rate-Limit-Reset (when one request fits again).
function sleepUntilReset(res) {
  const reset = Number(res.headers.get('x-rate-limit-reset'));
  const ms = Math.max(0, reset * 1000 - Date.now() + 200);
  return new Promise((r) => setTimeout(r, ms));
}

function assertRateHeaders(res, limit) {
  const date = res.headers.get('date');
  assert.ok(date && !Number.isNaN(Date.parse(date)), `Date header: ${date}`);
  assert.equal(res.headers.get('x-rate-limit-limit'), String(limit));
  assert.equal(res.headers.get('x-rate-limit-remaining'), '0');
  const reset = Number(res.headers.get('x-rate-limit-reset'));
  assert.ok(Number.isInteger(reset), `X-Rate-Limit-Reset is integer epoch seconds: ${res.headers.get('x-rate-limit-reset')}`);
  const now = Date.parse(date) / 1000;
  assert.ok(reset >= now && reset <= now + 60, `reset ${reset} within a minute of ${now}`);
  return reset;
}

it("the token endpoint: past the client's bucket, 429 JSON with Date and X-Rate-Limit-*; the same request works later", async () => {
  const a = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'] });
  const ok = await keyToken(tokenUrl, a, 'okta.groups.read');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get('x-rate-limit-limit'), String(TOKEN_LIMIT));
  assert.equal(ok.headers.get('x-rate-limit-remaining'), String(TOKEN_LIMIT - 1));
  const { accepted, limited } = await exhaustTokenBucket(a);
  assert.ok(accepted >= TOKEN_LIMIT - 1, `${accepted} accepted before the 429`);
  assertOAuthError(limited, 429, 'too_many_requests');
  assertRateHeaders(limited, TOKEN_LIMIT);

  // Another client has its own bucket.
  const b = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'] });
  assert.equal((await keyToken(tokenUrl, b, 'okta.groups.read')).status, 200);

  // One request refused with 429, sent again after the reset: the 429 consumed nothing.
  const freshForm = async () => ({
    grant_type: 'client_credentials',
    scope: 'okta.groups.read',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(a.key, a.clientId, tokenUrl),
  });
  let form;
  let refused;
  for (let i = 0; i < 3 * TOKEN_LIMIT && !refused; i += 1) {
    form = await freshForm();
    const r = await formPost(tokenUrl, form);
    if (r.status === 429) refused = r;
  }
  assert.ok(refused, 'a 429');
  await sleepUntilReset(refused);
  const retried = await formPost(tokenUrl, form);
  assert.equal(retried.status, 200, `the request refused with 429 succeeds after the reset: ${retried.text}`);
  await new Promise((r) => setTimeout(r, (60_000 / TOKEN_LIMIT) * 1.05)); // one more token: only the replay rule can refuse it
  const replay = await formPost(tokenUrl, form);
  assertOAuthError(replay, 401, 'invalid_client');
  assert.match(replay.json.error_description, /already been used/);
});

it("Okta's SDK waits on a token-endpoint 429 and its retry with the same assertion succeeds", async () => {
  const a = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  await exhaustTokenBucket(a);
  const c = sdkClient(a);
  const seen = record(c);
  const all = await collectAll(c.groupApi.listGroups());
  assert.ok(all.length >= 1);
  assert.ok(seen.backoffs >= 1, 'the SDK backed off');
  const tokenCalls = seen.requests.filter((r) => r.url === tokenUrl);
  const limitedAt = tokenCalls.findIndex((r) => r.status === 429);
  assert.ok(limitedAt >= 0, JSON.stringify(tokenCalls.map((r) => r.status)));
  const retry = tokenCalls.slice(limitedAt + 1).find((r) => r.status !== 429);
  assert.ok(retry, 'a retry that was not refused');
  assert.equal(retry.status, 200);
  assert.equal(retry.body, tokenCalls[limitedAt].body, 'the retry re-sent the same assertion');
  assert.ok(retry.headers['X-Okta-Retry-Count'] >= 1);
});

it("Okta's SDK in DPoP mode gets a management-API 429, waits, and its retry with the same proof succeeds", async () => {
  const a = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN', dpop: true });
  const c = sdkClient(a);
  await collectAll(c.groupApi.listGroups()); // the nonce dance and a DPoP token
  assert.equal(c.oauth.isDPoP, true);
  const seen = record(c);
  // Use up the org's groups bucket with SSWS calls: the limit is per org, whatever the credential.
  let limited;
  for (let i = 0; i < 3 * GROUPS_LIMIT && !limited; i += 1) {
    const r = await raw(`${orgUrl}/api/v1/groups?limit=1`, { token: server.adminToken, lenient: true });
    if (r.status === 429) limited = r;
    else assert.equal(r.headers.get('x-rate-limit-limit'), String(GROUPS_LIMIT));
  }
  assert.ok(limited, 'a 429 from the groups bucket');
  assert.equal(limited.json?.errorCode, 'E0000047');
  assertRateHeaders(limited, GROUPS_LIMIT);

  const all = await collectAll(c.groupApi.listGroups());
  assert.ok(all.length >= 1);
  assert.ok(seen.backoffs >= 1, 'the SDK backed off');
  const apiCalls = seen.requests.filter((r) => r.url.includes('/api/v1/groups'));
  const limitedAt = apiCalls.findIndex((r) => r.status === 429);
  assert.ok(limitedAt >= 0, JSON.stringify(apiCalls.map((r) => r.status)));
  const retry = apiCalls[apiCalls.length - 1];
  assert.equal(retry.status, 200);
  assert.equal(retry.headers.DPoP, apiCalls[limitedAt].headers.DPoP, 'the retry carried the same DPoP proof');
  assert.match(retry.headers.Authorization, /^DPoP /);
});

it('failed client authentication: 429 past the limits per client and per address; correct credentials never', async () => {
  const a = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'] });
  const wrong = { ...a, key: await rsaKey(a.key.kid) }; // same kid, another key
  for (let i = 0; i < FAILURES_PER_CLIENT; i += 1) {
    const r = await keyToken(tokenUrl, wrong, 'okta.groups.read');
    assertOAuthError(r, 401, 'invalid_client');
  }
  const throttled = await keyToken(tokenUrl, wrong, 'okta.groups.read');
  assertOAuthError(throttled, 429, 'too_many_requests');
  assert.equal(throttled.json.error_description, 'Request throttled due to repeated invalid client errors.');
  assertRateHeaders(throttled, FAILURES_PER_CLIENT);
  // The client itself is not locked out.
  assert.equal((await keyToken(tokenUrl, a, 'okta.groups.read')).status, 200);

  // Failures from this address for made-up clients run into the per-address limit.
  let failures = FAILURES_PER_CLIENT + 1;
  let byAddress;
  for (let i = 0; i < 3 * FAILURES_PER_ADDRESS && !byAddress; i += 1) {
    const r = await keyToken(tokenUrl, { ...wrong, clientId: `0oa-nobody-${i}` }, 'okta.groups.read');
    if (r.status === 429) byAddress = r;
    else {
      assertOAuthError(r, 401, 'invalid_client');
      failures += 1;
    }
  }
  assert.ok(byAddress, 'a 429 from the address limit');
  assert.ok(failures >= FAILURES_PER_ADDRESS, `${failures} failures before the address limit`);
  assertRateHeaders(byAddress, FAILURES_PER_ADDRESS);
  assert.equal((await keyToken(tokenUrl, a, 'okta.groups.read')).status, 200, 'still not locked out');
});
