// ES256 JWTs for the benchmark with node:crypto alone (bench/ has no npm packages of its own):
// P-256 keys, client assertions (RFC 7523) and DPoP proofs (RFC 9449 §4.2). Used by
// oauth_setup.mjs (set-up and checks) and proofs.mjs (the single-use values of a run).
import crypto from 'node:crypto';

// A fresh P-256 key: {privateJwk (with kid), publicJwk (with kid, use, alg)}.
export function es256Key(kid = `bench-${crypto.randomBytes(6).toString('hex')}`) {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid };
  const { kty, crv, x, y } = privateJwk;
  return { kid, privateJwk, publicJwk: { kty, crv, x, y, kid, use: 'sig', alg: 'ES256' } };
}

const b64u = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

// A signer for one private JWK: sign(header, claims) -> compact JWS (RFC 7518 §3.4: the
// signature is R || S, IEEE P1363, not DER).
export function es256Signer(privateJwk) {
  const { kty, crv, x, y, d } = privateJwk;
  const key = crypto.createPrivateKey({ key: { kty, crv, x, y, d }, format: 'jwk' });
  const publicJwk = { kty, crv, x, y };
  const sign = (header, claims) => {
    const input = `${b64u(header)}.${b64u(claims)}`;
    const sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${sig.toString('base64url')}`;
  };
  return { sign, publicJwk, kid: privateJwk.kid };
}

export const nowSec = () => Math.floor(Date.now() / 1000);

// A client assertion (okta-compat.md §4.1): iss = sub = clientId, aud, jti, iat, exp = iat + 300.
export function assertion(signer, clientId, aud, jti) {
  const iat = nowSec();
  return signer.sign({ alg: 'ES256', typ: 'JWT', kid: signer.kid },
    { iss: clientId, sub: clientId, aud, jti, iat, exp: iat + 300 });
}

// RFC 9449 §4.2 ath: base64url(SHA-256(access token)).
export const ath = (accessToken) => crypto.createHash('sha256').update(accessToken).digest('base64url');

// A DPoP proof: header typ dpop+jwt, alg ES256, the public jwk; claims htm, htu, iat, jti, and
// ath / nonce when given.
export function dpopProof(signer, { htm, htu, jti, athValue, nonce }) {
  const claims = { htm, htu, iat: nowSec(), jti };
  if (athValue) claims.ath = athValue;
  if (nonce) claims.nonce = nonce;
  return signer.sign({ typ: 'dpop+jwt', alg: 'ES256', jwk: signer.publicJwk }, claims);
}

export const newJti = () => crypto.randomUUID();
