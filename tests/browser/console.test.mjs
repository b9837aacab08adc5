// Browser tests of the admin console (issue 17): playwright-core (console/package.json) drives
// Debian's Chromium, headless, against a real gatehouse on a free port with the built console
// (console/dist). Screenshots of each page go to build/console-screenshots/ (ignored by git).
//   GATEHOUSE_BIN=build/gatehouse node --test tests/browser/console.test.mjs
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import { it, raw, startServer, userBody, PASSWORD } from '../node/lib/server.mjs';
import { CONSOLE_CONFIG, launch, shot } from './lib.mjs';

let server, browser, admin;
let billing;  // the service app the wizard made: {clientId, jwk} (its current private key)
let billingAs;  // the id of the custom authorization server the console built
const cspViolations = [];  // console errors of every page of the admin's context

async function signIn(context, login, password) {
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(server.url + '/admin/');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  return page;
}

// A cookie-authenticated call made by the page itself (same origin, the browser's cookie).
function pageFetch(page, method, apiPath, { body, csrf } = {}) {
  return page.evaluate(
    async ({ method, apiPath, body, csrf }) => {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (csrf === true) headers['X-CSRF-Token'] = (await (await fetch('/admin/api/session')).json()).csrfToken;
      const r = await fetch(apiPath, { method, headers, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, text: await r.text() };
    },
    { method, apiPath, body, csrf },
  );
}

// An RFC 7523 client assertion signed with the downloaded private JWK (ES256).
function clientAssertion(jwk, clientId, aud) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })}.${b64({
    iss: clientId, sub: clientId, aud, iat: now, exp: now + 300, jti: crypto.randomUUID(),
  })}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

