// Auth endpoints on all three portals: login (EMAIL, OTP, backup code, no MFA), pre-login
// session rules, tokens (expiry, refresh rotation, reuse detection, logout, portal binding),
// registration, password forgot/reset/init/change, rate limits.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { totp, base32Decode } from '../../emulator/totp.mjs';
import { Client, PASSWORD, PORTALS, advance, dev, emailOf, latestCode, randomHash, start } from './helpers.mjs';

let emu;
before(async () => { emu = await start(); });
after(() => emu.close());
beforeEach(() => dev(emu, 'POST', '/__dev/reset'));

const otpNow = (offsetSteps = 0) => totp(base32Decode('JBSWY3DPEHPK3PXP'), emu.clock.now() + offsetSteps * 30000);
const initiate = (c, local, password = PASSWORD) => c.call('POST', '/auth/login/initiate', { email: local.includes('@') ? local : emailOf(local, c.portal), password });

test('EMAIL login on every portal: initiate → mfa/send → complete → tokens', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const init = await c.ok('POST', '/auth/login/initiate', { email: emailOf('admin', portal), password: PASSWORD });
    assert.equal(init.mfaRequired, true);
    assert.match(init.loginSessionId, /^LS_/);
    assert.ok(Date.parse(init.expiresAt) - emu.clock.now() <= 300e3 && Date.parse(init.expiresAt) - emu.clock.now() > 290e3);
    assert.deepEqual(init.mfaMethods, [{ code: 'EMAIL', value: 10011001, label: 'Email' }]);
    const sent = await c.ok('POST', '/auth/login/mfa/send', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL' });
    assert.deepEqual(sent, { sentTo: `a***@${emailOf('admin', portal).split('@')[1]}`, resendAfter: 30 });
    const code = await latestCode(emu, emailOf('admin', portal), 'LOGIN_MFA');
    assert.match(code, /^\d{6}$/);
    const tokens = await c.ok('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL', code });
    assert.deepEqual(Object.keys(tokens).sort(), ['accessToken', 'expiresIn', 'mfaSetupRequired', 'refreshExpiresIn', 'refreshToken', 'tokenType']);
    assert.deepEqual([tokens.tokenType, tokens.expiresIn, tokens.refreshExpiresIn, tokens.mfaSetupRequired], ['Bearer', 900, 1209600, false]);
    assert.equal(tokens.accessToken.split('.').length, 3);
    c.useTokens(tokens);
    assert.equal((await c.ok('GET', '/profile')).accountEmail, emailOf('admin', portal));
    // The login session is single-use.
    await c.fails('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL', code }, 'AUTH.LOGIN_SESSION_INVALID', 400);
  }
});

test('credentials: wrong password, unknown email and another portal\'s account look the same', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const a = await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', portal), password: 'Wrong-Horse-9' }, 'AUTH.INVALID_CREDENTIALS', 401);
    const b = await c.fails('POST', '/auth/login/initiate', { email: `ghost@${portal}.example.com`, password: PASSWORD }, 'AUTH.INVALID_CREDENTIALS', 401);
    assert.equal(a.body.message, b.body.message);
    const other = PORTALS.find((p) => p !== portal);
    await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', other), password: PASSWORD }, 'AUTH.INVALID_CREDENTIALS', 401);
    await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', portal) }, '4000', 400);
  }
  const zh = new Client(emu, 'system', { lang: 'zh-CN' });
  const r = await zh.fails('POST', '/auth/login/initiate', { email: 'admin@example.com', password: 'nope-nope-1A' }, 'AUTH.INVALID_CREDENTIALS', 401);
  assert.equal(r.body.message, '邮箱或密码错误');
});

