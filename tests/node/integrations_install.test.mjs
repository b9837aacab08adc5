// API service integration installs, customer side (issue 15; MGMT-OAS ApiServiceIntegrations,
// okta-compat.md §4, §5, §6) against the real server over orgs made with the org creator API:
// the refusals of an install, Okta's instance and secret shapes, the instance's client_secret_basic
// token at the customer's org AS holding only usable scopes, secret rotation, an operator's
// revocation, uninstall, the vendor's test instance, and the System Log.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, it, waitFor } from './lib/server.mjs';
import { assertRawError } from './lib/checks.mjs';
import { createOrg, bearer, assertOAuthError, accessTokenOf, assertInvalidToken, formPost } from './lib/oauth.mjs';
import {
  services, subs, queue, causes, USERS, GROUPS, LOGS, integrationKey, uploadLogo, submissionBody, call, must,
  publish, instanceToken, eventsOf,
} from './lib/integrations.mjs';

let server;
let op;
let vendor;
let customer;
let logo;

before(async () => {
  server = await startServer();
  op = { orgUrl: server.url, token: server.adminToken };
  const v = await createOrg(op.orgUrl, op.token, 'instvendor');
  vendor = { orgUrl: v.orgUrl, token: v.token, id: v.id };
  const c = await createOrg(op.orgUrl, op.token, 'instcustomer');
  customer = { orgUrl: c.orgUrl, token: c.token, id: c.id };
  logo = await uploadLogo(vendor);
});

after(async () => {
  await server?.dispose();
});

async function install(type, grantedScopes, o = customer) {
  return must(o, services(o), { method: 'POST', body: { type, grantedScopes } }, 201);
}

it('installs only listed published integrations with declared scopes (400 naming the cause)', async () => {
  const draft = integrationKey('draft');
  await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(draft, logo, { scopes: [USERS] }) }, 201);
  const rejected = integrationKey('rejected');
  await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(rejected, logo, { scopes: [USERS] }) }, 201);
  await must(vendor, `${subs(vendor)}/${rejected}/submit`, { method: 'POST' }, 202);
  await must(op, `${queue(op)}/${rejected}/reject`, { method: 'POST', body: { comment: 'no' } });
  const gone = integrationKey('gone');
  await publish(op, vendor, gone, logo, [USERS]);
  await must(op, `${queue(op)}/${gone}/unpublish`, { method: 'POST', body: { revokeInstalls: false } });
  const ok = integrationKey('ok');
  await publish(op, vendor, ok, logo, [USERS, GROUPS]);

  for (const [body, cause] of [
    [{ type: draft }, 'is DRAFT and has never been published'],
    [{ type: rejected }, 'is REJECTED and has never been published'],
    [{ type: gone }, 'was unpublished and takes no new installs'],
    [{ type: 'no_such_thing' }, 'No API service integration has the type no_such_thing'],
    [{}, 'type: The field cannot be left blank'],
    [{ type: ok, grantedScopes: ['okta.users.manage'] }, 'does not declare the scope okta.users.manage'],
    [{ type: ok, grantedScopes: ['okta.logs.read', 'okta.users.read'] }, 'does not declare the scope okta.logs.read'],
    [{ type: ok, grantedScopes: [] }, 'non-empty array'],
  ]) {
    const res = await call(customer, services(customer), { method: 'POST', body });
    assertRawError(res, 400, 'E0000001');
    assert.ok(causes(res).some((c) => c.includes(cause)), `${JSON.stringify(body)}: ${res.text}`);
  }
  assert.deepEqual(await must(customer, services(customer)), []);  // no refusal wrote anything

  // A SUPER_ADMIN's Bearer token without okta.oauthIntegrations.manage cannot install: 403.
  const inst = await install(ok, ['okta.users.read']);
  const t = accessTokenOf(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read'));
  assertRawError(await bearer(services(customer), t, { method: 'POST', body: { type: ok } }), 403, 'E0000006');
  await must(customer, `${services(customer)}/${inst.id}`, { method: 'DELETE' }, 204);
});

