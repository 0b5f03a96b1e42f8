// The runnable example (examples/signin/), started the way the README says (scripts/example, on a
// free PORT), signed in through its own UI in Chromium: email + password, the email code from the
// emulator's dev mailbox, the route and profile, a reload (persist: 'session'), sign-out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const EMAIL = 'admin@example.com';
const PASSWORD = 'Correct-Horse-9';

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    }).on('error', reject);
  });
}

// Runs scripts/example on a free port; resolves to its URL once it listens.
async function startExample(t) {
  const port = await freePort();
  const child = spawn(resolve(ROOT, 'scripts/example'), [], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  t.after(() => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } });
  let output = '';
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`scripts/example did not start:\n${output}`)), 900_000);
    const onData = (chunk) => {
      output += chunk;
      const m = /example: (http:\/\/[\d.]+:\d+)\//.exec(output);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`scripts/example exited (${code}):\n${output}`)); });
  });
}

test('scripts/example serves the example; it signs in with email MFA, routes, shows the profile, signs out', { timeout: 900_000 }, async (t) => {
  const url = await startExample(t);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  t.after(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (['error', 'warning'].includes(message.type())) problems.push(`console: ${message.text()}`); });
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`); });
  const status = () => page.locator('#status').textContent();
  const waitFor = async (selector, what) => {
    try {
      await page.locator(selector).waitFor({ state: 'visible', timeout: 30_000 });
    } catch (error) {
      assert.fail(`${what}: ${error.message.split('\n')[0]}\nstatus: ${JSON.stringify(await status())}\n${problems.join('\n')}`);
    }
  };

  const response = await page.goto(url + '/');
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  await waitFor('body[data-ready="true"] #sign-in', 'the example did not load');

  // A wrong password is explained, not thrown.
  await page.fill('#sign-in input[name=email]', EMAIL);
  await page.fill('#sign-in input[name=password]', 'Wrong-Horse-9');
  await page.click('#sign-in button');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('incorrect'));
  assert.ok(problems.every((p) => /401/.test(p)), problems.join('\n'));  // the refused password's HTTP 401, nothing else
  problems.length = 0;

  await page.fill('#sign-in input[name=password]', PASSWORD);
  await page.click('#sign-in button');
  await waitFor('#mfa input[name=code]', 'sign-in did not reach the email MFA step');
  const box = await (await fetch(`${url}/__dev/mailbox?email=${encodeURIComponent(EMAIL)}`)).json();
  const code = box.data?.latest?.LOGIN_MFA;
  assert.match(String(code), /^\d{6}$/, JSON.stringify(box));
  await page.fill('#mfa input[name=code]', code);
  await page.click('#mfa button[type=submit], #mfa button:not([type])');
  await waitFor('#signed-in', 'confirming the email code did not sign in');
  assert.equal(await page.locator('#route').textContent(), 'APP');
  assert.equal(await page.locator('#route-title').textContent(), 'Welcome');
  assert.equal(await page.locator('#profile-name').textContent(), 'System Admin');
  assert.equal(await page.locator('#profile-email').textContent(), EMAIL);

  // persist: 'session': a reload lands on the route again.
  await page.reload();
  await waitFor('body[data-ready="true"] #signed-in', 'a reload lost the session');
  assert.equal(await page.locator('#route').textContent(), 'APP');

  await page.click('#sign-out');
  await waitFor('#sign-in', 'sign-out did not return to the sign-in form');
  assert.equal(await status(), 'Signed out.');
  assert.deepEqual(problems, []);
});
