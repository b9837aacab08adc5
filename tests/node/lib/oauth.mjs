// Helpers for the OAuth interop and negative tests (issue 3; okta-compat.md §3, §4, §5, §11):
// service apps, scope grants and client roles set up with raw management calls (SSWS), RSA
// keys made with jose, client assertions signed with jose or by hand (for the malformed ones),
// and form posts to the token, introspection and revocation endpoints.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as jose from 'jose';
import { raw, unique } from './server.mjs';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// ---------------------------------------------------------------------------------------------
// Keys

// An RSA key pair for private_key_jwt: CryptoKeys plus the private JWK (with kid, for the SDK's
// PrivateKey mode) and the public JWK (with kid, use, alg, for the app's inline JWKS).
export async function rsaKey(kid = unique('kid')) {
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const privateJwk = { ...(await jose.exportJWK(privateKey)), kid };
  return { kid, publicKey, privateKey, publicJwk, privateJwk };
}

// ---------------------------------------------------------------------------------------------
// Management API set-up (SSWS)

function must(res, what, statuses) {
  if (!statuses.includes(res.status)) {
    throw new Error(`${what} -> ${res.status} (expected ${statuses.join('/')}): ${res.text.slice(0, 600)}`);
  }
  return res.json;
}

// The body of okta-compat.md §5 "OIDC service app".
export function serviceAppBody({ label = unique('svc'), method = 'private_key_jwt', jwks, jwksUri, dpop } = {}) {
  const oauthClient = {
    application_type: 'service',
    grant_types: ['client_credentials'],
    response_types: ['token'],
  };
  if (dpop) oauthClient.dpop_bound_access_tokens = true;
  if (jwks) oauthClient.jwks = jwks;
  if (jwksUri) oauthClient.jwks_uri = jwksUri;
  return {
    label,
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { token_endpoint_auth_method: method } },
    name: 'oidc_client',
    settings: { oauthClient },
  };
}

// POST /api/v1/apps; resolves to {app, clientId, secret?}.
export async function createServiceApp(orgUrl, token, opts = {}) {
  const res = await raw(`${orgUrl}/api/v1/apps`, { method: 'POST', token, body: serviceAppBody(opts) });
  const app = must(res, 'POST /api/v1/apps', [200]);  // okta-compat.md §6: createApplication 200
  const clientId = app?.credentials?.oauthClient?.client_id ?? app?.id;
  const secret = app?.credentials?.oauthClient?.client_secret;
  return { app, id: app.id, clientId, secret };
}

// POST /api/v1/apps/{id}/grants {"issuer": orgUrl, "scopeId"}; resolves to the grant.
export async function grantScope(orgUrl, token, appId, scopeId) {
  const res = await raw(`${orgUrl}/api/v1/apps/${appId}/grants`, {
    method: 'POST',
    token,
    body: { issuer: orgUrl, scopeId },
  });
  return must(res, `POST /api/v1/apps/${appId}/grants ${scopeId}`, [201]);  // §6: grantConsentToScope 201
}

// POST /oauth2/v1/clients/{clientId}/roles {"type"}.
export async function assignClientRole(orgUrl, token, clientId, type = 'READ_ONLY_ADMIN') {
  const res = await raw(`${orgUrl}/oauth2/v1/clients/${clientId}/roles`, { method: 'POST', token, body: { type } });
  return must(res, `POST /oauth2/v1/clients/${clientId}/roles ${type}`, [200]);  // §5: client roles 200
}

// POST /api/v1/authorizationServers/{asId}/scopes {"name"}; a 400 for an existing name is fine.
// A failure is reported on stderr but does not abort the set-up: the tests that need the scope
// then fail on their own (invalid_scope), and the others still run.
export async function ensureAsScope(orgUrl, token, name, asId = 'default') {
  const res = await raw(`${orgUrl}/api/v1/authorizationServers/${asId}/scopes`, {
    method: 'POST',
    token,
    body: { name },
    lenient: true,
  });
  if (res.status === 400 && /E0000001/.test(res.text)) return undefined;
  if (res.status !== 201) {  // §6: createOAuth2Scope 201
    process.stderr.write(`set-up: POST /api/v1/authorizationServers/${asId}/scopes ${name} -> ${res.status}: ${res.text.slice(0, 300)}\n`);
    return undefined;
  }
  return res.json;
}

// A private_key_jwt app with an inline RSA key, optional grants and an optional client role.
export async function keyApp(orgUrl, token, { scopes = [], role, key, dpop } = {}) {
  const k = key ?? (await rsaKey());
  const created = await createServiceApp(orgUrl, token, { method: 'private_key_jwt', jwks: { keys: [k.publicJwk] }, dpop });
  const grants = [];
  for (const s of scopes) grants.push(await grantScope(orgUrl, token, created.id, s));
  if (role) await assignClientRole(orgUrl, token, created.clientId, role);
  return { ...created, key: k, grants };
}

