// API service integrations, vendor side (issue 15): ORG/integrations/api/v1/submissions
// (MGMT-OAS YourOinIntegrations; scopes okta.manifests.*) against the real server: CRUD and
// paging, the server-wide integration key, submit with every missing field named, the status
// lock, the manifests permission, org isolation, the logo upload and its public GET, and the
// System Log events of each change.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it, unique, userBody } from './lib/server.mjs';
import { assertRawError, parseLinks } from './lib/checks.mjs';
import { createOrg } from './lib/oauth.mjs';

let server;
let orgUrl;
let token;
let other; // a second org: {orgUrl, token}
let readOnlyToken;

const subs = (base = orgUrl) => `${base}/integrations/api/v1/submissions`;
const causes = (res) => (res.json?.errorCauses ?? []).map((c) => c.errorSummary);

// The smallest PNG this server accepts: the signature and an IHDR chunk (1x1).
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), Buffer.from([0x1f, 0x15, 0xc4, 0x89]),
]);

function key(prefix = 'acme') {
  return `${prefix}_${unique('k').replace(/[^a-z0-9]/g, '_')}`.slice(0, 64);
}

function complete(logo, id = key()) {
  return {
    id,
    name: 'Acme CRM sync',
    description: 'Keeps Acme CRM contacts in step with your directory.',
    logo,
    appContactDetails: [{ contactType: 'CUSTOMER_SUPPORT', contactValueType: 'EMAIL', contact: 'help@acme.example' }],
    apiService: {
      scopes: [
        { scope: 'okta.users.read', reason: 'Reads users to create CRM contacts' },
        { scope: 'okta.groups.read', reason: 'Maps groups to CRM teams' },
      ],
      configGuideUrl: 'https://acme.example/gatehouse-guide',
    },
  };
}

async function uploadLogo(bytes, { base = orgUrl, tok = token, filename = 'logo.png', type = 'image/png' } = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  const res = await fetch(`${subs(base)}/logo`, { method: 'POST', headers: { Authorization: `SSWS ${tok}`, Accept: 'application/json' }, body: form });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

async function create(body, tok = token, base = orgUrl) {
  return raw(subs(base), { method: 'POST', token: tok, body });
}

async function logsOf(eventType) {
  const q = new URLSearchParams({ filter: `eventType eq "${eventType}"`, limit: '200' });
  const res = await raw(`${orgUrl}/api/v1/logs?${q}`, { token });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  token = server.adminToken;
  const org = await createOrg(orgUrl, token, 'vendortwo');
  other = { orgUrl: org.orgUrl, token: org.token };
  // A READ_ONLY_ADMIN with an API token of its own.
  const u = await raw(`${orgUrl}/api/v1/users?activate=true`, { method: 'POST', token, body: userBody(`${unique('ro')}@example.com`) });
  assert.equal(u.status, 200, u.text);
  const role = await raw(`${orgUrl}/api/v1/users/${u.json.id}/roles`, { method: 'POST', token, body: { type: 'READ_ONLY_ADMIN' } });
  assert.equal(role.status, 201, role.text);
  const t = await raw(`${orgUrl}/api/v1/api-tokens`, { method: 'POST', token, body: { name: 'ro', userId: u.json.id } });
  assert.equal(t.status, 201, t.text);
  readOnlyToken = t.json.token;
});

after(async () => {
  await server?.dispose();
});

it('create (201), get, replace and delete a draft; read-only members are the server\'s', async () => {
  const id = key();
  const res = await create({ id, name: 'Draft one', status: 'PUBLISHED', lastPublished: 'x', _gh: { version: 99 } });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.id, id);
  assert.equal(res.json.name, 'Draft one');
  assert.equal(res.json.status, 'DRAFT');
  assert.equal(res.json.lastUpdatedBy, server.adminUserId);
  assert.match(res.json.lastUpdated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(res.json.lastPublished, undefined);
  assert.equal(res.json._gh, undefined, 'private members are never rendered');

  const got = await raw(`${subs()}/${id}`, { token });
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json, res.json);

  const put = await raw(`${subs()}/${id}`, { method: 'PUT', token, body: { name: 'Draft two', description: 'd' } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.name, 'Draft two');
  assert.equal(put.json.description, 'd');
  assert.equal(put.json.status, 'DRAFT');

  const renamed = await raw(`${subs()}/${id}`, { method: 'PUT', token, body: { id: 'another_key', name: 'x' } });
  assertRawError(renamed, 400, 'E0000001');
  assert.ok(causes(renamed).some((c) => c.startsWith('id:')), renamed.text);

  const del = await raw(`${subs()}/${id}`, { method: 'DELETE', token });
  assert.equal(del.status, 204, del.text);
  assertRawError(await raw(`${subs()}/${id}`, { token }), 404, 'E0000007');
});

