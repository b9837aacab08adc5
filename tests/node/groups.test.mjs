// Groups through Okta's Node SDK: CRUD, the BUILT_IN Everyone group, membership
// (okta-compat.md §5 Group, §6; issue 2 "Management API").
import assert from 'node:assert/strict';
import { before, after, describe } from 'node:test';
import { startServer, raw, rejection, collectAll, it, userBody, waitFor } from './lib/server.mjs';
import { assertOktaError, assertOktaId, assertRawError } from './lib/checks.mjs';

let server;
let groups; // client.groupApi
let users; // client.userApi

before(async () => {
  server = await startServer();
  const c = server.client();
  groups = c.groupApi;
  users = c.userApi;
});

after(async () => {
  await server?.dispose();
});

async function everyone() {
  const found = await collectAll(groups.listGroups({ filter: 'type eq "BUILT_IN"' }));
  assert.equal(found.length, 1, 'exactly one BUILT_IN group');
  assert.equal(found[0].profile.name, 'Everyone');
  return found[0];
}

describe('CRUD', () => {
  let eng;

  it('creates a group', async () => {
    eng = await groups.createGroup({ group: { profile: { name: 'Engineering', description: 'Builders' } } });
    assertOktaId(eng.id, '00g');
    assert.equal(eng.type, 'OKTA_GROUP');
    assert.deepEqual(eng.objectClass, ['okta:user_group']);
    assert.equal(eng.profile.name, 'Engineering');
    assert.equal(eng.profile.description, 'Builders');
    assert.ok(eng.created instanceof Date);
    assert.ok(eng.lastUpdated instanceof Date);
    assert.equal(eng._links.self.href, `${server.url}/api/v1/groups/${eng.id}`);
    assert.equal(eng._links.users.href, `${server.url}/api/v1/groups/${eng.id}/users`);
    assert.ok(Array.isArray(eng._links.logo), '_links.logo is an array');
  });

  it('reads it back, and finds it with q, search and filter', async () => {
    const got = await groups.getGroup({ groupId: eng.id });
    assert.equal(got.id, eng.id);
    assert.equal(got.profile.name, 'Engineering');

    const q = await collectAll(groups.listGroups({ q: 'Engin' }));
    assert.deepEqual(q.map((g) => g.id), [eng.id]);

    const s = await collectAll(groups.listGroups({ search: 'profile.name eq "Engineering"' }));
    assert.deepEqual(s.map((g) => g.id), [eng.id]);

    const f = await collectAll(groups.listGroups({ filter: `id eq "${eng.id}"` }));
    assert.deepEqual(f.map((g) => g.id), [eng.id]);

    const okta = await collectAll(groups.listGroups({ filter: 'type eq "OKTA_GROUP"' }));
    assert.ok(okta.some((g) => g.id === eng.id));
    assert.ok(!okta.some((g) => g.type === 'BUILT_IN'), 'Everyone is not an OKTA_GROUP');
  });

  it('replaces it with PUT', async () => {
    const replaced = await groups.replaceGroup({
      groupId: eng.id,
      group: { profile: { name: 'Engineering Dept', description: 'Makers' } },
    });
    assert.equal(replaced.id, eng.id);
    assert.equal(replaced.profile.name, 'Engineering Dept');
    assert.equal(replaced.profile.description, 'Makers');
    const got = await groups.getGroup({ groupId: eng.id });
    assert.equal(got.profile.name, 'Engineering Dept');
    const q = await collectAll(groups.listGroups({ q: 'Engineering D' }));
    assert.deepEqual(q.map((g) => g.id), [eng.id], 'q sees the rename at once');
  });

  it('refuses a duplicate name with 400 E0000001 and errorCauses', async () => {
    const err = await rejection(groups.createGroup({ group: { profile: { name: 'Engineering Dept' } } }));
    assertOktaError(err, 400, 'E0000001');
    assert.ok(Array.isArray(err.errorCauses) && err.errorCauses.length > 0);
  });

  it('concurrent creates of one name: exactly one wins, the rest are 400 E0000001', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        raw(`${server.url}/api/v1/groups`, {
          method: 'POST',
          token: server.adminToken,
          body: { profile: { name: 'Race Condition' } },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, `statuses ${results.map((r) => r.status)}`);
    for (const r of results.filter((x) => x.status !== 200)) assertRawError(r, 400, 'E0000001');
    const found = await collectAll(groups.listGroups({ search: 'profile.name eq "Race Condition"' }));
    assert.equal(found.length, 1);
  });

  it('refuses a group without profile.name with 400 E0000001', async () => {
    const err = await rejection(groups.createGroup({ group: { profile: { description: 'nameless' } } }));
    assertOktaError(err, 400, 'E0000001');
  });

  it('deletes it; then 404 E0000007', async () => {
    await groups.deleteGroup({ groupId: eng.id });
    assertOktaError(await rejection(groups.getGroup({ groupId: eng.id })), 404, 'E0000007');
    assertOktaError(await rejection(groups.deleteGroup({ groupId: eng.id })), 404, 'E0000007');
    const q = await collectAll(groups.listGroups({ q: 'Engineering' }));
    assert.deepEqual(q, []);
    // The name is free again.
    const again = await groups.createGroup({ group: { profile: { name: 'Engineering Dept' } } });
    assert.notEqual(again.id, eng.id);
  });
});

