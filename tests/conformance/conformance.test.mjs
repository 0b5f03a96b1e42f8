// The conformance kit (web/conformance/portal-conformance.mjs) against the emulator: every
// check passes on all three portals, and each deliberately broken emulator (--break=NAME,
// test-only) makes the kit exit non-zero with exactly the checks that catch that break failing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../emulator/server.mjs';
import { BREAKS } from '../../emulator/secure-channel.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KIT = path.join(ROOT, 'web/conformance/portal-conformance.mjs');
const CODES = { system: 'dev-system-code', tenant: 'dev-tenant-code', consumer: 'dev-consumer-code' };
const CHECK_COUNT = 42; // the kit's checks per portal; a check that silently disappears fails here

/** Runs a command without blocking this process's event loop (the emulator lives here). */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** Parses the kit's output: check lines, the summary line (which must be the last line). */
function parse(stdout) {
  const lines = stdout.trimEnd().split('\n');
  const checks = lines.filter((l) => /^(ok {2}|FAIL )- /.test(l));
  const failed = checks.filter((l) => l.startsWith('FAIL - ')).map((l) => l.slice(7));
  const summary = /^(\d+) passed, (\d+) failed$/.exec(lines.at(-1));
  assert.ok(summary, `the last line is not "N passed, N failed": ${lines.at(-1)}`);
  for (const l of lines) assert.ok(l.startsWith('# ') || checks.includes(l) || l === lines.at(-1), `unexpected output line: ${l}`);
  return { checks, failed, passed: Number(summary[1]), failedCount: Number(summary[2]) };
}

let emu;
before(async () => { emu = await startEmulator({ port: 0 }); });
after(async () => { await emu?.close(); });

for (const portal of Object.keys(CODES)) {
  test(`${portal}: every check passes (scripts/conformance, exit 0, "${CHECK_COUNT} passed, 0 failed")`, async () => {
    const { code, stdout, stderr } = await run(path.join(ROOT, 'scripts/conformance'), [emu.url, portal, CODES[portal]]);
    const out = parse(stdout);
    assert.deepEqual(out.failed, [], `failed checks:\n${out.failed.join('\n')}\n${stderr}`);
    assert.equal(code, 0);
    assert.equal(out.checks.length, CHECK_COUNT);
    assert.equal(stdout.trimEnd().split('\n').at(-1), `${CHECK_COUNT} passed, 0 failed`);
  });
}

test('usage errors exit 2 without running checks', async () => {
  for (const args of [[], [emu.url, 'nope', 'x'], ['not a url', 'system', 'dev-system-code'], [emu.url, 'system']]) {
    const { code, stdout } = await run(process.execPath, [KIT, ...args]);
    assert.equal(code, 2, `args ${JSON.stringify(args)}`);
    assert.doesNotMatch(stdout, /passed/);
  }
});

test('a wrong access code fails the run (the kit does not pass an unreachable portal)', async () => {
  const { code, stdout } = await run(process.execPath, [KIT, emu.url, 'system', 'wrong-code']);
  const out = parse(stdout);
  assert.equal(code, 1);
  assert.equal(out.passed + out.failedCount, CHECK_COUNT);
  assert.ok(out.failed.some((f) => f.startsWith('public key: ')));
});

// Each break → the checks (by name prefix) that must FAIL, and nothing else may fail.
const EXPECTED = {
  replay: ['replay: the same request twice', 'replay: an unused seq older than the 64-entry window'],
  window: ['replay: an unused seq older than the 64-entry window'],
  aad: ['request AAD binds the method', 'request AAD binds the path', 'request AAD binds the session id', 'request AAD binds the seq',
    'tampered ciphertext', 'tampered tag', 'a seq whose body failed to open is not marked seen'],
  base64: ['wrapper: data with base64 padding', 'wrapper: data in the standard base64 alphabet', 'wrapper: data with non-canonical trailing bits'],
  'client-hash': ['session binding: the session with another X-Client-Hash'],
  // Every encrypted answer with a status other than 200 fails to open, so each check that needs one fails.
  'status-aad': ['encrypted request round-trips', 'encrypted request: a validation error', 'response AAD binds the HTTP status',
    'response AAD binds the seq', 'request AAD path excludes the query', 'a seq whose body failed to open is not marked seen',
    'replay: an unused seq older than the 64-entry window'],
  'nonce-reuse': ['response nonces are fresh'],
  downgrade: ['downgrade: plaintext POST P/auth/login/initiate'],
  close: ['session close: the closed session id is refused afterwards'],
};