test('MFA code errors and the pre-login session rules (client hash, expiry, attempts, portal)', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const init = (await initiate(c, 'admin')).body.data;
    const complete = (body, client = c) => client.call('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL', ...body });
    assert.equal((await complete({ code: '000000' })).body.code, 'AUTH.MFA_CODE_INVALID'); // nothing sent yet
    await c.ok('POST', '/auth/login/mfa/send', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL' });
    const code = await latestCode(emu, emailOf('admin', portal), 'LOGIN_MFA');
    const wrong = code === '999999' ? '999998' : '999999';
    const other = new Client(emu, portal);
    assert.equal((await complete({ code }, other)).body.code, 'AUTH.LOGIN_SESSION_INVALID'); // another client hash
    const otherPortal = new Client(emu, PORTALS.find((p) => p !== portal), { clientHash: c.clientHash });
    assert.equal((await complete({ code }, otherPortal)).body.code, 'AUTH.LOGIN_SESSION_INVALID');
    assert.equal((await complete({ code, mfaMethod: 'OTP' })).body.fieldErrors[0].code, 'MFA_METHOD_NOT_AVAILABLE');
    assert.equal((await complete({ code, mfaMethod: 'SMS' })).body.fieldErrors[0].code, 'FIELD_INVALID');
    // The first wrong code was the one before any send; three more, then the fifth ends it.
    for (let i = 0; i < 3; i++) assert.equal((await complete({ code: wrong })).body.code, 'AUTH.MFA_CODE_INVALID');
    assert.equal((await complete({ code: wrong })).body.code, 'AUTH.MFA_CODE_INVALID');
    assert.equal((await complete({ code })).body.code, 'AUTH.LOGIN_SESSION_INVALID');
  }
  const c = new Client(emu, 'system');
  const init = (await initiate(c, 'admin')).body.data;
  await advance(emu, 301);
  await c.fails('POST', '/auth/login/mfa/send', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL' }, 'AUTH.LOGIN_SESSION_INVALID', 400);
  await c.fails('POST', '/auth/login/mfa/send', { loginSessionId: 'LS_unknown', mfaMethod: 'EMAIL' }, 'AUTH.LOGIN_SESSION_INVALID', 400);
  const init2 = (await initiate(c, 'otp')).body.data;
  await c.fails('POST', '/auth/login/mfa/send', { loginSessionId: init2.loginSessionId, mfaMethod: 'OTP' }, '4000', 400);
});

test('MFA send is limited to one per 30 s per login session', async () => {
  const c = new Client(emu, 'tenant');
  const { loginSessionId } = (await initiate(c, 'admin')).body.data;
  await c.ok('POST', '/auth/login/mfa/send', { loginSessionId, mfaMethod: 'EMAIL' });
  const first = await latestCode(emu, emailOf('admin', 'tenant'), 'LOGIN_MFA');
  const r = await c.fails('POST', '/auth/login/mfa/send', { loginSessionId, mfaMethod: 'EMAIL' }, 'RATE_LIMITED', 429);
  assert.equal(r.encrypted, true);
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry >= 29 && retry <= 30, String(retry));
  assert.deepEqual(r.body.data, { retryAfter: retry });
  await advance(emu, 20);
  const r2 = await c.fails('POST', '/auth/login/mfa/send', { loginSessionId, mfaMethod: 'EMAIL' }, 'RATE_LIMITED', 429);
  assert.ok(Number(r2.headers.get('retry-after')) <= 10);
  await advance(emu, 11);
  await c.ok('POST', '/auth/login/mfa/send', { loginSessionId, mfaMethod: 'EMAIL' });
  const second = await latestCode(emu, emailOf('admin', 'tenant'), 'LOGIN_MFA');
  // Only the latest code works (a repeat would be a one-in-a-million coincidence).
  if (first !== second) await c.fails('POST', '/auth/login/complete', { loginSessionId, mfaMethod: 'EMAIL', code: first }, 'AUTH.MFA_CODE_INVALID', 400);
  await c.ok('POST', '/auth/login/complete', { loginSessionId, mfaMethod: 'EMAIL', code: second });
});

