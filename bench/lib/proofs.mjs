// Single-use JWTs for one benchmark run, made before it and sent once each by
// bench/wrk/request.lua (BENCH_LINES_FILE): client assertions (RFC 7523 private_key_jwt) and
// DPoP proofs (RFC 9449). Each has its own jti, so none is a replay; all ES256 (lib/jws.mjs).
//
// Usage: node proofs.mjs KIND COUNT OUT PARAMS_JSON
//   KIND assertion  PARAMS {jwk (private, with kid), clientId, aud}
//   KIND dpop       PARAMS {jwk (private), htm, htu, accessToken?, nonce?, nonceFrom?}: with
//                   accessToken the proofs carry its ath (resource requests). nonceFrom {url,
//                   authorization, body}: one token request with a proof without nonce first;
//                   its 400 use_dpop_nonce carries the server's current DPoP-Nonce, which every
//                   proof then carries (RFC 9449 §8; okta-compat.md §1.10)
// Writes COUNT lines to OUT and prints {"count", "bytes_per_line", "nonce"} on stdout.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { assertion, ath, dpopProof, es256Signer } from './jws.mjs';

const [kind, countArg, out, paramsJson] = process.argv.slice(2);
const count = Number(countArg);
if (!['assertion', 'dpop'].includes(kind) || !Number.isInteger(count) || count < 1 || !out || !paramsJson) {
  process.stderr.write('usage: node proofs.mjs assertion|dpop COUNT OUT PARAMS_JSON\n');
  process.exit(2);
}
const params = JSON.parse(paramsJson);
const signer = es256Signer(params.jwk);
// jti: a random prefix per batch and a counter.
const prefix = crypto.randomBytes(9).toString('base64url');

let make;
let nonce = params.nonce;
if (kind === 'assertion') {
  make = (i) => assertion(signer, params.clientId, params.aud, `${prefix}.${i}`);
} else {
  const athValue = params.accessToken ? ath(params.accessToken) : undefined;
  if (params.nonceFrom) {
    const { url, authorization, body } = params.nonceFrom;
    const res = await fetch(url, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded',
        DPoP: dpopProof(signer, { htm: 'POST', htu: url, jti: `${prefix}.nonce` }) },
      body,
    });
    nonce = res.headers.get('dpop-nonce');
    const text = await res.text();
    if (res.status !== 400 || !nonce) throw new Error(`no DPoP-Nonce from ${url}: ${res.status} ${text.slice(0, 300)}`);
  }
  make = (i) => dpopProof(signer, { htm: params.htm, htu: params.htu, jti: `${prefix}.${i}`, athValue, nonce });
}

const fd = fs.openSync(out, 'w');
let chunk = [];
let bytes = 0;
for (let i = 0; i < count; i++) {
  const line = make(i);
  bytes += line.length;
  chunk.push(line);
  if (chunk.length === 4096 || i === count - 1) {
    fs.writeSync(fd, `${chunk.join('\n')}\n`);
    chunk = [];
  }
}
fs.closeSync(fd);
process.stdout.write(`${JSON.stringify({ count, bytes_per_line: bytes / count, nonce: nonce ?? null })}\n`);
