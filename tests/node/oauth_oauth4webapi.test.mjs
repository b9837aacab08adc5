// oauth4webapi 3.8.8 against Gatehouse's `default` authorization server (issue 3 "Tests in make
// test"; okta-compat.md §4, §4.1, §4.3, §9, §11.24, §11.25): discovery in both forms, client
// credentials with client_secret_basic, introspection and revocation. Every call passes
// allowInsecureRequests, since the server is plain http on 127.0.0.1.
import assert from 'node:assert/strict';
import { before, after, beforeEach } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startServer, raw, rejection, it } from './lib/server.mjs';
import { secretApp, ensureAsScope, keyApp, createOrg } from './lib/oauth.mjs';

const insecure = { [oauth.allowInsecureRequests]: true };

let server;
let orgUrl;
let issuer; // URL of ORG/oauth2/default
let as; // the discovered metadata
let app; // client_secret_basic
let other; // another client_secret_basic app
let client;
let auth;

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  issuer = new URL(`${orgUrl}/oauth2/default`);
  await ensureAsScope(orgUrl, server.adminToken, 'widgets.read');
  await ensureAsScope(orgUrl, server.adminToken, 'widgets.write');
  app = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic' });
  other = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic' });
  client = { client_id: app.clientId };
  auth = oauth.ClientSecretBasic(app.secret);
});

after(async () => {
  await server?.dispose();
});

// If a test crashed the server, serve again on the same data dir and port, so that one crash
// fails one test rather than every test after it (the crash shows in that test's server log).
beforeEach(async () => {
  const p = server?.proc;
  if (p && (p.exitCode !== null || p.signalCode !== null)) {
    await server.restart();
    assert.equal(server.url, orgUrl, 'the server came back on the same port');
  }
});

async function discover(iss, algorithm) {
  const res = await oauth.discoveryRequest(iss, { algorithm, ...insecure });
  return oauth.processDiscoveryResponse(iss, res);
}

function checkDefaultMetadata(md) {
  const base = `${orgUrl}/oauth2/default`;
  assert.equal(md.issuer, base);
  assert.equal(md.token_endpoint, `${base}/v1/token`);
  assert.equal(md.jwks_uri, `${base}/v1/keys`);
  assert.equal(md.introspection_endpoint, `${base}/v1/introspect`);
  assert.equal(md.revocation_endpoint, `${base}/v1/revoke`);
  assert.ok(Array.isArray(md.grant_types_supported) && md.grant_types_supported.includes('client_credentials'));
  for (const m of ['client_secret_basic', 'client_secret_post', 'private_key_jwt']) {
    assert.ok(md.token_endpoint_auth_methods_supported?.includes(m), `token_endpoint_auth_methods_supported has ${m}`);
  }
  assert.ok(Array.isArray(md.introspection_endpoint_auth_methods_supported));
  assert.ok(Array.isArray(md.revocation_endpoint_auth_methods_supported));
  assert.ok(Array.isArray(md.response_types_supported));
  assert.ok(Array.isArray(md.scopes_supported));
  assert.ok(Array.isArray(md.dpop_signing_alg_values_supported), 'dpop_signing_alg_values_supported (§11.26)');
}

it("discovery of default with algorithm 'oidc' (ORG/oauth2/default/.well-known/openid-configuration)", async () => {
  as = await discover(issuer, 'oidc');
  checkDefaultMetadata(as);
  assert.ok(as.subject_types_supported && as.id_token_signing_alg_values_supported?.includes('RS256'));
});

it("discovery of default with algorithm 'oauth2' (RFC 8414 inserted form)", async () => {
  checkDefaultMetadata(await discover(issuer, 'oauth2'));
});

it('the appended oauth-authorization-server form of default serves the same issuer', async () => {
  const res = await raw(`${orgUrl}/oauth2/default/.well-known/oauth-authorization-server`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.issuer, `${orgUrl}/oauth2/default`);
});

it('discovery of the org AS in both forms (issuer = org URL)', async () => {
  for (const algorithm of ['oidc', 'oauth2']) {
    const md = await discover(new URL(orgUrl), algorithm);
    assert.equal(md.issuer, orgUrl, algorithm);
    assert.equal(md.token_endpoint, `${orgUrl}/oauth2/v1/token`, algorithm);
    assert.equal(md.jwks_uri, `${orgUrl}/oauth2/v1/keys`, algorithm);
    assert.equal(md.introspection_endpoint, `${orgUrl}/oauth2/v1/introspect`, algorithm);
    assert.equal(md.revocation_endpoint, `${orgUrl}/oauth2/v1/revoke`, algorithm);
  }
});

