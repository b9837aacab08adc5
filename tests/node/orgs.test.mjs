// A second org through Okta's org creator API (POST /api/v1/orgs), and the isolation of
// credentials between orgs (issue 2 "Orgs", "A token of one org gets 401 at every other org").
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, rejection, collectAll, it, userBody, client } from './lib/server.mjs';
import { assertOktaError, assertRawError, assertOktaId, parseLinks } from './lib/checks.mjs';

let server;
let acme; // the 201 body

function orgBody(subdomain, login) {
  return {
    subdomain,
    name: `${subdomain} Inc.`,
    website: `https://${subdomain}.example`,
    edition: 'SKU',
    okta: {
      user: {
        profile: { firstName: 'Ada', lastName: 'Admin', email: login, login },
        credentials: { password: { value: 'Another-Long-Passw0rd!' } },
      },
    },
  };
}

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.dispose();
});

it('POST /api/v1/orgs creates an org: 201 with token, tokenType SSWS and orgUrl', async () => {
  const res = await raw(`${server.url}/api/v1/orgs`, {
    method: 'POST',
    token: server.adminToken,
    body: orgBody('acme', 'ada@acme.example'),
  });
  assert.equal(res.status, 201, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  acme = res.json;
  assert.equal(typeof acme.token, 'string');
  assert.equal(acme.tokenType, 'SSWS');
  assert.equal(acme.orgUrl, `${server.url}/o/acme`);
  assertOktaId(acme.id, '00o');
  if ('subdomain' in acme) assert.equal(acme.subdomain, 'acme');
  assert.ok(!res.text.includes('Another-Long-Passw0rd!'), 'the password is not echoed');
});

it("the new org's token works there, through the SDK", async () => {
  const c = client(acme.orgUrl, acme.token);
  const me = await c.userApi.getUser({ userId: 'me' });
  assert.equal(me.profile.login, 'ada@acme.example');
  assert.equal(me.status, 'ACTIVE');
  assertOktaId(me.id, '00u');
  assert.equal(me._links.self.href, `${acme.orgUrl}/api/v1/users/${me.id}`);

  const groups = await collectAll(c.groupApi.listGroups());
  assert.deepEqual(groups.map((g) => [g.profile.name, g.type]), [['Everyone', 'BUILT_IN']]);
  const members = await collectAll(c.groupApi.listGroupUsers({ groupId: groups[0].id }));
  assert.deepEqual(members.map((m) => m.id), [me.id]);

  const roles = await collectAll(c.roleAssignmentApi.listAssignedRolesForUser({ userId: me.id }));
  assert.deepEqual(roles.map((r) => r.type), ['SUPER_ADMIN']);
});

it("the new org's token gets 401 E0000011 at the first org", async () => {
  assertRawError(await raw(`${server.url}/api/v1/groups`, { token: acme.token }), 401, 'E0000011');
  const c = client(server.url, acme.token);
  assertOktaError(await rejection(c.userApi.getUser({ userId: 'me' })), 401, 'E0000011');
});

it("the first org's token gets 401 E0000011 at the new org", async () => {
  assertRawError(await raw(`${acme.orgUrl}/api/v1/groups`, { token: server.adminToken }), 401, 'E0000011');
  const c = client(acme.orgUrl, server.adminToken);
  assertOktaError(await rejection(collectAll(c.groupApi.listGroups())), 401, 'E0000011');
});

it('objects are per org: same names allowed, nothing leaks across', async () => {
  const first = server.client();
  const second = client(acme.orgUrl, acme.token);
  const g1 = await first.groupApi.createGroup({ group: { profile: { name: 'Shared Name' } } });
  const g2 = await second.groupApi.createGroup({ group: { profile: { name: 'Shared Name' } } });
  assert.notEqual(g1.id, g2.id);
  assert.equal(g2._links.self.href, `${acme.orgUrl}/api/v1/groups/${g2.id}`);
  assertOktaError(await rejection(first.groupApi.getGroup({ groupId: g2.id })), 404, 'E0000007');
  assertOktaError(await rejection(second.groupApi.getGroup({ groupId: g1.id })), 404, 'E0000007');

  // The same login may exist in both orgs.
  const u1 = await first.userApi.createUser({ body: userBody('same@example.com') });
  const u2 = await second.userApi.createUser({ body: userBody('same@example.com') });
  assert.notEqual(u1.id, u2.id);
  assert.equal((await second.userApi.getUser({ userId: 'same@example.com' })).id, u2.id);
  assertOktaError(await rejection(second.userApi.getUser({ userId: u1.id })), 404, 'E0000007');
  assertOktaError(
    await rejection(second.groupApi.assignUserToGroup({ groupId: g2.id, userId: u1.id })),
    404,
    'E0000007',
  );
});

it("the new org's Link headers carry its prefix", async () => {
  const second = client(acme.orgUrl, acme.token);
  await second.userApi.createUser({ body: userBody('pager@acme.example') });
  const res = await raw(`${acme.orgUrl}/api/v1/users?limit=1`, { token: acme.token });
  assert.equal(res.status, 200);
  const links = parseLinks(res.headers.get('link'));
  assert.ok(links.self?.startsWith(`${acme.orgUrl}/api/v1/users`), links.self);
  assert.ok(links.next?.startsWith(`${acme.orgUrl}/api/v1/users?`), links.next);
  const all = await collectAll(second.userApi.listUsers({ limit: 1 }));
  assert.ok(all.length >= 3);
});

it('an org URL with a trailing slash works (the SDK then sends //api/v1)', async () => {
  const c = client(`${acme.orgUrl}/`, acme.token);
  const me = await c.userApi.getUser({ userId: 'me' });
  assert.equal(me.profile.login, 'ada@acme.example');
});

it('a taken subdomain is refused with a 4xx envelope', async () => {
  const res = await raw(`${server.url}/api/v1/orgs`, {
    method: 'POST',
    token: server.adminToken,
    body: orgBody('acme', 'other@acme.example'),
  });
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  assert.match(res.json?.errorCode ?? '', /^E\d{7}$/);
});

it('an invalid subdomain is 400 E0000001', async () => {
  for (const subdomain of ['', 'Bad Name', '../x', 'a/b']) {
    const res = await raw(`${server.url}/api/v1/orgs`, {
      method: 'POST',
      token: server.adminToken,
      body: orgBody(subdomain, 'x@y.example'),
    });
    assertRawError(res, 400, 'E0000001');
  }
});

it('only a SUPER_ADMIN of the first org may create orgs', async () => {
  // The new org's super admin cannot.
  const fromAcme = await raw(`${acme.orgUrl}/api/v1/orgs`, {
    method: 'POST',
    token: acme.token,
    body: orgBody('nested', 'n@nested.example'),
  });
  assert.ok(fromAcme.status === 403 || fromAcme.status === 404, `status ${fromAcme.status}: ${fromAcme.text}`);

  // A read-only admin of the first org cannot.
  const admin = server.client();
  const u = await admin.userApi.createUser({ body: userBody('reader@example.com') });
  await admin.roleAssignmentApi.assignRoleToUser({ userId: u.id, assignRoleRequest: { type: 'READ_ONLY_ADMIN' } });
  const t = await raw(`${server.url}/api/v1/api-tokens`, {
    method: 'POST',
    token: server.adminToken,
    body: { name: 'reader', userId: u.id },
  });
  assert.equal(t.status, 201, t.text);
  const res = await raw(`${server.url}/api/v1/orgs`, {
    method: 'POST',
    token: t.json.token,
    body: orgBody('sneaky', 's@sneaky.example'),
  });
  assertRawError(res, 403, 'E0000006');
  const probe = await raw(`${server.url}/o/sneaky/api/v1/groups`, { token: server.adminToken });
  assert.ok(probe.status === 401 || probe.status === 404, `no sneaky org: ${probe.status}`);
});

it('an unknown org prefix is 404 or 401, never another org', async () => {
  const res = await raw(`${server.url}/o/nosuchorg/api/v1/groups`, { token: acme.token });
  assert.ok(res.status === 404 || res.status === 401, `status ${res.status}`);
  assert.match(res.json?.errorCode ?? '', /^E\d{7}$/);
});
