// The System Log (issue 4 "System Log"; okta-compat.md §2 "Pagination" and its polling exception,
// §5 "System log event", §11.9, §11.18): GET /api/v1/logs through Okta's SDK
// (systemLogApi.listLogEvents with `for await`) and raw HTTP, events of changes and of the token
// endpoint, and a scan proving that no issued secret, token or assertion reaches the database,
// the server's output or any log page.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, after } from 'node:test';
import { startServer, raw, rejection, collectAll, waitFor, it, unique, STORE, dumpStore } from './lib/server.mjs';
import { assertOktaError, assertRawError, parseLinks } from './lib/checks.mjs';
import {
  keyApp, secretApp, signAssertion, formPost, ASSERTION_TYPE, accessTokenOf, bearer, basicToken, ensureAsScope,
} from './lib/oauth.mjs';

const CONFIG = `
log_level = "debug"

[system_log]
retention_days = 30
`;

let server;
let orgUrl;
let admin;
const started = new Date(Date.now() - 60_000).toISOString();
const future = new Date(Date.now() + 24 * 3600_000).toISOString();  // §11.18: until may lie ahead

before(async () => {
  server = await startServer({ config: CONFIG });
  orgUrl = server.url;
  admin = server.client();
});

after(async () => {
  await server?.dispose();
});

const logsUrl = (params) => `${orgUrl}/api/v1/logs?${new URLSearchParams(params)}`;

// Every page of a bounded query, following rel="next" (raw HTTP).
async function allPages(params, token = server.adminToken) {
  const pages = [];
  let url = logsUrl(params);
  for (let i = 0; i < 200 && url; i += 1) {
    const res = await raw(url, { token });
    assert.equal(res.status, 200, res.text);
    pages.push(res);
    url = parseLinks(res.headers.get('link')).next;
  }
  return pages;
}

async function eventsOf(filter) {
  return collectAll(admin.systemLogApi.listLogEvents({ since: started, until: future, filter, limit: 200 }));
}

it('systemLogApi.listLogEvents pages through more than one page with for await', async () => {
  const tag = unique('pg');
  for (let i = 0; i < 23; i += 1) {
    await admin.groupApi.createGroup({ group: { profile: { name: `${tag}-${i}` } } });
  }
  const filter = `eventType eq "group.lifecycle.create" and target.displayName sw "${tag}"`;
  const first = await raw(logsUrl({ since: started, until: future, limit: '10', filter }), { token: server.adminToken });
  const links = parseLinks(first.headers.get('link'));
  assert.ok(links.self.startsWith(`${orgUrl}/api/v1/logs?`), `absolute self link: ${links.self}`);
  assert.ok(links.next?.startsWith(`${orgUrl}/api/v1/logs?`), `absolute next link: ${first.headers.get('link')}`);

  const events = await collectAll(admin.systemLogApi.listLogEvents({ since: started, until: future, limit: 10, filter }));
  assert.equal(events.length, 23);
  assert.equal(new Set(events.map((e) => e.uuid)).size, 23, 'no event twice');
  assert.deepEqual(events.map((e) => e.target[0].displayName), [...Array(23).keys()].map((i) => `${tag}-${i}`));
  const e = events[0];
  assert.ok(e.published instanceof Date && !Number.isNaN(e.published.getTime()), 'published is a date-time');
  assert.equal(e.eventType, 'group.lifecycle.create');
  assert.equal(e.version, '0');
  assert.equal(e.severity, 'INFO');
  assert.equal(e.outcome.result, 'SUCCESS');
  assert.equal(e.actor.id, server.adminUserId);
  assert.equal(e.actor.type, 'User');
  assert.equal(e.target[0].type, 'UserGroup');
  assert.equal(e.client.ipAddress, '127.0.0.1');
  assert.match(e.client.userAgent.rawUserAgent, /okta-sdk-nodejs/);
  assert.ok(e.transaction.id, 'transaction id (the request id)');

  const desc = await collectAll(
    admin.systemLogApi.listLogEvents({ since: started, until: future, limit: 7, filter, sortOrder: 'DESCENDING' }),
  );
  assert.deepEqual(desc.map((x) => x.uuid), events.map((x) => x.uuid).reverse());
});