it('discovery of a later org (ORG = BASE/o/{slug}) in both forms, its org AS and its default AS (RFC 8414 §3.1)', async () => {
  const child = await createOrg(orgUrl, server.adminToken, 'discoverme');
  const childUrl = `${orgUrl}/o/discoverme`;
  for (const issuerUrl of [childUrl, `${childUrl}/oauth2/default`]) {
    for (const algorithm of ['oidc', 'oauth2']) {
      const md = await discover(new URL(issuerUrl), algorithm);
      assert.equal(md.issuer, issuerUrl, `${algorithm} ${issuerUrl}`);
      assert.ok(md.token_endpoint.startsWith(`${childUrl}/oauth2/`), md.token_endpoint);
    }
  }
  const inserted = await raw(`${orgUrl}/.well-known/oauth-authorization-server/o/discoverme`);
  assert.equal(inserted.status, 200, inserted.text);
  assert.equal(inserted.json.issuer, childUrl);
  // An issuer that does not exist has no metadata.
  const unknown = await raw(`${orgUrl}/.well-known/oauth-authorization-server/o/nobody`);
  assert.equal(unknown.status, 404);
  assert.ok(child.id);
});

async function getToken(scope = 'widgets.read', c = client, a = auth) {
  const res = await oauth.clientCredentialsGrantRequest(as, c, a, new URLSearchParams({ scope }), insecure);
  return oauth.processClientCredentialsResponse(as, c, res);
}

it('client credentials with ClientSecretBasic at default', async () => {
  assert.ok(as, 'needs the discovered metadata');
  const tr = await getToken('widgets.read widgets.write');
  assert.equal(typeof tr.access_token, 'string');
  assert.equal(tr.token_type, 'bearer'); // oauth4webapi lower-cases it
  assert.equal(typeof tr.expires_in, 'number');
  assert.deepEqual(tr.scope.split(' ').sort(), ['widgets.read', 'widgets.write']);
  assert.equal(tr.refresh_token, undefined);
  assert.equal(tr.id_token, undefined);
});

it('a client id and secret needing form-urlencoding are sent the oauth4webapi way and refused cleanly', async () => {
  const err = await rejection(getToken('widgets.read', { client_id: 'a b+c%d' }, oauth.ClientSecretBasic('p&s=w rd')));
  assert.ok(
    err instanceof oauth.WWWAuthenticateChallengeError || err instanceof oauth.ResponseBodyError,
    `${err.name}: ${err.message}`,
  );
  assert.equal(err.status, 401);
});

it('a wrong secret → 401 invalid_client with a Basic challenge (WWWAuthenticateChallengeError)', async () => {
  const err = await rejection(getToken('widgets.read', client, oauth.ClientSecretBasic(`${app.secret}x`)));
  assert.ok(err instanceof oauth.WWWAuthenticateChallengeError, `${err.name}: ${err.message}`);
  assert.equal(err.status, 401);
  assert.ok(err.cause.some((c) => c.scheme === 'basic'), JSON.stringify(err.cause));
});

it('an unknown scope → ResponseBodyError invalid_scope (400)', async () => {
  const err = await rejection(getToken('widgets.delete'));
  assert.ok(err instanceof oauth.ResponseBodyError, `${err.name}: ${err.message}`);
  assert.equal(err.status, 400);
  assert.equal(err.error, 'invalid_scope');
});

it('client credentials with ClientSecretPost at default (any configured method is allowed there)', async () => {
  const postApp = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_post' });
  const c = { client_id: postApp.clientId };
  const tr = await getToken('widgets.read', c, oauth.ClientSecretPost(postApp.secret));
  assert.equal(tr.scope, 'widgets.read');
});

it('client credentials with PrivateKeyJwt at default: aud = issuer (oauth4webapi default) and aud = token endpoint', async () => {
  const keyed = await keyApp(orgUrl, server.adminToken);
  const c = { client_id: keyed.clientId };
  const signing = { key: keyed.key.privateKey, kid: keyed.key.kid };
  const tr1 = await getToken('widgets.read', c, oauth.PrivateKeyJwt(signing));
  assert.equal(tr1.scope, 'widgets.read');
  const toEndpoint = {
    [oauth.modifyAssertion]: (header, payload) => {
      payload.aud = as.token_endpoint;
    },
  };
  const tr2 = await getToken('widgets.read', c, oauth.PrivateKeyJwt(signing, toEndpoint));
  assert.equal(tr2.scope, 'widgets.read');
});

