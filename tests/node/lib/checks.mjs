// Assertions shared by the integration tests (okta-compat.md §1.7, §2.1, §11.1).
import assert from 'node:assert/strict';

// The Okta error envelope with all five fields (§11.1).
export function assertEnvelope(body, code) {
  assert.ok(body && typeof body === 'object', `expected an error envelope, got ${JSON.stringify(body)}`);
  for (const field of ['errorCode', 'errorSummary', 'errorLink', 'errorId', 'errorCauses']) {
    assert.ok(field in body, `envelope lacks ${field}: ${JSON.stringify(body)}`);
  }
  assert.equal(typeof body.errorCode, 'string');
  assert.equal(typeof body.errorSummary, 'string');
  assert.equal(typeof body.errorId, 'string');
  assert.ok(Array.isArray(body.errorCauses), 'errorCauses must be an array');
  assert.equal(body.errorLink, body.errorCode, 'errorLink equals errorCode');
  if (code !== undefined) assert.equal(body.errorCode, code, `errorCode; summary: ${body.errorSummary}`);
}

// An SDK OktaApiError with the given status and code.
export function assertOktaError(err, status, code) {
  assert.ok(err, 'expected an error');
  assert.equal(err.name, 'OktaApiError', `expected OktaApiError, got ${err.name}: ${err.message}`);
  assert.equal(err.status, status, `status; message: ${err.message}`);
  if (code !== undefined) assert.equal(err.errorCode, code, `errorCode; message: ${err.message}`);
  assert.equal(typeof err.errorSummary, 'string');
  assert.ok(err.errorCauses === undefined || Array.isArray(err.errorCauses), 'errorCauses is an array');
}

// A raw response that is an error with the given status and code.
export function assertRawError(res, status, code) {
  assert.equal(res.status, status, `status; body: ${res.text.slice(0, 500)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/i, 'error content type');
  assertEnvelope(res.json, code);
}

// Every response carries these (§2).
export function assertCommonHeaders(res) {
  const rid = res.headers.get('x-okta-request-id');
  assert.ok(rid && rid.length > 0, 'X-Okta-Request-Id present');
  const date = res.headers.get('date');
  assert.ok(date, 'Date present');
  assert.ok(!Number.isNaN(Date.parse(date)), `Date parses: ${date}`);
  assert.ok(Math.abs(Date.parse(date) - Date.now()) < 60_000, `Date is now: ${date}`);
}

// Parses a Link header (one comma-joined header or several) into {rel: url}.
export function parseLinks(header) {
  const out = {};
  if (!header) return out;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}

// Asserts that an id looks like an Okta id with the given prefix: prefix + 17 base62 chars.
export function assertOktaId(id, prefix) {
  assert.equal(typeof id, 'string');
  assert.match(id, new RegExp(`^${prefix}[0-9A-Za-z]{17}$`), `id ${id} has the shape ${prefix}+17 base62`);
}

export function assertIsoMillis(value, what = 'timestamp') {
  assert.equal(typeof value, 'string', `${what} is a string`);
  assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, `${what} ${value} is YYYY-MM-DDTHH:mm:ss.SSSZ`);
}
