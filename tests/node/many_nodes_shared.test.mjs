// Two nodes on one PostgreSQL (issue 18, many nodes): single-use values hold across the nodes
// exactly, rate limits approximately. Both nodes serve one data set behind one base URL (as
// behind a load balancer): node B is a copy of node A's data directory (the same master key)
// with the same --store and --base-url. PostgreSQL only (GATEHOUSE_STORE=postgresql).
// - a private_key_jwt assertion used on A is refused on B (RFC 7523 §3 item 7: invalid_client);
// - a DPoP proof used on A is refused on B, at the token endpoint and at /api/v1 (RFC 9449 §11.1);
// - a per-client token limit of N, spread over A and B, stops near N (okta-compat.md §11.30);
// - introspection scanning with inactive tokens spread over A and B stops near the limit, while a
//   resource server introspecting live tokens on both is never stopped (§11.32);
// - the ledger out of reach: the single-use value is refused (503), never accepted; then it recovers.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { startServer, makeDataDir, GatehouseServer, raw, it, STORE, psql, databaseOf } from './lib/server.mjs';
import {
  keyApp, signAssertion, formPost, dpopProof, assertOAuthError, ASSERTION_TYPE, secretApp, basicToken, accessTokenOf, ensureAsScope,
} from './lib/oauth.mjs';

const skip = STORE !== 'postgresql' && 'needs the PostgreSQL store (GATEHOUSE_STORE=postgresql)';
const LIMIT = 10; // token requests per client per minute
const SCAN_LIMIT = 10; // inactive introspection answers per client per minute
const SCOPE = 'inventory.read'; // a scope of the default custom authorization server
const BASE = 'http://gatehouse-lb.test:8080'; // the nodes' shared public URL (the issuer)
const TOKEN = `${BASE}/oauth2/v1/token`; // the assertions' aud and the proofs' htu
let a;
let b;
const apps = {};

before(async () => {
  if (skip) return;
  a = await startServer({
    serveArgs: ['--base-url', BASE],
    config: `[rate_limits]\ntoken_per_client_per_minute = ${LIMIT}\nintrospection_inactive_per_client_per_minute = ${SCAN_LIMIT}\n`,
  });
  // Apps are made before B starts, so that B loads them (this test needs no change feed).
  apps.replay = await app();
  apps.dpop = await app({ dpop: true });
  apps.limited = await app();
  apps.outage = await app();
  apps.outageDpop = await app({ dpop: true });
  await ensureAsScope(a.url, a.adminToken, SCOPE);
  apps.scanner = await secretApp(a.url, a.adminToken);
  apps.resourceServer = await secretApp(a.url, a.adminToken);
  const dir = await makeDataDir();
  await fs.cp(a.dataDir, dir, { recursive: true });
  b = new GatehouseServer(dir, a.init);
  const url = `${process.env.GATEHOUSE_PG_URL.replace(/\/+$/, '')}/${databaseOf(a.dataDir)}`;
  await b.serve({ extraArgs: ['--store', url, '--base-url', BASE, '--config', path.join(a.configDir, 'gatehouse.toml')] });
});

after(async () => {
  await b?.dispose();
  await a?.dispose();
});

const tokenAt = (node) => `${node.url}/oauth2/v1/token`;

// A private_key_jwt app granted okta.groups.read by the org authorization server, whose issuer is
// the shared base URL (keyApp's grants name the node's own URL).
async function app({ dpop = false } = {}) {
  const created = await keyApp(a.url, a.adminToken, { role: dpop ? 'READ_ONLY_ADMIN' : undefined, dpop });
  const grant = await raw(`${a.url}/api/v1/apps/${created.id}/grants`, {
    method: 'POST', token: a.adminToken, body: { issuer: BASE, scopeId: 'okta.groups.read' },
  });
  assert.equal(grant.status, 201, grant.text);
  return created;
}

function assertionRequest(node, assertion, headers = {}) {
  return formPost(tokenAt(node), {
    grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion,
  }, { headers });
}

