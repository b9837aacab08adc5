// API service integrations end to end (issue 15 "Tests in make test") over two orgs made with the
// org creator API: the vendor drafts, uploads a PNG logo, runs a test instance and gets a token
// with it, submits; the operator (a SUPER_ADMIN of the first org) approves; the customer browses
// the catalog and installs with a subset of the scopes; an oauth4webapi client gets a token with
// the instance's credentials (client_secret_basic at the customer's org AS) and lists the
// customer's users; an unconsented scope is 400 invalid_scope, a call needing an ungranted scope
// 403; two ACTIVE secrets and a rotation; a new version adding a scope is invisible to the install
// until consent; uninstall makes the next call 401. Then every refusal.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startServer, raw, rejection, it } from './lib/server.mjs';
import { assertRawError } from './lib/checks.mjs';
import { createOrg, assertOAuthError, accessTokenOf, assertInvalidToken, bearer } from './lib/oauth.mjs';
import {
  services, subs, queue, catalog, causes, USERS, GROUPS, LOGS, PNG, integrationKey, uploadLogo, submissionBody, call,
  must, instanceToken,
} from './lib/integrations.mjs';

const insecure = { [oauth.allowInsecureRequests]: true };

let server;
let op;
let vendor;
let customer;

before(async () => {
  server = await startServer();
  op = { orgUrl: server.url, token: server.adminToken };
  const v = await createOrg(op.orgUrl, op.token, 'e2evendor');
  vendor = { orgUrl: v.orgUrl, token: v.token, id: v.id };
  const c = await createOrg(op.orgUrl, op.token, 'e2ecustomer');
  customer = { orgUrl: c.orgUrl, token: c.token, id: c.id };
});

after(async () => {
  await server?.dispose();
});

// oauth4webapi against the org AS of `o`: OIDC discovery (issuer + /.well-known/openid-configuration), then client_credentials with
// client_secret_basic (okta-compat.md §4, §9).
async function o4wToken(o, clientId, secret, scope) {
  const issuer = new URL(o.orgUrl);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  const client = { client_id: clientId };
  const res = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secret), new URLSearchParams({ scope }), insecure);
  return oauth.processClientCredentialsResponse(as, client, res);
}
async function o4wGet(accessToken, url) {
  return oauth.protectedResourceRequest(accessToken, 'GET', new URL(url), undefined, undefined, insecure);
}