it('invalid drafts are 400 E0000001 naming each field', async () => {
  const res = await create({ id: 'Bad-Key', name: 'x'.repeat(65), description: 'd'.repeat(1025),
    apiService: { scopes: [{ scope: 'okta.users.write', reason: 'r' }, { scope: 'openid', reason: 'r' }] } });
  assertRawError(res, 400, 'E0000001');
  const c = causes(res);
  for (const want of ['id:', 'name:', 'description:', 'apiService.scopes[0].scope:', 'apiService.scopes[1].scope:']) {
    assert.ok(c.some((x) => x.startsWith(want)), `${want} in ${res.text}`);
  }
  assertRawError(await create({ name: 'no key' }), 400, 'E0000001');
  assertRawError(await create({ id: key() }), 400, 'E0000001');  // a name is needed even for a draft
});

it('lists with limit and after, Link rel="next" only when another page exists', async () => {
  const ids = [];
  for (let i = 0; i < 5; i += 1) {
    const id = `page_${i}_${key('p')}`.slice(0, 64);
    assert.equal((await create({ id, name: `Paged ${i}` })).status, 201);
    ids.push(id);
  }
  const seen = [];
  let url = `${subs()}?limit=2`;
  let pages = 0;
  while (url) {
    const res = await raw(url, { token });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.length <= 2);
    const links = parseLinks(res.headers.get('link'));
    assert.ok(links.self.startsWith(subs()), links.self);
    seen.push(...res.json.map((s) => s.id));
    url = links.next;
    if (url) assert.ok(url.startsWith(`${subs()}?`) && url.includes('after='), url);
    pages += 1;
    assert.ok(pages < 50);
  }
  for (const id of ids) assert.ok(seen.includes(id), id);
  assert.deepEqual([...seen].sort(), seen, 'in key order');
  assert.equal(new Set(seen).size, seen.length, 'no item twice');
});

it('an integration key is unique across the server: another org gets 400 naming id', async () => {
  const id = key('shared');
  assert.equal((await create({ id, name: 'First' })).status, 201);
  const again = await create({ id, name: 'Second' }, other.token, other.orgUrl);
  assertRawError(again, 400, 'E0000001');
  assert.ok(causes(again).some((c) => c.startsWith('id:')), again.text);
  assertRawError(await create({ id, name: 'Same org' }), 400, 'E0000001');
  // Deleted by its owner, the key is free again, for any org.
  assert.equal((await raw(`${subs()}/${id}`, { method: 'DELETE', token })).status, 204);
  assert.equal((await create({ id, name: 'Second' }, other.token, other.orgUrl)).status, 201);
});

it('one org cannot read, change or submit another org\'s submissions (404)', async () => {
  const id = key('mine');
  assert.equal((await create({ id, name: 'Mine' })).status, 201);
  const base = `${subs(other.orgUrl)}/${id}`;
  assertRawError(await raw(base, { token: other.token }), 404, 'E0000007');
  assertRawError(await raw(base, { method: 'PUT', token: other.token, body: { name: 'x' } }), 404, 'E0000007');
  assertRawError(await raw(base, { method: 'DELETE', token: other.token }), 404, 'E0000007');
  assertRawError(await raw(`${base}/submit`, { method: 'POST', token: other.token }), 404, 'E0000007');
  const list = await raw(subs(other.orgUrl), { token: other.token });
  assert.equal(list.status, 200);
  assert.ok(!list.json.some((s) => s.id === id));
  // And a token of one org is not a credential at another (okta-compat.md, orgs).
  assert.equal((await raw(`${subs(other.orgUrl)}`, { token, lenient: true })).status, 401);
});