it('filters on eventType, actor, target and outcome, and q keywords', async () => {
  const login = `${unique('logu')}@example.com`;
  const user = await admin.userApi.createUser({
    body: { profile: { firstName: 'Log', lastName: 'Subject', email: login, login } },
    activate: false,
  });
  const group = await admin.groupApi.createGroup({ group: { profile: { name: unique('logg') } } });
  await admin.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
  await admin.roleAssignmentApi.assignRoleToUser({ userId: user.id, assignRoleRequest: { type: 'REPORT_ADMIN' } });

  const created = await eventsOf(`eventType eq "user.lifecycle.create" and target.id eq "${user.id}"`);
  assert.equal(created.length, 1);
  assert.equal(created[0].target[0].alternateId, login);
  assert.equal(created[0].target[0].type, 'User');  // §11.18

  const membership = await eventsOf(`eventType sw "group.user_membership" and target.id eq "${group.id}"`);
  assert.deepEqual(membership.map((x) => x.eventType), ['group.user_membership.add']);
  assert.deepEqual(membership[0].target.map((t) => t.type).sort(), ['User', 'UserGroup']);

  const granted = await eventsOf(`eventType ew "privilege.grant" and target.id eq "${user.id}"`);
  assert.equal(granted.length, 1);
  assert.equal(granted[0].debugContext.debugData.privilegeGranted, 'Report Administrator');

  const mine = await eventsOf(`actor.id eq "${server.adminUserId}" and (target.id eq "${user.id}" or target.id eq "${group.id}")`);
  assert.ok(mine.length >= 4, `${mine.length} events by the admin about the two`);
  const notMine = await eventsOf(`not (actor.id eq "${server.adminUserId}") and target.id eq "${user.id}"`);
  assert.equal(notMine.length, 0);
  const failures = await eventsOf(`outcome.result eq "FAILURE" and target.id eq "${user.id}"`);
  assert.equal(failures.length, 0);

  const byKeyword = await collectAll(admin.systemLogApi.listLogEvents({ since: started, until: future, q: login.split('@')[0] }));
  assert.ok(byKeyword.length >= 2, 'q finds the create and the membership');
  assert.ok(byKeyword.every((x) => JSON.stringify(x).toLowerCase().includes(login.split('@')[0].toLowerCase())));
});

it('polling (ASCENDING without until) always links next, and the next link brings new events', async () => {
  // Drain: follow next until a page comes back short.
  let res = await raw(logsUrl({ limit: '1000' }), { token: server.adminToken });
  for (let i = 0; i < 20 && res.json.length === 1000; i += 1) {
    res = await raw(parseLinks(res.headers.get('link')).next, { token: server.adminToken });
  }
  let next = parseLinks(res.headers.get('link')).next;
  assert.ok(next, `a polling page has rel="next": ${res.headers.get('link')}`);
  const empty = await raw(next, { token: server.adminToken });
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.json, []);
  next = parseLinks(empty.headers.get('link')).next;
  assert.ok(next, 'even an empty polling page has rel="next"');

  const name = unique('polled');
  await admin.groupApi.createGroup({ group: { profile: { name } } });
  const polled = await raw(next, { token: server.adminToken });
  assert.ok(polled.json.some((e) => e.eventType === 'group.lifecycle.create' && e.target[0].displayName === name),
    `the new event arrives on the next link: ${polled.text.slice(0, 300)}`);
  assert.ok(parseLinks(polled.headers.get('link')).next);

  // A bounded query ends: no next link after the last page.
  const bounded = await raw(logsUrl({ since: started, until: future, limit: '1000' }), { token: server.adminToken });
  assert.equal(parseLinks(bounded.headers.get('link')).next, undefined);
});