describe('Everyone', () => {
  it('is BUILT_IN and holds every user, new ones included', async () => {
    const e = await everyone();
    assert.equal(e.type, 'BUILT_IN');
    const u = await users.createUser({ body: userBody('newcomer@example.com') });
    const members = await collectAll(groups.listGroupUsers({ groupId: e.id }));
    const ids = members.map((m) => m.id);
    assert.ok(ids.includes(server.adminUserId), 'the admin is in Everyone');
    assert.ok(ids.includes(u.id), 'a new user is in Everyone');
  });

  it('cannot be renamed', async () => {
    const e = await everyone();
    // MGMT-OAS replaceGroup: only OKTA_GROUP profiles may be modified; the refusal is 403 E0000006,
    // as for deleteGroup, whose only documented refusal is 403.
    const err = await rejection(groups.replaceGroup({ groupId: e.id, group: { profile: { name: 'Everybody' } } }));
    assertOktaError(err, 403, 'E0000006');
    assert.equal((await groups.getGroup({ groupId: e.id })).profile.name, 'Everyone');
  });

  it('cannot be deleted', async () => {
    const e = await everyone();
    // MGMT-OAS deleteGroup documents 403 (ErrorAccessDenied403) and no 400.
    const err = await rejection(groups.deleteGroup({ groupId: e.id }));
    assertOktaError(err, 403, 'E0000006');
    assert.equal((await groups.getGroup({ groupId: e.id })).type, 'BUILT_IN');
  });

  it('cannot be taken as a name by another group', async () => {
    const err = await rejection(groups.createGroup({ group: { profile: { name: 'Everyone' } } }));
    assertOktaError(err, 400, 'E0000001');
  });
});