test('OTP and backup-code login; a TOTP step is used once; backup codes are single-use', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const init = (await initiate(c, 'otp')).body.data;
    assert.deepEqual(init.mfaMethods.map((m) => m.code), ['EMAIL', 'OTP', 'BACKUP_CODE']);
    assert.deepEqual(init.mfaMethods[2], { code: 'BACKUP_CODE', value: 10011003, label: 'Backup code' });
    await c.fails('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: 'OTP', code: otpNow(2) }, 'AUTH.MFA_CODE_INVALID', 400);
    const code = otpNow(-1); // one step back is accepted
    c.useTokens(await c.ok('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: 'OTP', code }));
    const again = (await initiate(c, 'otp')).body.data;
    await c.fails('POST', '/auth/login/complete', { loginSessionId: again.loginSessionId, mfaMethod: 'OTP', code }, 'AUTH.MFA_CODE_INVALID', 400);
    await c.ok('POST', '/auth/login/complete', { loginSessionId: again.loginSessionId, mfaMethod: 'OTP', code: otpNow(0) });

    const b1 = (await initiate(c, 'otp')).body.data;
    await c.ok('POST', '/auth/login/complete', { loginSessionId: b1.loginSessionId, mfaMethod: 'BACKUP_CODE', code: 'abcd-0001' });
    const b2 = (await initiate(c, 'otp')).body.data;
    await c.fails('POST', '/auth/login/complete', { loginSessionId: b2.loginSessionId, mfaMethod: 'BACKUP_CODE', code: 'abcd-0001' }, 'AUTH.MFA_CODE_INVALID', 400);
    await c.ok('POST', '/auth/login/complete', { loginSessionId: b2.loginSessionId, mfaMethod: 'BACKUP_CODE', code: 'ABCD 0002' });
    const mfa = await c.ok('GET', '/security/mfa');
    assert.deepEqual(mfa[2], { mfaMethod: { code: 'BACKUP_CODE', value: 10011003, label: 'Backup code' }, isEnabled: true, remainingCodes: 3 });
  }
});

test('an account without MFA gets tokens from initiate with mfaSetupRequired', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const data = await c.ok('POST', '/auth/login/initiate', { email: emailOf('mfa-required', portal), password: PASSWORD });
    assert.equal(data.mfaRequired, false);
    assert.equal(data.mfaSetupRequired, true);
    assert.equal(data.loginSessionId, undefined);
    c.useTokens(data);
    assert.equal((await c.ok('GET', '/profile')).accountEmail, emailOf('mfa-required', portal));
  }
});

test('login rate limit: 5 failures per email + IP in 15 min, then 429 even with the right password', async () => {
  const c = new Client(emu, 'consumer');
  for (let i = 0; i < 5; i++) {
    const failed = await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', 'consumer'), password: 'Wrong-Horse-9' }, 'AUTH.INVALID_CREDENTIALS', 401);
    // Each counted failure says how many attempts are left before the pause (§6.1).
    assert.deepEqual(failed.body.data, { remainingAttempts: 4 - i });
  }
  const r = await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', 'consumer'), password: PASSWORD }, 'RATE_LIMITED', 429);
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry > 890 && retry <= 900, String(retry));
  assert.equal(r.body.data.retryAfter, retry);
  const elsewhere = new Client(emu, 'consumer', { ip: '198.51.100.7' });
  assert.equal((await initiate(elsewhere, 'admin')).body.code, '2000');
  assert.equal((await initiate(c, 'otp')).body.code, '2000'); // another email
  await advance(emu, retry);
  assert.equal((await initiate(c, 'admin')).body.code, '2000');
});

test('access token expiry, refresh once, and the refresh counter', async () => {
  const c = new Client(emu, 'system');
  await c.login('admin');
  await dev(emu, 'POST', '/__dev/stats/reset');
  await advance(emu, 899);
  await c.ok('GET', '/profile');
  await advance(emu, 2);
  const expired = await c.fails('GET', '/profile', undefined, '4010', 401);
  assert.equal(expired.body.message, 'Invalid or expired token');
  c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }));
  await c.ok('GET', '/profile');
  const stats = await dev(emu, 'GET', '/__dev/stats');
  assert.equal(stats.refreshCalls, 1);
  assert.equal(stats.requests['POST /web/v1/system/auth/token/refresh'], 1);
  assert.equal(stats.requests['GET /web/v1/system/profile'], 3);
  await dev(emu, 'POST', '/__dev/expire-access-tokens');
  await c.fails('GET', '/profile', undefined, '4010', 401);
  c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }));
  await c.ok('GET', '/profile');
});