it("answers Okta's instance shape; secrets rotate with at most two ACTIVE; another org sees nothing", async () => {
  const type = integrationKey('shape');
  await publish(op, vendor, type, logo, [USERS, GROUPS], { name: 'Shape Sync' });
  const inst = await install(type, ['okta.users.read']);
  assert.match(inst.id, /^0oa/);
  assert.equal(inst.type, type);
  assert.equal(inst.name, 'Shape Sync');
  assert.equal(inst.configGuideUrl, 'https://acme.example/guide');
  assert.deepEqual(inst.grantedScopes, ['okta.users.read']);
  assert.deepEqual(inst.pendingScopes, ['okta.groups.read']);
  assert.equal(inst.testInstance, false);
  assert.equal(typeof inst.clientSecret, 'string');
  assert.match(inst.createdAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(typeof inst.createdBy, 'string');
  assert.equal(inst._links.self.href, `${services(customer)}/${inst.id}`);
  assert.equal(inst._links.client.href, `${customer.orgUrl}/oauth2/v1/clients/${inst.id}`);
  assert.equal(inst._links.logo.href, logo);

  const got = await must(customer, `${services(customer)}/${inst.id}`);
  assert.equal(got.clientSecret, undefined);
  assert.ok((await must(customer, services(customer))).some((i) => i.id === inst.id));
  // Not an ordinary app, and not another org's.
  assertRawError(await call(customer, `${customer.orgUrl}/api/v1/apps/${inst.id}`), 404, 'E0000007');
  for (const url of [`${services(vendor)}/${inst.id}`, `${services(vendor)}/${inst.id}/credentials/secrets`]) {
    assertRawError(await call(vendor, url), 404, 'E0000007');
  }
  assertRawError(await call(vendor, `${services(vendor)}/${inst.id}`, { method: 'DELETE' }), 404, 'E0000007');
  assert.ok(!(await must(vendor, services(vendor))).some((i) => i.id === inst.id));

  // Secrets: one ACTIVE from the install, masked in lists.
  const secrets = `${services(customer)}/${inst.id}/credentials/secrets`;
  const [first] = await must(customer, secrets);
  assert.equal(first.status, 'ACTIVE');
  assert.notEqual(first.client_secret, inst.clientSecret);
  assert.equal(typeof first.secret_hash, 'string');
  assert.ok(first._links.deactivate.href.endsWith(`/credentials/secrets/${first.id}/lifecycle/deactivate`));
  assertRawError(await call(customer, `${secrets}/${first.id}/lifecycle/deactivate`, { method: 'POST' }), 400, 'E0000001');
  const second = await must(customer, secrets, { method: 'POST' }, 201);
  assert.equal(second.status, 'ACTIVE');
  assertRawError(await call(customer, secrets, { method: 'POST' }), 400, 'E0000001');  // a third ACTIVE
  // Both secrets authenticate; rotation: deactivate the first, the second still works.
  accessTokenOf(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read'));
  accessTokenOf(await instanceToken(customer, inst.id, second.client_secret, 'okta.users.read'));
  assertRawError(await call(customer, `${secrets}/${first.id}`, { method: 'DELETE' }), 400, 'E0000001');
  const off = await must(customer, `${secrets}/${first.id}/lifecycle/deactivate`, { method: 'POST' });
  assert.equal(off.status, 'INACTIVE');
  assert.ok(off._links.activate && off._links.delete);
  assertOAuthError(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read'), 401, 'invalid_client');
  accessTokenOf(await instanceToken(customer, inst.id, second.client_secret, 'okta.users.read'));
  await must(customer, `${secrets}/${first.id}`, { method: 'DELETE' }, 204);
  assert.equal((await must(customer, secrets)).length, 1);
});

it('the token holds only usable scopes and does exactly what they allow; revocation and uninstall refuse it', async () => {
  const type = integrationKey('tok');
  await publish(op, vendor, type, logo, [USERS, GROUPS, LOGS]);
  const inst = await install(type, ['okta.users.read', 'okta.groups.read']);
  const res = await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read okta.groups.read');
  const token = accessTokenOf(res);
  assert.equal(res.json.scope, 'okta.users.read okta.groups.read');
  assertOAuthError(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.logs.read'), 400, 'invalid_scope');
  assertOAuthError(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.apps.read'), 400, 'invalid_scope');
  // Only the org AS issues it tokens: not `default`, whose policy includes every client.
  const custom = await formPost(`${customer.orgUrl}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { basic: [inst.id, inst.clientSecret] });
  assertOAuthError(custom, 400, 'unauthorized_client');
  // Its credentials mean nothing at another org's AS.
  assertOAuthError(await instanceToken(vendor, inst.id, inst.clientSecret, 'okta.users.read'), 401, 'invalid_client');
  // No admin role, and none needed: the scopes decide.
  assert.equal((await bearer(`${customer.orgUrl}/api/v1/users`, token)).status, 200);
  assert.equal((await bearer(`${customer.orgUrl}/api/v1/groups`, token)).status, 200);
  const denied = await bearer(`${customer.orgUrl}/api/v1/users`, token, { method: 'POST', body: { profile: {} } });
  assertRawError(denied, 403, 'E0000006');
  assert.match(denied.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  assertRawError(await bearer(`${customer.orgUrl}/api/v1/logs`, token), 403, 'E0000006');
  // The operator unpublishes and revokes every install: the next call is 401, no new tokens.
  await must(op, `${queue(op)}/${type}/unpublish`, { method: 'POST', body: { revokeInstalls: true } });
  assertInvalidToken(await bearer(`${customer.orgUrl}/api/v1/users`, token));
  assertOAuthError(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read'), 401, 'invalid_client');

  // Uninstall: the next call with a live token is 401.
  const type2 = integrationKey('uninst');
  await publish(op, vendor, type2, logo, [USERS]);
  const inst2 = await install(type2);
  assert.deepEqual(inst2.grantedScopes, ['okta.users.read']);  // default: every declared scope
  const t2 = accessTokenOf(await instanceToken(customer, inst2.id, inst2.clientSecret, 'okta.users.read'));
  assert.equal((await bearer(`${customer.orgUrl}/api/v1/users`, t2)).status, 200);
  await must(customer, `${services(customer)}/${inst2.id}`, { method: 'DELETE' }, 204);
  assertInvalidToken(await bearer(`${customer.orgUrl}/api/v1/users`, t2));
  assertOAuthError(await instanceToken(customer, inst2.id, inst2.clientSecret, 'okta.users.read'), 401, 'invalid_client');
  assertRawError(await call(customer, `${services(customer)}/${inst2.id}`), 404, 'E0000007');

  // Every step is an event naming the vendor org, the instance and the scopes; never a secret.
  const evs = await eventsOf(customer, 'oin.integration.');
  const mine = evs.filter((e) => e.debugContext.debugData.instanceId === inst2.id).map((e) => e.eventType);
  assert.deepEqual(mine, ['oin.integration.install', 'oin.integration.uninstall']);
  for (const e of evs.filter((x) => x.debugContext.debugData.instanceId === inst2.id)) {
    assert.equal(e.debugContext.debugData.vendorOrg, vendor.id);
    assert.equal(e.debugContext.debugData.integrationType, type2);
    assert.deepEqual(e.debugContext.debugData.grantedScopes, ['okta.users.read']);
    assert.ok(e.target.some((t) => t.id === inst2.id && t.type === 'AppInstance'));
    assert.equal(typeof e.actor.id, 'string');
  }
  const all = JSON.stringify(await eventsOf(customer, ''));
  for (const secret of [inst.clientSecret, inst2.clientSecret]) assert.ok(!all.includes(secret));
});

it("the vendor's test instance installs its draft in its own org, marked everywhere", async () => {
  const type = integrationKey('testinst');
  await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(type, logo, { scopes: [USERS, GROUPS] }) }, 201);
  const inst = await must(vendor, `${subs(vendor)}/${type}/test-instance`, { method: 'POST', body: { grantedScopes: ['okta.users.read'] } }, 201);
  assert.equal(inst.testInstance, true);
  assert.equal(inst.type, type);
  assert.deepEqual(inst.grantedScopes, ['okta.users.read']);
  assert.equal(typeof inst.clientSecret, 'string');
  const token = accessTokenOf(await instanceToken(vendor, inst.id, inst.clientSecret, 'okta.users.read'));
  assert.equal((await bearer(`${vendor.orgUrl}/api/v1/users`, token)).status, 200);
  assert.equal((await must(vendor, `${services(vendor)}/${inst.id}`)).testInstance, true);
  // Another org cannot make one of this draft, nor install it.
  assertRawError(await call(customer, `${subs(customer)}/${type}/test-instance`, { method: 'POST' }), 404, 'E0000007');
  assertRawError(await call(customer, services(customer), { method: 'POST', body: { type } }), 400, 'E0000001');
  const evs = (await eventsOf(vendor, 'oin.integration.install')).filter((e) => e.debugContext.debugData.instanceId === inst.id);
  assert.equal(evs.length, 1);
  assert.equal(evs[0].debugContext.debugData.testInstance, true);
  assert.equal(evs[0].debugContext.debugData.vendorOrg, vendor.id);
  // The token grant event names the client by its label, which marks the test instance.
  // (queued, then flushed by the writer's tick)
  const grants = await waitFor(async () => {
    const g = (await eventsOf(vendor, 'app.oauth2.token.grant')).filter((e) => e.actor.id === inst.id);
    return g.length ? g : null;
  }, { what: 'the token grant event' });
  assert.match(grants[0].actor.displayName, /\(test instance\)$/);
});