it('bad since, until, filter, limit, sortOrder and after are 400, never an unfiltered result', async () => {
  const cases = [
    [{ since: 'last tuesday' }, 'E0000001'],
    [{ until: '2030-02-30T00:00:00Z' }, 'E0000001'],
    [{ since: future, until: started }, 'E0000001'],
    [{ limit: 'ten' }, 'E0000001'],
    [{ limit: '1001' }, 'E0000001'],
    [{ sortOrder: 'RANDOM' }, 'E0000001'],
    [{ after: 'not-a-cursor' }, 'E0000001'],
    [{ filter: 'eventType eq' }, 'E0000031'],
    [{ filter: 'eventType eq "x" or 1=1' }, 'E0000031'],
    [{ filter: '(eventType eq "x"' }, 'E0000031'],
  ];
  for (const [params, code] of cases) {
    assertRawError(await raw(logsUrl(params), { token: server.adminToken, lenient: true }), 400, code);
  }
  const err = await rejection(collectAll(admin.systemLogApi.listLogEvents({ filter: 'eventType zz "x"' })));
  assertOktaError(err, 400, 'E0000031');
});

it('reading the log needs logs.read: a role without it gets 403, an OAuth client needs okta.logs.read', async () => {
  const login = `${unique('nolog')}@example.com`;
  const user = await admin.userApi.createUser({
    body: { profile: { firstName: 'No', lastName: 'Logs', email: login, login }, credentials: { password: { value: 'Correct-Horse-Battery-9!' } } },
  });
  await admin.roleAssignmentApi.assignRoleToUser({ userId: user.id, assignRoleRequest: { type: 'GROUP_MEMBERSHIP_ADMIN' } });
  const tok = await raw(`${orgUrl}/api/v1/api-tokens`, { method: 'POST', token: server.adminToken, body: { name: 'nolog', userId: user.id } });
  assert.equal(tok.status, 201, tok.text);
  assertRawError(await raw(logsUrl({}), { token: tok.json.token, lenient: true }), 403, 'E0000006');

  const reader = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.logs.read', 'okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  const at = accessTokenOf(await formPost(tokenUrl, {
    grant_type: 'client_credentials', scope: 'okta.logs.read', client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(reader.key, reader.clientId, tokenUrl),
  }));
  const ok = await bearer(logsUrl({ since: started, until: future, limit: '5' }), at);
  assert.equal(ok.status, 200, ok.text);
  const groupsOnly = accessTokenOf(await formPost(tokenUrl, {
    grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(reader.key, reader.clientId, tokenUrl),
  }));
  const denied = await bearer(logsUrl({}), groupsOnly);
  assert.equal(denied.status, 403);
  assert.match(denied.headers.get('www-authenticate') ?? '', /insufficient_scope/);
});

it('token issuance and refusal are recorded within a second or so, with the reason', async () => {
  const app = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'] });
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  accessTokenOf(await formPost(tokenUrl, {
    grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(app.key, app.clientId, tokenUrl),
  }));
  const refused = await formPost(tokenUrl, {
    grant_type: 'client_credentials', scope: 'okta.users.manage', client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signAssertion(app.key, app.clientId, tokenUrl),
  });
  assert.equal(refused.status, 400);
  const events = await waitFor(async () => {
    const got = await eventsOf(`actor.id eq "${app.clientId}" and eventType sw "app.oauth2.token.grant"`);
    return got.length === 2 ? got : undefined;
  }, { what: 'the two token events', timeoutMs: 5_000 });
  const [granted, failed] = events;
  assert.equal(granted.eventType, 'app.oauth2.token.grant.access_token');
  assert.equal(granted.outcome.result, 'SUCCESS');
  assert.equal(granted.debugContext.debugData.grantedScopes, 'okta.groups.read');
  assert.equal(failed.eventType, 'app.oauth2.token.grant');
  assert.equal(failed.outcome.result, 'FAILURE');
  assert.equal(failed.outcome.reason, 'invalid_scope');
  assert.equal(failed.severity, 'WARN');
});

