// The module the way other frontends use it: this app installs the packed tarball of dist/
// (`npm pack dist/`, then `npm install <tarball>`: a real copy in node_modules, not a link),
// imports it by name, and is bundled three ways — the Vite dev server, `vite build` and webpack 5
// — each signing in against the emulator in Chromium from the API's own origin (the dev server
// proxies /web to the emulator; the builds are served by the emulator under its strict CSP). The
// bundler configuration is exactly what the package README says (vite.config.mjs: one line;
// webpack: nothing for the package). The hand-written declarations are checked through the
// package's `exports` map with tsc, and a file of deliberate misuse must fail to compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startEmulator } from '../../emulator/server.mjs';
import { launchChromium, PASSWORD } from '../browser/harness.mjs';

const APP = import.meta.dirname;
const ROOT = resolve(APP, '../..');
const PACKAGE = resolve(ROOT, 'dist');  // what `npm pack` packs
const INSTALLED = join(APP, 'node_modules/portal-client');
const OUT = join(APP, 'dist');
const WEBPACK_OUT = join(APP, 'dist-webpack');
const EMAIL = 'admin@example.com';
// The README's one Vite line; vite.config.mjs must hold it as written.
const VITE_LINE = "optimizeDeps: { exclude: ['portal-client'] }";

// Runs a command in the app directory; resolves {code, output} (stdout and stderr interleaved).
function run(command, args, { env = {}, timeoutMs = 300_000, cwd = APP } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    }).on('error', reject);
  });
}

const once = (fn) => { let promise; return () => (promise ??= fn()); };

// dist/ must be a release build of the package (scripts/build wasm-release writes it).
function checkPackage() {
  const manifest = join(PACKAGE, 'package.json');
  const name = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).name : undefined;
  const missing = ['portal-client.js', 'portal-client.d.ts', 'portal-core.wasm', 'README.md', 'LICENSE']
    .filter((file) => !existsSync(join(PACKAGE, file)));
  assert.ok(name === 'portal-client' && missing.length === 0,
    `${PACKAGE} is not a release build of portal-client (package name ${JSON.stringify(name)}, missing: ${missing.join(', ') || 'none'}); run scripts/build wasm-release`);
}