it('a READ_ONLY_ADMIN can list and get but not create (403 E0000006)', async () => {
  const id = key('ro');
  assert.equal((await create({ id, name: 'Visible' })).status, 201);
  const list = await raw(subs(), { token: readOnlyToken });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.some((s) => s.id === id));
  assert.equal((await raw(`${subs()}/${id}`, { token: readOnlyToken })).status, 200);
  assertRawError(await create({ id: key('ro'), name: 'Nope' }, readOnlyToken), 403, 'E0000006');
  assertRawError(await raw(`${subs()}/${id}`, { method: 'DELETE', token: readOnlyToken }), 403, 'E0000006');
  assertRawError(await uploadLogo(PNG, { tok: readOnlyToken }), 403, 'E0000006');
});

it('submit: 400 naming every missing field, then 202 → SUBMITTED, which is no longer editable', async () => {
  const id = key('sub');
  assert.equal((await create({ id, name: 'Incomplete', apiService: { scopes: [{ scope: 'okta.users.read' }] } })).status, 201);
  const refused = await raw(`${subs()}/${id}/submit`, { method: 'POST', token });
  assertRawError(refused, 400, 'E0000001');
  const c = causes(refused);
  for (const want of ['description:', 'logo:', 'appContactDetails:', 'apiService.scopes[0].reason:', 'apiService.configGuideUrl:']) {
    assert.ok(c.some((x) => x.startsWith(want)), `${want} in ${refused.text}`);
  }
  assert.ok(!c.some((x) => x.startsWith('name:')), 'the name is there');

  // A logo URL that was not uploaded here, and an http guide, are named too.
  const bad = complete('https://elsewhere.example/logo.png', id);
  bad.apiService.configGuideUrl = 'http://acme.example/guide';
  assert.equal((await raw(`${subs()}/${id}`, { method: 'PUT', token, body: bad })).status, 200);
  const refused2 = await raw(`${subs()}/${id}/submit`, { method: 'POST', token });
  assertRawError(refused2, 400, 'E0000001');
  assert.ok(causes(refused2).some((x) => x.startsWith('logo:')), refused2.text);
  assert.ok(causes(refused2).some((x) => x.startsWith('apiService.configGuideUrl:')), refused2.text);

  const logo = await uploadLogo(PNG);
  assert.equal(logo.status, 201, logo.text);
  assert.equal((await raw(`${subs()}/${id}`, { method: 'PUT', token, body: complete(logo.json.url, id) })).status, 200);
  const ok = await raw(`${subs()}/${id}/submit`, { method: 'POST', token });
  assert.equal(ok.status, 202, ok.text);
  assert.equal(ok.text, '');
  const got = await raw(`${subs()}/${id}`, { token });
  assert.equal(got.json.status, 'SUBMITTED');
  assert.deepEqual(got.json.apiService.scopes.map((s) => s.scope), ['okta.users.read', 'okta.groups.read']);

  for (const [method, url, body] of [['PUT', `${subs()}/${id}`, complete(logo.json.url, id)], ['DELETE', `${subs()}/${id}`],
    ['POST', `${subs()}/${id}/submit`]]) {
    const res = await raw(url, { method, token, body });
    assertRawError(res, 400, 'E0000001');
    assert.ok(causes(res).some((x) => x.startsWith('status:') && x.includes('SUBMITTED')), res.text);
  }
});

it('logo: a PNG is stored and served publicly with nosniff and a CSP that allows nothing', async () => {
  const res = await uploadLogo(PNG);
  assert.equal(res.status, 201, res.text);
  const url = res.json.url;
  assert.equal(res.headers.get('location'), url);
  assert.ok(url.startsWith(`${orgUrl}/integrations/logos/fs0`), url);
  const got = await fetch(url);  // no credentials: catalog logos are public
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'");
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG);
  assert.equal((await raw(`${orgUrl}/integrations/logos/fs0nothere`, { lenient: true })).status, 404);
  // A logo is the vendor org's: another org's URL does not serve it.
  const id = url.slice(url.lastIndexOf('/') + 1);
  assert.equal((await raw(`${other.orgUrl}/integrations/logos/${id}`, { lenient: true })).status, 404);
});