it('vendor → test instance → operator → catalog → install → token → rotation → consent → uninstall', async () => {
  const id = integrationKey('acme_sync');

  // The vendor drafts with a PNG logo and runs a test instance of the draft in its own org.
  const logo = await uploadLogo(vendor);
  await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(id, logo, { scopes: [USERS, GROUPS] }) }, 201);
  const test = await must(vendor, `${subs(vendor)}/${id}/test-instance`, { method: 'POST' }, 201);
  assert.equal(test.testInstance, true);
  assert.deepEqual(test.grantedScopes, ['okta.users.read', 'okta.groups.read']);
  const testToken = await o4wToken(vendor, test.id, test.clientSecret, 'okta.users.read');
  const vendorUsers = await o4wGet(testToken.access_token, `${vendor.orgUrl}/api/v1/users`);
  assert.equal(vendorUsers.status, 200, await vendorUsers.text());

  // The vendor submits; the operator approves.
  await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);
  const approved = await must(op, `${queue(op)}/${id}/approve`, { method: 'POST' });
  assert.equal(approved.status, 'PUBLISHED');

  // The customer browses the catalog: name, logo, scopes and their reasons.
  const item = (await must(customer, catalog(customer))).find((e) => e.id === id);
  assert.ok(item);
  assert.equal(item.logo, logo);
  assert.deepEqual(item.scopes, [USERS, GROUPS]);

  // The customer installs with a subset of the declared scopes.
  const inst = await must(customer, services(customer), { method: 'POST', body: { type: id, grantedScopes: ['okta.users.read'] } }, 201);
  assert.deepEqual(inst.grantedScopes, ['okta.users.read']);
  assert.deepEqual(inst.pendingScopes, ['okta.groups.read']);
  assert.equal(inst.testInstance, false);

  // oauth4webapi gets a token with the instance's credentials and lists the customer's users.
  const tr = await o4wToken(customer, inst.id, inst.clientSecret, 'okta.users.read');
  assert.equal(tr.scope, 'okta.users.read');
  const users = await o4wGet(tr.access_token, `${customer.orgUrl}/api/v1/users`);
  const usersText = await users.text();
  assert.equal(users.status, 200, usersText);
  const logins = JSON.parse(usersText).map((u) => u.profile.login);
  assert.ok(logins.includes('root@e2ecustomer.example'), JSON.stringify(logins));

  // A scope the customer did not consent to: 400 invalid_scope at the token endpoint.
  const err = await rejection(o4wToken(customer, inst.id, inst.clientSecret, 'okta.groups.read'));
  assert.equal(err.error ?? err.cause?.error, 'invalid_scope', String(err));
  assertOAuthError(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read okta.groups.read'), 400, 'invalid_scope');
  // A call that needs a scope the token lacks: 403.
  assertRawError(await bearer(`${customer.orgUrl}/api/v1/groups`, tr.access_token), 403, 'E0000006');

  // Two ACTIVE secrets, then rotation: the old one is deactivated and refused, the new one works.
  const secrets = `${services(customer)}/${inst.id}/credentials/secrets`;
  const [oldSecret] = await must(customer, secrets);
  const fresh = await must(customer, secrets, { method: 'POST' }, 201);
  assert.equal((await must(customer, secrets)).filter((s) => s.status === 'ACTIVE').length, 2);
  await o4wToken(customer, inst.id, inst.clientSecret, 'okta.users.read');
  await o4wToken(customer, inst.id, fresh.client_secret, 'okta.users.read');
  await must(customer, `${secrets}/${oldSecret.id}/lifecycle/deactivate`, { method: 'POST' });
  assertOAuthError(await instanceToken(customer, inst.id, inst.clientSecret, 'okta.users.read'), 401, 'invalid_client');
  await must(customer, `${secrets}/${oldSecret.id}`, { method: 'DELETE' }, 204);
  const rotated = await o4wToken(customer, inst.id, fresh.client_secret, 'okta.users.read');

  // Version 2 adds okta.logs.read: published, yet invisible to the install until consent.
  await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(id, logo, { scopes: [USERS, GROUPS, LOGS] }) }, 201);
  await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);
  assert.equal((await must(op, `${queue(op)}/${id}/approve`, { method: 'POST' })).published.version, 2);
  const before2 = await must(customer, `${services(customer)}/${inst.id}`);
  assert.deepEqual(before2.grantedScopes, ['okta.users.read']);
  assert.deepEqual(before2.pendingScopes, ['okta.groups.read', 'okta.logs.read']);
  assertOAuthError(await instanceToken(customer, inst.id, fresh.client_secret, 'okta.logs.read'), 400, 'invalid_scope');
  assert.equal((await o4wGet(rotated.access_token, `${customer.orgUrl}/api/v1/users`)).status, 200);  // keeps working
  const consented = await must(customer, `${services(customer)}/${inst.id}/lifecycle/consent`,
    { method: 'POST', body: { grantedScopes: ['okta.users.read', 'okta.logs.read'] } });
  assert.deepEqual(consented.grantedScopes, ['okta.users.read', 'okta.logs.read']);
  assert.deepEqual(consented.pendingScopes, ['okta.groups.read']);
  const withLogs = await o4wToken(customer, inst.id, fresh.client_secret, 'okta.logs.read okta.users.read');
  assert.equal((await o4wGet(withLogs.access_token, `${customer.orgUrl}/api/v1/logs`)).status, 200);

  // Uninstall: the next call with a live token is 401.
  await must(customer, `${services(customer)}/${inst.id}`, { method: 'DELETE' }, 204);
  assertInvalidToken(await bearer(`${customer.orgUrl}/api/v1/users`, withLogs.access_token), 'after uninstall');
  // The vendor's test instance is untouched by all of this.
  assert.equal((await must(vendor, `${services(vendor)}/${test.id}`)).testInstance, true);
});

