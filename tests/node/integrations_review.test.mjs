// API service integrations, operator side and catalog (issue 15) against the real server, over
// two orgs made with the org creator API: the vendor drafts and submits; the operator (a
// SUPER_ADMIN of the first org) lists, sees the scope diff, rejects with a comment; the vendor
// reads the comment, edits, resubmits; the operator approves; the customer org's catalog shows
// it; version 2 adds a scope, the operator sees the diff and approves; unpublish removes it from
// the catalog. A vendor-org super admin cannot review. Every step is a System Log event.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it, unique } from './lib/server.mjs';
import { assertRawError, parseLinks } from './lib/checks.mjs';
import { createOrg, keyApp, orgToken, bearer } from './lib/oauth.mjs';

let server;
let op;      // the operator: {orgUrl, token} of the first org
let vendor;  // {orgUrl, token}
let customer;

const subs = (o) => `${o.orgUrl}/integrations/api/v1/submissions`;
const queue = (o = op) => `${o.orgUrl}/api/v1/review/submissions`;
const catalog = (o) => `${o.orgUrl}/api/v1/catalog/integrations`;
const causes = (res) => (res.json?.errorCauses ?? []).map((c) => c.errorSummary);

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), Buffer.from([0x1f, 0x15, 0xc4, 0x89]),
]);

async function uploadLogo(o) {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
  const res = await fetch(`${subs(o)}/logo`, { method: 'POST', headers: { Authorization: `SSWS ${o.token}`, Accept: 'application/json' }, body: form });
  assert.equal(res.status, 201);
  return (await res.json()).url;
}

function body(id, logo, { name = 'Acme Directory Sync', scopes }) {
  return {
    id,
    name,
    description: 'Keeps the Acme directory in step with yours.',
    logo,
    appContactDetails: [{ contactType: 'CUSTOMER_SUPPORT', contactValueType: 'EMAIL', contact: 'help@acme.example' }],
    apiService: { scopes, configGuideUrl: 'https://acme.example/guide' },
  };
}
const USERS = { scope: 'okta.users.read', reason: 'Reads users to create Acme accounts' };
const GROUPS = { scope: 'okta.groups.read', reason: 'Maps groups to Acme teams' };

async function call(o, url, { method = 'GET', body: b } = {}) {
  return raw(url, { method, token: o.token, body: b });
}
async function must(o, url, opts = {}, status = 200) {
  const res = await call(o, url, opts);
  assert.equal(res.status, status, `${opts.method ?? 'GET'} ${url}: ${res.text}`);
  return res.json;
}
async function eventsOf(o, prefix = 'oin.submission.') {
  const q = new URLSearchParams({ since: '2000-01-01T00:00:00Z', limit: '1000' });
  const res = await raw(`${o.orgUrl}/api/v1/logs?${q}`, { token: o.token });
  assert.equal(res.status, 200, res.text);
  return res.json.filter((e) => e.eventType.startsWith(prefix));
}

before(async () => {
  server = await startServer();
  op = { orgUrl: server.url, token: server.adminToken };
  const v = await createOrg(op.orgUrl, op.token, 'acmevendor');
  vendor = { orgUrl: v.orgUrl, token: v.token };
  const c = await createOrg(op.orgUrl, op.token, 'bigcustomer');
  customer = { orgUrl: c.orgUrl, token: c.token };
});

after(async () => {
  await server?.dispose();
});

