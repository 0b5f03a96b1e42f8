// dist/ under Node 20+ (issue 14): the built module imported as it ships, the wasm read from disk
// (no fetch of a file: URL), a whole sign-in journey against an in-process emulator through the
// public API, and an import that touches no browser global.
//
//   node --test --test-concurrency=1 tests/node/        (PORTAL_DIST selects the build; default dist/)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator } from '../../emulator/server.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DIST = resolve(ROOT, process.env.PORTAL_DIST ?? 'dist');
const MODULE_URL = pathToFileURL(resolve(DIST, 'portal-client.js')).href;
const EMAIL = 'admin@example.com';
const PASSWORD = 'Correct-Horse-9';
const ACCESS_CODE = 'dev-system-code';

let emulator;
let api;
before(async () => {
  assert.ok(existsSync(resolve(DIST, 'portal-core.wasm')), `${DIST} has no portal-core.wasm: run scripts/build wasm-release`);
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true });
  api = await import(MODULE_URL);
});
after(async () => { await emulator?.close(); });

async function mailCode(email) {
  for (let tries = 0; tries < 50; tries += 1) {
    const response = await fetch(`${emulator.url}/__dev/mailbox?email=${encodeURIComponent(email)}`);
    const code = (await response.json()).data?.latest?.LOGIN_MFA;
    if (code) return code;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no LOGIN_MFA code was mailed to ${email}`);
}

/** Runs `source` as an ES module in a fresh Node process; resolves {code, stdout, stderr}. */
function runNode(source, { timeoutMs = 60_000 } = {}) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => { clearTimeout(timer); done({ code: code ?? signal, stdout, stderr }); });
  });
}

test('the module loads under Node: version and a self-tested core from dist/', async () => {
  assert.equal(typeof globalThis.window, 'undefined', 'this suite runs without browser globals');
  assert.match(await api.version(), /^\d+\.\d+\.\d+/);
});

test('sign in with email MFA, get the profile, sign out — through the public API, in memory', async () => {
  const client = await api.createPortalClient({
    baseUrl: emulator.url, portal: 'system', portalAccessCode: ACCESS_CODE, persist: 'session',
  });
  const states = [];
  const off = client.on('authStateChange', (state) => states.push(state.state));
  const signedOut = [];
  client.on('signedOut', (event) => signedOut.push(event));
  try {
    assert.match(client.clientHash, /^[0-9a-f]{64}$/);
    const first = await client.signIn({ email: EMAIL, password: PASSWORD });
    assert.equal(first.step, 'MFA_REQUIRED');
    assert.ok(first.methods.includes('EMAIL'), JSON.stringify(first));
    await client.sendMfaCode('EMAIL');
    const done = await client.confirmSignIn({ method: 'EMAIL', code: await mailCode(EMAIL) });
    assert.equal(done.step, 'DONE');
    assert.equal(client.authState.state, 'SIGNED_IN');

    const profile = await client.getProfile();
    assert.equal(profile.accountEmail, EMAIL);

    await client.signOut();
    assert.equal(client.authState.state, 'SIGNED_OUT');
    assert.deepEqual(signedOut, [{ reason: 'USER' }]);
    assert.ok(states.includes('SIGNED_IN') && states.at(-1) === 'SIGNED_OUT', states.join(' → '));
    await assert.rejects(client.getProfile(), (error) => error instanceof api.PortalError);
  } finally {
    off();
    client.dispose();
  }
  // The calls went through the secure channel (the default, 'required'), opened from Node.
  const stats = (await (await fetch(`${emulator.url}/__dev/stats`)).json()).data;
  assert.ok(Object.keys(stats.requests).some((key) => /secure-channel/.test(key)), JSON.stringify(stats.requests));
});

test('a wrong password rejects with a PortalError carrying the server code', async () => {
  const client = await api.createPortalClient({ baseUrl: emulator.url, portal: 'system', portalAccessCode: ACCESS_CODE });
  try {
    await assert.rejects(client.signIn({ email: EMAIL, password: 'Wrong-Password-1' }),
      (error) => error instanceof api.PortalError && error.kind === 'server' && error.status >= 400);
  } finally {
    client.dispose();
  }
});

test('a signed-in script exits by itself: no timer or channel keeps the process alive', async () => {
  const source = `
    const { createPortalClient } = await import(${JSON.stringify(MODULE_URL)});
    const base = ${JSON.stringify(emulator.url)};
    const client = await createPortalClient({ baseUrl: base, portal: 'system', portalAccessCode: ${JSON.stringify(ACCESS_CODE)} });
    await client.signIn({ email: ${JSON.stringify(EMAIL)}, password: ${JSON.stringify(PASSWORD)} });
    await client.sendMfaCode('EMAIL');
    const box = await (await fetch(base + '/__dev/mailbox?email=' + encodeURIComponent(${JSON.stringify(EMAIL)}))).json();
    await client.confirmSignIn({ method: 'EMAIL', code: box.data.latest.LOGIN_MFA });
    console.log(client.authState.state);   // signed in, a refresh scheduled, never disposed
  `;
  const { code, stdout, stderr } = await runNode(source, { timeoutMs: 30_000 });
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), 'SIGNED_IN');
});

test('without process.getBuiltinModule (Node < 20.16) the wasm is read through import("node:fs/promises")', async () => {
  const source = `
    Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true });
    const { version } = await import(${JSON.stringify(MODULE_URL)});
    console.log(await version());
  `;
  const { code, stdout, stderr } = await runNode(source);
  assert.equal(code, 0, stderr);
  assert.match(stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('importing the module touches no browser global', async () => {
  // Getters on globalThis record every read of a browser global; the import must record none.
  // A control read proves the recorder works (so the test can fail).
  const recorder = `
    const touched = [];
    for (const name of ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'self']) {
      Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name); return undefined; } });
    }
  `;
  const control = await runNode(`${recorder} globalThis.document; console.log(JSON.stringify(touched));`);
  assert.equal(control.code, 0, control.stderr);
  assert.deepEqual(JSON.parse(control.stdout), ['document']);

  const imported = await runNode(`${recorder}
    const mod = await import(${JSON.stringify(MODULE_URL)});
    console.log(JSON.stringify({ touched, exports: Object.keys(mod).sort() }));`);
  assert.equal(imported.code, 0, imported.stderr);
  const { touched, exports } = JSON.parse(imported.stdout);
  assert.deepEqual(touched, []);
  assert.ok(exports.includes('createPortalClient') && exports.includes('PortalError'), exports.join(', '));
});
