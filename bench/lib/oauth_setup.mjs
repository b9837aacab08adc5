// Prepares the OAuth benchmark scenarios (bench/oauth.sh, bench/scenarios/*) through the
// management API, with the helpers the interop tests use (tests/node/lib/oauth.mjs), and prints
// one JSON object on stdout:
//   {rs256: {tokenUrl, clientId, secret, scope}, es256: {...}, eddsa: {...},
//    pkjwt: {tokenUrl, clientId, scope, jwk}, dpop: {tokenUrl, clientId, secret, scope, jwk},
//    bearer, dpop_groups: {accessToken, jwk, htu}, introspect: {...}}
// `jwk` members are private P-256 keys made for this run (client assertions, DPoP proofs; see
// proofs.mjs), written only to the harness's temp dir.
// Usage: node bench/lib/oauth_setup.mjs ORG_URL SSWS_TOKEN
import {
  ASSERTION_TYPE, accessTokenOf, basicToken, ensureAsScope, formPost, keyApp, orgToken, secretApp, signAssertion,
} from '../../tests/node/lib/oauth.mjs';
import { raw } from '../../tests/node/lib/server.mjs';
import { assertion, ath, dpopProof, es256Key, es256Signer, newJti } from './jws.mjs';

const [orgUrl, token] = process.argv.slice(2);
if (!orgUrl || !token) {
  process.stderr.write('usage: oauth_setup.mjs ORG_URL SSWS_TOKEN\n');
  process.exit(2);
}

