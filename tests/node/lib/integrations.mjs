// Helpers for the API service integration tests (issue 15): submissions, the operator's review,
// installs and their tokens, against the real server.
import assert from 'node:assert/strict';
import { raw, unique } from './server.mjs';
import { formPost } from './oauth.mjs';

export const subs = (o) => `${o.orgUrl}/integrations/api/v1/submissions`;
export const services = (o) => `${o.orgUrl}/integrations/api/v1/api-services`;
export const queue = (op) => `${op.orgUrl}/api/v1/review/submissions`;
export const catalog = (o) => `${o.orgUrl}/api/v1/catalog/integrations`;
export const causes = (res) => (res.json?.errorCauses ?? []).map((c) => c.errorSummary);

export const USERS = { scope: 'okta.users.read', reason: 'Reads users to create Acme accounts' };
export const GROUPS = { scope: 'okta.groups.read', reason: 'Maps groups to Acme teams' };
export const LOGS = { scope: 'okta.logs.read', reason: 'Audits what the sync did' };

// A 1×1 PNG: the signature and an IHDR chunk are all the logo check reads.
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), Buffer.from([0x1f, 0x15, 0xc4, 0x89]),
]);

export function integrationKey(prefix) {
  return `${prefix}_${unique('k').replace(/[^a-z0-9]/g, '_')}`.toLowerCase().slice(0, 64);
}

export async function uploadLogo(o) {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
  const res = await fetch(`${subs(o)}/logo`, { method: 'POST', headers: { Authorization: `SSWS ${o.token}`, Accept: 'application/json' }, body: form });
  assert.equal(res.status, 201);
  return (await res.json()).url;
}

export function submissionBody(id, logo, { name = 'Acme Directory Sync', scopes }) {
  return {
    id,
    name,
    description: 'Keeps the Acme directory in step with yours.',
    logo,
    appContactDetails: [{ contactType: 'CUSTOMER_SUPPORT', contactValueType: 'EMAIL', contact: 'help@acme.example' }],
    apiService: { scopes, configGuideUrl: 'https://acme.example/guide' },
  };
}

// An SSWS call as `o` ({orgUrl, token}).
export function call(o, url, { method = 'GET', body } = {}) {
  return raw(url, { method, token: o.token, body });
}
export async function must(o, url, opts = {}, status = 200) {
  const res = await call(o, url, opts);
  assert.equal(res.status, status, `${opts.method ?? 'GET'} ${url}: ${res.text}`);
  return res.json;
}

// The vendor drafts `id` (or its next version) with `scopes` and submits; the operator approves.
export async function publish(op, vendor, id, logo, scopes, { name } = {}) {
  await must(vendor, subs(vendor), { method: 'POST', body: submissionBody(id, logo, { scopes, name }) }, 201);
  await must(vendor, `${subs(vendor)}/${id}/submit`, { method: 'POST' }, 202);
  return must(op, `${queue(op)}/${id}/approve`, { method: 'POST' });
}

// client_credentials with client_secret_basic at the org AS (okta-compat.md §4, §5).
export function instanceToken(o, clientId, secret, scope) {
  return formPost(`${o.orgUrl}/oauth2/v1/token`, { grant_type: 'client_credentials', scope }, { basic: [clientId, secret] });
}

// The org's System Log events whose type starts with `prefix`.
export async function eventsOf(o, prefix) {
  const q = new URLSearchParams({ since: '2000-01-01T00:00:00Z', limit: '1000' });
  const res = await raw(`${o.orgUrl}/api/v1/logs?${q}`, { token: o.token });
  assert.equal(res.status, 200, res.text);
  return res.json.filter((e) => e.eventType.startsWith(prefix));
}
