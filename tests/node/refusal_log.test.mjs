// The cause of a refused request is logged once, at one place, with the request id (issue 22
// "One way to fail"): a `refused request_id=… status=… error=… cause="<category>:<message>"`
// line at debug level, written where the management API (ManagementApi::handle) or the OAuth
// endpoints (oauth::Endpoints::handle) render the refusal, and never a secret or a token.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startServer, raw, waitFor, it } from './lib/server.mjs';
import { secretApp, formPost } from './lib/oauth.mjs';

const CONFIG = 'log_level = "debug"\n';

let server;
let orgUrl;

before(async () => {
  server = await startServer({ config: CONFIG });
  orgUrl = server.url;
});

after(async () => {
  await server?.dispose();
});

const output = () => `${server.stdout}\n${server.stderr}`;

// The `refused` lines of the server's output that name `requestId`, once at least one arrived.
async function refusedLines(requestId) {
  const lines = () => output().split('\n').filter((l) => l.includes('refused request_id=') && l.includes(`request_id=${requestId} `));
  await waitFor(() => lines().length > 0, { what: `a refused line for ${requestId}` });
  return lines();
}

it('a refused management API request: one refused line with its request id and its cause', async () => {
  // okta-compat.md §11.9: an unparseable filter → 400 E0000031; the parser's reason is the cause.
  const res = await raw(`${orgUrl}/api/v1/users?${new URLSearchParams({ filter: 'profile.login eq' })}`, {
    token: server.adminToken,
  });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json.errorCode, 'E0000031');
  const id = res.headers.get('x-okta-request-id');
  assert.ok(id, 'X-Okta-Request-Id');
  const lines = await refusedLines(id);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], new RegExp(`refused request_id=${id} org=\\S+ status=400 error=E0000031 cause="gh\\.api\\.filter:missing value"`));
  assert.ok(!res.text.includes('gh.api.filter'), 'the cause is not rendered');
});

it('a refused token request with a known secret: one refused line with a cause, the secret nowhere', async () => {
  // A DPoP-bound client_secret_basic app: its credentials are right, the proof is missing
  // (RFC 9449 §5) → 400 invalid_dpop_proof, whose cause is the DPoP check's.
  const app = await secretApp(orgUrl, server.adminToken, { method: 'client_secret_basic', dpop: true });
  const res = await formPost(`${orgUrl}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'widgets.read' }, {
    basic: [app.clientId, app.secret],
  });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json.error, 'invalid_dpop_proof');
  const id = res.headers.get('x-okta-request-id');
  assert.ok(id, 'X-Okta-Request-Id');
  const lines = await refusedLines(id);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], new RegExp(`refused request_id=${id} org=\\S+ status=400 error=invalid_dpop_proof cause="[\\w.]+:[^"]+"`));
  const out = output();
  assert.ok(!out.includes(app.secret), 'the client secret is in the server output');
  assert.ok(!out.includes(Buffer.from(`${app.clientId}:${app.secret}`).toString('base64')), 'the Authorization header is in the output');
  assert.ok(!out.includes(server.adminToken), 'the SSWS token is in the server output');
});
