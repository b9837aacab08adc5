// A second org through Okta's org creator API (POST /api/v1/orgs), and the isolation of
// credentials between orgs (issue 2 "Orgs", "A token of one org gets 401 at every other org").
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, rejection, collectAll, it, userBody, client } from './lib/server.mjs';
import { assertOktaError, assertRawError, assertOktaId, parseLinks } from './lib/checks.mjs';

let server;
let acme; // the first child org, {…ChildOrg, orgUrl}

const ADMIN_PASSWORD = 'Another-Long-Passw0rd!';
const adminProfile = (login) => ({ firstName: 'Ada', lastName: 'Admin', email: login, login });

// The body MGMT-OAS documents (ChildOrg, CreateChildOrgRequestEx) and okta-sdk-nodejs 8.x sends:
// the first admin under `admin: {profile, credentials}`.
function childOrg(subdomain, login) {
  return {
    subdomain,
    name: `${subdomain} Inc.`,
    website: `https://${subdomain}.example`,
    edition: 'SKU',
    admin: { profile: adminProfile(login), credentials: { password: { value: ADMIN_PASSWORD } } },
  };
}

// The older form, still accepted: the first admin under `okta: {user: …}`.
function orgBody(subdomain, login) {
  return {
    subdomain,
    name: `${subdomain} Inc.`,
    website: `https://${subdomain}.example`,
    edition: 'SKU',
    okta: { user: { profile: adminProfile(login), credentials: { password: { value: ADMIN_PASSWORD } } } },
  };
}

const createOrg = (body, token = server.adminToken) =>
  raw(`${server.url}/api/v1/orgs`, { method: 'POST', token, body });

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.dispose();
});

it("POST /api/v1/orgs through the SDK's OrgCreatorApi (admin: {profile, credentials}): 201 ChildOrg", async () => {
  const org = await server.client().orgCreatorApi.createChildOrg({ childOrg: childOrg('acme', 'ada@acme.example') });
  const orgUrl = `${server.url}/o/acme`;
  assertOktaId(org.id, '00o');
  assert.equal(org.subdomain, 'acme');
  assert.equal(org.name, 'acme Inc.');
  assert.equal(org.website, 'https://acme.example');
  assert.equal(org.edition, 'SKU');
  assert.equal(org.status, 'ACTIVE');
  assert.ok(org.created instanceof Date && !Number.isNaN(org.created.getTime()), 'created is a date-time');
  assert.equal(typeof org.token, 'string');
  assert.equal(org.tokenType, 'SSWS');
  // MGMT-OAS CreateChildOrgResponseEx: the org and its first admin, at the new org's URL.
  assert.equal(org._links.organization.href, `${orgUrl}/api/v1/orgs/acme`);
  const admin = await raw(org._links.administrator.href, { token: org.token });
  assert.equal(admin.status, 200, admin.text);
  assert.equal(admin.json.profile.login, 'ada@acme.example');
  assert.equal(org._links.administrator.href, `${orgUrl}/api/v1/users/${admin.json.id}`);
  acme = { ...org, orgUrl };
});

it('the documented form answers orgUrl too, and never echoes the password', async () => {
  const res = await createOrg(childOrg('beta', 'bo@beta.example'));
  assert.equal(res.status, 201, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.json.orgUrl, `${server.url}/o/beta`);
  assert.equal(res.json.tokenType, 'SSWS');
  assert.ok(!res.text.includes(ADMIN_PASSWORD), 'the password is not echoed');
  const me = await raw(`${res.json.orgUrl}/api/v1/users/me`, { token: res.json.token });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.profile.login, 'bo@beta.example');
  assert.equal(res.json._links.administrator.href, `${res.json.orgUrl}/api/v1/users/${me.json.id}`);
});

