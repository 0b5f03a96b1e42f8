// The server around the API: bad input, headers, 404/405/413, localization, static files and
// CSP, dev endpoints and fault injection, snapshots, the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PORTAL_ROUTES } from '../../emulator/routes.mjs';
import { Client, PASSWORD, PORTALS, dev, randomHash, start } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let emu;
let tmp;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-test-'));
  fs.mkdirSync(path.join(tmp, 'shell', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'shell', 'index.html'), '<!doctype html><title>shell</title>');
  fs.writeFileSync(path.join(tmp, 'shell', 'app.js'), 'export const x = 1;');
  fs.writeFileSync(path.join(tmp, 'shell', 'mod.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(tmp, 'shell', 'sub', 'index.html'), '<p>sub</p>');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'do not serve');
  emu = await start({ mounts: [{ prefix: '/', dir: path.join(tmp, 'shell') }, { prefix: '/dist', dir: path.join(tmp, 'missing') }, { prefix: '/pages', dir: path.join(tmp, 'shell', 'sub') }] });
});
after(async () => { await emu.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** Raw HTTP (no URL normalization by fetch). */
function rawRequest(method, pathname, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}${pathname}`, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

test('unknown paths → 404 NOT_FOUND, wrong methods → 405 with Allow', async () => {
  const c = new Client(emu, 'system');
  for (const p of ['/web/v1/system/nope', '/web/v1/nope/profile', '/web/v1/secure-channel/nope', '/web/v1/system/profile/invitations/%E0%A4%A/accept', '/web/v1/', '/web/v1/SYSTEM/profile']) {
    const r = await c.raw('GET', p);
    assert.deepEqual([r.status, r.body.code, r.body.success, r.body.data], [404, 'NOT_FOUND', false, null], p);
  }
  const r = await c.raw('DELETE', '/web/v1/system/profile');
  assert.deepEqual([r.status, r.body.code, r.headers.get('allow')], [405, 'METHOD_NOT_ALLOWED', 'GET']);
  const both = await c.raw('PUT', '/web/v1/tenant/security/ip-whitelist');
  assert.equal(both.headers.get('allow'), 'GET, POST');
  const get = await c.raw('GET', '/web/v1/consumer/auth/login/initiate');
  assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST']);
  assert.equal((await c.raw('POST', '/web/v1/secure-channel/public-key', { body: {} })).status, 405);
});

test('oversized bodies → 413, plain or with a channel header', async () => {
  const c = new Client(emu, 'system');
  await c.openChannel();
  const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70 * 1024) });
  const r = await c.raw('POST', '/web/v1/system/auth/login/initiate', { body: big });
  assert.deepEqual([r.status, r.body.code], [413, 'PAYLOAD_TOO_LARGE']);
  const e = await c.raw('POST', '/web/v1/system/auth/login/initiate', { body: big, headers: { 'X-Secure-Channel-Session-Id': c.channel.sessionId } });
  assert.deepEqual([e.status, e.body.code], [413, 'PAYLOAD_TOO_LARGE']);
  const huge = await c.raw('POST', '/web/v1/secure-channel/session', { body: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(huge.status, 413);
  // Exactly at the limit is still read (then refused as bad JSON, not as too large).
  const edge = await c.raw('POST', '/web/v1/secure-channel/session', { body: `"${'x'.repeat(64 * 1024 - 2)}"` });
  assert.deepEqual([edge.status, edge.body.code], [400, '4000']);
});

test('bad bodies under encryption: malformed JSON, wrong types, unknown fields, not an object', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const cases = [
      ['{"email":', [{ field: '$', code: 'MALFORMED_JSON' }]],
      ['[]', [{ field: '$', code: 'BODY_NOT_OBJECT' }]],
      ['null', [{ field: '$', code: 'BODY_NOT_OBJECT' }]],
      ['"text"', [{ field: '$', code: 'BODY_NOT_OBJECT' }]],
      [{ email: 5, password: ['x'] }, [{ field: 'email', code: 'FIELD_TYPE' }, { field: 'password', code: 'FIELD_TYPE' }]],
      [{ email: 'a@b.co', password: 'x', role: 'admin' }, [{ field: 'role', code: 'FIELD_UNKNOWN' }]],
      [{ email: 'no-at-sign', password: 'x' }, [{ field: 'email', code: 'FIELD_INVALID' }]],
      [{}, [{ field: 'email', code: 'FIELD_REQUIRED' }, { field: 'password', code: 'FIELD_REQUIRED' }]],
      [{ email: `${'a'.repeat(250)}@b.co`, password: 'x' }, [{ field: 'email', code: 'FIELD_TOO_LONG' }]],
    ];
    for (const [body, expected] of cases) {
      const r = await c.fails('POST', '/auth/login/initiate', body, '4000', 400);
      assert.equal(r.encrypted, true);
      assert.deepEqual(r.body.fieldErrors.map(({ field, code }) => ({ field, code })), expected, JSON.stringify(body));
      assert.ok(r.body.fieldErrors.every((f) => typeof f.message === 'string' && f.message.length > 0));
    }
  }
});

test('missing or bad portal headers', async () => {
  const c = new Client(emu, 'tenant');
  for (const [headers, code, status, fieldCode] of [
    [{ 'X-PORTAL-ACCESS-CODE': null }, 'PORTAL.ACCESS_CODE_INVALID', 401],
    [{ 'X-PORTAL-ACCESS-CODE': 'dev-consumer-code' }, 'PORTAL.ACCESS_CODE_INVALID', 401],
    [{ 'X-PORTAL-ACCESS-CODE': '' }, 'PORTAL.ACCESS_CODE_INVALID', 401],
    [{ 'X-Client-Hash': null }, '4000', 400, 'HEADER_REQUIRED'],
    [{ 'X-Client-Hash': randomHash().toUpperCase() }, '4000', 400, 'HEADER_INVALID'],
    [{ 'X-Client-Hash': 'abc' }, '4000', 400, 'HEADER_INVALID'],
  ]) {
    const r = await c.raw('GET', '/web/v1/tenant/profile', { headers });
    assert.deepEqual([r.status, r.body.code], [status, code], JSON.stringify(headers));
    if (fieldCode) assert.deepEqual(r.body.fieldErrors.map((f) => [f.field, f.code]), [['X-Client-Hash', fieldCode]]);
    const p = await c.raw('POST', '/web/v1/tenant/auth/login/initiate', { headers, body: { email: 'a@b.co', password: 'x' } });
    assert.deepEqual([p.status, p.body.code], [status, code]);
  }
  const custom = await start({ accessCodes: { tenant: 'secret-tenant' } });
  try {
    const t = new Client(custom, 'tenant');
    assert.equal((await t.raw('GET', '/web/v1/secure-channel/public-key')).status, 401);
    t.accessCode = 'secret-tenant';
    assert.equal((await t.raw('GET', '/web/v1/secure-channel/public-key')).status, 200);
  } finally { await custom.close(); }
});

test('messages are localized in en, zh, zh-Hant, ja, vi with Content-Language', async () => {
  const expected = { en: 'Invalid or expired token', zh: '令牌无效或已过期', 'zh-Hant': '權杖無效或已過期', ja: 'トークンが無効か期限切れです', vi: 'Mã truy cập không hợp lệ hoặc đã hết hạn' };
  for (const [header, lang] of [['en-US', 'en'], ['zh-CN,zh;q=0.9', 'zh'], ['zh-TW', 'zh-Hant'], ['ja-JP', 'ja'], ['vi', 'vi'], ['de', 'en']]) {
    const r = await new Client(emu, 'system', { lang: header }).raw('GET', '/web/v1/system/profile');
    assert.equal(r.body.message, expected[lang], header);
    assert.equal(r.headers.get('content-language'), lang);
  }
  const c = new Client(emu, 'system', { lang: 'zh-Hant' });
  const r = await c.fails('POST', '/auth/register/complete', { registrationSessionId: 'RS_x', accountName: 'A', password: 'short' }, 'AUTH.REGISTRATION_SESSION_INVALID', 400);
  assert.equal(r.body.message, '註冊工作階段已失效，請重新開始');
  const v = await new Client(emu, 'system', { lang: 'vi' }).fails('POST', '/auth/login/initiate', { email: 5 }, '4000', 400);
  assert.deepEqual(v.body.fieldErrors.map((f) => f.message), ['Kiểu dữ liệu không đúng', 'Trường này là bắt buộc']);
});

test('an exception in a handler → plain 5000 without a stack trace; the server keeps serving', async () => {
  const route = PORTAL_ROUTES.find((r) => r.path === '/profile' && r.method === 'GET');
  const original = route.handler;
  const errors = [];
  const log = console.error;
  route.handler = () => { throw new Error('boom at secret/place.js:1'); };
  console.error = (...a) => errors.push(a.join(' '));
  try {
    const c = new Client(emu, 'system');
    await c.login('admin');
    const r = await c.call('GET', '/profile');
    assert.deepEqual([r.status, r.body], [500, { success: false, code: '5000', message: 'Internal server error', data: null }]);
    assert.ok(!r.text.includes('boom'));
    assert.equal(errors.length, 1);
  } finally {
    route.handler = original;
    console.error = log;
  }
  const c = new Client(emu, 'system');
  await c.login('admin');
  await c.ok('GET', '/profile');
});

test('static files: types, CSP on HTML, nosniff, index, mounts, traversal, missing directory', async () => {
  const html = await fetch(`${emu.url}/`);
  assert.equal(html.status, 200);
  assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(html.headers.get('content-security-policy'), "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  assert.equal(html.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await html.text(), /<title>shell<\/title>/);
  const js = await fetch(`${emu.url}/app.js`);
  assert.deepEqual([js.headers.get('content-type'), js.headers.get('content-security-policy'), js.headers.get('x-content-type-options')], ['text/javascript; charset=utf-8', null, 'nosniff']);
  const wasm = await fetch(`${emu.url}/mod.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal((await wasm.arrayBuffer()).byteLength, 8);
  assert.equal((await fetch(`${emu.url}/pages/`)).status, 200);
  assert.match(await (await fetch(`${emu.url}/pages/index.html`)).text(), /sub/);
  const redirect = await fetch(`${emu.url}/sub`, { redirect: 'manual' });
  assert.deepEqual([redirect.status, redirect.headers.get('location')], [301, '/sub/']);
  assert.equal((await fetch(`${emu.url}/nope.js`)).status, 404);
  const missing = await fetch(`${emu.url}/dist/portal-client.js`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /does not exist/);
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt', '/%00']) {
    const r = await rawRequest('GET', p);
    assert.ok([400, 404].includes(r.status), `${p}: ${r.status}`);
    assert.ok(!r.text.includes('do not serve'));
  }
  assert.equal((await fetch(`${emu.url}/app.js`, { method: 'POST' })).status, 405);
  const head = await fetch(`${emu.url}/app.js`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('default mounts: build/shell and dist of the repository (absent dirs → clear 404, no crash)', async () => {
  const d = await start();
  try {
    const r = await fetch(`${d.url}/dist/does-not-exist.js`);
    assert.equal(r.status, 404);
    const shell = await fetch(`${d.url}/`);
    assert.ok([200, 404].includes(shell.status));
    if (shell.status === 200) assert.ok(shell.headers.get('content-security-policy'));
  } finally { await d.close(); }
});

test('dev endpoints: mailbox, stats, clock, unknown, validation', async () => {
  const c = new Client(emu, 'consumer');
  const { loginSessionId } = await c.ok('POST', '/auth/login/initiate', { email: 'admin@consumer.example.com', password: PASSWORD });
  await c.ok('POST', '/auth/login/mfa/send', { loginSessionId, mfaMethod: 'EMAIL' });
  const box = await dev(emu, 'GET', '/__dev/mailbox?email=ADMIN@consumer.example.com&portal=consumer');
  assert.equal(box.email, 'admin@consumer.example.com');
  assert.deepEqual(Object.keys(box.messages[0]).sort(), ['code', 'email', 'kind', 'portal', 'sentAt']);
  assert.equal(box.messages[0].kind, 'LOGIN_MFA');
  assert.equal(box.latest.LOGIN_MFA, box.messages[0].code);
  assert.deepEqual((await dev(emu, 'GET', '/__dev/mailbox?email=admin@consumer.example.com&portal=system')).messages, []);
  assert.equal((await fetch(`${emu.url}/__dev/mailbox`)).status, 400);
  assert.equal((await fetch(`${emu.url}/__dev/nope`)).status, 404);
  assert.equal((await fetch(`${emu.url}/__dev/faults`, { method: 'POST', body: JSON.stringify({ path: '/x', kind: 'explode' }) })).status, 400);
  assert.equal((await fetch(`${emu.url}/__dev/clock`, { method: 'POST', body: '{' })).status, 400);
  const clock = await dev(emu, 'GET', '/__dev/clock');
  assert.match(clock.now, /Z$/);
  const stats = await dev(emu, 'GET', '/__dev/stats');
  assert.ok(stats.requests['POST /web/v1/consumer/auth/login/mfa/send'] >= 1);
  assert.ok(stats.codes['2000'] >= 1);
  const zero = await dev(emu, 'POST', '/__dev/stats/reset');
  assert.deepEqual(zero, { refreshCalls: 0, requests: {}, codes: {} });
});

test('fault injection: http500, malformed, oversized, truncated, drop, plaintext-success, delay, times', async () => {
  const c = new Client(emu, 'system');
  await c.login('admin');
  const profile = '/web/v1/system/profile';
  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'http500', times: 2 });
  for (let i = 0; i < 2; i++) {
    const r = await c.call('GET', '/profile');
    assert.deepEqual([r.status, r.body.code], [500, '5000']);
  }
  await c.ok('GET', '/profile');

  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'malformed' });
  const m = await c.call('GET', '/profile');
  assert.equal(m.status, 200);
  assert.equal(m.body, null);
  assert.throws(() => JSON.parse(m.text));

  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'oversized' });
  const o = await c.call('GET', '/profile');
  assert.equal(o.status, 200);
  assert.ok(o.text.length > 2 << 20);
  assert.equal(o.body.code, '2000');

  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'truncated' });
  await assert.rejects(c.call('GET', '/profile'));

  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'drop' });
  await assert.rejects(c.call('GET', '/profile'));

  const update = '/web/v1/system/profile/update';
  await dev(emu, 'POST', '/__dev/faults', { path: update, kind: 'plaintext-success' });
  const p = await c.call('POST', '/profile/update', { accountName: 'Never Applied' });
  assert.deepEqual([p.encrypted, p.status, p.body.code], [false, 200, '2000']);
  assert.equal((await c.ok('GET', '/profile')).accountName, 'System Admin');

  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'delay', delayMs: 300 });
  const t0 = Date.now();
  await c.ok('GET', '/profile');
  assert.ok(Date.now() - t0 >= 290);

  await dev(emu, 'POST', '/__dev/faults', { path: profile, kind: 'http500', times: 5 });
  await dev(emu, 'DELETE', '/__dev/faults');
  await c.ok('GET', '/profile');
});

