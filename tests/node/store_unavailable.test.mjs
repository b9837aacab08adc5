// PostgreSQL out of reach (issue 18, first slice): writes answer 503 E0000010 and write nothing,
// reads from the in-memory model keep working, and the server recovers without a restart once
// the database takes connections again. PostgreSQL only: SQLite is a file of the server's own.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startServer, raw, it, unique, STORE, psql, databaseOf } from './lib/server.mjs';

const skip = STORE !== 'postgresql' && 'needs the PostgreSQL store (GATEHOUSE_STORE=postgresql)';
let server;
before(async () => {
  if (!skip) server = await startServer();
});
after(async () => server?.dispose());

async function cutOff(db, allow) {
  await psql(`ALTER DATABASE ${db} ALLOW_CONNECTIONS ${allow}`);
  if (!allow) await psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'`);
}

it('a write while the database is unreachable is 503 E0000010; reads go on; then it recovers', { skip }, async () => {
  const db = databaseOf(server.dataDir);
  const before = await raw(`${server.url}/api/v1/groups`, { token: server.adminToken });
  assert.equal(before.status, 200);
  await cutOff(db, false);
  try {
    const name = unique('down');
    const refused = await raw(`${server.url}/api/v1/groups`, {
      method: 'POST', token: server.adminToken, body: { profile: { name } },
    });
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.errorCode, 'E0000010');
    assert.equal(refused.json.errorSummary, 'Service is in read only mode');
    assert.ok(refused.json.errorId, 'an errorId');
    // The read model still answers, and nothing of the refused write is in it.
    const list = await raw(`${server.url}/api/v1/groups?q=${name}`, { token: server.adminToken });
    assert.equal(list.status, 200);
    assert.equal(list.json.length, 0, 'the refused group is nowhere');
    assert.equal((await raw(`${server.url}/api/v1/users/me`, { token: server.adminToken })).status, 200);
    // The System Log is read from the store: 503 too, not 500.
    const logs = await raw(`${server.url}/api/v1/logs`, { token: server.adminToken });
    assert.equal(logs.status, 503, logs.text);
    assert.equal(logs.json.errorCode, 'E0000010');
  } finally {
    await cutOff(db, true);
  }
  const name = unique('back');
  const created = await raw(`${server.url}/api/v1/groups`, {
    method: 'POST', token: server.adminToken, body: { profile: { name } },
  });
  assert.equal(created.status, 200, created.text);
  assert.equal((await raw(`${server.url}/api/v1/logs`, { token: server.adminToken })).status, 200);
  // A restart reads it back from PostgreSQL.
  await server.restart();
  const got = await raw(`${server.url}/api/v1/groups/${created.json.id}`, { token: server.adminToken });
  assert.equal(got.status, 200);
  assert.ok(server.stderr.includes('store op=') || server.stdout.includes('store op='), 'the failure was logged');
});
