// The module the way other frontends use it: this app installs dist/ by path
// ("portal-client": "file:../../dist"), imports it by name, and is bundled by Vite with no
// configuration at all. The wasm must be found and emitted by the bundler from the module's own
// `new URL('./portal-core.wasm', import.meta.url)`, and the bundle must sign in against the
// emulator in Chromium under its strict CSP. The hand-written declarations are checked through
// the package's `exports` map with tsc, and a file of deliberate misuse must fail to compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startEmulator } from '../../emulator/server.mjs';
import { launchChromium, PASSWORD } from '../browser/harness.mjs';

const APP = import.meta.dirname;
const ROOT = resolve(APP, '../..');
const PACKAGE = resolve(ROOT, 'dist');  // what "file:../../dist" points at
const OUT = join(APP, 'dist');
const EMAIL = 'admin@example.com';

// Runs a command in the app directory; resolves {code, output} (stdout and stderr interleaved).
function run(command, args, { env = {}, timeoutMs = 300_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: APP, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolvePromise({ code: code ?? signal, output }); });
  });
}

const tail = (text, lines = 30) => text.trimEnd().split('\n').slice(-lines).join('\n');

async function mustRun(what, command, args, options) {
  const { code, output } = await run(command, args, options);
  assert.equal(code, 0, `${what} failed (${command} ${args.join(' ')} → ${code}):\n${tail(output)}`);
  return output;
}

const once = (fn) => { let promise; return () => (promise ??= fn()); };

// dist/ must be a release build of the package (scripts/build wasm-release writes it).
function checkPackage() {
  const manifest = join(PACKAGE, 'package.json');
  const name = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).name : undefined;
  const missing = ['portal-client.js', 'portal-client.d.ts', 'portal-core.wasm']
    .filter((file) => !existsSync(join(PACKAGE, file)));
  assert.ok(name === 'portal-client' && missing.length === 0,
    `${PACKAGE} is not a release build of portal-client (package name ${JSON.stringify(name)}, missing: ${missing.join(', ') || 'none'}); run scripts/build wasm-release`);
}

// npm ci from the committed lock when node_modules is missing or older than the lock.
const install = once(async () => {
  checkPackage();
  const hidden = join(APP, 'node_modules/.package-lock.json');
  if (!existsSync(hidden) || statSync(hidden).mtimeMs < statSync(join(APP, 'package-lock.json')).mtimeMs) {
    await mustRun('npm ci', 'npm', ['ci', '--no-audit', '--no-fund'], { env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  }
  const linked = join(APP, 'node_modules/portal-client');
  assert.equal(realpathSync(linked), realpathSync(PACKAGE), 'node_modules/portal-client must be the repository dist/, linked by path');
});

// `vite build` with no config file: only index.html, src/main.js and the installed package.
const build = once(async () => {
  await install();
  const configs = readdirSync(APP).filter((file) => /^vite\.config\./.test(file));
  assert.deepEqual(configs, [], 'the consumer must build with no Vite configuration');
  const output = await mustRun('vite build', process.execPath, [join(APP, 'node_modules/vite/bin/vite.js'), 'build'], { timeoutMs: 180_000 });
  const assets = readdirSync(join(OUT, 'assets'));
  return { output, assets };
});

test('installs dist/ by path and resolves it by name', { timeout: 600_000 }, async () => {
  await install();
  const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies['portal-client'], 'file:../../dist');
  // Node resolves the bare name from this directory through the package's `exports` map.
  assert.equal(import.meta.resolve('portal-client'), pathToFileURL(join(realpathSync(PACKAGE), 'portal-client.js')).href);
});

test('vite build (no configuration) emits the wasm found through new URL(…, import.meta.url)', { timeout: 600_000 }, async (t) => {
  const { output, assets } = await build();
  const wasm = assets.filter((file) => file.endsWith('.wasm'));
  const scripts = assets.filter((file) => file.endsWith('.js'));
  assert.equal(wasm.length, 1, `expected exactly one emitted .wasm, got ${JSON.stringify(assets)}\n${tail(output)}`);
  assert.match(wasm[0], /^portal-core-[\w-]+\.wasm$/);
  assert.ok(readFileSync(join(OUT, 'assets', wasm[0])).equals(readFileSync(join(PACKAGE, 'portal-core.wasm'))),
    'the emitted wasm must be the package\'s portal-core.wasm byte for byte');
  const code = scripts.map((file) => readFileSync(join(OUT, 'assets', file), 'utf8')).join('\n');
  assert.ok(code.includes(`/assets/${wasm[0]}`), 'the bundle must reference the emitted wasm by its hashed name');
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'index.html must have no inline script (the CSP forbids it)');
  for (const file of [...scripts, ...wasm]) {
    const bytes = readFileSync(join(OUT, 'assets', file));
    t.diagnostic(`${file}: ${bytes.length} B, gzip ${gzipSync(bytes, { level: 9 }).length} B`);
  }
});

