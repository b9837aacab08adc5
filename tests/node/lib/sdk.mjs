// Runs the C++ SDK's test driver (tests/sdk/sdk_driver.cpp, built beside the gatehouse binary)
// and the example programs: the SDK, not Node, does their HTTP.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GATEHOUSE_BIN } from './server.mjs';

export const BUILD_DIR = path.dirname(GATEHOUSE_BIN);
export const SDK_DRIVER = path.join(BUILD_DIR, 'gh_sdk_driver');

// Runs `bin args`; resolves to {code, stdout, stderr, json} (json: the last stdout line parsed).
export function runBin(bin, args, { env = {}, input, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { timeout: timeoutMs, maxBuffer: 1 << 22, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stderr}`));
          return;
        }
        let json;
        const last = stdout.trim().split('\n').pop();
        try {
          json = JSON.parse(last);
        } catch {
          json = undefined;
        }
        resolve({ code: err ? err.code : 0, stdout, stderr, json });
      });
    // A program may exit before reading its input (e.g. on a usage error): not a test failure.
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
  });
}

export function driver(args, opts) {
  return runBin(SDK_DRIVER, args, opts);
}

// A temp folder removed by the caller.
export function tempDir(prefix = 'gatehouse-sdk-') {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

// The PKCS#8 PEM of a private JWK (Node's crypto), for the SDK's PEM loader.
export function pemOf(privateJwk) {
  return crypto.createPrivateKey({ key: privateJwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' });
}