it('a client assertion used on node A is refused on node B', { skip }, async () => {
  const client = apps.replay;
  const assertion = await signAssertion(client.key, client.clientId, TOKEN);
  const first = await assertionRequest(a, assertion);
  assert.equal(first.status, 200, first.text);
  assertOAuthError(await assertionRequest(b, assertion), 401, 'invalid_client');
  assertOAuthError(await assertionRequest(a, assertion), 401, 'invalid_client');
  // A fresh assertion is welcome on B: B knows the app and refuses only the replay.
  assert.equal((await assertionRequest(b, await signAssertion(client.key, client.clientId, TOKEN))).status, 200);
});

it('a DPoP proof used on node A is refused on node B, at the token endpoint and at /api/v1', { skip }, async () => {
  const client = apps.dpop;
  const sign = () => signAssertion(client.key, client.clientId, TOKEN);
  const dance = await assertionRequest(a, await sign(), { DPoP: await dpopProof(client.key, { htu: TOKEN }) });
  assertOAuthError(dance, 400, 'use_dpop_nonce');
  const nonce = dance.headers.get('dpop-nonce');
  const proof = await dpopProof(client.key, { htu: TOKEN, nonce });
  const issued = await assertionRequest(a, await sign(), { DPoP: proof });
  assert.equal(issued.status, 200, issued.text);
  assert.equal(issued.json.token_type, 'DPoP');
  // The same proof with a fresh assertion, on B (B's nonces are A's: one master key).
  const replayed = await assertionRequest(b, await sign(), { DPoP: proof });
  assertOAuthError(replayed, 400, 'invalid_dpop_proof');
  assert.match(replayed.json.error_description, /already been used|replay/i);
  assert.equal((await assertionRequest(b, await sign(), { DPoP: await dpopProof(client.key, { htu: TOKEN, nonce }) })).status, 200);

  const at = issued.json.access_token;
  const groups = `${BASE}/api/v1/groups`;
  const call = (node, p) => raw(`${node.url}/api/v1/groups`, { headers: { Authorization: `DPoP ${at}`, DPoP: p }, lenient: true });
  const resourceProof = await dpopProof(client.key, { htm: 'GET', htu: groups, accessToken: at });
  assert.equal((await call(a, resourceProof)).status, 200);
  const again = await call(b, resourceProof);
  assert.equal(again.status, 400, again.text);
  assert.match(again.headers.get('www-authenticate') ?? '', /invalid_dpop_proof/);
  assert.equal((await call(b, await dpopProof(client.key, { htm: 'GET', htu: groups, accessToken: at }))).status, 200);
});

it('a per-client token limit spread over both nodes stops near the limit, not at twice it', { skip }, async () => {
  const client = apps.limited;
  const REQUESTS = 24; // 12 a node: each node alone would allow its own LIMIT (2 x LIMIT in all)
  const statuses = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const node = i % 2 === 0 ? a : b;
    const r = await assertionRequest(node, await signAssertion(client.key, client.clientId, TOKEN));
    statuses.push(r.status);
    await new Promise((res) => setTimeout(res, 250)); // ~6 s: the nodes add up their use every second
  }
  const ok = statuses.filter((s) => s === 200).length;
  assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 429), [], `only 200 and 429: ${statuses}`);
  // Approximate (issue 18): the limit, plus what the nodes took in about a second before they
  // learnt of each other's use (here at most ~4 requests), plus one refilled token in 6 s.
  assert.ok(ok >= LIMIT && ok <= LIMIT + 5, `accepted ${ok} of ${REQUESTS} with a limit of ${LIMIT}: ${statuses}`);
});