describe('admin console in Chromium', () => {
  before(async () => {
    server = await startServer({ config: CONSOLE_CONFIG + 'sign_in_failures_per_account = 3\n' });
    browser = await launch();
    admin = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
    admin.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && cspViolations.push(m.text()));
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('serves the console with its security headers and signs an admin in', async () => {
    const res = await raw(server.url + '/admin/', { lenient: true, headers: { Accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy'), /script-src 'self';/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const session = await raw(server.url + '/admin/api/session', { lenient: true });
    assert.equal(session.status, 401);
    assert.equal(session.headers.get('x-frame-options'), 'DENY');
    assert.equal(session.headers.get('cache-control'), 'no-store');
    assert.equal((await raw(server.url + '/admin/api/nope', { lenient: true })).status, 404);
    const asset = /src="([^"]+\.js)"/.exec(res.text)[1];
    assert.ok(asset.startsWith('/admin/assets/'), asset);
    const js = await raw(server.url + asset, { lenient: true });
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    const page = await admin.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(server.url + '/admin/');
    await page.waitForSelector('input[name=login]');
    await shot(page, '01-sign-in');
    await page.fill('input[name=login]', server.init.adminLogin);
    await page.fill('input[name=password]', server.init.adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=org-url]');
    assert.equal(await page.textContent('[data-testid=org-url]'), server.url);
    const cookies = await admin.cookies();
    const c = cookies.find((k) => k.name === 'gh_console');
    assert.ok(c && c.httpOnly && c.sameSite === 'Strict' && !c.secure);
    // The decision guide: a program, for this org only, that can do OAuth → client credentials.
    await page.click('[data-testid=q-self] button:text("Yes")');
    await page.click('[data-testid=q-others] button:text("No")');
    await page.click('[data-testid=q-oauth] button:text("Yes")');
    assert.match(await page.textContent('[data-testid=guide-outcome]'), /OAuth client credentials/);
    await shot(page, '02-overview');
    assert.deepEqual(errors.filter((e) => /Content Security Policy/.test(e)), []);
    await page.close();
  });

  it('creates an API token, shows it once, and revoking it makes it fail', async () => {
    const page = await admin.newPage();
    page.on('dialog', (d) => d.accept());
    await page.goto(server.url + '/admin/#/tokens');
    await page.click('[data-testid=new-token]');
    await page.fill('input[name=token-name]', 'ci-script');
    await page.click('button:text("Create")');
    const value = (await page.textContent('[data-testid=secret-value]')).trim();
    assert.match(value, /^gth_api_/);
    await shot(page, '03-api-token-shown-once');
    const ok = await raw(server.url + '/api/v1/users/me', { token: value });
    assert.equal(ok.status, 200);
    await page.click('button:text("I have stored it")');
    assert.equal(await page.locator('[data-testid=shown-once]').count(), 0);  // gone for good
    const row = page.locator('tr', { hasText: 'ci-script' });
    await row.locator('button:text("Revoke")').click();
    await row.waitFor({ state: 'detached' });
    const refused = await raw(server.url + '/api/v1/users/me', { token: value });
    assert.equal(refused.status, 401);
    await shot(page, '04-api-tokens');
    await page.close();
  });

  it('creates an API service app with a key generated in the browser, and the key gets a token', async () => {
    const page = await admin.newPage();
    await page.goto(server.url + '/admin/#/apps');
    await page.click('[data-testid=new-app]');
    await page.fill('input[name=app-label]', 'Billing sync');
    await page.click('button:text("Next")');
    await page.check('input[name=auth][value=generate]');
    await page.click('button:text("Next")');
    await page.check('input[name=scope][value="okta.users.read"]');
    await shot(page, '05-app-wizard-scopes');
    await page.click('button:text("Next")');
    await page.check('input[name=role][value=READ_ONLY_ADMIN]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=create-app]')]);
    const jwk = JSON.parse(await fs.readFile(await download.path(), 'utf8'));
    assert.ok(jwk.d, 'the downloaded file holds the private key');
    const clientId = (await page.textContent('[data-testid=client-id]')).trim();
    const tokenUrl = server.url + '/oauth2/v1/token';
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion(jwk, clientId, tokenUrl),
      }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    const users = await fetch(server.url + '/api/v1/users', { headers: { Authorization: `Bearer ${body.access_token}` } });
    assert.equal(users.status, 200);
    // The public key never carried the private part.
    const app = await raw(server.url + `/api/v1/apps/${clientId}`, { token: server.adminToken });
    assert.equal(app.json.settings.oauthClient.jwks.keys[0].d, undefined);
    await page.click('a:text("Open the app")');
    await page.waitForSelector('[data-testid=grants]');
    assert.match(await page.textContent('[data-testid=grants]'), /okta\.users\.read/);
    await shot(page, '06-app');
    // Key rotation from the app page: a new key pair (downloaded), the old key deactivated.
    const [second] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=generate-key]')]);
    const jwk2 = JSON.parse(await fs.readFile(await second.path(), 'utf8'));
    const oldRow = page.locator('tr', { hasText: jwk.kid });
    await page.locator('tr', { hasText: jwk2.kid }).waitFor();
    await oldRow.locator('button:text("Deactivate")').click();
    await oldRow.locator('td', { hasText: 'INACTIVE' }).waitFor();
    const tokenWith = (key) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials', scope: 'okta.users.read',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: clientAssertion(key, clientId, tokenUrl),
        }),
      });
    assert.equal((await tokenWith(jwk2)).status, 200);
    assert.equal((await tokenWith(jwk)).status, 401);
    billing = { clientId, jwk: jwk2 };
    await page.close();
  });

  it('shows the events in the System Log page', async () => {
    const page = await admin.newPage();
    await page.goto(server.url + '/admin/#/logs');
    await page.locator('[data-testid=log-table] code', { hasText: 'user.session.start' }).first().waitFor({ timeout: 10_000 });
    const text = await page.textContent('[data-testid=log-table]');
    assert.match(text, /user\.session\.start/);
    assert.match(text, /system\.api_token\.create/);
    assert.match(text, /application\.lifecycle\.create/);
    assert.match(text, /app\.oauth2\.token\.grant\.access_token/);
    await shot(page, '07-system-log');
    // Live tail: a change made elsewhere appears without a reload.
    await page.check('input[name=tail]');
    const g = await raw(server.url + '/api/v1/groups', { method: 'POST', token: server.adminToken, body: { profile: { name: 'tail-probe' } } });
    assert.equal(g.status, 200);
    await page.locator('[data-testid=log-table] td', { hasText: 'tail-probe' }).first().waitFor({ timeout: 10_000 });
    // Filters: only failures.
    await page.uncheck('input[name=tail]');
    await page.selectOption('select[name=outcome]', 'FAILURE');
    const [filtered] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/logs') && r.url().includes('FAILURE')),
      page.click('button:text("Search")'),
    ]);
    assert.equal(filtered.status(), 200);

    await page.close();
  });

  it('shows the default authorization server and rotates its keys', async () => {
    const page = await admin.newPage();
    page.on('dialog', (d) => d.accept());
    await page.goto(server.url + '/admin/#/authorization-servers');
    await page.click('a:text("default")');
    await page.locator('h2', { hasText: 'Signing keys' }).waitFor();
    const keyRows = page.locator('section', { has: page.locator('h2', { hasText: 'Signing keys' }) }).locator('tbody tr');
    await keyRows.first().waitFor();
    const before = await keyRows.allTextContents();
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/credentials/keys') && r.request().method() === 'GET'),
      page.click('button:text("Rotate keys")'),
    ]);
    await page.locator('td', { hasText: before.find((t) => t.includes('ACTIVE')).split('RS256')[0] }).waitFor();
    const kidOf = (rows, status) => rows.find((t) => t.includes(status))?.split('RS256')[0];
    for (let i = 0; i < 50 && kidOf(await keyRows.allTextContents(), 'ACTIVE') === kidOf(before, 'ACTIVE'); i++)
      await new Promise((r) => setTimeout(r, 100));
    const afterRows = await keyRows.allTextContents();
    assert.equal(kidOf(afterRows, 'ACTIVE'), kidOf(before, 'NEXT'), 'the NEXT key became ACTIVE');
    await shot(page, '11-authorization-server');
    await page.close();
  });

  it('drafts an API service integration with a logo and scope reasons, and submits it', async () => {
    const page = await admin.newPage();
    await page.goto(server.url + '/admin/#/integrations/mine');
    await page.click('[data-testid=new-integration]');
    await page.locator('label', { hasText: 'Name' }).locator('input').fill('Acme Billing');
    await page.locator('label', { hasText: 'Description' }).locator('textarea').fill('Syncs invoices to your users.');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await page.setInputFiles('input[type=file]', { name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.locator('label', { hasText: 'Support email' }).locator('input').fill('support@acme.example');
    await page.locator('label', { hasText: 'Configuration guide' }).locator('input').fill('https://acme.example/guide');
    await page.locator('.scope-reason', { hasText: 'okta.users.read' }).locator('input[type=checkbox]').check();
    await page.locator('.scope-reason', { hasText: 'okta.users.read' }).locator('input:not([type])').fill('To match invoices to users');
    await page.click('button:text("Save draft")');
    const row = page.locator('tr', { hasText: 'Acme Billing' });
    await row.or(page.locator('.error')).first().waitFor();
    if (await page.locator('.error').count()) assert.fail(await page.textContent('.error'));
    await row.locator('td', { hasText: 'DRAFT' }).waitFor();
    assert.match(await row.textContent(), /okta\.users\.read\s*To match invoices to users/);
    await row.locator('button:text("Submit for review")').click();
    await row.locator('td', { hasText: 'SUBMITTED' }).waitFor();
    await shot(page, '13-integrations');
    await page.close();
  });

  it('builds a custom authorization server (scope, policy, rule) that issues the app a token', async () => {
    const page = await admin.newPage();
    await page.goto(server.url + '/admin/#/authorization-servers');
    await page.click('[data-testid=new-as]');
    await page.fill('input[name=as-name]', 'Billing API');
    await page.fill('input[name=as-audience]', 'api://billing');
    await page.click('button:text("Add")');
    await page.locator('h1', { hasText: 'Billing API' }).waitFor();
    await page.click('button:text("Add scope")');
    await page.fill('input[name=scope-name]', 'invoices.read');
    await page.click('form button:text("Add")');
    await page.locator('td code', { hasText: 'invoices.read' }).waitFor();
    await page.click('[data-testid=new-policy]');
    await page.fill('input[name=policy-name]', 'Billing clients');
    await page.click('form button:text("Add")');
    const policy = page.locator('.policy[data-policy="Billing clients"]');
    await policy.locator('button:text("Add rule")').click();
    await policy.locator('input[name=rule-name]').fill('Client credentials');
    await policy.locator('input[name=rule-scopes]').fill('invoices.read');
    await policy.locator('button:text("Add rule")').last().click();
    await policy.locator('td', { hasText: 'Client credentials' }).waitFor();
    await shot(page, '12-custom-authorization-server');
    const issuer = (await page.locator('dd code').first().textContent()).trim();
    const tokenUrl = issuer + '/v1/token';
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials', scope: 'invoices.read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion(billing.jwk, billing.clientId, tokenUrl),
      }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url'));
    assert.equal(claims.aud, 'api://billing');
    assert.deepEqual(claims.scp, ['invoices.read']);
    billingAs = new URL(page.url()).hash.split('/').pop();
    await page.close();
  });

  it('adds a claim the next token carries, edits a rule and a policy, deletes a policy', async () => {
    const page = await admin.newPage();
    page.on('dialog', (d) => d.accept());
    await page.goto(server.url + `/admin/#/authorization-servers/${billingAs}`);
    await page.click('[data-testid=new-claim]');
    await page.fill('input[name=claim-name]', 'tenant');
    await page.fill('input[name=claim-value]', '"acme"');
    await page.fill('input[name=claim-scopes]', 'invoices.read');
    await page.click('[data-testid=claim-form] button[type=submit]');
    await page.locator('[data-testid=claims-table] tr[data-claim=tenant]').waitFor();
    const issuer = (await page.locator('dd code').first().textContent()).trim();
    const tokenUrl = issuer + '/v1/token';
    const token = async (scope) => {
      const res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials', scope,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: clientAssertion(billing.jwk, billing.clientId, tokenUrl),
        }),
      });
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      return JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url'));
    };
    assert.equal((await token('invoices.read')).tenant, 'acme');

    // Edit the rule: its scopes and lifetime change, its grant types and people stay.
    const api = (p, method = 'GET') => raw(server.url + `/api/v1/authorizationServers/${billingAs}${p}`, { method, token: server.adminToken });
    const policy = page.locator('.policy[data-policy="Billing clients"]');
    const row = policy.locator('tr[data-rule="Client credentials"]');
    await row.locator('button:text("Edit")').click();
    assert.equal(await policy.locator('input[name=rule-scopes]').inputValue(), 'invoices.read');
    await policy.locator('input[name=rule-scopes]').fill('*');
    await policy.locator('input[name=rule-minutes]').fill('30');
    await policy.locator('button:text("Save rule")').click();
    await row.locator('td', { hasText: '30 min' }).waitFor();
    const policies = (await api('/policies')).json;
    const billingPolicy = policies.find((p) => p.name === 'Billing clients');
    const rules = (await api(`/policies/${billingPolicy.id}/rules`)).json;
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0].conditions.scopes.include, ['*']);
    assert.deepEqual(rules[0].conditions.grantTypes.include, ['client_credentials']);
    assert.equal(rules[0].actions.token.accessTokenLifetimeMinutes, 30);
    assert.equal((await token('invoices.read')).tenant, 'acme');

    // Edit the policy: a new description; its clients condition stays.
    await policy.locator('button:text("Edit policy")').click();
    await policy.locator('input[name=edit-policy-description]').fill('Who may call the billing API');
    await policy.locator('button:text("Save policy")').click();
    await policy.locator('p', { hasText: 'Who may call the billing API' }).waitFor();
    const edited = (await api(`/policies/${billingPolicy.id}`)).json;
    assert.equal(edited.description, 'Who may call the billing API');
    assert.deepEqual(edited.conditions.clients.include, ['ALL_CLIENTS']);

    // A second policy, then delete it in the console: gone from the API, rules and all.
    await page.click('[data-testid=new-policy]');
    await page.fill('input[name=policy-name]', 'Temporary');
    await page.click('form button:text("Add")');
    const temp = page.locator('.policy[data-policy="Temporary"]');
    await temp.waitFor();
    const tempId = (await api('/policies')).json.find((p) => p.name === 'Temporary').id;
    await temp.locator('button:text("Delete policy")').click();
    await temp.waitFor({ state: 'detached' });
    assert.equal((await api(`/policies/${tempId}`)).status, 404);
    assert.deepEqual((await api('/policies')).json.map((p) => p.name), ['Billing clients']);

    // Deleting the claim: the next token no longer carries it.
    await page.locator('tr[data-claim=tenant] button:text("Delete")').click();
    await page.locator('tr[data-claim=tenant]').waitFor({ state: 'detached' });
    assert.equal((await token('invoices.read')).tenant, undefined);
    await shot(page, '12b-authorization-server-claims-policies');
    await page.close();
  });

  it('refuses a cookie-authenticated POST without the CSRF token', async () => {
    const page = await admin.newPage();
    await page.goto(server.url + '/admin/');
    await page.waitForSelector('[data-testid=org-url]');
    const without = await pageFetch(page, 'POST', '/api/v1/groups', { body: { profile: { name: 'csrf-test' } } });
    assert.equal(without.status, 403);
    assert.match(without.text, /E0000006/);
    const withToken = await pageFetch(page, 'POST', '/api/v1/groups', { body: { profile: { name: 'csrf-test' } }, csrf: true });
    assert.equal(withToken.status, 200);
    // A new admin made in the console: a user with a password, then a role.
    await page.goto(server.url + '/admin/#/users');
    await page.click('[data-testid=new-user]');
    await page.fill('input[name=login]', 'grace@example.com');
    await page.fill('input[name=firstName]', 'Grace');
    await page.fill('input[name=lastName]', 'Hopper');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button:text("Add")');
    const grace = page.locator('tr', { hasText: 'grace@example.com' });
    await grace.locator('td', { hasText: 'ACTIVE' }).waitFor();
    await grace.locator('select').selectOption('HELP_DESK_ADMIN');
    await grace.locator('.chip', { hasText: 'HELP_DESK_ADMIN' }).waitFor();
    await shot(page, '08-users');
    // Grace signs in; suspending her ends what her session may do at once.
    const graceCtx = await browser.newContext();
    const gp = await signIn(graceCtx, 'grace@example.com', PASSWORD);
    await gp.waitForSelector('[data-testid=org-url]');
    assert.equal((await pageFetch(gp, 'GET', '/api/v1/users')).status, 200);
    await grace.locator('button:text("Suspend")').click();
    await grace.locator('td', { hasText: 'SUSPENDED' }).waitFor();
    assert.equal((await pageFetch(gp, 'GET', '/api/v1/users')).status, 401);
    await graceCtx.close();
    await page.close();
  });

  it("serves a later org's console at ORG/o/{slug}/admin/ with a session of its own", async () => {
    const login = 'ada@acme.example';
    const password = 'Another-Long-Passw0rd!';
    const org = await raw(server.url + '/api/v1/orgs', {
      method: 'POST', token: server.adminToken,
      body: { subdomain: 'acme', name: 'acme Inc.', website: 'https://acme.example', edition: 'SKU',
              admin: { profile: { firstName: 'Ada', lastName: 'Admin', email: login, login }, credentials: { password: { value: password } } } },
    });
    assert.equal(org.status, 201, org.text);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + '/o/acme/admin/');
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=org-url]');
    assert.equal(await page.textContent('[data-testid=org-url]'), server.url + '/o/acme');
    assert.ok((await context.cookies()).some((c) => c.name === 'gh_console_acme'));
    // The first org's session cookie is no credential at acme, and acme's none at the first org.
    const cross = await pageFetch(page, 'GET', '/api/v1/users');
    assert.equal(cross.status, 401);
    await context.close();
  });

  it('a READ_ONLY_ADMIN sees no create buttons, and the API refuses if forced', async () => {
    const login = 'reader@example.com';
    const u = await raw(server.url + '/api/v1/users?activate=true', { method: 'POST', token: server.adminToken, body: userBody(login) });
    assert.equal(u.status, 200, u.text);
    const r = await raw(server.url + `/api/v1/users/${u.json.id}/roles`, { method: 'POST', token: server.adminToken, body: { type: 'READ_ONLY_ADMIN' } });
    assert.equal(r.status, 201, r.text);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await signIn(context, login, PASSWORD);
    await page.waitForSelector('[data-testid=org-url]');
    for (const [route, button] of [['apps', 'new-app'], ['users', 'new-user'], ['groups', 'new-group']]) {
      await page.goto(server.url + `/admin/#/${route}`);
      await page.waitForSelector('table');
      assert.equal(await page.locator(`[data-testid=${button}]`).count(), 0, `${route}: ${button}`);
    }
    await shot(page, '09-groups-read-only');
    await page.goto(server.url + `/admin/#/authorization-servers/${billingAs}`);
    await page.locator('.policy[data-policy="Billing clients"]').waitFor();
    for (const sel of ['[data-testid=new-claim]', '[data-testid=new-policy]', 'button:text("Edit policy")', 'button:text("Delete policy")',
      'button:text("Add rule")', 'tr[data-rule] button'])
      assert.equal(await page.locator(sel).count(), 0, `authorization server: ${sel}`);
    const forced = await pageFetch(page, 'POST', '/api/v1/groups', { body: { profile: { name: 'nope' } }, csrf: true });
    assert.equal(forced.status, 403);
    // A user without an admin role cannot sign in at all.
    const plain = await raw(server.url + '/api/v1/users?activate=true', { method: 'POST', token: server.adminToken, body: userBody('plain@example.com') });
    assert.equal(plain.status, 200);
    await context.close();
    const other = await browser.newContext();
    const p2 = await signIn(other, 'plain@example.com', PASSWORD);
    await p2.waitForSelector('.error');
    assert.match(await p2.textContent('.error'), /Sign-in failed/);
    await other.close();
  });

  it('no page of the console broke its Content-Security-Policy', () => {
    assert.deepEqual(cspViolations, []);
  });

  it('throttles failed sign-ins: past the limit even the right password waits', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + '/admin/');
    const attempt = async (password) => {
      await page.fill('input[name=login]', server.init.adminLogin);
      await page.fill('input[name=password]', password);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/admin/api/session') && r.request().method() === 'POST'),
        page.click('button[type=submit]'),
      ]);
      return res.status();
    };
    for (let i = 0; i < 3; i++) assert.equal(await attempt('wrong-' + i), 401);
    assert.match(await page.textContent('.error'), /Sign-in failed/);
    assert.equal(await attempt(server.init.adminPassword), 429);
    await page.locator('.error', { hasText: 'Too many' }).waitFor();
    await shot(page, '10-sign-in-throttled');
    const direct = await raw(server.url + '/admin/api/session', {
      method: 'POST', lenient: true, body: { login: server.init.adminLogin, password: server.init.adminPassword },
    });
    assert.equal(direct.status, 429);
    assert.equal(direct.json.errorCode, 'E0000047');
    await context.close();
  });
});
