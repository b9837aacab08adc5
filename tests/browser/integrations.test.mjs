// Browser tests of the console's integration pages (issues 15 and 17) over two orgs made with the
// org creator API: the vendor runs a test instance of its draft in the console and submits it;
// the operator approves in the review queue; the customer's admin reads the catalog's scopes and
// reasons, installs with a subset of them, sees the secret once, and the test gets a token with
// those credentials (client_secret_basic at the customer's org AS) carrying only the granted
// scopes; instance secrets; a READ_ONLY_ADMIN sees no install, consent or secret buttons.
//   GATEHOUSE_BIN=build/gatehouse node --test tests/browser/integrations.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { it, raw, startServer, userBody, PASSWORD } from '../node/lib/server.mjs';
import { createOrg } from '../node/lib/oauth.mjs';
import { subs, USERS, GROUPS, LOGS, integrationKey, submissionBody, must } from '../node/lib/integrations.mjs';
import { CONSOLE_CONFIG, launch, shot, signIn } from './lib.mjs';

const ORG_PASSWORD = 'Another-Long-Passw0rd!';  // createOrg's first admin
let server, browser, op, vendor, customer, key;
let installed;  // {id, secret} of the customer's install
const cspViolations = [];

// client_credentials with client_secret_basic at the org AS (okta-compat.md §4, §5), by fetch.
async function token(orgUrl, clientId, secret, scope) {
  const res = await fetch(`${orgUrl}/oauth2/v1/token`, {
    method: 'POST',
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64'),
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  return { status: res.status, json: await res.json() };
}
// A whole 1×1 PNG (the browser draws it), uploaded as the vendor's logo.
async function uploadLogo(o) {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'logo.png');
  const res = await fetch(`${subs(o)}/logo`, { method: 'POST', headers: { Authorization: `SSWS ${o.token}`, Accept: 'application/json' }, body: form });
  assert.equal(res.status, 201);
  return (await res.json()).url;
}
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

async function context() {
  const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  c.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && cspViolations.push(m.text()));
  return c;
}