// A client_secret_basic (or _post) app; the secret comes from the create response.
export async function secretApp(orgUrl, token, { method = 'client_secret_basic', scopes = [], dpop } = {}) {
  const created = await createServiceApp(orgUrl, token, { method, dpop });
  assert.equal(typeof created.secret, 'string', `create response carries credentials.oauthClient.client_secret: ${JSON.stringify(created.app)}`);
  for (const s of scopes) await grantScope(orgUrl, token, created.id, s);
  return created;
}

// Creates another org through POST /api/v1/orgs (as in orgs.test.mjs); resolves to the 201 body.
export async function createOrg(orgUrl, token, subdomain) {
  const login = `root@${subdomain}.example`;
  const res = await raw(`${orgUrl}/api/v1/orgs`, {
    method: 'POST',
    token,
    body: {
      subdomain,
      name: `${subdomain} Inc.`,
      website: `https://${subdomain}.example`,
      edition: 'SKU',
      admin: {  // MGMT-OAS ChildOrg (orgs.test.mjs tests the older okta: {user} form too)
        profile: { firstName: 'Root', lastName: 'Admin', email: login, login },
        credentials: { password: { value: 'Another-Long-Passw0rd!' } },
      },
    },
  });
  return must(res, 'POST /api/v1/orgs', [201]);  // MGMT-OAS createChildOrg 201
}

// ---------------------------------------------------------------------------------------------
// JWTs

export const b64u = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
export const nowSec = () => Math.floor(Date.now() / 1000);

// Standard claims of a client assertion (okta-compat.md §4.1): iss = sub = client_id, aud, jti,
// iat, exp = iat + 300. `claims` overrides or adds; a value of undefined removes the claim.
export function assertionClaims(clientId, aud, claims = {}) {
  const iat = nowSec();
  const out = { iss: clientId, sub: clientId, aud, jti: crypto.randomUUID(), iat, exp: iat + 300, ...claims };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

// A client assertion signed with jose's SignJWT (the well-formed case).
export async function signAssertion(key, clientId, aud, { claims = {}, header = {} } = {}) {
  const payload = assertionClaims(clientId, aud, claims);
  return new jose.SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })
    .sign(key.privateKey);
}

// A JWT assembled by hand, for the malformed cases jose will not produce:
// alg 'none' (empty signature), 'HS256' with `secret`, or RS256 with `key` (a jose key pair).
export function handJwt(header, payload, { key, secret } = {}) {
  const input = `${b64u(header)}.${b64u(payload)}`;
  let sig = '';
  if (header.alg === 'HS256') {
    sig = crypto.createHmac('sha256', secret).update(input).digest('base64url');
  } else if (header.alg === 'RS256') {
    const priv = crypto.createPrivateKey({ key: key.privateJwk, format: 'jwk' });
    sig = crypto.sign('sha256', Buffer.from(input), priv).toString('base64url');
  } else if (header.alg !== 'none') {
    throw new Error(`handJwt: unsupported alg ${header.alg}`);
  }
  return `${input}.${sig}`;
}

// Replaces the payload of a compact JWT and keeps header and signature (a tampered token).
export function tamper(jwt, change) {
  const [h, p, s] = jwt.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  return `${h}.${b64u(change(payload) ?? payload)}.${s}`;
}

export function decodePayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

export function decodeHeader(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());
}

// ---------------------------------------------------------------------------------------------
// OAuth endpoints

// application/x-www-form-urlencoded serialisation as RFC 6749 Appendix B / oauth4webapi do.
const formEncode = (s) => encodeURIComponent(s).replace(/%20/g, '+');

export function basicAuth(clientId, secret) {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
}

