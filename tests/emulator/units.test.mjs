// Pure modules: TOTP/HOTP against RFC 6238/4226, language negotiation, IP parsing, password
// policy, CLI flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from '../../emulator/totp.mjs';
import { negotiateLanguage } from '../../emulator/i18n.mjs';
import { ipAllowed, parseIpEntry, passwordViolations } from '../../emulator/validate.mjs';
import { parseArgs } from '../../emulator/server.mjs';
import { loadVector } from './helpers.mjs';

const vectors = loadVector('rfc_hkdf_totp_vectors.json');

test('TOTP reproduces the RFC 6238 Appendix B table (SHA1/256/512, 8 digits)', () => {
  const { X, digits, vectors: rows } = vectors.rfc6238_totp;
  assert.equal(rows.length, 18);
  for (const r of rows) {
    const got = totp(Buffer.from(r.seed_hex, 'hex'), r.time * 1000, { period: X, digits, algorithm: r.mode.toLowerCase() });
    assert.equal(got, r.totp, `${r.mode} @ ${r.time}`);
  }
});

test('HOTP reproduces RFC 4226 Appendix D', () => {
  const { secret_ascii, digits, codes } = vectors.rfc4226_hotp;
  for (const c of codes) assert.equal(hotp(Buffer.from(secret_ascii), c.counter, { digits }), c.hotp);
});

test('TOTP verification accepts ±1 step only', () => {
  const key = base32Decode('JBSWY3DPEHPK3PXP');
  assert.equal(key.toString('hex'), '48656c6c6f21deadbeef');
  const t = 1_700_000_000_000;
  const step = Math.floor(t / 30000);
  assert.equal(verifyTotp(key, totp(key, t), t), step);
  assert.equal(verifyTotp(key, totp(key, t - 30000), t), step - 1);
  assert.equal(verifyTotp(key, totp(key, t + 30000), t), step + 1);
  assert.equal(verifyTotp(key, totp(key, t - 60000), t), null);
  assert.equal(verifyTotp(key, totp(key, t + 60000), t), null);
  assert.equal(verifyTotp(key, '12345', t), null);
  assert.equal(verifyTotp(key, 'abcdef', t), null);
  assert.equal(base32Encode(Buffer.from('Hello!')), 'JBSWY3DPEE');
  assert.equal(base32Decode('JBSW Y3DP EE======').toString(), 'Hello!');
  assert.equal(base32Decode('JBSW1'), null);
});

test('Accept-Language negotiation covers en, zh, zh-Hant, ja, vi', () => {
  const cases = {
    '': 'en', 'fr-FR': 'en', 'ja': 'ja', 'vi-VN,vi;q=0.9': 'vi', 'zh-CN': 'zh', 'zh': 'zh', 'zh-Hans-CN': 'zh',
    'zh-TW': 'zh-Hant', 'zh-Hant': 'zh-Hant', 'zh-HK': 'zh-Hant', 'zh-Hant-TW': 'zh-Hant',
    'fr;q=1, ja;q=0.5, vi;q=0.8': 'vi', 'de, en-US;q=0.1': 'en', 'ja;q=0, vi': 'vi', 'EN-gb': 'en',
  };
  for (const [header, lang] of Object.entries(cases)) assert.equal(negotiateLanguage(header), lang, header);
  assert.equal(negotiateLanguage(undefined), 'en');
});

