// Admin roles and the API tokens that act with them: a role change, a deactivated or
// suspended owner and a revocation all take effect on the next request
// (okta-compat.md §3 SSWS, §5 Role assignment; issue 2 "API token semantics").
import assert from 'node:assert/strict';
import { before, after, describe } from 'node:test';
import { startServer, raw, rejection, collectAll, it, userBody, client } from './lib/server.mjs';
import { assertOktaError, assertRawError } from './lib/checks.mjs';
import { keyApp, orgToken, bearer } from './lib/oauth.mjs';

let server;
let admin; // SDK client with the SUPER_ADMIN's token

before(async () => {
  server = await startServer();
  admin = server.client();
});

after(async () => {
  await server?.dispose();
});

// Creates an API token for userId with the super admin's token (Gatehouse extension, §11.10).
async function tokenFor(userId, name = `token for ${userId}`) {
  const res = await raw(`${server.url}/api/v1/api-tokens`, {
    method: 'POST',
    token: server.adminToken,
    body: { name, userId },
  });
  assert.equal(res.status, 201, `create token: ${res.text}`);
  assert.equal(typeof res.json.token, 'string');
  assert.equal(res.json.userId, userId);
  return res.json;
}

async function assign(userId, type) {
  return admin.roleAssignmentApi.assignRoleToUser({ userId, assignRoleRequest: { type } });
}

async function assertUnauthorized(promise) {
  const err = await rejection(promise);
  assertOktaError(err, 401, 'E0000011');
  const challenge = err.headers?.get?.('www-authenticate');
  assert.ok(challenge, 'a 401 carries WWW-Authenticate');
}