it('every refusal: DRAFT, REJECTED, unpublished, undeclared scopes, edits in place, non-operators, logos, other orgs', async () => {
  const logo = await uploadLogo(vendor);
  const mk = async (prefix) => {
    const key = integrationKey(prefix);
    await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(key, logo, { scopes: [USERS] }) }, 201);
    return key;
  };
  const installRefused = async (body, cause) => {
    const res = await call(customer, services(customer), { method: 'POST', body });
    assertRawError(res, 400, 'E0000001');
    assert.ok(causes(res).some((c) => c.includes(cause)), `${JSON.stringify(body)}: ${res.text}`);
  };
  const draft = await mk('e2e_draft');
  await installRefused({ type: draft }, 'DRAFT');

  const rejected = await mk('e2e_rejected');
  await must(vendor, `${subs(vendor)}/${rejected}/submit`, { method: 'POST' }, 202);
  // SUBMITTED is not edited in place; a non-operator cannot approve.
  assertRawError(await call(vendor, `${subs(vendor)}/${rejected}`, { method: 'PUT', body: { name: 'x' } }), 400, 'E0000001');
  assertRawError(await call(vendor, `${queue(vendor)}/${rejected}/approve`, { method: 'POST' }), 403, 'E0000006');
  assertRawError(await call(customer, `${queue(customer)}/${rejected}/approve`, { method: 'POST' }), 403, 'E0000006');
  await must(op, `${queue(op)}/${rejected}/reject`, { method: 'POST', body: { comment: 'Explain the scopes.' } });
  await installRefused({ type: rejected }, 'REJECTED');

  const unpublished = await mk('e2e_unpub');
  await must(vendor, `${subs(vendor)}/${unpublished}/submit`, { method: 'POST' }, 202);
  await must(op, `${queue(op)}/${unpublished}/approve`, { method: 'POST' });
  assertRawError(await call(vendor, `${subs(vendor)}/${unpublished}`, { method: 'PUT', body: { name: 'x' } }), 400, 'E0000001');
  const kept = await must(customer, services(customer), { method: 'POST', body: { type: unpublished } }, 201);
  await installRefused({ type: unpublished, grantedScopes: ['okta.groups.read'] }, 'does not declare the scope okta.groups.read');
  await must(op, `${queue(op)}/${unpublished}/unpublish`, { method: 'POST', body: { revokeInstalls: false } });
  await installRefused({ type: unpublished }, 'unpublished');
  // The existing install keeps working.
  const t = accessTokenOf(await instanceToken(customer, kept.id, kept.clientSecret, 'okta.users.read'));
  assert.equal((await bearer(`${customer.orgUrl}/api/v1/users`, t)).status, 200);

  // One org cannot read another's instances.
  assertRawError(await call(vendor, `${services(vendor)}/${kept.id}`), 404, 'E0000007');
  assertRawError(await call(vendor, `${services(vendor)}/${kept.id}/credentials/secrets`), 404, 'E0000007');
  assertRawError(await call(vendor, `${services(vendor)}/${kept.id}/lifecycle/consent`, { method: 'POST', body: {} }), 404, 'E0000007');

  // A logo that is not an image, or too large.
  for (const [bytes, type] of [[Buffer.from('<html>not an image</html>'), 'image/png'], [Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]), 'image/png']]) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), 'logo.png');
    const res = await fetch(`${subs(vendor)}/logo`, { method: 'POST', headers: { Authorization: `SSWS ${vendor.token}`, Accept: 'application/json' }, body: form });
    assert.ok([400, 413].includes(res.status), `logo of ${bytes.length} bytes: ${res.status}`);
  }
  // Nothing else is installed in the customer org.
  assert.deepEqual((await must(customer, services(customer))).map((i) => i.id), [kept.id]);
  assert.equal((await raw(`${customer.orgUrl}/api/v1/apps`, { token: customer.token })).json.length, 0);
});
