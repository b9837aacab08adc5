// Fixed-count token client for bench/profiles/measure.sh: sends exactly N client_credentials
// requests (client_secret_basic) over C keep-alive connections and exits non-zero unless every
// one answered 200. Usage: node client.mjs TOKEN_URL CLIENT_ID SECRET SCOPE N [C]
import fs from 'node:fs';
import http from 'node:http';

const [url, id, secret, scope, nArg, cArg] = process.argv.slice(2);
const n = Number(nArg);
const c = Number(cArg || 16);
const u = new URL(url);
// BODY in the environment replaces the token request's (measure.sh SCENARIO=introspect).
const body = process.env.BODY || `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`;
// LINES in the environment: a file of single-use values (lib/proofs.mjs), one per request in place
// of {{LINE}} in BODY; with them no Basic header (private_key_jwt authenticates in the body).
const lines = process.env.LINES ? fs.readFileSync(process.env.LINES, 'utf8').split('\n').filter(Boolean) : null;
const headers = {
  'Content-Type': 'application/x-www-form-urlencoded',
  Accept: 'application/json',
};
if (!lines) headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: c });
let sent = 0;
let bad = 0;
function one() {
  return new Promise((resolve) => {
    const text = lines ? body.replace('{{LINE}}', lines[sent - 1]) : body;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
      headers: { ...headers, 'Content-Length': Buffer.byteLength(text) }, agent }, (res) => {
      if (res.statusCode !== 200) bad++;
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', () => { bad++; resolve(); });
    req.end(text);
  });
}
async function worker() {
  while (sent < n) {
    sent++;
    await one();
  }
}
await Promise.all(Array.from({ length: c }, worker));
agent.destroy();
if (bad) {
  process.stderr.write(`${bad} of ${n} requests did not answer 200\n`);
  process.exit(1);
}
