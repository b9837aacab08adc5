// API token metadata, creation, revocation and /current
// (okta-compat.md §5 API token metadata, §6, §11.10, §11.11; issue 2 "API token semantics").
import assert from 'node:assert/strict';
import { before, after, describe } from 'node:test';
import { startServer, raw, rejection, collectAll, it, userBody, client } from './lib/server.mjs';
import { assertOktaError, assertOktaId, assertRawError, assertIsoMillis } from './lib/checks.mjs';

const DAY = 24 * 3600 * 1000;

let server;
let admin;

before(async () => {
  server = await startServer();
  admin = server.client();
});

after(async () => {
  await server?.dispose();
});

async function createToken(body, token = server.adminToken) {
  return raw(`${server.url}/api/v1/api-tokens`, { method: 'POST', token, body });
}

// okta-compat.md §5: the metadata shape, never the secret.
function assertMetadata(t, { userId, name } = {}) {
  assertOktaId(t.id, '00T');
  if (name !== undefined) assert.equal(t.name, name);
  if (userId !== undefined) assert.equal(t.userId, userId);
  assert.equal(t.tokenWindow, 'P30D');
  assertIsoMillis(t.created, 'created');
  assertIsoMillis(t.expiresAt, 'expiresAt');
  const left = Date.parse(t.expiresAt) - Date.now();
  assert.ok(left > 29 * DAY && left <= 30 * DAY + 60_000, `expiresAt about 30 days ahead: ${t.expiresAt}`);
  assert.equal(t.network?.connection, 'ANYWHERE');
  assert.equal(typeof t.clientName, 'string');
  assert.equal(t._links?.self?.href, `${server.url}/api/v1/api-tokens/${t.id}`);
  assert.ok(!('token' in t), 'no token value in metadata');
}

describe('creation', () => {
  it('POST /api/v1/api-tokens creates a token for yourself: 201, metadata plus token', async () => {
    const res = await createToken({ name: 'ci' });
    assert.equal(res.status, 201, res.text);
    assert.equal(typeof res.json.token, 'string');
    assert.ok(res.json.token.length >= 43, 'at least 256 bits of text');
    const { token, ...meta } = res.json;
    assertMetadata(meta, { userId: server.adminUserId, name: 'ci' });
    const works = await raw(`${server.url}/api/v1/groups`, { token });
    assert.equal(works.status, 200);
  });

  it('the super admin creates one for another user', async () => {
    const u = await admin.userApi.createUser({ body: userBody('holly@example.com') });
    const res = await createToken({ name: 'for holly', userId: u.id });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.userId, u.id);
  });

  it('a missing name is 400 E0000001', async () => {
    assertRawError(await createToken({}), 400, 'E0000001');
    assertRawError(await createToken({ name: 42 }), 400, 'E0000001');
  });

  // A body field naming no user is a validation failure (§2.1 E0000001), not a missing resource:
  // the resource addressed, /api/v1/api-tokens, exists.
  it('an unknown userId is 400 E0000001', async () => {
    const res = await createToken({ name: 'ghost', userId: '00uNoSuchUser1234567' });
    assertRawError(res, 400, 'E0000001');
  });

  it('two tokens never share a value', async () => {
    const a = await createToken({ name: 'a' });
    const b = await createToken({ name: 'b' });
    assert.notEqual(a.json.token, b.json.token);
    assert.notEqual(a.json.id, b.json.id);
  });
});