it('no issued secret, token or assertion appears in the data directory, the output or any log page', async () => {
  const secrets = [];
  const keep = (what, value) => {
    assert.equal(typeof value, 'string', what);
    secrets.push([what, value]);
    if (value.split('.').length === 3) secrets.push([`${what} (signature)`, value.split('.')[2]]);
    return value;
  };
  // API tokens: issued, used (first use recorded), revoked.
  for (let i = 0; i < 2; i += 1) {
    const t = await raw(`${orgUrl}/api/v1/api-tokens`, { method: 'POST', token: server.adminToken, body: { name: `scan-${i}` } });
    assert.equal(t.status, 201, t.text);
    keep('API token', t.json.token);
    assert.equal((await raw(`${orgUrl}/api/v1/groups`, { token: t.json.token })).status, 200);
    if (i === 1) assert.equal((await raw(`${orgUrl}/api/v1/api-tokens/${t.json.id}`, { method: 'DELETE', token: server.adminToken })).status, 204);
  }
  // Client secrets: the app's first one and a rotated one; tokens at the default AS with them.
  await ensureAsScope(orgUrl, server.adminToken, 'scan.read');
  const sApp = await secretApp(orgUrl, server.adminToken);
  keep('client secret', sApp.secret);
  const second = await raw(`${orgUrl}/api/v1/apps/${sApp.id}/credentials/secrets`, { method: 'POST', token: server.adminToken });
  assert.equal(second.status, 201, second.text);
  keep('client secret (rotated)', second.json.client_secret);
  keep('access token (default AS)', accessTokenOf(await basicToken(`${orgUrl}/oauth2/default/v1/token`, sApp, 'scan.read')));
  // A wrong secret and a secret sent as the client id are refused and recorded without them.
  const wrong = `${sApp.secret.slice(0, -4)}zzzz`;
  keep('wrong client secret', wrong);
  await formPost(`${orgUrl}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'scan.read' }, { basic: [sApp.clientId, wrong] });
  await formPost(`${orgUrl}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'scan.read', client_id: sApp.secret, client_secret: sApp.secret });
  // Client assertions and org AS access tokens, used as Bearer tokens and revoked; a replayed
  // assertion is refused.
  const kApp = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  const assertion = keep('client assertion', await signAssertion(kApp.key, kApp.clientId, tokenUrl));
  const form = { grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
  const at = keep('access token (org AS)', accessTokenOf(await formPost(tokenUrl, form)));
  assert.equal((await formPost(tokenUrl, form)).status, 401, 'a replayed assertion is refused');
  assert.equal((await bearer(`${orgUrl}/api/v1/groups`, at)).status, 200);
  const assertion2 = keep('client assertion (revocation)', await signAssertion(kApp.key, kApp.clientId, `${orgUrl}/oauth2/v1/revoke`));
  const revoked = await formPost(`${orgUrl}/oauth2/v1/revoke`, { token: at, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion2 });
  assert.equal(revoked.status, 200, revoked.text);

  // The queued token events are written within a second; wait until the last one is there.
  await waitFor(async () => (await eventsOf(`actor.id eq "${kApp.clientId}" and outcome.result eq "FAILURE"`)).length > 0,
    { what: 'the refused replay to be recorded', timeoutMs: 5_000 });

  const pages = await allPages({ since: started, until: future, limit: '50' });
  const logText = pages.map((p) => p.text).join('\n');
  assert.ok(pages.length > 1, 'several pages scanned');
  for (const type of ['system.api_token.create', 'system.api_token.first_used', 'system.api_token.revoke',
    'app.oauth2.credentials.lifecycle.create', 'app.oauth2.token.grant.access_token', 'app.oauth2.token.grant',
    'app.oauth2.as.token.grant', 'app.oauth2.token.revoke']) {
    assert.ok(logText.includes(`"eventType":"${type}"`), `the log holds ${type}`);
  }

  const files = [];
  async function walk(dir) {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(p);
      else files.push(p);
    }
  }
  // Every file of the data directory, read whole; under PostgreSQL, the server's database too
  // (pg_dump of every row: issue 18).
  const readDataDir = async () => {
    files.length = 0;
    await walk(server.dataDir);
    const blobs = await Promise.all(files.map(async (f) => [f, (await fs.readFile(f)).toString('latin1')]));
    if (STORE === 'postgresql') blobs.push(['pg_dump', await dumpStore(server.dataDir)]);
    return blobs;
  };
  // No secret in any of `blobs`, in the log pages `text` or in the server's output; the ids of
  // the same objects are found in both, so the search can find what is there.
  const assertNoSecrets = (blobs, text, when) => {
    for (const id of [kApp.clientId, sApp.clientId]) {
      assert.ok(blobs.some(([, b]) => b.includes(id)), `${id} is found in the data directory (${when})`);
      assert.ok(text.includes(id), `${id} is found in the log pages (${when})`);
    }
    for (const [what, value] of secrets) {
      for (const [f, b] of blobs) assert.ok(!b.includes(value), `${what} found in ${f} (${when})`);
      assert.ok(!text.includes(value), `${what} found in a /api/v1/logs page (${when})`);
      assert.ok(!server.stdout.includes(value) && !server.stderr.includes(value), `${what} found in the server output`);
    }
  };
  // While serving, the WAL holds recent writes: it must be among the files scanned.
  const serving = await readDataDir();
  if (STORE === 'sqlite') assert.ok(files.some((f) => f.endsWith('-wal')), `the WAL is scanned too: ${files}`);
  assertNoSecrets(serving, logText, 'while serving');
  // A clean stop checkpoints the WAL into the database file: the ids are then in a file that is
  // not the WAL, and still no secret anywhere.
  await server.stop();
  const stopped = await readDataDir();
  for (const id of [kApp.clientId, sApp.clientId]) {
    assert.ok(stopped.some(([f, b]) => !f.endsWith('-wal') && b.includes(id)), `${id} is in the database file after stop`);
  }
  assertNoSecrets(stopped, logText, 'after stop');
  // Served again from those files, the log pages are read afresh from the live server.
  await server.restart();
  orgUrl = server.url;
  admin = server.client();
  const again = await allPages({ since: started, until: future, limit: '50' });
  assert.ok(again.length > 1, 'several pages scanned after the restart');
  assertNoSecrets(await readDataDir(), again.map((p) => p.text).join('\n'), 'after the restart');
});

