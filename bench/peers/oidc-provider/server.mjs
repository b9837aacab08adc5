// node-oidc-provider 9 as the peer of Gatehouse's token endpoint in bench/oauth.sh (issue 5):
// one provider, one client_secret_basic client allowed the client_credentials grant, and JWT
// access tokens through a resource indicator (RFC 8707) signed with RS256, ES256 or EdDSA.
//
// Usage: node server.mjs PORT ALG [RESOURCE]
//   PORT      port on 127.0.0.1 (it is part of the issuer, so it must be given)
//   ALG       RS256, ES256 or EdDSA: the resource server's jwt.sign.alg; the provider's jwks
//             holds one fresh key of that type (RSA 2048, P-256 or Ed25519), as Gatehouse's
//             servers do
//   RESOURCE  the one resource indicator accepted (default api://bench); it is the token's aud
// Environment: BENCH_CLIENT_ID, BENCH_CLIENT_SECRET (the client; defaults for a manual check),
//   BENCH_SCOPE (default bench.read): the scope the client may ask for.
// Prints "listening on http://127.0.0.1:PORT" once ready. Nothing is logged per request.
import { generateKeyPairSync } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const [portArg, alg = 'RS256', resource = 'api://bench'] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !['RS256', 'ES256', 'EdDSA'].includes(alg)) {
  process.stderr.write('usage: node server.mjs PORT RS256|ES256|EdDSA [RESOURCE]\n');
  process.exit(2);
}
const clientId = process.env.BENCH_CLIENT_ID || 'bench-client';
const clientSecret = process.env.BENCH_CLIENT_SECRET || 'bench-secret-not-for-production-0123456789';
const scope = process.env.BENCH_SCOPE || 'bench.read';

const { privateKey } = {
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: () => generateKeyPairSync('ed25519'),  // JWK kty OKP, crv Ed25519 (RFC 8037)
}[alg]();
const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg, kid: `bench-${alg.toLowerCase()}` };

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope,
    // The provider validates this even without ID tokens; it must be an alg the jwks can sign.
    id_token_signed_response_alg: alg,
  }],
  jwks: { keys: [jwk] },
  scopes: [scope],
  ttl: { ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      // One resource server: its audience is the indicator, JWT access tokens signed with ALG.
      getResourceServerInfo(_ctx, indicator) {
        if (indicator !== resource) throw new errors.InvalidTarget();
        return {
          scope,
          audience: indicator,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        };
      },
    },
  },
});

// Errors the provider emits are counted by wrk as non-2xx answers; print only the first few so
// that a misconfiguration shows without logging per request.
let reported = 0;
for (const event of ['grant.error', 'server_error']) {
  provider.on(event, (_ctx, err) => {
    if (reported++ < 5) process.stderr.write(`${event}: ${err?.message ?? err}\n`);
  });
}

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${issuer}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