it('client credentials with PrivateKeyJwt at the org AS (okta.groups.read), then the token works on /api/v1', async () => {
  const keyed = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
  const orgAs = await discover(new URL(orgUrl), 'oauth2');
  const c = { client_id: keyed.clientId };
  const res = await oauth.clientCredentialsGrantRequest(
    orgAs,
    c,
    oauth.PrivateKeyJwt({ key: keyed.key.privateKey, kid: keyed.key.kid }),
    new URLSearchParams({ scope: 'okta.groups.read' }),
    insecure,
  );
  const tr = await oauth.processClientCredentialsResponse(orgAs, c, res);
  assert.equal(tr.scope, 'okta.groups.read');
  assert.equal(tr.expires_in, 3600);
  const api = await oauth.protectedResourceRequest(tr.access_token, 'GET', new URL(`${orgUrl}/api/v1/groups`), undefined, undefined, insecure);
  assert.equal(api.status, 200, await api.text());
});

it('revoking an unknown or malformed token → 200', async () => {
  for (const token of ['not-a-token', 'eyJhbGciOiJSUzI1NiJ9.e30.AAAA', 'AT.unknown']) {
    const res = await oauth.revocationRequest(as, client, auth, token, insecure);
    assert.equal(res.status, 200, token);
    await oauth.processRevocationResponse(res);
  }
});

it('introspection of an active token: active true with scope, client_id and the token claims', async () => {
  const tr = await getToken();
  const res = await oauth.introspectionRequest(as, client, auth, tr.access_token, insecure);
  const info = await oauth.processIntrospectionResponse(as, client, res);
  assert.equal(info.active, true);
  assert.equal(info.scope, 'widgets.read');
  assert.equal(info.client_id, app.clientId);
  assert.equal(info.token_type, 'Bearer');
  assert.equal(info.iss, `${orgUrl}/oauth2/default`);
  assert.equal(info.aud, 'api://default', 'aud has the token form: a string (§11.25)');
  assert.equal(info.sub, app.clientId);
  assert.equal(typeof info.exp, 'number');
  assert.equal(typeof info.iat, 'number');
  assert.match(info.jti, /^AT\./);
});

it('revocation answers 200 and processRevocationResponse accepts it; introspection then says exactly {active:false}', async () => {
  const tr = await getToken();
  const res = await oauth.revocationRequest(as, client, auth, tr.access_token, insecure);
  assert.equal(res.status, 200);
  assert.equal(await oauth.processRevocationResponse(res), undefined);

  const ires = await oauth.introspectionRequest(as, client, auth, tr.access_token, insecure);
  const info = await oauth.processIntrospectionResponse(as, client, ires);
  assert.deepEqual(info, { active: false });
});

it('revocation with token_type_hint refresh_token still revokes the access token (§11.24)', async () => {
  const tr = await getToken();
  const res = await oauth.revocationRequest(as, client, auth, tr.access_token, {
    ...insecure,
    additionalParameters: { token_type_hint: 'refresh_token' },
  });
  await oauth.processRevocationResponse(res);
  const ires = await oauth.introspectionRequest(as, client, auth, tr.access_token, {
    ...insecure,
    additionalParameters: { token_type_hint: 'bogus_hint' },
  });
  assert.deepEqual(await oauth.processIntrospectionResponse(as, client, ires), { active: false });
});

it('introspection of garbage → exactly {active:false}', async () => {
  const res = await oauth.introspectionRequest(as, client, auth, 'garbage', insecure);
  assert.deepEqual(await oauth.processIntrospectionResponse(as, client, res), { active: false });
});

it("a client may introspect and revoke only its own tokens", async () => {
  const tr = await getToken();
  const oc = { client_id: other.clientId };
  const oa = oauth.ClientSecretBasic(other.secret);
  const ires = await oauth.introspectionRequest(as, oc, oa, tr.access_token, insecure);
  assert.deepEqual(await oauth.processIntrospectionResponse(as, oc, ires), { active: false });

  const rres = await oauth.revocationRequest(as, oc, oa, tr.access_token, insecure);
  assert.equal(rres.status, 200);
  const mine = await oauth.introspectionRequest(as, client, auth, tr.access_token, insecure);
  assert.equal((await oauth.processIntrospectionResponse(as, client, mine)).active, true, "another client's revoke did nothing");
});