// POSTs a form. `params` is an object (one value per name), or an array of [name, value] pairs
// (so a parameter can be given twice), or a ready string. `basic` = [clientId, secret].
// Lenient on the wire invariants: the tests check the OAuth responses themselves.
export async function formPost(url, params, { basic, headers = {} } = {}) {
  let body;
  if (typeof params === 'string') body = params;
  else {
    const pairs = Array.isArray(params) ? params : Object.entries(params);
    body = pairs
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`)
      .join('&');
  }
  const h = { 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
  if (basic) h.Authorization = basicAuth(basic[0], basic[1]);
  return raw(url, { method: 'POST', headers: h, body, lenient: true });
}

// client_credentials with private_key_jwt at `tokenUrl` (the assertion's aud defaults to it).
export async function keyToken(tokenUrl, app, scope, { aud = tokenUrl, claims, header, extra = {}, headers } = {}) {
  const assertion = await signAssertion(app.key, app.clientId, aud, { claims, header });
  return formPost(
    tokenUrl,
    {
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
      ...extra,
    },
    { headers },
  );
}

// client_credentials with client_secret_basic.
export async function basicToken(tokenUrl, app, scope) {
  return formPost(tokenUrl, { grant_type: 'client_credentials', scope }, { basic: [app.clientId, app.secret] });
}

// Expects a 200 token response and returns the access token.
export function accessTokenOf(res, what = 'token request') {
  assert.equal(res.status, 200, `${what}: ${res.status} ${res.text.slice(0, 500)}`);
  assert.equal(typeof res.json?.access_token, 'string', `${what}: no access_token in ${res.text.slice(0, 500)}`);
  return res.json.access_token;
}

export async function orgToken(orgUrl, app, scope) {
  return accessTokenOf(await keyToken(`${orgUrl}/oauth2/v1/token`, app, scope), `org AS token for ${scope}`);
}

export async function defaultToken(orgUrl, app, scope) {
  return accessTokenOf(await basicToken(`${orgUrl}/oauth2/default/v1/token`, app, scope), `default AS token for ${scope}`);
}

// A management API call with `Authorization: Bearer <at>` (lenient: the caller checks).
export function bearer(url, accessToken, { method = 'GET', body, headers = {} } = {}) {
  return raw(url, { method, body, headers: { Authorization: `Bearer ${accessToken}`, ...headers }, lenient: true });
}

// An OAuth error response (RFC 6749 §5.2; okta-compat.md §4.1, §11.21): status, JSON body with
// `error` and a string `error_description`, Cache-Control no-store, only §5.2 characters, and
// none of `notEchoed` (values sent in the request) anywhere in the body.
export function assertOAuthError(res, status, error, { notEchoed = [] } = {}) {
  const where = `${res.status} ${res.headers.get('content-type')} ${res.text.slice(0, 400)}`;
  assert.equal(res.status, status, `status; got ${where}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i, `JSON content type; got ${where}`);
  assert.ok(res.json && typeof res.json === 'object', `a JSON object body; got ${where}`);
  assert.equal(res.json.error, error, `error; got ${where}`);
  if ('error_description' in res.json) assert.equal(typeof res.json.error_description, 'string');
  for (const field of ['error', 'error_description']) {
    const v = res.json[field];
    if (typeof v === 'string') assert.match(v, /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/, `${field} uses RFC 6749 §5.2 characters: ${v}`);
  }
  assert.match(res.headers.get('cache-control') ?? '', /no-store/i, `Cache-Control no-store; got ${res.headers.get('cache-control')}`);
  for (const v of notEchoed) {
    if (v && v.length >= 6) assert.ok(!res.text.includes(v), `the error body echoes a request value (${v.slice(0, 40)}): ${res.text}`);
  }
}

// 401 with the E0000011 envelope and `WWW-Authenticate: Bearer … error="invalid_token"` (§3, §11.2).
export function assertInvalidToken(res, what = '') {
  const where = `${what} -> ${res.status} ${res.text.slice(0, 300)}; WWW-Authenticate: ${res.headers.get('www-authenticate')}`;
  assert.equal(res.status, 401, where);
  assert.equal(res.json?.errorCode, 'E0000011', `E0000011 envelope; ${where}`);
  const wa = res.headers.get('www-authenticate') ?? '';
  assert.match(wa, /(^|[\s,])Bearer\b/i, `WWW-Authenticate has a Bearer challenge; ${where}`);
  assert.match(wa, /error="invalid_token"/, `WWW-Authenticate carries error="invalid_token"; ${where}`);
}

// ---------------------------------------------------------------------------------------------
// DPoP (RFC 9449; okta-compat.md §1.10, §3, §4.1)

// A DPoP proof signed with jose: header {typ: dpop+jwt, alg, jwk: the public JWK}; claims htm,
// htu, iat, jti, plus nonce and ath (of `accessToken`) when given. `claims` and `header` override
// (a value of undefined removes the member). `key` is an rsaKey() (or any {privateKey, publicJwk}).
export async function dpopProof(key, { htm = 'POST', htu, nonce, accessToken, claims = {}, header = {}, alg = 'RS256' } = {}) {
  const payload = { htm, htu, iat: nowSec(), jti: crypto.randomUUID(), ...claims };
  if (nonce) payload.nonce = nonce;
  if (accessToken) payload.ath = crypto.createHash('sha256').update(accessToken).digest('base64url');
  const h = { typ: 'dpop+jwt', alg, jwk: key.publicJwk, ...header };
  for (const o of [payload, h]) for (const [k, v] of Object.entries(o)) if (v === undefined) delete o[k];
  return new jose.SignJWT(payload).setProtectedHeader(h).sign(key.privateKey);
}

// client_credentials with private_key_jwt and a DPoP proof made by `proof(nonce)`; does the
// nonce dance (okta-compat.md §1.10): returns {first, res, nonce}.
export async function dpopKeyToken(tokenUrl, app, scope, proof) {
  const first = await keyToken(tokenUrl, app, scope, { headers: { DPoP: await proof(undefined) } });
  const nonce = first.headers.get('dpop-nonce');
  const res = await keyToken(tokenUrl, app, scope, { headers: { DPoP: await proof(nonce) } });
  return { first, res, nonce };
}
