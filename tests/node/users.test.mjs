// Users through Okta's Node SDK: CRUD, lifecycle, lookups, search and paging
// (okta-compat.md §5 User, §6; issue 2 "Management API").
import assert from 'node:assert/strict';
import { before, after, describe } from 'node:test';
import { startServer, raw, rejection, collectAll, it, userBody, PASSWORD } from './lib/server.mjs';
import { assertOktaError, assertOktaId, assertIsoMillis, assertRawError, parseLinks } from './lib/checks.mjs';
import { keyApp, orgToken, bearer } from './lib/oauth.mjs';

let server;
let api; // client.userApi

before(async () => {
  server = await startServer();
  api = server.client().userApi;
});

after(async () => {
  await server?.dispose();
});

describe('create and read', () => {
  let alice;

  it('creates an ACTIVE user with a password', async () => {
    alice = await api.createUser({
      body: userBody('alice@example.com', { firstName: 'Alice', lastName: 'Anders' }),
    });
    assertOktaId(alice.id, '00u');
    assert.equal(alice.status, 'ACTIVE');
    assert.equal(alice.profile.login, 'alice@example.com');
    assert.equal(alice.profile.email, 'alice@example.com');
    assert.equal(alice.profile.firstName, 'Alice');
    assert.equal(alice.profile.lastName, 'Anders');
    assert.ok(alice.created instanceof Date && !Number.isNaN(alice.created.getTime()), 'created is a date');
    assert.equal(alice._links.self.href, `${server.url}/api/v1/users/${alice.id}`);
    assert.equal(alice.credentials?.provider?.type, 'OKTA');
    assert.ok(alice.credentials?.password && !alice.credentials.password.value, 'password is {} without value');
  });

  it('never echoes the password', async () => {
    const res = await raw(`${server.url}/api/v1/users/${alice.id}`, { token: server.adminToken });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.ok(!res.text.includes(PASSWORD), 'password value absent from the body');
    assertIsoMillis(res.json.created, 'created');
    assertIsoMillis(res.json.lastUpdated, 'lastUpdated');
  });

  it('gets a user by id, by login (url-encoded) and as me', async () => {
    const byId = await api.getUser({ userId: alice.id });
    assert.equal(byId.id, alice.id);
    // The SDK sends /api/v1/users/alice%40example.com.
    const byLogin = await api.getUser({ userId: 'alice@example.com' });
    assert.equal(byLogin.id, alice.id);
    const rawLogin = await raw(`${server.url}/api/v1/users/alice%40example.com`, { token: server.adminToken });
    assert.equal(rawLogin.status, 200);
    assert.equal(rawLogin.json.id, alice.id);
    const me = await api.getUser({ userId: 'me' });
    assert.equal(me.id, server.adminUserId);
    assert.equal(me.profile.login, 'admin@example.com');
  });

  it('refuses a duplicate login with 400 E0000001 and errorCauses', async () => {
    const err = await rejection(api.createUser({ body: userBody('alice@example.com') }));
    assertOktaError(err, 400, 'E0000001');
    assert.match(err.errorSummary, /^Api validation failed/);
    assert.ok(Array.isArray(err.errorCauses) && err.errorCauses.length > 0, 'errorCauses not empty');
    assert.equal(typeof err.errorCauses[0].errorSummary, 'string');
  });

  it('logins with + and non-ASCII names round-trip; %2B in a path is +, not space', async () => {
    const plus = await api.createUser({
      body: userBody('a+b@example.com', { firstName: 'Zoë', lastName: 'Ñúñez 🚀' }),
    });
    assert.equal(plus.profile.firstName, 'Zoë');
    assert.equal(plus.profile.lastName, 'Ñúñez 🚀');
    const got = await api.getUser({ userId: 'a+b@example.com' }); // sent as a%2Bb%40example.com
    assert.equal(got.id, plus.id);
    assert.equal(got.profile.lastName, 'Ñúñez 🚀');
    assertOktaError(await rejection(api.getUser({ userId: 'a b@example.com' })), 404, 'E0000007');
    const byFilter = await collectAll(api.listUsers({ filter: 'profile.login eq "a+b@example.com"' }));
    assert.deepEqual(byFilter.map((u) => u.id), [plus.id]);
  });

  it('concurrent creates of one login: exactly one wins, the rest are 400 E0000001', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        raw(`${server.url}/api/v1/users`, {
          method: 'POST',
          token: server.adminToken,
          body: userBody('racer@example.com'),
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, `statuses ${results.map((r) => r.status)}`);
    for (const r of results.filter((x) => x.status !== 200)) assertRawError(r, 400, 'E0000001');
  });

  it('refuses a user without profile.login with 400 E0000001', async () => {
    const err = await rejection(
      api.createUser({ body: { profile: { firstName: 'No', lastName: 'Login', email: 'nologin@example.com' } } }),
    );
    assertOktaError(err, 400, 'E0000001');
  });

  it('answers an unknown id or login with 404 E0000007', async () => {
    assertOktaError(await rejection(api.getUser({ userId: '00uNoSuchUser1234567' })), 404, 'E0000007');
    assertOktaError(await rejection(api.getUser({ userId: 'nobody@example.com' })), 404, 'E0000007');
  });

  it('updates partially with POST and replaces with PUT', async () => {
    const updated = await api.updateUser({ userId: alice.id, user: { profile: { nickName: 'Ally' } } });
    assert.equal(updated.profile.nickName, 'Ally');
    assert.equal(updated.profile.firstName, 'Alice', 'POST keeps the other attributes');
    assert.equal(updated.profile.lastName, 'Anders');
    assert.equal(updated.profile.login, 'alice@example.com');
    assert.ok(updated.lastUpdated.getTime() >= alice.lastUpdated.getTime());

    const replaced = await api.replaceUser({
      userId: alice.id,
      user: {
        profile: { firstName: 'Alicia', lastName: 'Anders', email: 'alice@example.com', login: 'alice@example.com' },
      },
    });
    assert.equal(replaced.profile.firstName, 'Alicia');
    assert.ok(
      replaced.profile.nickName === undefined || replaced.profile.nickName === null,
      `PUT drops attributes not sent, got nickName=${replaced.profile.nickName}`,
    );
    const read = await api.getUser({ userId: alice.id });
    assert.equal(read.profile.firstName, 'Alicia');
    // On the wire the attribute is gone, not null (the SDK would show both as missing).
    const wire = await raw(`${server.url}/api/v1/users/${alice.id}`, { token: server.adminToken });
    assert.equal(wire.status, 200, wire.text);
    assert.equal('nickName' in wire.json.profile, false, JSON.stringify(wire.json.profile));
    assert.equal(read.status, 'ACTIVE', 'a profile update does not change the status');
  });
});