it('review, versions and catalog end to end over two orgs', async () => {
  const id = `acme_${unique('k').replace(/[^a-z0-9]/g, '_')}`.slice(0, 64);
  const logo = await uploadLogo(vendor);

  // The vendor drafts and submits.
  await must(vendor, subs(vendor), { method: 'POST', body: body(id, logo, { scopes: [USERS] }) }, 201);
  await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);

  // Nobody but the operator reviews: a super admin of another org gets 403 on its own org (and
  // its token means nothing on the first org: 401).
  for (const [who, url] of [[vendor, queue(vendor)], [customer, queue(customer)]]) {
    assertRawError(await call(who, url), 403, 'E0000006');
    assertRawError(await call(who, `${url}/${id}/approve`, { method: 'POST' }), 403, 'E0000006');
  }
  assertRawError(await call(vendor, `${queue(op)}/${id}/approve`, { method: 'POST' }), 401, 'E0000011');

  // The operator lists the queue (SUBMITTED by default) and sees the diff: all added.
  const list = await must(op, queue());
  const entry = list.find((e) => e.id === id);
  assert.ok(entry, JSON.stringify(list));
  assert.equal(entry.status, 'SUBMITTED');
  assert.equal(entry.vendorOrg.url, vendor.orgUrl);
  assert.equal(entry.published, null);
  assert.deepEqual(entry.scopeDiff, { added: ['okta.users.read'], removed: [], unchanged: [] });
  assert.equal(entry.submission.name, 'Acme Directory Sync');

  // A reject needs a comment; the vendor reads it.
  const bare = await call(op, `${queue()}/${id}/reject`, { method: 'POST', body: {} });
  assertRawError(bare, 400, 'E0000001');
  assert.ok(causes(bare).some((c) => c.startsWith('comment:')), bare.text);
  const rejected = await must(op, `${queue()}/${id}/reject`, { method: 'POST', body: { comment: 'Say why you read users.' } });
  assert.equal(rejected.status, 'REJECTED');
  const comments = await must(vendor, `${subs(vendor)}/${id}/comments`);
  assert.equal(comments.length, 1);
  assert.equal(comments[0].comment, 'Say why you read users.');
  assert.equal(comments[0].action, 'REJECTED');
  assert.equal(comments[0].author, server.adminUserId);
  assert.match(comments[0].created, /^\d{4}-\d\d-\d\dT/);

  // The vendor edits and resubmits; the operator approves; the customer's catalog shows it.
  await must(vendor, `${subs(vendor)}/${id}`, { method: 'PUT', body: body(id, logo, { scopes: [USERS], name: 'Acme Sync' }) });
  await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);
  const approved = await must(op, `${queue()}/${id}/approve`, { method: 'POST' });
  assert.equal(approved.status, 'PUBLISHED');
  assert.equal(approved.published.version, 1);
  const cat = await must(customer, catalog(customer));
  const item = cat.find((e) => e.id === id);
  assert.deepEqual(item, {
    id, name: 'Acme Sync', description: 'Keeps the Acme directory in step with yours.', logo,
    configGuideUrl: 'https://acme.example/guide', scopes: [USERS], version: 1,
    publishedAt: approved.published.publishedAt, vendor: 'acmevendor Inc.',
  });
  assert.deepEqual(await must(customer, `${catalog(customer)}/${id}`), item);
  assert.equal((await must(customer, `${catalog(customer)}?q=ACME%20sync`)).filter((e) => e.id === id).length, 1);
  assert.equal((await must(customer, `${catalog(customer)}?q=nothing-like-it`)).length, 0);

  // PUBLISHED is not edited in place.
  assertRawError(await call(vendor, `${subs(vendor)}/${id}`, { method: 'PUT', body: { name: 'x' } }), 400, 'E0000001');
  assertRawError(await call(vendor, `${subs(vendor)}/${id}`, { method: 'DELETE' }), 400, 'E0000001');

  // Version 2 adds a scope: a POST of the same id starts a DRAFT; the catalog still shows v1.
  const v2 = await must(vendor, subs(vendor), { method: 'POST', body: body(id, logo, { scopes: [USERS, GROUPS], name: 'Acme Sync' }) }, 201);
  assert.equal(v2.status, 'DRAFT');
  assert.equal(v2.lastPublished, approved.submission.lastPublished);
  assertRawError(await call(customer, subs(customer), { method: 'POST', body: body(id, logo, { scopes: [USERS] }) }), 400, 'E0000001');
  assert.deepEqual((await must(customer, `${catalog(customer)}/${id}`)).scopes, [USERS]);
  await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);
  const review = await must(op, `${queue()}/${id}`);
  assert.deepEqual(review.scopeDiff, { added: ['okta.groups.read'], removed: [], unchanged: ['okta.users.read'] });
  assert.equal(review.published.version, 1);
  const approved2 = await must(op, `${queue()}/${id}/approve`, { method: 'POST', body: { comment: 'v2 ok' } });
  assert.equal(approved2.published.version, 2);
  const item2 = await must(customer, `${catalog(customer)}/${id}`);
  assert.equal(item2.version, 2);
  assert.deepEqual(item2.scopes, [USERS, GROUPS]);

  // Unpublish: out of the catalog.
  await must(op, `${queue()}/${id}/unpublish`, { method: 'POST', body: { revokeInstalls: false } });
  assertRawError(await call(customer, `${catalog(customer)}/${id}`), 404, 'E0000007');
  assert.equal((await must(customer, catalog(customer))).filter((e) => e.id === id).length, 0);
  const after = await must(op, `${queue()}/${id}`);
  assert.equal(after.published.listed, false);
  assert.equal(after.published.revoked, false);

  // Every operator step is an event in the vendor's log and in the operator's.
  const want = ['oin.submission.reject', 'oin.submission.approve', 'oin.submission.approve', 'oin.submission.unpublish'];
  for (const o of [vendor, op]) {
    const evs = (await eventsOf(o)).filter((e) => ['reject', 'approve', 'unpublish'].some((s) => e.eventType.endsWith(s)));
    assert.deepEqual(evs.map((e) => e.eventType), want);
    for (const e of evs) {
      assert.equal(e.actor.id, server.adminUserId);
      assert.ok(e.target.some((t) => t.type === 'OinSubmission' && t.id === id), JSON.stringify(e.target));
      assert.ok(e.target.some((t) => t.type === 'Org'), JSON.stringify(e.target));
      assert.ok(Array.isArray(e.debugContext.debugData.scopes), JSON.stringify(e.debugContext));
    }
  }
});