test('IP whitelist entries: IPv4, IPv6, CIDR parsed and matched', () => {
  for (const good of ['10.0.0.1', '192.168.1.0/24', '0.0.0.0/0', '::1', '2001:db8::/32', 'fe80::1/128', '2001:db8::10.0.0.1', '::ffff:10.0.0.1']) {
    assert.ok(parseIpEntry(good), good);
  }
  for (const bad of ['', '10.0.0', '10.0.0.256', '10.0.0.1/33', '10.0.0.1/-1', '10.0.0.1/', '2001:db8::/129', 'fe80::1%eth0', 'a.b.c.d', ' 10.0.0.1', '10.0.0.1/24/1', '2001:::1', 'localhost', '10.0.0.01x']) {
    assert.equal(parseIpEntry(bad), null, bad);
  }
  assert.equal(ipAllowed(['192.168.1.0/24'], '192.168.1.77'), true);
  assert.equal(ipAllowed(['192.168.1.0/24'], '192.168.2.1'), false);
  assert.equal(ipAllowed(['10.0.0.1'], '::ffff:10.0.0.1'), true);
  assert.equal(ipAllowed(['2001:db8::/32'], '2001:db8:1234::5'), true);
  assert.equal(ipAllowed(['2001:db8::/32'], '2001:db9::5'), false);
  assert.equal(ipAllowed(['2001:db8::/32'], '10.0.0.1'), false);
  assert.equal(ipAllowed(['0.0.0.0/0'], '203.0.113.9'), true);
  assert.equal(ipAllowed(['::/0'], '::1'), true);
  assert.equal(ipAllowed([], '127.0.0.1'), false);
});

test('password policy lists every violation', () => {
  assert.deepEqual(passwordViolations('Correct-Horse-9'), []);
  assert.deepEqual(passwordViolations('short'), ['PASSWORD_TOO_SHORT', 'PASSWORD_MISSING_UPPERCASE', 'PASSWORD_MISSING_DIGIT']);
  assert.deepEqual(passwordViolations('ALLUPPERCASE1'), ['PASSWORD_MISSING_LOWERCASE']);
  assert.deepEqual(passwordViolations('A1@example.com', { email: 'a1@example.com' }), ['PASSWORD_EQUALS_EMAIL']);
  assert.deepEqual(passwordViolations('Correct-Horse-9', { current: 'Correct-Horse-9' }), ['PASSWORD_REUSED']);
  assert.deepEqual(passwordViolations(`Aa1${'x'.repeat(130)}`), ['PASSWORD_TOO_LONG']);
});

test('CLI flags', () => {
  const o = parseArgs(['--port', '9000', '--secure-channel=off', '--access-token-ttl=5', '--mount', '/tests=tests/browser/pages', '--no-dev-mailbox', '--export', '/tmp/x.json'], {});
  assert.equal(o.port, 9000);
  assert.equal(o.secureChannel, 'off');
  assert.equal(o.accessTokenTtl, 5);
  assert.equal(o.devEndpoints, false);
  assert.equal(o.exportFile, '/tmp/x.json');
  assert.deepEqual(o.mounts[0], { prefix: '/tests', dir: 'tests/browser/pages' });
  assert.deepEqual(o.mounts.map((m) => m.prefix), ['/tests', '/', '/dist', '/vendor/lean-qr'], 'the defaults stay');
  // A mount of a default's prefix replaces that default (the shell's source instead of its build).
  const source = parseArgs(['--mount', '/=web/shell', '--mount=/dist/=build/wasm-debug/dist'], {}).mounts;
  assert.deepEqual(source.filter((m) => m.prefix === '/'), [{ prefix: '/', dir: 'web/shell' }]);
  assert.deepEqual(source.filter((m) => m.prefix.startsWith('/dist')), [{ prefix: '/dist/', dir: 'build/wasm-debug/dist' }]);
  assert.equal(source.length, 3);
  assert.equal(parseArgs([], { HOST: '0.0.0.0', PORT: '7000' }).port, 7000);
  assert.equal(parseArgs([], { HOST: '0.0.0.0' }).host, '0.0.0.0');
  assert.throws(() => parseArgs(['--secure-channel=maybe'], {}), /off or required/);
  assert.throws(() => parseArgs(['--bogus'], {}), /unknown option/);
  assert.throws(() => parseArgs(['--port'], {}), /needs a value/);
  assert.throws(() => parseArgs(['--access-token-ttl', 'abc'], {}), /not a valid number/);
  assert.throws(() => parseArgs(['--mount', 'nodir'], {}), /prefix=dir/);
  assert.deepEqual(parseArgs(['--break=replay,aad'], {}).breaks, ['replay', 'aad']);
  assert.throws(() => parseArgs(['--break=replay,bogus'], {}), /--break: unknown bogus/);
  assert.equal(parseArgs([], {}).breaks, undefined); // none unless asked for
});