async function must(res, what) {
  if (res.status !== 200 && res.status !== 201) throw new Error(`${what} -> ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}

// RS256: the `default` server (issue 3: client_secret_basic, RS256).
await ensureAsScope(orgUrl, token, 'bench.read');
const app = await secretApp(orgUrl, token, { method: 'client_secret_basic' });
const rs256 = { tokenUrl: `${orgUrl}/oauth2/default/v1/token`, clientId: app.clientId, secret: app.secret, scope: 'bench.read' };
accessTokenOf(await basicToken(rs256.tokenUrl, app, rs256.scope), 'RS256 token');

// A custom server signing with ALG (Gatehouse's `signing.alg` extension: RS256, ES256 or EdDSA,
// src/api/authorization_servers/servers.cpp), with a policy for every client and a
// client_credentials rule for bench.read.
async function customServer(name, alg, audience) {
  const as = await must(await raw(`${orgUrl}/api/v1/authorizationServers`, {
    method: 'POST', token, body: { name, audiences: [audience], signing: { alg } },
  }), 'POST /api/v1/authorizationServers');
  await must(await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}/scopes`, {
    method: 'POST', token, body: { name: 'bench.read' },
  }), 'POST scopes');
  const policy = await must(await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}/policies`, {
    method: 'POST', token,
    body: { type: 'OAUTH_AUTHORIZATION_POLICY', name: 'bench', priority: 1, conditions: { clients: { include: ['ALL_CLIENTS'] } } },
  }), 'POST policies');
  await must(await raw(`${orgUrl}/api/v1/authorizationServers/${as.id}/policies/${policy.id}/rules`, {
    method: 'POST', token,
    body: { type: 'RESOURCE_ACCESS', name: 'bench', priority: 1,
      conditions: { grantTypes: { include: ['client_credentials'] }, scopes: { include: ['bench.read'] } } },
  }), 'POST rules');
  return `${orgUrl}/oauth2/${as.id}/v1/token`;
}

// ES256 and EdDSA (Ed25519 key): custom servers, the same client_secret_basic app.
const es256Url = await customServer('bench-es256', 'ES256', 'api://bench');
const es256 = { tokenUrl: es256Url, clientId: app.clientId, secret: app.secret, scope: 'bench.read' };
accessTokenOf(await basicToken(es256.tokenUrl, app, es256.scope), 'ES256 token');
const eddsaUrl = await customServer('bench-eddsa', 'EdDSA', 'api://bench-eddsa');
const eddsa = { tokenUrl: eddsaUrl, clientId: app.clientId, secret: app.secret, scope: 'bench.read' };
accessTokenOf(await basicToken(eddsa.tokenUrl, app, eddsa.scope), 'EdDSA token');

// private_key_jwt (RFC 7523) at the ES256 server: an app with an inline P-256 key; assertions
// are ES256, aud = the token URL.
const pkKey = es256Key();
const pkApp = await keyApp(orgUrl, token, { key: pkKey });
const pkjwt = { tokenUrl: es256Url, clientId: pkApp.clientId, scope: 'bench.read', jwk: pkKey.privateJwk };
const pkSigner = es256Signer(pkKey.privateJwk);
accessTokenOf(await formPost(es256Url, {
  grant_type: 'client_credentials', scope: 'bench.read', client_assertion_type: ASSERTION_TYPE,
  client_assertion: assertion(pkSigner, pkApp.clientId, es256Url, newJti()),
}), 'private_key_jwt token');

// DPoP (RFC 9449) at the ES256 server: a client_secret_basic app with dpop_bound_access_tokens;
// proofs ES256 with a key of their own, the server's nonce fetched first (okta-compat.md §1.10).
const dpopApp = await secretApp(orgUrl, token, { method: 'client_secret_basic', dpop: true });
const dpopKey = es256Key();
const dpopSigner = es256Signer(dpopKey.privateJwk);
const dpop = { tokenUrl: es256Url, clientId: dpopApp.clientId, secret: dpopApp.secret, scope: 'bench.read', jwk: dpopKey.privateJwk };
{
  const basic = { basic: [dpopApp.clientId, dpopApp.secret] };
  const params = { grant_type: 'client_credentials', scope: 'bench.read' };
  const first = await formPost(es256Url, params, { ...basic, headers: { DPoP: dpopProof(dpopSigner, { htm: 'POST', htu: es256Url, jti: newJti() }) } });
  const nonce = first.headers.get('dpop-nonce');
  if (first.status !== 400 || !nonce) throw new Error(`DPoP: expected use_dpop_nonce, got ${first.status} ${first.text.slice(0, 300)}`);
  const res = await formPost(es256Url, params, { ...basic, headers: { DPoP: dpopProof(dpopSigner, { htm: 'POST', htu: es256Url, jti: newJti(), nonce }) } });
  accessTokenOf(res, 'DPoP token');
  if (res.json.token_type !== 'DPoP') throw new Error(`DPoP: token_type ${res.json.token_type}`);
}

// Bearer on the management API: an org-AS token (private_key_jwt) with okta.groups.read and a
// read-only admin role.
const keyed = await keyApp(orgUrl, token, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
const bearer = await orgToken(orgUrl, keyed, 'okta.groups.read');

// DPoP on the management API: the same kind of app with dpop_bound_access_tokens, a DPoP-bound
// org-AS token (nonce dance) for a P-256 proof key; each request then needs a fresh proof for
// GET and the URL without its query (RFC 9449 §4.2 htu) with the token's ath (§4.3, §7).
const dpopKeyed = await keyApp(orgUrl, token, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN', dpop: true });
const groupsKey = es256Key();
const groupsSigner = es256Signer(groupsKey.privateJwk);
let dpopGroups;
{
  const orgTokenUrl = `${orgUrl}/oauth2/v1/token`;
  const post = async (nonce) => {
    return formPost(orgTokenUrl, {
      grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE,
      client_assertion: await signAssertion(dpopKeyed.key, dpopKeyed.clientId, orgTokenUrl),
    }, { headers: { DPoP: dpopProof(groupsSigner, { htm: 'POST', htu: orgTokenUrl, jti: newJti(), nonce }) } });
  };
  const first = await post(undefined);
  const res = await post(first.headers.get('dpop-nonce'));
  const accessToken = accessTokenOf(res, 'DPoP org token');
  const htu = `${orgUrl}/api/v1/groups`;
  const check = await raw(`${htu}?limit=10`, { headers: { Authorization: `DPoP ${accessToken}`,
    DPoP: dpopProof(groupsSigner, { htm: 'GET', htu, jti: newJti(), athValue: ath(accessToken) }) }, lenient: true });
  if (check.status !== 200) throw new Error(`GET /api/v1/groups with DPoP -> ${check.status}: ${check.text.slice(0, 300)}`);
  dpopGroups = { accessToken, jwk: groupsKey.privateJwk, htu };
}

// Introspection of a `default` JWT by the client that owns it.
const introspect = {
  url: `${orgUrl}/oauth2/default/v1/introspect`, clientId: app.clientId, secret: app.secret,
  token: accessTokenOf(await basicToken(rs256.tokenUrl, app, rs256.scope), 'token to introspect'),
};
process.stdout.write(`${JSON.stringify({ rs256, es256, eddsa, pkjwt, dpop, bearer, dpop_groups: dpopGroups, introspect })}\n`);