it('logo: not an image, an SVG with script, an empty or too large file are 400 E0000001', async () => {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  const tooLarge = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 + 1 - PNG.length)]);
  const maxSize = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 - PNG.length)]);
  for (const [what, bytes, type] of [['text', Buffer.from('hello, not an image'), 'image/png'], ['svg', svg, 'image/svg+xml'],
    ['empty', Buffer.alloc(0), 'image/png'], ['too large', tooLarge, 'image/png']]) {
    const res = await uploadLogo(bytes, { type });
    assertRawError(res, 400, 'E0000001');
    assert.ok(causes(res).some((c) => c.startsWith('file:')), `${what}: ${res.text}`);
  }
  assert.equal((await uploadLogo(maxSize)).status, 201, 'exactly 1 MiB is accepted');
  const json = await raw(`${subs()}/logo`, { method: 'POST', token, body: { file: 'x' } });
  assertRawError(json, 400, 'E0000001');
});

it('every change is a System Log event naming the actor and the submission', async () => {
  const id = key('log');
  assert.equal((await create({ id, name: 'Logged' })).status, 201);
  assert.equal((await raw(`${subs()}/${id}`, { method: 'PUT', token, body: { name: 'Logged 2' } })).status, 200);
  const logo = await uploadLogo(PNG);
  assert.equal((await raw(`${subs()}/${id}`, { method: 'PUT', token, body: complete(logo.json.url, id) })).status, 200);
  assert.equal((await raw(`${subs()}/${id}/submit`, { method: 'POST', token })).status, 202);
  const other2 = key('log');
  assert.equal((await create({ id: other2, name: 'Gone' })).status, 201);
  assert.equal((await raw(`${subs()}/${other2}`, { method: 'DELETE', token })).status, 204);

  const of = async (type, target) => {
    const events = (await logsOf(type)).filter((e) => e.target?.some((t) => t.id === target));
    assert.ok(events.length >= 1, `${type} for ${target}`);
    for (const e of events) {
      assert.equal(e.actor.id, server.adminUserId);
      assert.equal(e.actor.type, 'User');
    }
    return events;
  };
  const created = await of('oin.submission.create', id);
  assert.equal(created[0].target[0].type, 'OinSubmission');
  assert.equal(created[0].target[0].displayName, 'Logged');
  assert.equal((await of('oin.submission.update', id)).length, 2);
  await of('oin.submission.submit', id);
  await of('oin.submission.delete', other2);
  await of('oin.submission.logo.upload', logo.json.url.slice(logo.json.url.lastIndexOf('/') + 1));
});

it('deleting a submission keyed like another object ("default") leaves that object\'s children', async () => {
  const scopesUrl = `${orgUrl}/api/v1/authorizationServers/default/scopes`;
  const before = await raw(scopesUrl, { token });
  assert.equal(before.status, 200, before.text);
  assert.ok(before.json.length > 0);
  assert.equal((await create({ id: 'default', name: 'Default' })).status, 201);
  assert.equal((await raw(`${subs()}/default`, { method: 'DELETE', token })).status, 204);
  const afterDelete = await raw(scopesUrl, { token });
  assert.deepEqual(afterDelete.json.map((s) => s.id), before.json.map((s) => s.id));
  // And after a restart, from the store; the key index is rebuilt from the store as well.
  const kept = key('kept');
  assert.equal((await create({ id: kept, name: 'Kept' })).status, 201);
  await server.restart();
  orgUrl = server.url;
  other.orgUrl = `${server.url}/o/vendortwo`;
  const reloaded = await raw(`${orgUrl}/api/v1/authorizationServers/default/scopes`, { token });
  assert.deepEqual(reloaded.json.map((s) => s.id), before.json.map((s) => s.id));
  assert.equal((await raw(`${subs()}/${kept}`, { token })).json.name, 'Kept');
  const taken = await create({ id: kept, name: 'Taken' }, other.token, other.orgUrl);
  assertRawError(taken, 400, 'E0000001');
  assert.ok(causes(taken).some((c) => c.startsWith('id:')), taken.text);
});