// npm ci from the committed lock when node_modules is missing or older than the lock; then the
// tarball of dist/, installed without touching package.json or the lock.
const install = once(async () => {
  checkPackage();
  const hidden = join(APP, 'node_modules/.package-lock.json');
  if (!existsSync(hidden) || statSync(hidden).mtimeMs < statSync(join(APP, 'package-lock.json')).mtimeMs) {
    await mustRun('npm ci', 'npm', ['ci', '--no-audit', '--no-fund'], { env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  }
  const packDir = mkdtempSync(join(tmpdir(), 'portal-client-pack-'));
  const packed = await mustRun('npm pack', 'npm', ['pack', PACKAGE, '--pack-destination', packDir, '--json']);
  const [{ filename, files }] = JSON.parse(packed.slice(packed.indexOf('[')));
  const tarball = join(packDir, filename);
  await mustRun('npm install <tarball>', 'npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball],
    { env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  rmSync(packDir, { recursive: true, force: true });
  return { tarball: filename, files: files.map((f) => f.path).sort() };
});

// `vite build` with the app's vite.config.mjs: index.html, src/main.js and the installed package.
const build = once(async () => {
  await install();
  const output = await mustRun('vite build', process.execPath, [join(APP, 'node_modules/vite/bin/vite.js'), 'build'], { timeoutMs: 180_000 });
  const assets = readdirSync(join(OUT, 'assets'));
  return { output, assets };
});

const webpackBuild = once(async () => {
  await install();
  const output = await mustRun('webpack', process.execPath, [join(APP, 'node_modules/webpack/bin/webpack.js'), '--config', 'webpack.config.mjs'], { timeoutMs: 180_000 });
  return { output, assets: readdirSync(join(WEBPACK_OUT, 'assets')) };
});

test('the tarball of dist/ is installed as a copy and resolves by name', { timeout: 600_000 }, async () => {
  const { tarball, files } = await install();
  assert.equal(tarball, `portal-client-${JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')).version}.tgz`);
  for (const file of ['LICENSE', 'README.md', 'THIRD_PARTY_NOTICES.md', 'docs/integration.md', 'package.json',
    'portal-client.d.ts', 'portal-client.js', 'portal-core.wasm']) assert.ok(files.includes(file), `the tarball lacks ${file}: ${files}`);
  assert.deepEqual(files.filter((file) => /\.map$|^(src|tests?|build)\//.test(file)), [], 'no source maps, sources or tests in the tarball');
  const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies?.['portal-client'], undefined, 'the app must not link dist/ by path');
  assert.ok(lstatSync(INSTALLED).isDirectory() && !lstatSync(INSTALLED).isSymbolicLink(), 'node_modules/portal-client must be a copy');
  assert.ok(readFileSync(join(INSTALLED, 'portal-core.wasm')).equals(readFileSync(join(PACKAGE, 'portal-core.wasm'))));
  const installed = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));
  assert.equal(installed.license, 'Apache-2.0');
  assert.equal(installed.engines.node, '>=20');
  // Node resolves the bare name from this directory through the package's `exports` map.
  assert.equal(import.meta.resolve('portal-client'), pathToFileURL(join(INSTALLED, 'portal-client.js')).href);
  assert.equal(import.meta.resolve('portal-client/portal-core.wasm'), pathToFileURL(join(INSTALLED, 'portal-core.wasm')).href);
});

test('the bundler configuration is exactly what the package README says', () => {
  const readme = readFileSync(join(ROOT, 'web/README.md'), 'utf8');
  assert.ok(readme.includes(VITE_LINE), `web/README.md must document ${VITE_LINE}`);
  assert.ok(readFileSync(join(APP, 'vite.config.mjs'), 'utf8').includes(VITE_LINE));
  assert.ok(!/portal-client|wasm/.test(readFileSync(join(APP, 'webpack.config.mjs'), 'utf8').replace(/^\/\/.*$/gm, '')),
    'webpack needs no configuration for the package');
});

test('vite build emits the wasm found through new URL(…, import.meta.url)', { timeout: 600_000 }, async (t) => {
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

test('webpack 5 (no configuration for the package) emits the wasm as an asset', { timeout: 600_000 }, async () => {
  const { output, assets } = await webpackBuild();
  const wasm = assets.filter((file) => file.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `expected exactly one emitted .wasm, got ${JSON.stringify(assets)}\n${tail(output)}`);
  assert.ok(readFileSync(join(WEBPACK_OUT, 'assets', wasm[0])).equals(readFileSync(join(PACKAGE, 'portal-core.wasm'))));
});

test('the declarations type-check through the exports map (tsc, bundler and nodenext resolution)', { timeout: 600_000 }, async () => {
  await install();
  const tsc = join(APP, 'node_modules/typescript/bin/tsc');
  const trace = await mustRun('tsc (bundler resolution)', process.execPath, [tsc, '-p', 'tsconfig.json', '--traceResolution']);
  assert.match(trace, /Using 'exports' subpath '\.' with target '\.\/portal-client\.d\.ts'/,
    'portal-client must resolve through the exports map');
  assert.match(trace, /Module name 'portal-client' was successfully resolved to '[^']*\/node_modules\/portal-client\/portal-client\.d\.ts'/);
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

// Signs in through the app at `url` (email + password, email MFA code from the emulator's dev
// mailbox) and checks the landing page; returns the wasm responses the page saw.
async function signInThrough(t, url, emulator, { csp = true } = {}) {
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  const wasmResponses = [];
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    if (response.url().endsWith('.wasm')) wasmResponses.push({ path: new URL(response.url()).pathname, status: response.status(), type: response.headers()['content-type'] });
  });
  const status = () => page.locator('#status').textContent();
  const waitFor = async (selector, what) => {
    try {
      await page.locator(selector).waitFor({ state: 'visible', timeout: 30_000 });
    } catch (error) {
      assert.fail(`${what}: ${error.message.split('\n')[0]}\nstatus: ${JSON.stringify(await status())}\n${problems.join('\n')}`);
    }
  };

  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  if (csp) assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
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
  assert.deepEqual(problems, [], `the page reported problems (CSP violations show here):\n${problems.join('\n')}`);
  return wasmResponses;
}

test('vite build: the bundle signs in, served by the emulator under the strict CSP', { timeout: 600_000 }, async (t) => {
  const { assets } = await build();
  const wasmAsset = assets.find((file) => file.endsWith('.wasm'));
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [{ prefix: '/', dir: OUT }] });
  t.after(() => emulator.close());
  const wasm = await signInThrough(t, emulator.url + '/', emulator);
  assert.deepEqual(wasm, [{ path: `/assets/${wasmAsset}`, status: 200, type: 'application/wasm' }]);
});

test('webpack 5: the bundle signs in, served by the emulator under the strict CSP', { timeout: 600_000 }, async (t) => {
  const { assets } = await webpackBuild();
  const wasmAsset = assets.find((file) => file.endsWith('.wasm'));
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [{ prefix: '/', dir: WEBPACK_OUT }] });
  t.after(() => emulator.close());
  const wasm = await signInThrough(t, emulator.url + '/', emulator);
  assert.deepEqual(wasm, [{ path: `/assets/${wasmAsset}`, status: 200, type: 'application/wasm' }]);
});

test('vite dev server (the README line, /web proxied to the emulator) signs in', { timeout: 600_000 }, async (t) => {
  await install();
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [] });
  t.after(() => emulator.close());
  rmSync(join(APP, 'node_modules/.vite'), { recursive: true, force: true });  // no stale pre-bundle
  const port = await freePort();
  const vite = spawn(process.execPath, [join(APP, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: APP, env: { ...process.env, PORTAL_API: emulator.url }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => vite.kill('SIGTERM'));
  let output = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite did not start:\n${tail(output)}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      // eslint-disable-next-line no-control-regex
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    };
    vite.stdout.on('data', onData);
    vite.stderr.on('data', onData);
    vite.on('exit', (code) => reject(new Error(`vite exited (${code}):\n${tail(output)}`)));
  });
  const wasm = await signInThrough(t, url, emulator, { csp: false });
  assert.deepEqual(wasm, [{ path: '/node_modules/portal-client/portal-core.wasm', status: 200, type: 'application/wasm' }],
    'the dev server serves the package\'s own wasm (not a pre-bundled copy)');
});