it('the older okta: {user} form still creates an org: 201 with token, tokenType SSWS and orgUrl', async () => {
  const res = await createOrg(orgBody('legacy', 'lee@legacy.example'));
  assert.equal(res.status, 201, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const org = res.json;
  assertOktaId(org.id, '00o');
  assert.equal(org.subdomain, 'legacy');
  assert.equal(typeof org.token, 'string');
  assert.equal(org.tokenType, 'SSWS');
  assert.equal(org.orgUrl, `${server.url}/o/legacy`);
  assert.equal(org._links.organization.href, `${org.orgUrl}/api/v1/orgs/legacy`);
  assert.ok(!res.text.includes(ADMIN_PASSWORD), 'the password is not echoed');
  const me = await raw(`${org.orgUrl}/api/v1/users/me`, { token: org.token });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.profile.login, 'lee@legacy.example');
  assert.equal(org._links.administrator.href, `${org.orgUrl}/api/v1/users/${me.json.id}`);
});

it('a first admin given in both forms, or incomplete, is 400 E0000001 naming the field', async () => {
  const causes = (res) => res.json.errorCauses.map((c) => c.errorSummary);
  const both = { ...childOrg('twice', 't@twice.example'), okta: orgBody('twice', 't@twice.example').okta };
  const r1 = await createOrg(both);
  assertRawError(r1, 400, 'E0000001');
  assert.ok(causes(r1).some((c) => c.startsWith('admin:')), r1.text);

  const noEmail = childOrg('noemail', 'n@noemail.example');
  delete noEmail.admin.profile.email;
  const r2 = await createOrg(noEmail);
  assertRawError(r2, 400, 'E0000001');
  assert.ok(causes(r2).some((c) => c.startsWith('admin.profile.email')), r2.text);

  const shortPassword = childOrg('short', 's@short.example');
  shortPassword.admin.credentials.password.value = 'short';
  const r3 = await createOrg(shortPassword);
  assertRawError(r3, 400, 'E0000001');
  assert.ok(causes(r3).some((c) => c.startsWith('admin.credentials.password.value')), r3.text);

  const noAdmin = childOrg('noadmin', 'x@noadmin.example');
  delete noAdmin.admin;
  const r4 = await createOrg(noAdmin);
  assertRawError(r4, 400, 'E0000001');
  assert.ok(causes(r4).some((c) => c.startsWith('okta.user.profile')), r4.text);

  assertOktaError(await rejection(server.client().orgCreatorApi.createChildOrg({ childOrg: noEmail })), 400, 'E0000001');
  for (const sub of ['twice', 'noemail', 'short', 'noadmin']) {
    assertRawError(await raw(`${server.url}/o/${sub}/api/v1/groups`, { token: server.adminToken }), 404, 'E0000007');
  }
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

// MGMT-OAS createChildOrg: the subdomain "must be unique"; a refused body is 400 (ErrorApiValidationFailed400).
it('a taken subdomain is 400 E0000001, in either form', async () => {
  for (const body of [orgBody('acme', 'other@acme.example'), childOrg('acme', 'other@acme.example')]) {
    const res = await createOrg(body);
    assertRawError(res, 400, 'E0000001');
    assert.ok(res.json.errorCauses.some((c) => c.errorSummary.startsWith('subdomain:')), res.text);
  }
  // The existing org is untouched: its admin is still the first one.
  const me = await raw(`${acme.orgUrl}/api/v1/users/me`, { token: acme.token });
  assert.equal(me.json.profile.login, 'ada@acme.example');
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
  // MGMT-OAS createChildOrg: 403 ErrorAccessDenied403; only the first org creates orgs.
  assertRawError(fromAcme, 403, 'E0000006');

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
  assertRawError(probe, 404, 'E0000007');  // no sneaky org
});

// There is no resource at an unknown org's URL: 404 E0000007 (§2.1), whoever asks, before any
// credential is looked at; never another org's answer.
it('an unknown org prefix is 404 E0000007, never another org', async () => {
  for (const token of [acme.token, server.adminToken, undefined]) {
    assertRawError(await raw(`${server.url}/o/nosuchorg/api/v1/groups`, { token }), 404, 'E0000007');
  }
});
