// Shared by the browser tests (issue 17): Chromium launched headless with the flags that work
// offline, the screenshot helper (build/console-screenshots/, ignored by git) and the sign-in.
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from '../../console/node_modules/playwright-core/index.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHOTS = path.join(ROOT, 'build', 'console-screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

// The [console] section that serves THIS checkout's console/dist, whichever gatehouse binary runs
// (GATEHOUSE_BIN may be a build of another checkout, which would serve its own console/dist).
export const CONSOLE_CONFIG = `[console]\ndir = ${JSON.stringify(path.join(ROOT, 'console', 'dist'))}\n`;

export async function launch() {
  await fs.mkdir(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// Signs `login` in at the console of `orgUrl` (confirm dialogs accepted) and waits for the overview.
export async function signIn(context, orgUrl, login, password) {
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(orgUrl + '/admin/');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  return page;
}
