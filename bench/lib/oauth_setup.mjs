// Prepares the OAuth benchmark scenarios (bench/oauth.sh, bench/scenarios/*) through the
// management API, with the helpers the interop tests use (tests/node/lib/oauth.mjs), and prints
// one JSON object on stdout:
//   {rs256: {tokenUrl, clientId, secret, scope}, es256: {...}, bearer, introspect: {...}}
// Usage: node bench/lib/oauth_setup.mjs ORG_URL SSWS_TOKEN
import {
  accessTokenOf, basicToken, ensureAsScope, keyApp, orgToken, secretApp,
} from '../../tests/node/lib/oauth.mjs';
import { raw } from '../../tests/node/lib/server.mjs';

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

// ES256: a custom server signing with ES256 (Gatehouse's `signing.alg` extension), with a
// policy for every client and a client_credentials rule for its scope.
const as = await must(await raw(`${orgUrl}/api/v1/authorizationServers`, {
  method: 'POST', token, body: { name: 'bench-es256', audiences: ['api://bench'], signing: { alg: 'ES256' } },
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
const es256 = { tokenUrl: `${orgUrl}/oauth2/${as.id}/v1/token`, clientId: app.clientId, secret: app.secret, scope: 'bench.read' };
accessTokenOf(await basicToken(es256.tokenUrl, app, es256.scope), 'ES256 token');

// Bearer on the management API: an org-AS token (private_key_jwt) with okta.groups.read and a
// read-only admin role.
const keyed = await keyApp(orgUrl, token, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN' });
const bearer = await orgToken(orgUrl, keyed, 'okta.groups.read');

// Introspection of a `default` JWT by the client that owns it.
const introspect = {
  url: `${orgUrl}/oauth2/default/v1/introspect`, clientId: app.clientId, secret: app.secret,
  token: accessTokenOf(await basicToken(rs256.tokenUrl, app, rs256.scope), 'token to introspect'),
};
process.stdout.write(`${JSON.stringify({ rs256, es256, bearer, introspect })}\n`);
