// Single use across a restart (okta-compat.md §11.33; DESIGN.md "single-use for their lifetime"):
// client assertions and DPoP proofs accepted before a kill -9 are refused when presented again to
// the restarted node, at the token endpoint and at the management API; an assertion dated in the
// future (the journal's case) too; fresh ones keep working.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, it } from './lib/server.mjs';
import {
  keyApp,
  formPost,
  signAssertion,
  dpopProof,
  dpopKeyToken,
  nowSec,
  assertOAuthError,
  ASSERTION_TYPE,
} from './lib/oauth.mjs';

let server;
let orgUrl;
let tokenUrl;
let app; // private_key_jwt, DPoP-bound, okta.groups.read, READ_ONLY_ADMIN

before(async () => {
  server = await startServer();
  orgUrl = server.url;
  tokenUrl = `${orgUrl}/oauth2/v1/token`;
  app = await keyApp(orgUrl, server.adminToken, { scopes: ['okta.groups.read'], role: 'READ_ONLY_ADMIN', dpop: true });
});

after(async () => {
  await server?.dispose();
});

const tokenRequest = (assertion, proof) =>
  formPost(
    tokenUrl,
    { grant_type: 'client_credentials', scope: 'okta.groups.read', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion },
    { headers: proof ? { DPoP: proof } : {} },
  );
const assertion = (claims = {}) => signAssertion(app.key, app.clientId, tokenUrl, { claims });
const groupsUrl = () => `${orgUrl}/api/v1/groups?limit=1`;
const groups = (token, proof) => raw(groupsUrl(), { headers: { Authorization: `DPoP ${token}`, DPoP: proof }, lenient: true });

it('assertions and DPoP proofs used before kill -9 are refused after the restart; fresh ones work', async () => {
  // Before the crash: a DPoP token (the nonce dance), a resource call, and an assertion dated 30 s
  // ahead of the server's clock (within the skew of §11.19), which only the journal can carry.
  let tokenProof;
  const { res, nonce } = await dpopKeyToken(tokenUrl, app, 'okta.groups.read', async (n) => {
    tokenProof = await dpopProof(app.key, { htu: tokenUrl, nonce: n });
    return tokenProof;
  });
  assert.equal(res.status, 200, res.text);
  const accessToken = res.json.access_token;
  const resourceProof = await dpopProof(app.key, { htm: 'GET', htu: groupsUrl(), accessToken });
  assert.equal((await groups(accessToken, resourceProof)).status, 200);
  const future = await assertion({ iat: nowSec() + 30 });
  const withFuture = await tokenRequest(future, await dpopProof(app.key, { htu: tokenUrl, nonce }));
  assert.equal(withFuture.status, 200, withFuture.text);
  const plain = await assertion();
  assert.equal((await tokenRequest(plain, await dpopProof(app.key, { htu: tokenUrl, nonce }))).status, 200);
  // Replays are refused while the node runs (the in-memory caches).
  assertOAuthError(await tokenRequest(plain, await dpopProof(app.key, { htu: tokenUrl, nonce })), 401, 'invalid_client');

  await server.kill9();
  await server.restart();
  // Keys issued in the second of the restart are refused too (issue times are whole seconds):
  // the fresh assertions below must come from a later second.
  await new Promise((r) => setTimeout(r, 1100));

  const used = 'already been used';
  for (const [what, a] of [['an assertion', plain], ['an assertion dated in the future', future]]) {
    const r = await tokenRequest(a, await dpopProof(app.key, { htu: tokenUrl, nonce }));
    assertOAuthError(r, 401, 'invalid_client');
    assert.match(r.json.error_description, new RegExp(used), `${what}: ${r.text}`);
  }
  // The DPoP proof of the token request, with a fresh assertion.
  const replayedProof = await tokenRequest(await assertion(), tokenProof);
  assertOAuthError(replayedProof, 400, 'invalid_dpop_proof');
  assert.match(replayedProof.json.error_description, new RegExp(used));
  // The proof of the resource call, with the same (still valid) access token.
  const replayedCall = await groups(accessToken, resourceProof);
  assert.equal(replayedCall.status, 400, replayedCall.text);
  assert.match(replayedCall.headers.get('www-authenticate') ?? '', /invalid_dpop_proof.*already been used/);

  // Fresh ones work.
  const again = await dpopKeyToken(tokenUrl, app, 'okta.groups.read', (n) => dpopProof(app.key, { htu: tokenUrl, nonce: n }));
  assert.equal(again.res.status, 200, again.res.text);
  const token2 = again.res.json.access_token;
  assert.equal((await groups(token2, await dpopProof(app.key, { htm: 'GET', htu: groupsUrl(), accessToken: token2 }))).status, 200);
  assert.equal((await groups(accessToken, await dpopProof(app.key, { htm: 'GET', htu: groupsUrl(), accessToken }))).status, 200,
    'the token from before the crash is still good with a fresh proof');
});
