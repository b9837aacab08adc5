// Paging 250 groups with limit=20 through the SDK's Collection: `for await` and `.each()`
// (okta-compat.md §1.6, §2 pagination; issue 2 "Tests in make test").
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';
import { parseLinks } from './lib/checks.mjs';

const COUNT = 250;
const LIMIT = 20;

let server;
let groups;
const created = new Map(); // id -> name

before(async () => {
  server = await startServer();
  groups = server.client().groupApi;
  const names = Array.from({ length: COUNT }, (_, i) => `page-${String(i).padStart(3, '0')}`);
  const workers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = w; i < names.length; i += 8) {
      const g = await groups.createGroup({ group: { profile: { name: names[i] } } });
      created.set(g.id, names[i]);
    }
  });
  await Promise.all(workers);
  assert.equal(created.size, COUNT);
});

after(async () => {
  await server?.dispose();
});

function checkAll(items) {
  const ids = items.map((g) => g.id);
  assert.equal(new Set(ids).size, ids.length, 'no group is seen twice');
  assert.equal(ids.length, COUNT + 1, `${COUNT} groups + Everyone`);
  for (const [id, name] of created) {
    const g = items.find((x) => x.id === id);
    assert.ok(g, `${name} seen`);
    assert.equal(g.profile.name, name);
  }
  const everyone = items.filter((g) => g.profile.name === 'Everyone');
  assert.equal(everyone.length, 1, 'Everyone seen exactly once');
  assert.equal(everyone[0].type, 'BUILT_IN');
}

it('for await over listGroups({limit: 20}) sees every group exactly once', async () => {
  const items = [];
  for await (const g of await groups.listGroups({ limit: LIMIT })) {
    assert.notEqual(g, null, 'no null item (an empty page with a next link)');
    items.push(g);
  }
  checkAll(items);
});

it('.each() over listGroups({limit: 20}) sees every group exactly once', async () => {
  const items = [];
  const collection = await groups.listGroups({ limit: LIMIT });
  await collection.each((g) => {
    items.push(g);
  });
  checkAll(items);
});

it('every page is full but the last; Link headers are absolute and carry limit', async () => {
  let url = `${server.url}/api/v1/groups?limit=${LIMIT}`;
  const sizes = [];
  const seen = new Set();
  for (let page = 0; page < 100 && url; page++) {
    const res = await raw(url, { token: server.adminToken });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json));
    sizes.push(res.json.length);
    for (const g of res.json) {
      assert.ok(!seen.has(g.id), `duplicate ${g.id}`);
      seen.add(g.id);
    }
    const links = parseLinks(res.headers.get('link'));
    assert.ok(links.self, 'rel="self" on every page');
    assert.ok(links.self.startsWith(`${server.url}/api/v1/groups`), `absolute self: ${links.self}`);
    if (links.next) {
      assert.ok(res.json.length > 0, 'no next link on an empty page');
      assert.ok(links.next.startsWith(`${server.url}/api/v1/groups?`), `absolute next: ${links.next}`);
      assert.equal(new URL(links.next).searchParams.get('limit'), String(LIMIT));
    }
    url = links.next;
  }
  assert.equal(seen.size, COUNT + 1);
  const pages = Math.ceil((COUNT + 1) / LIMIT);
  assert.equal(sizes.length, pages, `page sizes ${sizes}`);
  assert.ok(sizes.slice(0, -1).every((n) => n === LIMIT), `page sizes ${sizes}`);
});

it('search pages too, and the next link keeps the search', async () => {
  const search = 'profile.name sw "page-1"';
  const items = [];
  for await (const g of await groups.listGroups({ search, limit: 7 })) items.push(g);
  const expected = [...created.values()].filter((n) => n.startsWith('page-1')).sort();
  assert.equal(expected.length, 100);
  assert.deepEqual(items.map((g) => g.profile.name).sort(), expected);

  const res = await raw(`${server.url}/api/v1/groups?limit=7&search=${encodeURIComponent(search)}`, {
    token: server.adminToken,
  });
  const next = new URL(parseLinks(res.headers.get('link')).next);
  assert.equal(next.searchParams.get('search'), search);
  assert.equal(next.searchParams.get('limit'), '7');
});

it('a page exactly at the end has no next link', async () => {
  // 251 groups with limit=251: one page, no next.
  const res = await raw(`${server.url}/api/v1/groups?limit=${COUNT + 1}`, { token: server.adminToken });
  assert.equal(res.status, 200);
  assert.equal(res.json.length, COUNT + 1);
  const links = parseLinks(res.headers.get('link'));
  assert.ok(links.self);
  assert.equal(links.next, undefined, 'no next link when nothing follows');
});

it('a group created while paging shows up at most once', async () => {
  const items = [];
  let added = false;
  for await (const g of await groups.listGroups({ limit: LIMIT })) {
    items.push(g);
    if (!added && items.length === 30) {
      added = true;
      await groups.createGroup({ group: { profile: { name: 'page-late' } } });
    }
  }
  const ids = items.map((g) => g.id);
  assert.equal(new Set(ids).size, ids.length, 'no duplicates when writes happen during paging');
  for (const id of created.keys()) assert.ok(ids.includes(id), `existing group ${id} still seen`);
});

it('deleting already-seen groups while paging skips nothing (the cursor is not an offset)', async () => {
  const admin = server.client().groupApi;
  const expected = new Set((await collectIds()).values());
  const seen = [];
  const deleted = new Set();
  for await (const g of await admin.listGroups({ limit: LIMIT })) {
    seen.push(g.id);
    if (seen.length === LIMIT + 1) {
      // Delete five groups from the first page (never Everyone).
      const victims = seen.slice(0, LIMIT).filter((id) => created.has(id)).slice(0, 5);
      for (const id of victims) {
        await admin.deleteGroup({ groupId: id });
        deleted.add(id);
        created.delete(id);
      }
    }
  }
  assert.equal(deleted.size, 5);
  assert.equal(new Set(seen).size, seen.length, 'no duplicates');
  for (const id of expected) assert.ok(seen.includes(id), `group ${id} seen`);
});

async function collectIds() {
  const ids = [];
  for await (const g of await groups.listGroups({ limit: 500 })) ids.push(g.id);
  return ids;
}