test('the declarations type-check through the exports map (tsc, bundler and nodenext resolution)', { timeout: 600_000 }, async () => {
  await install();
  const tsc = join(APP, 'node_modules/typescript/bin/tsc');
  const trace = await mustRun('tsc (bundler resolution)', process.execPath, [tsc, '-p', 'tsconfig.json', '--traceResolution']);
  assert.match(trace, /Using 'exports' subpath '\.' with target '\.\/portal-client\.d\.ts'/,
    'portal-client must resolve through the exports map');
  assert.match(trace, /Module name 'portal-client' was successfully resolved to '[^']*\/dist\/portal-client\.d\.ts'/);
  await mustRun('tsc (nodenext resolution)', process.execPath, [tsc, '-p', 'tsconfig.json', '--module', 'nodenext', '--moduleResolution', 'nodenext']);
});

test('deliberate misuse fails to type-check with exactly the expected errors', { timeout: 600_000 }, async () => {
  await install();
  const source = readFileSync(join(APP, 'types/wrong.ts'), 'utf8').split('\n');
  const expected = source.flatMap((line, i) => [...line.matchAll(/expect (TS\d+)/g)].map((m) => `${i + 1} ${m[1]}`)).sort();
  assert.ok(expected.length >= 5);
  const { code, output } = await run(process.execPath, [join(APP, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.negative.json']);
  assert.notEqual(code, 0, 'tsc must reject types/wrong.ts');
  const reported = [...output.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)];
  assert.deepEqual(reported.map((m) => m[1]).filter((file) => file !== 'types/wrong.ts'), [], output);
  assert.equal(reported.length, (output.match(/error TS\d+/g) ?? []).length, output);
  assert.deepEqual(reported.map((m) => `${m[2]} ${m[3]}`).sort(), expected, output);
});

test('the bundled app signs in against the emulator in Chromium under the strict CSP', { timeout: 600_000 }, async (t) => {
  const { assets } = await build();
  const wasmAsset = assets.find((file) => file.endsWith('.wasm'));
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [{ prefix: '/', dir: OUT }] });
  t.after(() => emulator.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`); });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  const wasmResponses = [];
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    if (response.url().endsWith('.wasm')) wasmResponses.push({ path: new URL(response.url()).pathname, status: response.status(), type: response.headers()['content-type'] });
  });
  const status = () => page.locator('#status').textContent();
  const waitFor = async (selector, what) => {
    try {
      await page.locator(selector).waitFor({ state: 'visible', timeout: 20_000 });
    } catch (error) {
      assert.fail(`${what}: ${error.message.split('\n')[0]}\nstatus: ${JSON.stringify(await status())}\n${problems.join('\n')}`);
    }
  };

  const response = await page.goto(emulator.url + '/');
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  await waitFor('body[data-ready="true"] #sign-in', 'the module did not load in the bundled app');
  await page.fill('#sign-in input[name=email]', EMAIL);
  await page.fill('#sign-in input[name=password]', PASSWORD);
  await page.click('#sign-in button');
  await waitFor('#mfa input[name=code]', 'sign-in did not reach the email MFA step');

  // Dev endpoints answer in the API envelope: {success, code, message, data: {email, messages, latest}}.
  const box = await (await fetch(`${emulator.url}/__dev/mailbox?email=${encodeURIComponent(EMAIL)}`)).json();
  const code = box.data?.latest?.LOGIN_MFA;
  assert.match(String(code), /^\d{6}$/, `no LOGIN_MFA code in the dev mailbox: ${JSON.stringify(box)}`);
  await page.fill('#mfa input[name=code]', code);
  await page.click('#mfa button');
  await waitFor('#signed-in', 'confirming the email code did not sign in');

  assert.equal(await page.locator('#route').textContent(), 'APP');
  assert.equal(await page.locator('#account-name').textContent(), 'System Admin');
  assert.equal(await status(), 'signed in');
  assert.deepEqual(wasmResponses, [{ path: `/assets/${wasmAsset}`, status: 200, type: 'application/wasm' }]);
  assert.deepEqual(problems, [], `the page reported problems (CSP violations show here):\n${problems.join('\n')}`);
});