describe('list and get', () => {
  let made;

  before(async () => {
    const res = await createToken({ name: 'listed' });
    assert.equal(res.status, 201, res.text);
    made = res.json;
  });

  it('listApiTokens returns metadata only, with tokenWindow P30D and expiresAt', async () => {
    const list = await collectAll(admin.apiTokenApi.listApiTokens());
    const found = list.find((t) => t.id === made.id);
    assert.ok(found, 'the new token is listed');
    assert.equal(found.name, 'listed');
    assert.equal(found.tokenWindow, 'P30D');
    assert.ok(found.expiresAt instanceof Date);
    assert.ok(found.created instanceof Date);

    const res = await raw(`${server.url}/api/v1/api-tokens`, { token: server.adminToken });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json));
    for (const t of res.json) assertMetadata(t);
    assert.ok(!res.text.includes(made.token), 'no secret in the list');
    assert.ok(!res.text.includes(server.adminToken), 'not even the caller’s own');
    assert.ok(res.json.some((t) => t.userId === server.adminUserId));
  });

  it('getApiToken returns the same metadata', async () => {
    const t = await admin.apiTokenApi.getApiToken({ apiTokenId: made.id });
    assert.equal(t.id, made.id);
    assert.equal(t.userId, server.adminUserId);
    const res = await raw(`${server.url}/api/v1/api-tokens/${made.id}`, { token: server.adminToken });
    assert.equal(res.status, 200);
    assertMetadata(res.json, { name: 'listed', userId: server.adminUserId });
    assert.ok(!res.text.includes(made.token));
  });

  it('GET /api/v1/api-tokens/current describes the calling token', async () => {
    const res = await raw(`${server.url}/api/v1/api-tokens/current`, { token: made.token });
    assert.equal(res.status, 200, res.text);
    assertMetadata(res.json, { name: 'listed', userId: server.adminUserId });
    assert.equal(res.json.id, made.id);
  });

  it('an unknown id is 404 E0000007', async () => {
    assertOktaError(await rejection(admin.apiTokenApi.getApiToken({ apiTokenId: '00TNoSuchToken123456' })), 404, 'E0000007');
  });
});

describe('revocation', () => {
  it('revokeApiToken: 204, then the token is refused, unlisted and 404', async () => {
    const res = await createToken({ name: 'short' });
    const t = res.json;
    assert.equal((await raw(`${server.url}/api/v1/users/me`, { token: t.token })).status, 200);
    await admin.apiTokenApi.revokeApiToken({ apiTokenId: t.id });
    assertRawError(await raw(`${server.url}/api/v1/users/me`, { token: t.token }), 401, 'E0000011');
    const list = await collectAll(admin.apiTokenApi.listApiTokens());
    assert.ok(!list.some((x) => x.id === t.id), 'no longer listed');
    assertOktaError(await rejection(admin.apiTokenApi.getApiToken({ apiTokenId: t.id })), 404, 'E0000007');
  });

  it('DELETE /api/v1/api-tokens/current revokes the calling token only', async () => {
    const one = (await createToken({ name: 'self-destruct' })).json;
    const other = (await createToken({ name: 'bystander' })).json;
    const self = client(server.url, one.token);
    await self.apiTokenApi.revokeCurrentApiToken();
    assertOktaError(await rejection(self.userApi.getUser({ userId: 'me' })), 401, 'E0000011');
    assert.equal((await raw(`${server.url}/api/v1/users/me`, { token: other.token })).status, 200);
    assert.equal((await raw(`${server.url}/api/v1/users/me`, { token: server.adminToken })).status, 200);
  });

  it('DELETE /current answers 204 without a body', async () => {
    const one = (await createToken({ name: 'raw-self-destruct' })).json;
    const res = await raw(`${server.url}/api/v1/api-tokens/current`, { method: 'DELETE', token: one.token });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.ok(!/application\/json/.test(res.headers.get('content-type') ?? ''));
  });
});

describe('malformed values', () => {
  it('a token with a changed character is 401 E0000011', async () => {
    const t = (await createToken({ name: 'typo' })).json.token;
    const last = t.at(-1);
    const typo = t.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    assertRawError(await raw(`${server.url}/api/v1/users/me`, { token: typo }), 401, 'E0000011');
    const mid = Math.floor(t.length / 2);
    const typo2 = t.slice(0, mid) + (t[mid] === 'x' ? 'y' : 'x') + t.slice(mid + 1);
    assertRawError(await raw(`${server.url}/api/v1/users/me`, { token: typo2 }), 401, 'E0000011');
  });

  it('a truncated token, an empty token and garbage are 401 E0000011', async () => {
    const t = (await createToken({ name: 'trunc' })).json.token;
    for (const bad of [t.slice(0, -4), `${t}x`, 'garbage', "' OR 1=1 --"]) {
      const res = await raw(`${server.url}/api/v1/users/me`, { token: bad });
      assertRawError(res, 401, 'E0000011');
      assert.ok(res.headers.get('www-authenticate'), 'challenge on every 401');
    }
  });

  it('tokens are recognisable: they share a Gatehouse prefix', async () => {
    const a = (await createToken({ name: 'p1' })).json.token;
    const b = (await createToken({ name: 'p2' })).json.token;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.ok(i >= 3, `common prefix of at least 3 characters: ${a.slice(0, i)}`);
  });
});