test('every break switch has an expectation here', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(BREAKS).sort());
});

for (const [name, mustFail] of Object.entries(EXPECTED)) {
  test(`a server broken with --break=${name} fails the kit: ${mustFail.length} specific check(s)`, async () => {
    const broken = await startEmulator({ port: 0, breaks: [name] });
    try {
      const { code, stdout } = await run(process.execPath, [KIT, broken.url, 'tenant', CODES.tenant]);
      const out = parse(stdout);
      assert.equal(code, 1, 'exit code');
      assert.equal(out.failedCount, mustFail.length, `failed:\n${out.failed.join('\n')}`);
      assert.equal(out.passed, CHECK_COUNT - mustFail.length);
      for (const prefix of mustFail) assert.ok(out.failed.some((f) => f.startsWith(prefix)), `expected FAIL - ${prefix}…\nfailed:\n${out.failed.join('\n')}`);
    } finally {
      await broken.close();
    }
  });
}

test('the emulator with --secure-channel=off (plaintext accepted) fails the downgrade check', async () => {
  const off = await startEmulator({ port: 0, secureChannel: 'off' });
  try {
    const { code, stdout } = await run(process.execPath, [KIT, off.url, 'consumer', CODES.consumer]);
    const out = parse(stdout);
    assert.equal(code, 1);
    assert.equal(out.failed.length, 1, `failed:\n${out.failed.join('\n')}`);
    assert.ok(out.failed[0].startsWith('downgrade: plaintext POST P/auth/login/initiate'));
  } finally {
    await off.close();
  }
});

// dist/ (scripts/build wasm-release, which scripts/test runs first) ships the kit as the
// package's `portal-conformance` bin: the same files as web/conformance/, self-contained.
const DIST = path.join(ROOT, 'dist');
const noDist = !fs.existsSync(path.join(DIST, 'package.json')) && 'dist/ not built (scripts/build wasm-release)';

test('dist/ packs the kit: the portal-conformance bin and conformance/ identical to web/conformance/', { skip: noDist }, async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST, 'package.json'), 'utf8'));
  assert.equal(manifest.bin['portal-conformance'], './conformance/portal-conformance.mjs');
  const source = fs.readdirSync(path.join(ROOT, 'web/conformance')).sort();
  assert.deepEqual(fs.readdirSync(path.join(DIST, 'conformance')).sort(), source);
  for (const f of source) {
    assert.ok(fs.readFileSync(path.join(DIST, 'conformance', f)).equals(fs.readFileSync(path.join(ROOT, 'web/conformance', f))), `dist/conformance/${f} is stale`);
  }
  const { code, stdout } = await run('npm', ['pack', '--dry-run', '--json', DIST]);
  assert.equal(code, 0);
  const packed = JSON.parse(stdout)[0].files.map((f) => f.path);
  for (const f of source) assert.ok(packed.includes(`conformance/${f}`), `npm pack leaves out conformance/${f}`);
});

test('the packaged copy runs on its own: dist/conformance/portal-conformance.mjs passes every check', { skip: noDist }, async () => {
  const { code, stdout } = await run(path.join(DIST, 'conformance/portal-conformance.mjs'), [emu.url, 'system', CODES.system]);
  assert.equal(stdout.trimEnd().split('\n').at(-1), `${CHECK_COUNT} passed, 0 failed`);
  assert.equal(code, 0);
});