it('catalog paging follows next links; the queue filters by status', async () => {
  const logo = await uploadLogo(vendor);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const id = `page_${i}_${unique('p').replace(/[^a-z0-9]/g, '_')}`.slice(0, 64);
    ids.push(id);
    await must(vendor, subs(vendor), { method: 'POST', body: body(id, logo, { scopes: [USERS], name: `Pager ${i}` }) }, 201);
    await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);
    await must(op, `${queue()}/${id}/approve`, { method: 'POST' });
  }
  const seen = [];
  let url = `${catalog(customer)}?q=pager&limit=2`;
  for (let n = 0; url && n < 5; n++) {
    const res = await call(customer, url);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json.map((e) => e.id));
    url = parseLinks(res.headers.get('link')).next;
  }
  assert.deepEqual(seen, [...ids].sort());
  const published = await must(op, `${queue()}?status=PUBLISHED&limit=200`);
  for (const id of ids) assert.ok(published.some((e) => e.id === id));
  assert.equal((await must(op, queue())).filter((e) => ids.includes(e.id)).length, 0);
  assertRawError(await call(op, `${queue()}?status=LIVE`), 400, 'E0000001');
});

it('an OAuth service app of the first org with SUPER_ADMIN reviews; one of another org does not', async () => {
  const scope = 'okta.manifests.read';
  const opApp = await keyApp(op.orgUrl, op.token, { scopes: [scope], role: 'SUPER_ADMIN' });
  const at = await orgToken(op.orgUrl, opApp, scope);
  const ok = await bearer(queue(), at);
  assert.equal(ok.status, 200, ok.text);
  const vendorApp = await keyApp(vendor.orgUrl, vendor.token, { scopes: [scope], role: 'SUPER_ADMIN' });
  const vat = await orgToken(vendor.orgUrl, vendorApp, scope);
  assertRawError(await bearer(queue(vendor), vat), 403, 'E0000006');
  // The catalog needs okta.oauthIntegrations.read: a token without it gets insufficient_scope.
  const noScope = await bearer(catalog(op), at);
  assert.equal(noScope.status, 403, noScope.text);
});