test('refresh rotation and reuse detection revoke the whole family', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const first = await c.login('admin');
    const second = c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: first.refreshToken }));
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.notEqual(second.accessToken, first.accessToken);
    await c.ok('GET', '/profile');
    const third = c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: second.refreshToken }));
    // Reuse of a spent token: refused, and the live family dies with it.
    await c.fails('POST', '/auth/token/refresh', { refreshToken: first.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
    await c.fails('GET', '/profile', undefined, '4010', 401);
    const afterReuse = await c.fails('POST', '/auth/token/refresh', { refreshToken: third.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
    assert.equal(afterReuse.body.data, null, 'reuse detection is no termination: no reason given');
    await c.fails('POST', '/auth/token/refresh', { refreshToken: 'rt_bogus' }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
    await c.fails('POST', '/auth/token/refresh', {}, '4000', 400);
  }
});

test('refresh tokens are bound to portal and client hash, and expire', async () => {
  const c = new Client(emu, 'tenant');
  const t = await c.login('admin');
  const thief = new Client(emu, 'tenant');
  await thief.fails('POST', '/auth/token/refresh', { refreshToken: t.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
  const otherPortal = new Client(emu, 'consumer', { clientHash: c.clientHash });
  await otherPortal.fails('POST', '/auth/token/refresh', { refreshToken: t.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
  const next = c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: t.refreshToken })); // family intact
  await advance(emu, 1209601);
  c.channel = null; // the secure-channel session expired too
  await c.fails('POST', '/auth/token/refresh', { refreshToken: next.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
});

test('JWT is bound to its portal; logout revokes access and refresh', async () => {
  const sys = new Client(emu, 'system');
  await sys.login('admin');
  const tenantWithSysToken = new Client(emu, 'tenant', { clientHash: sys.clientHash });
  tenantWithSysToken.accessToken = sys.accessToken;
  await tenantWithSysToken.fails('GET', '/profile', undefined, '4010', 401);
  await sys.fails('GET', '/web/v1/tenant/profile', undefined, 'PORTAL.ACCESS_CODE_INVALID', 401); // system code on a tenant path
  await sys.fails('GET', '/profile', undefined, '4010', 401, { headers: { Authorization: 'Bearer x.y.z' } });
  await sys.fails('GET', '/profile', undefined, '4010', 401, { headers: { Authorization: `Basic ${sys.accessToken}` } });
  const [h, p] = sys.accessToken.split('.');
  const forged = Buffer.from(p, 'base64url').toString().replace('"portal":"system"', '"portal":"tenant"');
  tenantWithSysToken.accessToken = `${h}.${Buffer.from(forged).toString('base64url')}.${sys.accessToken.split('.')[2]}`;
  await tenantWithSysToken.fails('GET', '/profile', undefined, '4010', 401);
  await sys.ok('GET', '/profile');
  const logout = await sys.ok('POST', '/auth/logout', {});
  assert.deepEqual(logout, { status: 204, body: null });
  await sys.fails('GET', '/profile', undefined, '4010', 401);
  await sys.fails('POST', '/auth/token/refresh', { refreshToken: sys.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
  await sys.fails('POST', '/auth/logout', {}, '4010', 401);
});

test('registration on every portal: session → verify-email → complete', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const email = `new.user@${portal}.example.org`;
    const s = await c.ok('POST', '/auth/register/session', { email });
    assert.match(s.registrationSessionId, /^RS_/);
    await c.fails('POST', '/auth/register/session', { email }, 'RATE_LIMITED', 429);
    const code = await latestCode(emu, email, 'REGISTRATION');
    const id = s.registrationSessionId;
    await c.fails('POST', '/auth/register/complete', { registrationSessionId: id, accountName: 'New User', password: 'Fresh-Horse-42' }, 'AUTH.EMAIL_NOT_VERIFIED', 400);
    await c.fails('POST', '/auth/register/verify-email', { registrationSessionId: id, code: code === '000000' ? '000001' : '000000' }, 'AUTH.VERIFICATION_CODE_INVALID', 400);
    await new Client(emu, portal).fails('POST', '/auth/register/verify-email', { registrationSessionId: id, code }, 'AUTH.REGISTRATION_SESSION_INVALID', 400);
    assert.deepEqual(await c.ok('POST', '/auth/register/verify-email', { registrationSessionId: id, code }), { status: 204, body: null });
    const weak = await c.fails('POST', '/auth/register/complete', { registrationSessionId: id, accountName: 'New User', password: 'weak' }, '4000', 400);
    assert.deepEqual(weak.body.fieldErrors.map((f) => f.code), ['PASSWORD_TOO_SHORT', 'PASSWORD_MISSING_UPPERCASE', 'PASSWORD_MISSING_DIGIT']);
    assert.ok(weak.body.fieldErrors.every((f) => f.field === 'password' && f.message));
    await c.fails('POST', '/auth/register/complete', { registrationSessionId: id, accountName: '   ', password: 'Fresh-Horse-42' }, '4000', 400);
    const tokens = c.useTokens(await c.ok('POST', '/auth/register/complete', { registrationSessionId: id, accountName: 'New User', password: 'Fresh-Horse-42' }));
    assert.equal(tokens.mfaSetupRequired, false);
    const profile = await c.ok('GET', '/profile');
    assert.equal(profile.accountEmail, email);
    assert.equal(profile.accountName, 'New User');
    assert.equal(profile.accountStatus.code, portal === 'consumer' ? 'ACTIVE' : 'PENDING_APPROVAL');
    assert.equal(profile.accountPortal.code, portal.toUpperCase());
    assert.deepEqual(await c.ok('GET', '/workspaces/mine'), []);
    await c.fails('POST', '/auth/register/complete', { registrationSessionId: id, accountName: 'Again', password: 'Fresh-Horse-42' }, 'AUTH.REGISTRATION_SESSION_INVALID', 400);
    // Sign in with the new account.
    const again = new Client(emu, portal);
    await again.login(email, { password: 'Fresh-Horse-42' });

    // An existing email gets a session and a code, and fails at complete.
    const existing = emailOf('admin', portal);
    const s2 = await c.ok('POST', '/auth/register/session', { email: existing });
    await c.ok('POST', '/auth/register/verify-email', { registrationSessionId: s2.registrationSessionId, code: await latestCode(emu, existing, 'REGISTRATION') });
    await c.fails('POST', '/auth/register/complete', { registrationSessionId: s2.registrationSessionId, accountName: 'Dup', password: 'Fresh-Horse-42' }, 'AUTH.EMAIL_ALREADY_REGISTERED', 409);
    await c.fails('POST', '/auth/register/session', { email: 'not an email' }, '4000', 400);
  }
  const c = new Client(emu, 'system');
  const s = await c.ok('POST', '/auth/register/session', { email: 'late@example.org' });
  await advance(emu, 301);
  await c.fails('POST', '/auth/register/verify-email', { registrationSessionId: s.registrationSessionId, code: await latestCode(emu, 'late@example.org', 'REGISTRATION') }, 'AUTH.REGISTRATION_SESSION_INVALID', 400);
});

test('password forgot / reset on every portal, without account enumeration', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const old = new Client(emu, portal);
    await old.login('admin');
    const ghost = await c.ok('POST', '/auth/password/forgot', { email: `ghost@${portal}.example.com` });
    assert.match(ghost.resetSessionId, /^PR_/);
    assert.equal(await latestCode(emu, `ghost@${portal}.example.com`, 'PASSWORD_RESET'), undefined);
    await c.fails('POST', '/auth/password/reset', { resetSessionId: ghost.resetSessionId, code: '123456', newPassword: 'Fresh-Horse-42' }, 'AUTH.VERIFICATION_CODE_INVALID', 400);

    const email = emailOf('admin', portal);
    const s = await c.ok('POST', '/auth/password/forgot', { email });
    assert.deepEqual(Object.keys(s).sort(), ['expiresAt', 'resetSessionId']);
    const code = await latestCode(emu, email, 'PASSWORD_RESET');
    await new Client(emu, portal).fails('POST', '/auth/password/reset', { resetSessionId: s.resetSessionId, code, newPassword: 'Fresh-Horse-42' }, 'AUTH.RESET_SESSION_INVALID', 400);
    const weak = await c.fails('POST', '/auth/password/reset', { resetSessionId: s.resetSessionId, code, newPassword: email.toUpperCase() }, '4000', 400);
    assert.ok(weak.body.fieldErrors.some((f) => f.code === 'PASSWORD_EQUALS_EMAIL' && f.field === 'newPassword'));
    assert.deepEqual(await c.ok('POST', '/auth/password/reset', { resetSessionId: s.resetSessionId, code, newPassword: 'Fresh-Horse-42' }), { status: 204, body: null });
    await c.fails('POST', '/auth/password/reset', { resetSessionId: s.resetSessionId, code, newPassword: 'Fresh-Horse-43' }, 'AUTH.RESET_SESSION_INVALID', 400);
    await old.fails('GET', '/profile', undefined, '4010', 401); // every session revoked
    await c.fails('POST', '/auth/login/initiate', { email, password: PASSWORD }, 'AUTH.INVALID_CREDENTIALS', 401);
    await c.login('admin', { password: 'Fresh-Horse-42' });
  }
});

test('forgot-password and reset rate limits', async () => {
  const c = new Client(emu, 'system');
  for (let i = 0; i < 3; i++) await c.ok('POST', '/auth/password/forgot', { email: 'admin@example.com' });
  const r = await c.fails('POST', '/auth/password/forgot', { email: 'ADMIN@example.com' }, 'RATE_LIMITED', 429);
  assert.ok(Number(r.headers.get('retry-after')) > 800);
  await c.ok('POST', '/auth/password/forgot', { email: 'otp@example.com' });
  await advance(emu, 901);
  await c.ok('POST', '/auth/password/forgot', { email: 'admin@example.com' });

  const { resetSessionId } = await c.ok('POST', '/auth/password/forgot', { email: 'nobody@example.com' });
  for (let i = 0; i < 10; i++) await c.call('POST', '/auth/password/reset', { resetSessionId, code: '000000', newPassword: 'Fresh-Horse-42' });
  await c.fails('POST', '/auth/password/reset', { resetSessionId, code: '000000', newPassword: 'Fresh-Horse-42' }, 'RATE_LIMITED', 429);
});

test('password init for an invited account', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    await c.login('invited');
    assert.equal((await c.ok('GET', '/profile')).accountStatus.code, 'INVITED');
    const weak = await c.fails('POST', '/auth/password/init', { newPassword: 'alllowercase' }, '4000', 400);
    assert.deepEqual(weak.body.fieldErrors.map((f) => f.code), ['PASSWORD_MISSING_UPPERCASE', 'PASSWORD_MISSING_DIGIT']);
    await c.fails('POST', '/auth/password/init', { newPassword: 12345 }, '4000', 400);
    assert.deepEqual(await c.ok('POST', '/auth/password/init', { newPassword: 'Fresh-Horse-42' }), { status: 204, body: null });
    assert.deepEqual((await c.ok('GET', '/profile')).accountStatus, { code: 'ACTIVE', value: 10010202, label: 'Active' });
    await c.fails('POST', '/auth/password/init', { newPassword: 'Fresh-Horse-43' }, 'AUTH.PASSWORD_ALREADY_INITIALIZED', 409);
    await new Client(emu, portal).login('invited', { password: 'Fresh-Horse-42' });
    await new Client(emu, portal).fails('POST', '/auth/password/init', { newPassword: 'Fresh-Horse-43' }, '4010', 401);
  }
});

test('password change: re-check, policy, other sessions revoked, rate limit', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const other = new Client(emu, portal);
    await c.login('admin');
    await other.login('admin');
    await c.fails('POST', '/auth/password/change', { currentPassword: 'Wrong-Horse-9', newPassword: 'Fresh-Horse-42' }, 'AUTH.PASSWORD_INCORRECT', 400);
    const reused = await c.fails('POST', '/auth/password/change', { currentPassword: PASSWORD, newPassword: PASSWORD }, '4000', 400);
    assert.deepEqual(reused.body.fieldErrors.map((f) => f.code), ['PASSWORD_REUSED']);
    await c.fails('POST', '/auth/password/change', { currentPassword: PASSWORD, newPassword: 'Fresh-Horse-42', extra: 1 }, '4000', 400);
    assert.deepEqual(await c.ok('POST', '/auth/password/change', { currentPassword: PASSWORD, newPassword: 'Fresh-Horse-42' }), { status: 204, body: null });
    await c.ok('GET', '/profile');
    await other.fails('GET', '/profile', undefined, '4010', 401);
    await other.fails('POST', '/auth/token/refresh', { refreshToken: other.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
  }
  const c = new Client(emu, 'system');
  await c.login('otp', { method: 'BACKUP_CODE', code: 'abcd-0005' });
  for (let i = 0; i < 5; i++) await c.fails('POST', '/auth/password/change', { currentPassword: 'Wrong-Horse-9', newPassword: 'Fresh-Horse-42' }, 'AUTH.PASSWORD_INCORRECT', 400);
  await c.fails('POST', '/auth/password/change', { currentPassword: PASSWORD, newPassword: 'Fresh-Horse-42' }, 'RATE_LIMITED', 429);
  await advance(emu, 901);
  await c.fails('GET', '/profile', undefined, '4010', 401); // the access token expired meanwhile
  c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }));
  await c.ok('POST', '/auth/password/change', { currentPassword: PASSWORD, newPassword: 'Fresh-Horse-42' });
});

test('pre-login endpoints need no JWT but do need the portal headers', async () => {
  const c = new Client(emu, 'system', { clientHash: randomHash() });
  await c.fails('POST', '/auth/login/initiate', { email: 'admin@example.com', password: PASSWORD }, 'PORTAL.ACCESS_CODE_INVALID', 401, { headers: { 'X-PORTAL-ACCESS-CODE': 'dev-tenant-code' } });
});