describe('membership', () => {
  let team;
  let u1;
  let u2;

  before(async () => {
    team = await groups.createGroup({ group: { profile: { name: 'Team Blue' } } });
    u1 = await users.createUser({ body: userBody('member1@example.com') });
    u2 = await users.createUser({ body: userBody('member2@example.com') });
  });

  it('adds a member (twice is fine, 204 both times)', async () => {
    await groups.assignUserToGroup({ groupId: team.id, userId: u1.id });
    await groups.assignUserToGroup({ groupId: team.id, userId: u1.id });
    const res = await raw(`${server.url}/api/v1/groups/${team.id}/users/${u1.id}`, {
      method: 'PUT',
      token: server.adminToken,
    });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    await groups.assignUserToGroup({ groupId: team.id, userId: u2.id });
  });

  it('membership changes move lastMembershipUpdated', async () => {
    const g = await groups.createGroup({ group: { profile: { name: 'Team Clock' } } });
    const before = Date.parse((await raw(`${server.url}/api/v1/groups/${g.id}`, { token: server.adminToken })).json.lastMembershipUpdated);
    // Timestamps have millisecond precision: let the clock (the server's is the same) pass `before`.
    await waitFor(() => Date.now() > before, { what: 'the clock to pass lastMembershipUpdated', intervalMs: 1 });
    const u = await users.createUser({ body: userBody('clock@example.com') });
    await groups.assignUserToGroup({ groupId: g.id, userId: u.id });
    const after = Date.parse((await raw(`${server.url}/api/v1/groups/${g.id}`, { token: server.adminToken })).json.lastMembershipUpdated);
    assert.ok(after > before, `lastMembershipUpdated moved: ${before} -> ${after}`);
  });

  it('lists members once each', async () => {
    const members = await collectAll(groups.listGroupUsers({ groupId: team.id }));
    assert.deepEqual(members.map((m) => m.id).sort(), [u1.id, u2.id].sort());
    assert.equal(members.find((m) => m.id === u1.id).profile.login, 'member1@example.com');
  });

  it("lists the user's groups", async () => {
    const gs = await collectAll(users.listUserGroups({ userId: u1.id }));
    const names = gs.map((g) => g.profile.name).sort();
    assert.deepEqual(names, ['Everyone', 'Team Blue']);
  });

  it('removes a member', async () => {
    await groups.unassignUserFromGroup({ groupId: team.id, userId: u1.id });
    const members = await collectAll(groups.listGroupUsers({ groupId: team.id }));
    assert.deepEqual(members.map((m) => m.id), [u2.id]);
    const gs = await collectAll(users.listUserGroups({ userId: u1.id }));
    assert.deepEqual(gs.map((g) => g.profile.name), ['Everyone']);
  });

  it('refuses unknown users and groups with 404 E0000007', async () => {
    assertOktaError(
      await rejection(groups.assignUserToGroup({ groupId: team.id, userId: '00uNoSuchUser1234567' })),
      404,
      'E0000007',
    );
    assertOktaError(
      await rejection(groups.assignUserToGroup({ groupId: '00gNoSuchGroup123456', userId: u1.id })),
      404,
      'E0000007',
    );
    assertOktaError(await rejection(collectAll(groups.listGroupUsers({ groupId: '00gNoSuchGroup123456' }))), 404, 'E0000007');
  });

  it('pages members with limit', async () => {
    const big = await groups.createGroup({ group: { profile: { name: 'Team Big' } } });
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const u = await users.createUser({ body: userBody(`big${i}@example.com`) });
      ids.push(u.id);
      await groups.assignUserToGroup({ groupId: big.id, userId: u.id });
    }
    const res = await raw(`${server.url}/api/v1/groups/${big.id}/users?limit=2`, { token: server.adminToken });
    assert.equal(res.status, 200);
    assert.equal(res.json.length, 2);
    assert.match(res.headers.get('link') ?? '', /rel="next"/);
    const members = await collectAll(groups.listGroupUsers({ groupId: big.id, limit: 2 }));
    const seen = members.map((m) => m.id);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual([...seen].sort(), [...ids].sort());
  });

  it('a deleted group takes its memberships with it', async () => {
    const g = await groups.createGroup({ group: { profile: { name: 'Short Lived' } } });
    await groups.assignUserToGroup({ groupId: g.id, userId: u2.id });
    await groups.deleteGroup({ groupId: g.id });
    const gs = await collectAll(users.listUserGroups({ userId: u2.id }));
    assert.ok(!gs.some((x) => x.id === g.id));
  });

  it('an unparseable group search is 400 E0000031', async () => {
    const res = await raw(`${server.url}/api/v1/groups?search=${encodeURIComponent('profile.name eq')}`, {
      token: server.adminToken,
    });
    assertRawError(res, 400, 'E0000031');
  });
});