test('dev reset restores the seeded state and the clock', async () => {
  const c = new Client(emu, 'tenant');
  await c.login('admin');
  await c.ok('POST', '/profile/update', { accountName: 'Changed' });
  await dev(emu, 'POST', '/__dev/clock', { advanceSeconds: 1000 });
  await dev(emu, 'POST', '/__dev/reset');
  assert.equal((await dev(emu, 'GET', '/__dev/clock')).offsetSeconds, 0);
  await c.fails('GET', '/profile', undefined, '4010', 401); // sessions are gone too
  await c.login('admin');
  assert.equal((await c.ok('GET', '/profile')).accountName, 'Tenant Admin');
});

test('snapshots: export, import, tokens and changes survive', async () => {
  const file = path.join(tmp, 'snap.json');
  const a = await start({ exportFile: file });
  let c;
  try {
    c = new Client(a, 'consumer');
    await c.login('admin');
    await c.ok('POST', '/profile/update', { accountName: 'Kept Name' });
    await c.ok('POST', '/workspaces/create', { workspaceName: 'Kept Workspace' });
    assert.deepEqual(await dev(a, 'POST', '/__dev/export'), { file });
    assert.equal((await dev(a, 'GET', '/__dev/snapshot')).format, 'portal-emulator-snapshot/v1');
  } finally { await a.close(); }
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(snap.format, 'portal-emulator-snapshot/v1');
  assert.ok(!JSON.stringify(snap).includes(PASSWORD));
  const b = await start({ importFile: file });
  try {
    const again = new Client(b, 'consumer', { clientHash: c.clientHash });
    again.useTokens({ accessToken: c.accessToken, refreshToken: c.refreshToken });
    assert.equal((await again.ok('GET', '/profile')).accountName, 'Kept Name');
    assert.ok((await again.ok('GET', '/workspaces/mine')).some((w) => w.workspaceName === 'Kept Workspace'));
    again.useTokens(await again.ok('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }));
  } finally { await b.close(); }
  fs.writeFileSync(path.join(tmp, 'bad.json'), '{"format":"other"}');
  await assert.rejects(start({ importFile: path.join(tmp, 'bad.json') }), /snapshot/);
  const none = await start({ exportFile: null });
  try { assert.equal((await fetch(`${none.url}/__dev/export`, { method: 'POST' })).status, 400); } finally { await none.close(); }
});

test('--no-dev-mailbox turns off /__dev/ and the client-IP override', async () => {
  const d = await start({ devEndpoints: false });
  try {
    assert.equal((await fetch(`${d.url}/__dev/mailbox?email=admin@example.com`)).status, 404);
    assert.equal((await fetch(`${d.url}/__dev/reset`, { method: 'POST' })).status, 405);
    const c = new Client(d, 'system', { ip: '203.0.113.5' });
    const init = await c.ok('POST', '/auth/login/initiate', { email: 'mfa-required@example.com', password: PASSWORD });
    c.useTokens(init);
    assert.equal((await c.ok('GET', '/security/sessions'))[0].clientIp, '127.0.0.1');
  } finally { await d.close(); }
});

test('CLI: prints the shell URL and demo accounts, exports a snapshot on SIGTERM, rejects bad flags', async () => {
  const file = path.join(tmp, 'cli-snap.json');
  const child = spawn(process.execPath, [path.join(ROOT, 'emulator/server.mjs'), '--port', '0', '--export', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('multi@consumer.example.com')) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  assert.match(out, /shell: +http:\/\/127\.0\.0\.1:\d+\//);
  assert.match(out, /Correct-Horse-9/);
  assert.match(out, /admin@example\.com/);
  const r = await fetch(`${url}/web/v1/secure-channel/public-key`, { headers: { 'X-PORTAL-ACCESS-CODE': 'dev-system-code', 'X-Client-Hash': randomHash() } });
  assert.equal(r.status, 200);
  const code = await new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  assert.equal(code, 0);
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).format, 'portal-emulator-snapshot/v1');

  const bad = spawn(process.execPath, [path.join(ROOT, 'emulator/server.mjs'), '--frobnicate'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bad.stderr.on('data', (d) => { err += d; });
  assert.equal(await new Promise((resolve) => bad.on('exit', resolve)), 2);
  assert.match(err, /unknown option --frobnicate/);
});