it('introspection scanning spread over both nodes stops near the limit; live tokens are never stopped', { skip }, async () => {
  const introspect = (node, client, token) =>
    formPost(`${node.url}/oauth2/default/v1/introspect`, { token }, { basic: [client.clientId, client.secret] });
  const live = accessTokenOf(await basicToken(`${a.url}/oauth2/default/v1/token`, apps.resourceServer, SCOPE));
  const REQUESTS = 24; // 12 a node: each node alone would answer its own SCAN_LIMIT (2 x SCAN_LIMIT in all)
  const statuses = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const node = i % 2 === 0 ? a : b;
    const r = await introspect(node, apps.scanner, `guess-${i}-${Math.random()}`);
    statuses.push(r.status);
    if (r.status === 200) assert.deepEqual(r.json, { active: false });
    // A resource server introspecting the token its caller holds, on both nodes: never counted.
    const honest = await introspect(i % 2 === 0 ? b : a, apps.resourceServer, live);
    assert.equal(honest.status, 200, honest.text);
    assert.equal(honest.json.active, true);
    await new Promise((res) => setTimeout(res, 250)); // ~6 s: the nodes add up their use every second
  }
  const ok = statuses.filter((s) => s === 200).length;
  assert.deepEqual(statuses.filter((s) => s !== 200 && s !== 429), [], `only 200 and 429: ${statuses}`);
  // Approximate (issue 18): the limit plus what the nodes answered in about a second before they
  // learnt of each other's answers (here at most ~4); a window never refills within its minute.
  assert.ok(ok >= SCAN_LIMIT && ok <= SCAN_LIMIT + 5, `answered ${ok} of ${REQUESTS} with a limit of ${SCAN_LIMIT}: ${statuses}`);
  await new Promise((res) => setTimeout(res, 1_500)); // a round on each node
  for (const node of [a, b]) {
    assertOAuthError(await introspect(node, apps.scanner, 'another-guess'), 429, 'too_many_requests');
    const honest = await introspect(node, apps.resourceServer, live);
    assert.equal(honest.status, 200, honest.text);
    assert.equal(honest.json.active, true);
  }
});

async function cutOff(db, off) {
  await psql(`ALTER DATABASE ${db} ALLOW_CONNECTIONS ${!off}`);
  if (off) await psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'`);
}

it('the ledger out of reach: assertions and proofs are refused with 503, never accepted; then it recovers', { skip }, async () => {
  const client = apps.outage;
  const dpopApp = apps.outageDpop;
  const sign = (x) => signAssertion(x.key, x.clientId, TOKEN);
  assert.equal((await assertionRequest(b, await sign(client))).status, 200);
  const nonce = (await assertionRequest(a, await sign(dpopApp), { DPoP: await dpopProof(dpopApp.key, { htu: TOKEN }) })).headers.get('dpop-nonce');
  const issued = await assertionRequest(a, await sign(dpopApp), { DPoP: await dpopProof(dpopApp.key, { htu: TOKEN, nonce }) });
  assert.equal(issued.status, 200, issued.text);
  const at = issued.json.access_token;
  const groups = `${BASE}/api/v1/groups`;
  const call = async (node) => raw(`${node.url}/api/v1/groups`, {
    headers: { Authorization: `DPoP ${at}`, DPoP: await dpopProof(dpopApp.key, { htm: 'GET', htu: groups, accessToken: at }) },
    lenient: true,
  });
  assert.equal((await call(b)).status, 200);

  const db = databaseOf(a.dataDir);
  await cutOff(db, true);
  try {
    for (const node of [a, b]) {
      const refused = await assertionRequest(node, await sign(client));
      assertOAuthError(refused, 503, 'temporarily_unavailable');
      const api = await call(node);
      assert.equal(api.status, 503, api.text);
      assert.equal(api.json.errorCode, 'E0000010');
    }
    // An SSWS read needs no single-use value: still served from memory.
    assert.equal((await raw(`${b.url}/api/v1/groups`, { token: a.adminToken })).status, 200);
  } finally {
    await cutOff(db, false);
  }
  // Back without a restart (a lost connection is retried after a pause of a second).
  for (const node of [a, b]) {
    let last;
    const deadline = Date.now() + 5_000;
    do {
      last = await assertionRequest(node, await sign(client));
      if (last.status !== 200) await new Promise((r) => setTimeout(r, 200));
    } while (last.status !== 200 && Date.now() < deadline);
    assert.equal(last.status, 200, last.text);
    assert.equal((await call(node)).status, 200);
  }
});