describe('role assignment', () => {
  let bob;
  let bobApi; // SDK client with bob's token
  let bobToken;
  let readOnly;
  let userAdmin;

  before(async () => {
    bob = await admin.userApi.createUser({ body: userBody('bob@example.com', { firstName: 'Bob' }) });
    const t = await tokenFor(bob.id, 'bob');
    bobToken = t.token;
    bobApi = client(server.url, t.token);
  });

  it('a user without roles gets 403 E0000006 with its own token', async () => {
    assertOktaError(await rejection(collectAll(bobApi.groupApi.listGroups())), 403, 'E0000006');
  });

  it('assigns READ_ONLY_ADMIN (201) and lists it', async () => {
    const res = await raw(`${server.url}/api/v1/users/${bob.id}/roles`, {
      method: 'POST',
      token: server.adminToken,
      body: { type: 'READ_ONLY_ADMIN' },
    });
    assert.equal(res.status, 201, res.text);
    readOnly = res.json;
    assert.equal(readOnly.type, 'READ_ONLY_ADMIN');
    assert.equal(readOnly.status, 'ACTIVE');
    assert.equal(readOnly.assignmentType, 'USER');
    assert.match(readOnly.id, /^(ra|irb)[0-9A-Za-z]+$/, `role assignment id ${readOnly.id}`);
    assert.ok(readOnly._links, '_links present');
    assert.equal(typeof readOnly.label, 'string');

    const roles = await collectAll(admin.roleAssignmentApi.listAssignedRolesForUser({ userId: bob.id }));
    assert.deepEqual(roles.map((r) => r.type), ['READ_ONLY_ADMIN']);
    const one = await admin.roleAssignmentApi.getUserAssignedRole({ userId: bob.id, roleId: readOnly.id });
    assert.equal(one.id, readOnly.id);
    assert.equal(one.type, 'READ_ONLY_ADMIN');
  });

  it('the token now reads but cannot write (403 E0000006)', async () => {
    const list = await collectAll(bobApi.groupApi.listGroups());
    assert.ok(list.some((g) => g.profile.name === 'Everyone'));
    const err = await rejection(bobApi.groupApi.createGroup({ group: { profile: { name: 'Bob was here' } } }));
    assertOktaError(err, 403, 'E0000006');
    const q = await collectAll(admin.groupApi.listGroups({ q: 'Bob was' }));
    assert.deepEqual(q, [], 'the refused write did not happen');
    // Authorization is decided before the body is validated (okta-compat.md §11.4).
    const bad = await raw(`${server.url}/api/v1/groups`, {
      method: 'POST',
      token: bobToken,
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    assertRawError(bad, 403, 'E0000006');
  });

  it('a read-only admin cannot raise its own roles', async () => {
    const err = await rejection(
      bobApi.roleAssignmentApi.assignRoleToUser({ userId: bob.id, assignRoleRequest: { type: 'SUPER_ADMIN' } }),
    );
    assertOktaError(err, 403, 'E0000006');
  });

  it('a read-only admin cannot mint a token for another user', async () => {
    const res = await raw(`${server.url}/api/v1/api-tokens`, {
      method: 'POST',
      token: bobToken,
      body: { name: 'steal', userId: server.adminUserId },
    });
    assertRawError(res, 403, 'E0000006');
  });

  it('assigning USER_ADMIN lets the same token create a user on the next request', async () => {
    userAdmin = await assign(bob.id, 'USER_ADMIN');
    assert.equal(userAdmin.type, 'USER_ADMIN');
    const u = await bobApi.userApi.createUser({ body: userBody('made-by-bob@example.com', { firstName: 'Made' }) });
    assert.equal(u.profile.login, 'made-by-bob@example.com');
    // Okta's Group Administrator cannot create or delete groups (issue 20).
    assertOktaError(
      await rejection(bobApi.groupApi.createGroup({ group: { profile: { name: 'Bob made this' } } })),
      403,
      'E0000006',
    );
  });

  it('an unknown role type is 400 E0000001', async () => {
    const err = await rejection(assign(bob.id, 'EMPEROR'));
    assertOktaError(err, 400, 'E0000001');
  });

  it('unassigning USER_ADMIN refuses the next write with 403', async () => {
    await admin.roleAssignmentApi.unassignRoleFromUser({ userId: bob.id, roleId: userAdmin.id });
    const err = await rejection(bobApi.userApi.createUser({ body: userBody('bob-again@example.com') }));
    assertOktaError(err, 403, 'E0000006');
    assertOktaError(
      await rejection(admin.roleAssignmentApi.getUserAssignedRole({ userId: bob.id, roleId: userAdmin.id })),
      404,
      'E0000007',
    );
  });

  it('unassigning the last role refuses the next read with 403', async () => {
    await admin.roleAssignmentApi.unassignRoleFromUser({ userId: bob.id, roleId: readOnly.id });
    assertOktaError(await rejection(collectAll(bobApi.groupApi.listGroups())), 403, 'E0000006');
    const roles = await collectAll(admin.roleAssignmentApi.listAssignedRolesForUser({ userId: bob.id }));
    assert.deepEqual(roles, []);
  });
});

// Okta's Group Membership Administrator: views users and groups, adds and removes members, and
// cannot create, rename or delete groups (issue 20; permissions.cpp).
describe('GROUP_MEMBERSHIP_ADMIN', () => {
  let gmaApi;
  let gmaToken;
  let team;
  let member;

  before(async () => {
    const gma = await admin.userApi.createUser({ body: userBody('gma@example.com', { firstName: 'Gma' }) });
    await assign(gma.id, 'GROUP_MEMBERSHIP_ADMIN');
    gmaToken = (await tokenFor(gma.id, 'gma')).token;
    gmaApi = client(server.url, gmaToken);
    team = await admin.groupApi.createGroup({ group: { profile: { name: 'Membership team' } } });
    member = await admin.userApi.createUser({ body: userBody('member@example.com', { firstName: 'Mem' }) });
  });

  it('adds and removes a member with its API token', async () => {
    await gmaApi.groupApi.assignUserToGroup({ groupId: team.id, userId: member.id });
    let members = await collectAll(admin.groupApi.listGroupUsers({ groupId: team.id }));
    assert.deepEqual(members.map((u) => u.id), [member.id]);
    await gmaApi.groupApi.unassignUserFromGroup({ groupId: team.id, userId: member.id });
    members = await collectAll(admin.groupApi.listGroupUsers({ groupId: team.id }));
    assert.deepEqual(members, []);
  });

  it('reads users and groups', async () => {
    assert.equal((await gmaApi.groupApi.getGroup({ groupId: team.id })).id, team.id);
    assert.equal((await gmaApi.userApi.getUser({ userId: member.id })).id, member.id);
  });

  it('creating, renaming or deleting a group is 403 E0000006, and nothing changes', async () => {
    assertOktaError(
      await rejection(gmaApi.groupApi.createGroup({ group: { profile: { name: 'Not allowed' } } })),
      403,
      'E0000006',
    );
    const rename = await raw(`${server.url}/api/v1/groups/${team.id}`, {
      method: 'PUT',
      token: gmaToken,
      body: { profile: { name: 'Renamed' } },
    });
    assertRawError(rename, 403, 'E0000006');
    assertRawError(await raw(`${server.url}/api/v1/groups/${team.id}`, { method: 'DELETE', token: gmaToken }), 403, 'E0000006');
    const groups = await collectAll(admin.groupApi.listGroups());
    assert.ok(!groups.some((g) => g.profile.name === 'Not allowed'), 'no group created');
    assert.equal((await admin.groupApi.getGroup({ groupId: team.id })).profile.name, 'Membership team');
  });

  it('as a service app\'s role: membership needs okta.groups.manage, creating a group the role too', async () => {
    const app = await keyApp(server.url, server.adminToken, {
      scopes: ['okta.groups.read', 'okta.groups.manage'],
      role: 'GROUP_MEMBERSHIP_ADMIN',
    });
    const url = `${server.url}/api/v1/groups/${team.id}/users/${member.id}`;
    const readOnly = await orgToken(server.url, app, 'okta.groups.read');
    const refused = await bearer(url, readOnly, { method: 'PUT' });
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.headers.get('www-authenticate') ?? '', /scope="okta\.groups\.manage"/);
    const manage = await orgToken(server.url, app, 'okta.groups.manage');
    assert.equal((await bearer(url, manage, { method: 'PUT' })).status, 204);
    assert.equal((await bearer(url, manage, { method: 'DELETE' })).status, 204);
    const create = await bearer(`${server.url}/api/v1/groups`, manage, { method: 'POST', body: { profile: { name: 'Nope' } } });
    assertRawError(create, 403, 'E0000006');
  });

  it('cannot manage users', async () => {
    assertOktaError(await rejection(gmaApi.userApi.createUser({ body: userBody('nope@example.com') })), 403, 'E0000006');
  });
});

describe('token owner status', () => {
  it('deactivating the owner refuses its token with 401 E0000011; reactivating does not revive it', async () => {
    const carol = await admin.userApi.createUser({ body: userBody('carol@example.com') });
    await assign(carol.id, 'READ_ONLY_ADMIN');
    const t = await tokenFor(carol.id, 'carol');
    const carolApi = client(server.url, t.token);
    assert.ok((await collectAll(carolApi.groupApi.listGroups())).length >= 1);

    await admin.userApi.deactivateUser({ userId: carol.id });
    await assertUnauthorized(collectAll(carolApi.groupApi.listGroups()));

    await admin.userApi.activateUser({ userId: carol.id, sendEmail: false });
    assert.equal((await admin.userApi.getUser({ userId: carol.id })).status, 'ACTIVE');
    await assertUnauthorized(collectAll(carolApi.groupApi.listGroups()));
  });

  it('suspending the owner refuses its token with 401 E0000011', async () => {
    const dan = await admin.userApi.createUser({ body: userBody('dan@example.com') });
    await assign(dan.id, 'READ_ONLY_ADMIN');
    const t = await tokenFor(dan.id, 'dan');
    const danApi = client(server.url, t.token);
    assert.ok((await collectAll(danApi.groupApi.listGroups())).length >= 1);
    await admin.userApi.suspendUser({ userId: dan.id });
    await assertUnauthorized(collectAll(danApi.groupApi.listGroups()));
  });

  it('deleting the owner refuses its token with 401 E0000011', async () => {
    const eve = await admin.userApi.createUser({ body: userBody('eve@example.com') });
    await assign(eve.id, 'READ_ONLY_ADMIN');
    const t = await tokenFor(eve.id, 'eve');
    const eveApi = client(server.url, t.token);
    assert.ok((await collectAll(eveApi.groupApi.listGroups())).length >= 1);
    await admin.userApi.deleteUser({ userId: eve.id }); // the first DELETE deactivates
    await assertUnauthorized(collectAll(eveApi.groupApi.listGroups()));
    await admin.userApi.deleteUser({ userId: eve.id });
    await assertUnauthorized(collectAll(eveApi.groupApi.listGroups()));
    const tokens = await collectAll(admin.apiTokenApi.listApiTokens());
    assert.ok(!tokens.some((x) => x.id === t.id), "a deleted user's token is not listed");
  });
});

describe('revocation', () => {
  it('apiTokenApi.revokeApiToken refuses the next request with 401', async () => {
    const frank = await admin.userApi.createUser({ body: userBody('frank@example.com') });
    await assign(frank.id, 'READ_ONLY_ADMIN');
    const t = await tokenFor(frank.id, 'frank');
    const frankApi = client(server.url, t.token);
    assert.ok((await collectAll(frankApi.userApi.listUsers())).length >= 1);
    await admin.apiTokenApi.revokeApiToken({ apiTokenId: t.id });
    await assertUnauthorized(collectAll(frankApi.userApi.listUsers()));
    // The revoked token is gone (§11.11).
    assertOktaError(await rejection(admin.apiTokenApi.getApiToken({ apiTokenId: t.id })), 404, 'E0000007');
  });

  it("a read-only admin cannot revoke another user's token (403 E0000006)", async () => {
    const gina = await admin.userApi.createUser({ body: userBody('gina@example.com') });
    await assign(gina.id, 'READ_ONLY_ADMIN');
    const t = await tokenFor(gina.id, 'gina');
    const spare = await tokenFor(server.adminUserId, 'spare admin token');
    const ginaApi = client(server.url, t.token);
    const err = await rejection(ginaApi.apiTokenApi.revokeApiToken({ apiTokenId: spare.id }));
    assertOktaError(err, 403, 'E0000006');
    const still = await raw(`${server.url}/api/v1/groups?limit=1`, { token: spare.token });
    assert.equal(still.status, 200, 'the spare token still works');
    assert.ok((await collectAll(ginaApi.groupApi.listGroups())).length >= 1, "gina's token still works");
  });
});