it('a change and its event survive kill -9 together', async () => {
  const name = unique('crash');
  const g = await admin.groupApi.createGroup({ group: { profile: { name } } });
  await server.kill9();
  await server.restart();
  orgUrl = server.url;
  admin = server.client();
  const events = await eventsOf(`eventType eq "group.lifecycle.create" and target.id eq "${g.id}"`);
  assert.equal(events.length, 1, 'the acknowledged change was recorded in its own transaction');
});

it('the writer thread yields to the request threads (nice 5); the request threads run at 0', async () => {
  // Events are written by the writer lane; a batch must not hold the core that serves requests
  // (server/app.cpp, kWriterNice). proc(5): field 19 of /proc/PID/task/TID/stat is nice.
  const pid = server.proc.pid;
  const nice = async () => {
    const tids = await fs.readdir(`/proc/${pid}/task`);
    const values = [];
    for (const tid of tids) {
      const stat = await fs.readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      values.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    }
    return values.sort((a, b) => a - b);
  };
  const values = await waitFor(async () => {
    const v = await nice();
    return v.includes(5) ? v : null;
  });
  assert.equal(values.filter((v) => v === 5).length, 1, `one thread at nice 5: ${values}`);
  assert.ok(values.filter((v) => v === 0).length >= 1, `the request threads at nice 0: ${values}`);
  assert.deepEqual(values.filter((v) => v !== 0 && v !== 5), [], `no other nice values: ${values}`);
});