describe('lifecycle', () => {
  it('creates STAGED with activate=false and activates it (JSON object body)', async () => {
    const u = await api.createUser({ body: userBody('staged@example.com'), activate: false });
    assert.equal(u.status, 'STAGED');
    const act = await api.activateUser({ userId: u.id, sendEmail: false });
    assert.ok(act && typeof act === 'object', 'activate returns a JSON object');
    // okta-compat.md §5: {activationUrl, activationToken} when sendEmail=false.
    assert.equal(typeof act.activationToken, 'string');
    assert.ok(act.activationUrl.startsWith(`${server.url}/`), `absolute activationUrl: ${act.activationUrl}`);
    const res = await raw(`${server.url}/api/v1/users/${u.id}`, { token: server.adminToken });
    assert.equal(res.json.status, 'ACTIVE', 'a user with a password becomes ACTIVE');
    assert.ok(res.json.activated, 'activated is set');
  });

  it('activate without sendEmail answers a JSON object too, never an empty body', async () => {
    const u = await api.createUser({ body: userBody('staged2@example.com'), activate: false });
    const res = await raw(`${server.url}/api/v1/users/${u.id}/lifecycle/activate`, {
      method: 'POST',
      token: server.adminToken,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `body: ${res.text}`);
  });

  it('activates a user without a password to PROVISIONED', async () => {
    const u = await api.createUser({ body: userBody('nopass@example.com', { password: null }), activate: false });
    assert.equal(u.status, 'STAGED');
    await api.activateUser({ userId: u.id, sendEmail: false });
    assert.equal((await api.getUser({ userId: u.id })).status, 'PROVISIONED');
    // reactivate is for PROVISIONED users only, and answers a JSON object like activate.
    const re = await api.reactivateUser({ userId: u.id, sendEmail: false });
    assert.ok(re && typeof re === 'object');
    assert.equal((await api.getUser({ userId: u.id })).status, 'PROVISIONED');
    assertOktaError(await rejection(api.activateUser({ userId: u.id, sendEmail: false })), 400, 'E0000001');
    const active = await api.createUser({ body: userBody('active-re@example.com') });
    assertOktaError(await rejection(api.reactivateUser({ userId: active.id, sendEmail: false })), 400, 'E0000001');
  });

  it('suspends, unsuspends, deactivates and reactivates with the transition rules', async () => {
    const u = await api.createUser({ body: userBody('cycle@example.com') });
    assert.equal(u.status, 'ACTIVE');

    await api.suspendUser({ userId: u.id });
    assert.equal((await api.getUser({ userId: u.id })).status, 'SUSPENDED');
    assertOktaError(await rejection(api.suspendUser({ userId: u.id })), 400, 'E0000001');
    assertOktaError(await rejection(api.activateUser({ userId: u.id, sendEmail: false })), 400, 'E0000001');

    await api.unsuspendUser({ userId: u.id });
    assert.equal((await api.getUser({ userId: u.id })).status, 'ACTIVE');
    assertOktaError(await rejection(api.unsuspendUser({ userId: u.id })), 400, 'E0000001');
    assertOktaError(await rejection(api.activateUser({ userId: u.id, sendEmail: false })), 400, 'E0000001');

    await api.deactivateUser({ userId: u.id });
    assert.equal((await api.getUser({ userId: u.id })).status, 'DEPROVISIONED');
    assertOktaError(await rejection(api.suspendUser({ userId: u.id })), 400, 'E0000001');
    assertOktaError(await rejection(api.deactivateUser({ userId: u.id })), 400, 'E0000001');

    await api.activateUser({ userId: u.id, sendEmail: false });
    assert.equal((await api.getUser({ userId: u.id })).status, 'ACTIVE');
  });

  it('refuses to suspend a STAGED user', async () => {
    const u = await api.createUser({ body: userBody('staged3@example.com'), activate: false });
    assertOktaError(await rejection(api.suspendUser({ userId: u.id })), 400, 'E0000001');
    assertOktaError(await rejection(api.unsuspendUser({ userId: u.id })), 400, 'E0000001');
    assert.equal((await api.getUser({ userId: u.id })).status, 'STAGED');
  });

  it('lifecycle calls on an unknown user are 404 E0000007', async () => {
    assertOktaError(await rejection(api.suspendUser({ userId: '00uNoSuchUser1234567' })), 404, 'E0000007');
  });

  it('delete deactivates first and deletes on the second call', async () => {
    const u = await api.createUser({ body: userBody('doomed@example.com') });
    await api.deleteUser({ userId: u.id });
    const afterFirst = await api.getUser({ userId: u.id });
    assert.equal(afterFirst.status, 'DEPROVISIONED', 'the first DELETE deactivates');
    await api.deleteUser({ userId: u.id });
    assertOktaError(await rejection(api.getUser({ userId: u.id })), 404, 'E0000007');
    assertOktaError(await rejection(api.deleteUser({ userId: u.id })), 404, 'E0000007');
  });

  it('DELETE answers 204 without a JSON content type', async () => {
    const u = await api.createUser({ body: userBody('doomed2@example.com') });
    const res = await raw(`${server.url}/api/v1/users/${u.id}`, { method: 'DELETE', token: server.adminToken });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.ok(!/application\/json/.test(res.headers.get('content-type') ?? ''), 'no JSON content type on 204');
  });
});

describe('list, q, filter, search and paging', () => {
  const made = {};

  before(async () => {
    const people = [
      ['ursula@example.com', 'Ursula', 'Quimby', true],
      ['victor@example.com', 'Victor', 'Quimby', true],
      ['wendy@example.com', 'Wendy', 'Xylo', true],
      ['yannick@example.com', 'Yannick', 'Xylo', false],
    ];
    for (const [login, firstName, lastName, active] of people) {
      made[login] = await api.createUser({ body: userBody(login, { firstName, lastName }), activate: active });
    }
  });

  it('q matches the start of firstName, lastName or email', async () => {
    const byFirst = await collectAll(api.listUsers({ q: 'Ursu' }));
    assert.deepEqual(byFirst.map((u) => u.profile.login), ['ursula@example.com']);
    const byLast = (await collectAll(api.listUsers({ q: 'Quim' }))).map((u) => u.profile.login).sort();
    assert.deepEqual(byLast, ['ursula@example.com', 'victor@example.com']);
    const byEmail = await collectAll(api.listUsers({ q: 'wendy@' }));
    assert.deepEqual(byEmail.map((u) => u.profile.login), ['wendy@example.com']);
  });

  it('filter on status and profile.login', async () => {
    const staged = await collectAll(api.listUsers({ filter: 'status eq "STAGED"' }));
    assert.ok(staged.every((u) => u.status === 'STAGED'), 'only STAGED users');
    assert.ok(staged.some((u) => u.profile.login === 'yannick@example.com'));
    assert.ok(!staged.some((u) => u.profile.login === 'wendy@example.com'));

    const one = await collectAll(api.listUsers({ filter: 'profile.login eq "victor@example.com"' }));
    assert.deepEqual(one.map((u) => u.id), [made['victor@example.com'].id]);

    const both = await collectAll(
      api.listUsers({ filter: 'profile.login eq "victor@example.com" or profile.login eq "wendy@example.com"' }),
    );
    assert.deepEqual(both.map((u) => u.profile.login).sort(), ['victor@example.com', 'wendy@example.com']);
  });

  it('search with sw, eq, and, parentheses', async () => {
    const xylo = await collectAll(api.listUsers({ search: 'profile.lastName sw "Xyl"' }));
    assert.deepEqual(xylo.map((u) => u.profile.login).sort(), ['wendy@example.com', 'yannick@example.com']);

    const activeXylo = await collectAll(
      api.listUsers({ search: 'profile.lastName eq "Xylo" and status eq "ACTIVE"' }),
    );
    assert.deepEqual(activeXylo.map((u) => u.profile.login), ['wendy@example.com']);

    const grouped = await collectAll(
      api.listUsers({ search: '(profile.firstName eq "Ursula" or profile.firstName eq "Wendy") and status eq "ACTIVE"' }),
    );
    assert.deepEqual(grouped.map((u) => u.profile.login).sort(), ['ursula@example.com', 'wendy@example.com']);
  });

  it('search sees a write on the very next request', async () => {
    const u = await api.createUser({ body: userBody('zelda@example.com', { firstName: 'Zelda', lastName: 'Ryw' }) });
    const found = await collectAll(api.listUsers({ search: 'profile.lastName eq "Ryw"' }));
    assert.deepEqual(found.map((x) => x.id), [u.id]);
    const q = await collectAll(api.listUsers({ q: 'Zeld' }));
    assert.deepEqual(q.map((x) => x.id), [u.id]);
  });

  it('pages with limit and absolute Link headers; for await sees every user once', async () => {
    const all = await collectAll(api.listUsers({ limit: 2 }));
    const ids = all.map((u) => u.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates across pages');
    for (const login of Object.keys(made)) {
      assert.ok(all.some((u) => u.profile.login === login), `${login} listed`);
    }
    assert.ok(ids.includes(server.adminUserId), 'the admin is listed');

    const first = await raw(`${server.url}/api/v1/users?limit=2`, { token: server.adminToken });
    assert.equal(first.status, 200);
    assert.ok(Array.isArray(first.json) && first.json.length === 2);
    const links = parseLinks(first.headers.get('link'));
    assert.ok(links.self?.startsWith(`${server.url}/api/v1/users`), `absolute self link: ${links.self}`);
    assert.ok(links.next?.startsWith(`${server.url}/api/v1/users?`), `absolute next link: ${links.next}`);
    const next = new URL(links.next);
    assert.equal(next.searchParams.get('limit'), '2', 'next keeps limit');
    assert.ok(next.searchParams.get('after'), 'next has after');
  });

  it('a next link keeps the search parameter', async () => {
    const res = await raw(
      `${server.url}/api/v1/users?limit=1&search=${encodeURIComponent('profile.lastName sw "Xyl"')}`,
      { token: server.adminToken },
    );
    assert.equal(res.status, 200);
    assert.equal(res.json.length, 1);
    const next = new URL(parseLinks(res.headers.get('link')).next);
    assert.equal(next.searchParams.get('search'), 'profile.lastName sw "Xyl"');
    const second = await raw(next.href, { token: server.adminToken });
    assert.equal(second.status, 200);
    assert.equal(second.json.length, 1);
    assert.notEqual(second.json[0].id, res.json[0].id);
  });

  it('an unparseable search is 400 E0000031, never an unfiltered list', async () => {
    const res = await raw(`${server.url}/api/v1/users?search=${encodeURIComponent('profile.lastName sw')}`, {
      token: server.adminToken,
    });
    assertRawError(res, 400, 'E0000031');
  });

  it("lists the user's groups, Everyone included", async () => {
    const groups = await collectAll(api.listUserGroups({ userId: made['ursula@example.com'].id }));
    assert.ok(groups.some((g) => g.profile.name === 'Everyone' && g.type === 'BUILT_IN'), 'Everyone listed');
  });
});

describe('/users/me', () => {
  it('with an SSWS token: the token\'s owner', async () => {
    const res = await raw(`${server.url}/api/v1/users/me`, { token: server.adminToken });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.id, server.adminUserId);
  });

  // A client-credentials token has no user: Okta answers a service app's token with 404 E0000007
  // "Not found: Resource not found: me (User)" (issue 20), never another user.
  it('with a client-credentials Bearer token: 404 E0000007 in Okta\'s envelope', async () => {
    const app = await keyApp(server.url, server.adminToken, { scopes: ['okta.users.read'], role: 'READ_ONLY_ADMIN' });
    const at = await orgToken(server.url, app, 'okta.users.read');
    assert.equal((await bearer(`${server.url}/api/v1/users?limit=1`, at)).status, 200, 'the token itself is good');
    for (const path of ['/api/v1/users/me', '/api/v1/users/me/groups']) {
      const res = await bearer(`${server.url}${path}`, at);
      assertRawError(res, 404, 'E0000007');
      assert.equal(res.json.errorSummary, 'Not found: Resource not found: me (User)', path);
    }
  });
});