describe('integration pages of the console in Chromium', () => {
  before(async () => {
    server = await startServer({ config: CONSOLE_CONFIG });
    browser = await launch();
    op = { orgUrl: server.url, token: server.adminToken };
    vendor = await createOrg(op.orgUrl, op.token, 'bvendor');
    customer = await createOrg(op.orgUrl, op.token, 'bcustomer');
    key = integrationKey('acme_sync');
    const logo = await uploadLogo(vendor);
    await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(key, logo, { scopes: [USERS, GROUPS, LOGS] }) }, 201);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('the vendor runs a test instance of its draft in the console, then submits it', async () => {
    const c = await context();
    const page = await signIn(c, vendor.orgUrl, 'root@bvendor.example', ORG_PASSWORD);
    await page.waitForSelector('[data-testid=org-url]');
    await page.goto(vendor.orgUrl + '/admin/#/integrations/mine');
    const row = page.locator('tr', { hasText: 'Acme Directory Sync' });
    await row.locator('[data-testid=test-instance]').click();
    await page.waitForSelector('[data-testid=shown-once]');
    assert.match(await page.textContent('[data-testid=client-id]'), /test instance/);
    const clientId = (await page.textContent('[data-testid=client-id] code')).trim();
    const secret = (await page.textContent('[data-testid=secret-value]')).trim();
    await shot(page, '14-integration-test-instance');
    const t = await token(vendor.orgUrl, clientId, secret, 'okta.users.read');
    assert.equal(t.status, 200, JSON.stringify(t.json));
    await page.click('button:text("I have stored it")');
    assert.equal(await page.locator('[data-testid=shown-once]').count(), 0);
    // The test instance is marked as such among the vendor's installs.
    await page.goto(vendor.orgUrl + '/admin/#/integrations');
    await page.locator('[data-testid=instances] tr', { hasText: 'test instance' }).waitFor();
    await page.goto(vendor.orgUrl + '/admin/#/integrations/mine');
    await row.locator('button:text("Submit for review")').click();
    await row.locator('td', { hasText: 'SUBMITTED' }).waitFor();
    // A non-operator has no review queue.
    assert.equal(await page.locator('.tabs a', { hasText: 'Review queue' }).count(), 0);
    await c.close();
  });

  it('the operator sees the scope diff in the review queue and approves', async () => {
    const c = await context();
    const page = await signIn(c, server.url, server.init.adminLogin, server.init.adminPassword);
    await page.waitForSelector('[data-testid=org-url]');
    await page.goto(server.url + '/admin/#/integrations/review');
    const row = page.locator(`tr[data-submission=${key}]`);
    await row.waitFor();
    assert.match(await row.locator('[data-testid=scope-diff]').textContent(), /\+ okta\.users\.read\+ okta\.groups\.read\+ okta\.logs\.read/);
    assert.match(await row.textContent(), /bvendor Inc\./);
    await shot(page, '15-integration-review-queue');
    await row.locator('button:text("Approve")').click();
    await row.waitFor({ state: 'detached' });
    await page.selectOption('select[name=review-status]', 'PUBLISHED');
    await row.locator('button:text("Unpublish")').waitFor();
    await c.close();
  });

  it('the customer admin reads scopes and reasons, installs a subset, sees the secret once; the token has only those scopes', async () => {
    const c = await context();
    const page = await signIn(c, customer.orgUrl, 'root@bcustomer.example', ORG_PASSWORD);
    await page.waitForSelector('[data-testid=org-url]');
    await page.goto(customer.orgUrl + '/admin/#/integrations');
    const card = page.locator(`[data-integration=${key}]`);
    await card.waitFor();
    // `q` searches name and description.
    await page.fill('input[name=catalog-q]', 'no such thing');
    await page.click('button:text("Search")');
    await card.waitFor({ state: 'detached' });
    await page.fill('input[name=catalog-q]', 'DIRECTORY SYNC');
    await page.click('button:text("Search")');
    await card.waitFor();
    const text = await card.textContent();
    for (const s of [USERS, GROUPS, LOGS]) assert.ok(text.includes(`${s.scope} ${s.reason}`), `${s.scope} with its reason in ${text}`);
    assert.match(text, /by bvendor Inc\./);
    await page.waitForFunction((k) => document.querySelector(`[data-integration=${k}] img.logo`)?.naturalWidth > 0, key);  // drawn
    await shot(page, '16-integration-catalog');
    await card.locator('[data-testid=install]').click();
    const consent = page.locator('[data-testid=consent]');
    await consent.waitFor();
    assert.equal(await consent.locator('input[name=scope]:checked').count(), 3);  // all by default
    assert.match(await consent.textContent(), /Maps groups to Acme teams/);
    await consent.locator('input[value="okta.groups.read"]').uncheck();
    await consent.locator('input[value="okta.logs.read"]').uncheck();
    await shot(page, '17-integration-consent');
    await page.click('button:text("Consent and install")');
    await page.waitForSelector('[data-testid=shown-once]');
    const clientId = (await page.textContent('[data-testid=client-id] code')).trim();
    const secret = (await page.textContent('[data-testid=secret-value]')).trim();
    installed = { id: clientId, secret };
    await shot(page, '18-integration-installed-secret');
    const ok = await token(customer.orgUrl, clientId, secret, 'okta.users.read');
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.deepEqual(claimsOf(ok.json.access_token).scp, ['okta.users.read']);
    assert.equal((await raw(`${customer.orgUrl}/api/v1/users`, { headers: { Authorization: `Bearer ${ok.json.access_token}` } })).status, 200);
    const refused = await token(customer.orgUrl, clientId, secret, 'okta.users.read okta.groups.read');
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error, 'invalid_scope');
    // The secret is gone once stored; the instance page shows what waits for consent.
    await page.click('button:text("I have stored it")');
    await page.waitForSelector('[data-testid=pending]');
    assert.equal(await page.locator('[data-testid=shown-once]').count(), 0);
    assert.match(await page.textContent('[data-testid=pending]'), /okta\.groups\.read.*okta\.logs\.read/);
    await c.close();
  });

  it('instance secrets: a second one shown once, masked in the list, the server refuses to deactivate the last ACTIVE one', async () => {
    const c = await context();
    const page = await signIn(c, customer.orgUrl, 'root@bcustomer.example', ORG_PASSWORD);
    await page.waitForSelector('[data-testid=org-url]');
    await page.goto(customer.orgUrl + `/admin/#/integrations/instances/${installed.id}`);
    await page.click('[data-testid=new-secret]');
    const second = (await page.textContent('[data-testid=secret-value]')).trim();
    assert.notEqual(second, installed.secret);
    await page.click('button:text("I have stored it")');
    const rows = page.locator('tr', { hasText: 'ACTIVE' });
    await rows.nth(1).waitFor();
    assert.ok(!(await page.textContent('table')).includes(second));  // masked
    // The new secret's row (the list shows each secret's first characters only), deactivated.
    assert.match(second, /^gth_cs_/);
    await page.locator('tr', { hasText: second.slice(0, 11) }).locator('button:text("Deactivate")').click();
    await page.locator('tr', { hasText: 'INACTIVE' }).waitFor();
    await page.locator('tr', { hasText: /\bACTIVE/ }).locator('button:text("Deactivate")').first().click();
    await page.locator('.error', { hasText: 'last ACTIVE' }).waitFor();
    await shot(page, '19-integration-instance');
    // Consent to one of the two scopes the install was not given: tokens may carry it from now on.
    await page.click('button:text("Consent to new scopes…")');
    await page.locator('label.choice', { hasText: 'okta.logs.read' }).locator('input').uncheck();
    await page.click('button:text("Consent")');
    await page.locator('[data-testid=pending]', { hasNotText: 'okta.groups.read' }).waitFor();
    assert.match(await page.textContent('[data-testid=pending]'), /okta\.logs\.read/);
    const more = await token(customer.orgUrl, installed.id, installed.secret, 'okta.users.read okta.groups.read');
    assert.equal(more.status, 200, JSON.stringify(more.json));
    assert.deepEqual(claimsOf(more.json.access_token).scp.sort(), ['okta.groups.read', 'okta.users.read']);
    await c.close();
  });

  it('a READ_ONLY_ADMIN sees the catalog and instances but no install, consent or secret buttons', async () => {
    const login = 'reader@bcustomer.example';
    const u = await raw(`${customer.orgUrl}/api/v1/users?activate=true`, { method: 'POST', token: customer.token, body: userBody(login) });
    assert.equal(u.status, 200, u.text);
    const r = await raw(`${customer.orgUrl}/api/v1/users/${u.json.id}/roles`, { method: 'POST', token: customer.token, body: { type: 'READ_ONLY_ADMIN' } });
    assert.equal(r.status, 201, r.text);
    const c = await context();
    const page = await signIn(c, customer.orgUrl, login, PASSWORD);
    await page.waitForSelector('[data-testid=org-url]');
    // A console sign-in is the user's lastLogin.
    const me = await raw(`${customer.orgUrl}/api/v1/users/${u.json.id}`, { token: customer.token });
    assert.equal(u.json.lastLogin, null);
    assert.ok(Date.parse(me.json.lastLogin) > 0, me.text);
    await page.goto(customer.orgUrl + '/admin/#/integrations');
    await page.locator(`[data-integration=${key}]`).waitFor();
    await page.locator('[data-testid=instances] a', { hasText: 'Acme Directory Sync' }).waitFor();
    assert.equal(await page.locator('[data-testid=install]').count(), 0);
    await page.goto(customer.orgUrl + `/admin/#/integrations/instances/${installed.id}`);
    await page.waitForSelector('[data-testid=pending]');
    for (const b of ['uninstall', 'new-secret']) assert.equal(await page.locator(`[data-testid=${b}]`).count(), 0, b);
    assert.equal(await page.locator('button:text("Consent to new scopes…")').count(), 0);
    assert.equal(await page.locator('button:text("Deactivate")').count(), 0);
    await c.close();
  });

  it('the customer admin uninstalls after confirming; the credentials stop working', async () => {
    const c = await context();
    const page = await signIn(c, customer.orgUrl, 'root@bcustomer.example', ORG_PASSWORD);
    await page.waitForSelector('[data-testid=org-url]');
    await page.goto(customer.orgUrl + `/admin/#/integrations/instances/${installed.id}`);
    await page.click('[data-testid=uninstall]');  // signIn accepts the confirmation
    await page.locator('[data-testid=instances]').waitFor();
    assert.equal(await page.locator('[data-testid=instances] a', { hasText: 'Acme Directory Sync' }).count(), 0);
    const gone = await token(customer.orgUrl, installed.id, installed.secret, 'okta.users.read');
    assert.equal(gone.status, 401);
    await c.close();
  });

  it('the vendor starts a new version in the console; the operator sees its scope diff and rejects it with a comment the vendor reads', async () => {
    const vc = await context();
    const vp = await signIn(vc, vendor.orgUrl, 'root@bvendor.example', ORG_PASSWORD);
    await vp.waitForSelector('[data-testid=org-url]');
    await vp.goto(vendor.orgUrl + '/admin/#/integrations/mine');
    const row = vp.locator('tr', { hasText: 'Acme Directory Sync' });
    await row.locator('button:text("New version")').click();
    assert.equal(await vp.inputValue('input[name=integration-key]'), key);
    assert.ok(await vp.locator('input[name=integration-key]').isDisabled());
    const apps = vp.locator('.scope-reason', { hasText: 'okta.apps.read' });
    await apps.locator('input[type=checkbox]').check();
    await apps.locator('input:not([type])').fill('Lists the apps Acme connects to');
    await vp.locator('.scope-reason', { hasText: 'okta.logs.read' }).locator('input[type=checkbox]').uncheck();
    await vp.click('button:text("Save draft")');
    await row.locator('button:text("Discard version")').waitFor();
    await row.locator('button:text("Submit for review")').click();
    await row.locator('td', { hasText: 'SUBMITTED' }).waitFor();

    const oc = await context();
    const op_ = await signIn(oc, server.url, server.init.adminLogin, server.init.adminPassword);
    await op_.waitForSelector('[data-testid=org-url]');
    await op_.goto(server.url + '/admin/#/integrations/review');
    const sub = op_.locator(`tr[data-submission=${key}]`);
    const diff = (await sub.locator('[data-testid=scope-diff]').textContent()).replace(/\s+/g, ' ');
    assert.match(diff, /^\+ okta\.apps\.read\s*− okta\.logs\.read okta\.users\.read okta\.groups\.read$/);
    assert.match(await sub.textContent(), /published version 1/);
    await sub.locator('button:text("Reject…")').click();
    await sub.locator('textarea[name=review-comment]').fill('Say why the apps are listed');
    await sub.locator('button:text("Reject")').click();
    await sub.waitFor({ state: 'detached' });
    await oc.close();

    await vp.reload();
    await row.locator('td', { hasText: 'REJECTED' }).waitFor();
    await row.locator('button:text("Comments")').click();
    await vp.locator('[data-testid=comments] li', { hasText: 'Say why the apps are listed' }).waitFor();
    assert.match(await vp.textContent('[data-testid=comments]'), /REJECTED/);
    await shot(vp, '20-integration-vendor-comments');
    await vc.close();
  });

  it('no integration page broke the Content-Security-Policy', () => {
    assert.deepEqual(cspViolations, []);
  });
});
