// Account endpoints on all three portals: profile, security centre (MFA, OTP, backup codes,
// IP whitelist, sessions), invitations and workspaces; the seeded onboarding cases.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, totp } from '../../emulator/totp.mjs';
import { Client, PASSWORD, PORTALS, advance, dev, emailOf, start } from './helpers.mjs';

let emu;
before(async () => { emu = await start(); });
after(() => emu.close());
beforeEach(() => dev(emu, 'POST', '/__dev/reset'));

async function signedIn(portal, local = 'admin', opts = {}) {
  const c = new Client(emu, portal, opts);
  await c.login(local);
  return c;
}
const NO_CONTENT = { status: 204, body: null };

test('GET profile: exactly the seed\'s SYSTEM admin profile', async () => {
  const c = await signedIn('system');
  const r = await c.call('GET', '/profile');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, {
    success: true, code: '2000', message: 'SUCCESS',
    data: {
      bizId: 'ACC_SYS_001', institutionBizId: 'INST_SYS_001', accountEmail: 'admin@example.com', accountPhone: '+1234567890',
      accountName: 'System Admin', accountRemark: null,
      accountPortal: { code: 'SYSTEM', value: 10010101, label: 'System' },
      accountStatus: { code: 'ACTIVE', value: 10010202, label: 'Active' },
      createdAt: '2026-01-15T08:00:00Z', updatedAt: '2026-03-20T14:30:00Z',
      defaultLanguage: 'en', defaultTimezone: 'America/New_York', defaultCountry: 'US',
    },
  });
  assert.equal(r.encrypted, false);
  const none = await new Client(emu, 'system').fails('GET', '/profile', undefined, '4010', 401);
  assert.deepEqual(none.body, { success: false, code: '4010', message: 'Invalid or expired token', data: null });
});

test('profile portals and localized labels', async () => {
  const expected = { system: ['ACC_SYS_001', 10010101], tenant: ['ACC_TEN_001', 10010102], consumer: ['ACC_CON_001', 10010103] };
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'admin', { lang: 'ja' });
    const p = await c.ok('GET', '/profile');
    assert.equal(p.bizId, expected[portal][0]);
    assert.equal(p.accountPortal.value, expected[portal][1]);
    assert.equal(p.accountStatus.label, '有効');
  }
  const vi = await signedIn('tenant', 'pending', { lang: 'vi' });
  assert.deepEqual((await vi.ok('GET', '/profile')).accountStatus, { code: 'PENDING_APPROVAL', value: 10010203, label: 'Chờ phê duyệt' });
});

test('profile update: editable fields, validation, read-only fields', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal);
    const updated = await c.ok('POST', '/profile/update', { accountName: '  Renamed  ', accountPhone: '+819012345678', defaultLanguage: 'zh-Hant', defaultTimezone: 'Asia/Tokyo', defaultCountry: 'JP' });
    assert.deepEqual([updated.accountName, updated.accountPhone, updated.defaultLanguage, updated.defaultTimezone, updated.defaultCountry], ['Renamed', '+819012345678', 'zh-Hant', 'Asia/Tokyo', 'JP']);
    assert.notEqual(updated.updatedAt, '2026-03-20T14:30:00Z');
    assert.deepEqual(await c.ok('GET', '/profile'), updated);
    assert.equal((await c.ok('POST', '/profile/update', { accountPhone: null })).accountPhone, null);
    assert.equal((await c.ok('POST', '/profile/update', {})).accountName, 'Renamed');
    const bad = await c.fails('POST', '/profile/update', { accountEmail: 'x@y.z', accountRemark: 'hi', nickname: 'x', defaultLanguage: 'fr', defaultTimezone: 'Mars/Base', defaultCountry: 'jp', accountPhone: '12345', accountName: 7 }, '4000', 400);
    const codes = Object.fromEntries(bad.body.fieldErrors.map((f) => [f.field, f.code]));
    assert.deepEqual(codes, { accountEmail: 'FIELD_NOT_EDITABLE', accountRemark: 'FIELD_NOT_EDITABLE', nickname: 'FIELD_UNKNOWN', defaultLanguage: 'FIELD_INVALID', defaultTimezone: 'FIELD_INVALID', defaultCountry: 'FIELD_INVALID', accountPhone: 'FIELD_INVALID', accountName: 'FIELD_TYPE' });
    await c.fails('POST', '/profile/update', { accountName: 'x'.repeat(65) }, '4000', 400);
    await c.fails('POST', '/profile/update', '[1,2]', '4000', 400);
    await c.fails('POST', '/profile/update', '{"accountName":', '4000', 400);
    assert.equal((await c.ok('GET', '/profile')).accountName, 'Renamed');
  }
});

test('MFA list: the seed shape plus the backup-code row', async () => {
  const c = await signedIn('system');
  assert.deepEqual(await c.ok('GET', '/security/mfa'), [
    { mfaMethod: { code: 'EMAIL', value: 10011001, label: 'Email' }, isEnabled: true },
    { mfaMethod: { code: 'OTP', value: 10011002, label: 'Authenticator app' }, isEnabled: false },
    { mfaMethod: { code: 'BACKUP_CODE', value: 10011003, label: 'Backup code' }, isEnabled: false, remainingCodes: 0 },
  ]);
});

test('OTP setup → verify → login with OTP → revoke, on every portal', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'mfa-required');
    await c.fails('POST', '/security/mfa/otp/verify', { code: '123456' }, 'AUTH.OTP_SETUP_SESSION_INVALID', 400);
    const setup = await c.ok('POST', '/security/mfa/otp/setup', {});
    assert.deepEqual(Object.keys(setup).sort(), ['issuer', 'qrCodeUri', 'secret']);
    assert.match(setup.secret, /^[A-Z2-7]{32}$/);
    assert.equal(setup.issuer, 'Portal');
    assert.equal(setup.qrCodeUri, `otpauth://totp/Portal:${emailOf('mfa-required', portal)}?secret=${setup.secret}&issuer=Portal&algorithm=SHA1&digits=6&period=30`);
    const key = base32Decode(setup.secret);
    const good = totp(key, emu.clock.now());
    const wrong = String((Number(good) + 1) % 1e6).padStart(6, '0');
    await c.fails('POST', '/security/mfa/otp/verify', { code: wrong }, 'AUTH.MFA_CODE_INVALID', 400);
    await c.fails('POST', '/security/mfa/otp/verify', { code: 123456 }, '4000', 400);
    assert.deepEqual(await c.ok('POST', '/security/mfa/otp/verify', { code: good }), NO_CONTENT);
    assert.equal((await c.ok('GET', '/security/mfa'))[1].isEnabled, true);
    await c.fails('POST', '/security/mfa/otp/setup', {}, 'AUTH.OTP_ALREADY_ENABLED', 409);

    const init = await new Client(emu, portal).ok('POST', '/auth/login/initiate', { email: emailOf('mfa-required', portal), password: PASSWORD });
    assert.deepEqual(init.mfaMethods.map((m) => m.code), ['OTP']);
    await advance(emu, 30);
    const again = new Client(emu, portal);
    const init2 = await again.ok('POST', '/auth/login/initiate', { email: emailOf('mfa-required', portal), password: PASSWORD });
    const tokens = await again.ok('POST', '/auth/login/complete', { loginSessionId: init2.loginSessionId, mfaMethod: 'OTP', code: totp(key, emu.clock.now()) });
    assert.equal(tokens.mfaSetupRequired, false);

    await c.fails('POST', '/security/mfa/otp/revoke', { password: 'Wrong-Horse-9' }, 'AUTH.PASSWORD_INCORRECT', 400);
    assert.deepEqual(await c.ok('POST', '/security/mfa/otp/revoke', { password: PASSWORD }), NO_CONTENT);
    await c.fails('POST', '/security/mfa/otp/revoke', { password: PASSWORD }, 'AUTH.OTP_NOT_ENABLED', 409);
    assert.equal((await new Client(emu, portal).ok('POST', '/auth/login/initiate', { email: emailOf('mfa-required', portal), password: PASSWORD })).mfaRequired, false);
  }
});

test('OTP setup session: five wrong codes end it, it expires, a new setup replaces it', async () => {
  const c = await signedIn('tenant', 'mfa-required');
  const first = await c.ok('POST', '/security/mfa/otp/setup', {});
  const second = await c.ok('POST', '/security/mfa/otp/setup', {});
  assert.notEqual(first.secret, second.secret);
  const oldCode = totp(base32Decode(first.secret), emu.clock.now());
  const newCode = totp(base32Decode(second.secret), emu.clock.now());
  if (oldCode !== newCode) await c.fails('POST', '/security/mfa/otp/verify', { code: oldCode }, 'AUTH.MFA_CODE_INVALID', 400);
  for (let i = oldCode !== newCode ? 1 : 0; i < 5; i++) await c.fails('POST', '/security/mfa/otp/verify', { code: newCode === '000000' ? '000001' : '000000' }, 'AUTH.MFA_CODE_INVALID', 400);
  await c.fails('POST', '/security/mfa/otp/verify', { code: newCode }, 'AUTH.OTP_SETUP_SESSION_INVALID', 400);
  const third = await c.ok('POST', '/security/mfa/otp/setup', {});
  await advance(emu, 601);
  c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }));
  await c.fails('POST', '/security/mfa/otp/verify', { code: totp(base32Decode(third.secret), emu.clock.now()) }, 'AUTH.OTP_SETUP_SESSION_INVALID', 400);
});

test('backup codes: generate 10, stored hashed, regenerate invalidates, single use at login', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'otp');
    const { codes } = await c.ok('POST', '/security/mfa/backup-codes/generate', {});
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}$/);
    const stored = JSON.stringify(emu.state.db.accounts[(await c.ok('GET', '/profile')).bizId].backupCodes);
    for (const code of codes) assert.ok(!stored.includes(code) && !stored.includes(code.replace('-', '')), 'stored hashed');
    assert.equal((await c.ok('GET', '/security/mfa'))[2].remainingCodes, 10);
    const login = async (code) => {
      const x = new Client(emu, portal);
      const init = await x.ok('POST', '/auth/login/initiate', { email: emailOf('otp', portal), password: PASSWORD });
      return x.call('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: 'BACKUP_CODE', code });
    };
    assert.equal((await login('abcd-0003')).body.code, 'AUTH.MFA_CODE_INVALID'); // the seeded codes are gone
    assert.equal((await login(codes[0])).body.code, '2000');
    assert.equal((await login(codes[0])).body.code, 'AUTH.MFA_CODE_INVALID');
    const { codes: fresh } = await c.ok('POST', '/security/mfa/backup-codes/generate', {});
    assert.equal((await login(codes[1])).body.code, 'AUTH.MFA_CODE_INVALID');
    assert.equal((await login(fresh[9].toUpperCase())).body.code, '2000');
    assert.equal((await c.ok('GET', '/security/mfa'))[2].remainingCodes, 9);
  }
});

test('IP whitelist: validation per index, lockout guards, enforcement on JWT calls, refresh and login', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'admin', { ip: '203.0.113.10' });
    assert.deepEqual(await c.ok('GET', '/security/ip-whitelist'), { enabled: false, entries: [] });
    await c.fails('POST', '/security/ip-whitelist/enable', { enabled: true }, '4000', 400);
    const bad = await c.fails('POST', '/security/ip-whitelist', { entries: ['10.0.0.1', '10.0.0.256', '2001:db8::/33', 'fe80::/129', '10.0.0.1', 7, 'host.example'] }, '4000', 400);
    assert.deepEqual(bad.body.fieldErrors.map((f) => [f.field, f.code]), [
      ['entries[1]', 'IP_ENTRY_INVALID'], ['entries[3]', 'IP_ENTRY_INVALID'], ['entries[4]', 'IP_ENTRY_DUPLICATE'], ['entries[5]', 'FIELD_TYPE'], ['entries[6]', 'IP_ENTRY_INVALID'],
    ]);
    await c.fails('POST', '/security/ip-whitelist', { entries: '10.0.0.1' }, '4000', 400);
    await c.fails('POST', '/security/ip-whitelist', { entries: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) }, '4000', 400);
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist', { entries: ['198.51.100.0/24', '2001:db8::/32'] }), { enabled: false, entries: ['198.51.100.0/24', '2001:db8::/32'] });
    const excl = await c.fails('POST', '/security/ip-whitelist/enable', { enabled: true }, '4000', 400);
    assert.equal(excl.body.fieldErrors[0].code, 'IP_WHITELIST_EXCLUDES_CURRENT');
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist', { entries: ['203.0.113.10', '198.51.100.0/24'] }), { enabled: false, entries: ['203.0.113.10', '198.51.100.0/24'] });
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist/enable', { enabled: true }), NO_CONTENT);
    assert.deepEqual(await c.ok('GET', '/security/ip-whitelist'), { enabled: true, entries: ['203.0.113.10', '198.51.100.0/24'] });
    assert.equal((await c.fails('POST', '/security/ip-whitelist', { entries: [] }, '4000', 400)).body.fieldErrors[0].code, 'IP_WHITELIST_EMPTY');
    assert.equal((await c.fails('POST', '/security/ip-whitelist', { entries: ['198.51.100.0/24'] }, '4000', 400)).body.fieldErrors[0].code, 'IP_WHITELIST_EXCLUDES_CURRENT');
    // The confirmed override: the user accepted losing access from this address. Never an empty list.
    assert.equal((await c.fails('POST', '/security/ip-whitelist', { entries: [], allowLockout: true }, '4000', 400)).body.fieldErrors[0].code, 'IP_WHITELIST_EMPTY');
    await c.fails('POST', '/security/ip-whitelist', { entries: ['198.51.100.0/24'], allowLockout: 'yes' }, '4000', 400);
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist', { entries: ['198.51.100.0/24', '203.0.113.10'], allowLockout: false }), { enabled: true, entries: ['198.51.100.0/24', '203.0.113.10'] });
    c.ip = '198.51.100.200';
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist', { entries: ['198.51.100.0/24'] }), { enabled: true, entries: ['198.51.100.0/24'] });
    c.ip = '203.0.113.10';
    await c.fails('POST', '/security/ip-whitelist', { entries: ['198.51.100.0/24'] }, 'AUTH.IP_NOT_ALLOWED', 403);
    c.ip = '198.51.100.200';
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist', { entries: ['192.0.2.0/24'], allowLockout: true }), { enabled: true, entries: ['192.0.2.0/24'] });
    await c.fails('GET', '/profile', undefined, 'AUTH.IP_NOT_ALLOWED', 403);
    c.ip = '192.0.2.50';
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist', { entries: ['203.0.113.10', '198.51.100.0/24'], allowLockout: true }), { enabled: true, entries: ['203.0.113.10', '198.51.100.0/24'] });
    c.ip = '203.0.113.10';

    // Enforcement: same token, another address.
    c.ip = '192.0.2.99';
    await c.fails('GET', '/profile', undefined, 'AUTH.IP_NOT_ALLOWED', 403);
    await c.fails('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }, 'AUTH.IP_NOT_ALLOWED', 403);
    await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', portal), password: PASSWORD }, 'AUTH.IP_NOT_ALLOWED', 403);
    await c.fails('POST', '/auth/login/initiate', { email: emailOf('admin', portal), password: 'Wrong-Horse-9' }, 'AUTH.INVALID_CREDENTIALS', 401);
    c.ip = '198.51.100.200'; // inside the CIDR
    await c.ok('GET', '/profile');
    c.useTokens(await c.ok('POST', '/auth/token/refresh', { refreshToken: c.refreshToken }));
    assert.deepEqual(await c.ok('POST', '/security/ip-whitelist/enable', { enabled: false }), NO_CONTENT);
    c.ip = '192.0.2.99';
    await c.ok('GET', '/profile');
    // Other accounts are unaffected.
    await signedIn(portal, 'otp', { ip: '192.0.2.99' });
  }
});

test('sessions: list with isCurrent, terminate one, terminate all others; 4010 at once', async () => {
  for (const portal of PORTALS) {
    const a = await signedIn(portal, 'admin', { ip: '127.0.0.10' });
    const b = await signedIn(portal, 'admin', { ip: '127.0.0.11' });
    const d = await signedIn(portal, 'admin', { ip: '127.0.0.12' });
    const list = await a.ok('GET', '/security/sessions');
    assert.equal(list.length, 3);
    assert.deepEqual(Object.keys(list[0]).sort(), ['clientIp', 'createdAt', 'isCurrent', 'lastSeenAt', 'sessionId', 'userAgent']);
    assert.equal(list[0].isCurrent, true);
    assert.equal(list[0].clientIp, '127.0.0.10');
    assert.deepEqual(list.map((s) => s.isCurrent), [true, false, false]);
    assert.match(list[0].sessionId, /^SESS_/);
    assert.equal(typeof list[0].userAgent, 'string');
    const bId = (await b.ok('GET', '/security/sessions'))[0].sessionId;
    assert.deepEqual(await a.ok('POST', '/security/sessions/terminate', { sessionId: bId }), NO_CONTENT);
    await b.fails('GET', '/profile', undefined, '4010', 401);
    const ended = await b.fails('POST', '/auth/token/refresh', { refreshToken: b.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
    // The holder of a terminated session's live refresh token learns why (docs/api.md §6.6).
    assert.deepEqual(ended.body.data, { reason: 'SESSION_TERMINATED' });
    await a.fails('POST', '/security/sessions/terminate', { sessionId: bId }, 'SECURITY.SESSION_NOT_FOUND', 404);
    const stranger = await signedIn(portal, 'otp');
    const strangerId = (await stranger.ok('GET', '/security/sessions'))[0].sessionId;
    await a.fails('POST', '/security/sessions/terminate', { sessionId: strangerId }, 'SECURITY.SESSION_NOT_FOUND', 404);
    await a.fails('POST', '/security/sessions/terminate', {}, '4000', 400);
    assert.equal((await a.ok('GET', '/security/sessions')).length, 2);
    const e = await signedIn(portal, 'admin');
    assert.deepEqual(await a.ok('POST', '/security/sessions/terminate-all', {}), NO_CONTENT);
    await d.fails('GET', '/profile', undefined, '4010', 401);
    await e.fails('GET', '/profile', undefined, '4010', 401);
    const endedAll = await d.fails('POST', '/auth/token/refresh', { refreshToken: d.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
    assert.deepEqual(endedAll.body.data, { reason: 'SESSION_TERMINATED' });
    await stranger.ok('GET', '/profile');
    assert.deepEqual((await a.ok('GET', '/security/sessions')).map((s) => s.isCurrent), [true]);
    // Terminating the current session acts as a logout.
    const me = (await a.ok('GET', '/security/sessions'))[0].sessionId;
    await a.ok('POST', '/security/sessions/terminate', { sessionId: me });
    await a.fails('GET', '/profile', undefined, '4010', 401);
    const loggedOut = await a.fails('POST', '/auth/token/refresh', { refreshToken: a.refreshToken }, 'AUTH.REFRESH_TOKEN_INVALID', 401);
    assert.equal(loggedOut.body.data, null, 'the current session terminated is a logout: no reason');
  }
});

test('seeded onboarding cases: workspaces and invitations per account', async () => {
  for (const portal of PORTALS) {
    const admin = await signedIn(portal, 'admin');
    const ws = await admin.ok('GET', '/workspaces/mine');
    assert.equal(ws.filter((w) => w.isDefault).length, 1);
    assert.deepEqual(Object.keys(ws[0]).sort(), ['isDefault', 'role', 'workspaceBizId', 'workspaceName']);
    assert.deepEqual(ws.find((w) => w.isDefault).role, { code: 'OWNER', value: 10050201, label: 'Owner' });
    const none = await signedIn(portal, 'noworkspace');
    assert.deepEqual(await none.ok('GET', '/workspaces/mine'), []);
    assert.deepEqual(await none.ok('GET', '/profile/invitations'), []);
    const multi = await signedIn(portal, 'multi');
    const mw = await multi.ok('GET', '/workspaces/mine');
    assert.equal(mw.length, 2);
    assert.ok(mw.every((w) => !w.isDefault));
    const invited = await signedIn(portal, 'invited');
    assert.equal((await invited.ok('GET', '/profile')).accountStatus.code, 'INVITED');
    assert.deepEqual((await invited.ok('GET', '/profile/invitations')).map((i) => i.status.code), ['PENDING']);
    const inv = await signedIn(portal, 'invitations');
    const list = await inv.ok('GET', '/profile/invitations');
    assert.deepEqual(list.map((i) => i.status.code).sort(), ['ACCEPTED', 'EXPIRED', 'PENDING']);
    assert.deepEqual(Object.keys(list[0]).sort(), ['expiresAt', 'invitationBizId', 'invitedBy', 'role', 'status', 'workspaceBizId', 'workspaceName']);
    const pending = await signedIn(portal, 'pending');
    assert.equal((await pending.ok('GET', '/profile')).accountStatus.code, 'PENDING_APPROVAL');
  }
});

test('invitation accept: the seed\'s exact answer; errors for expired, processed, unknown', async () => {
  const c = await signedIn('system', 'invitations');
  const r = await c.call('POST', '/profile/invitations/a1b2c3d4-e5f6-7890-abcd-ef1234567890/accept', {});
  assert.deepEqual(r.body, { success: true, code: '2000', message: 'SUCCESS', data: { workspaceBizId: 'WS_ACME_001', becameDefaultWorkspace: false, nextAction: { code: 'ENTER_ACCEPTED_WORKSPACE', value: 10050403, label: 'Enter accepted workspace' } } });
  for (const portal of PORTALS) {
    const x = await signedIn(portal, 'invitations');
    const list = await x.ok('GET', '/profile/invitations');
    const id = (s) => (s === 'PENDING' && portal === 'system' ? 'a1b2c3d4-e5f6-7890-abcd-ef1234567890' : list.find((i) => i.status.code === s).invitationBizId);
    await x.fails('POST', `/profile/invitations/${id('EXPIRED')}/accept`, {}, 'WORKSPACE.INVITATION_EXPIRED', 409);
    await x.fails('POST', `/profile/invitations/${id('EXPIRED')}/decline`, {}, 'WORKSPACE.INVITATION_EXPIRED', 409);
    await x.fails('POST', `/profile/invitations/${id('ACCEPTED')}/accept`, {}, 'WORKSPACE.INVITATION_ALREADY_PROCESSED', 409);
    await x.fails('POST', '/profile/invitations/00000000-dead-beef-0000-000000000000/accept', {}, 'WORKSPACE.INVITATION_NOT_FOUND', 404);
    const invitedList = await (await signedIn(portal, 'invited')).ok('GET', '/profile/invitations');
    await x.fails('POST', `/profile/invitations/${invitedList[0].invitationBizId}/accept`, {}, 'WORKSPACE.INVITATION_NOT_FOUND', 404);
    if (portal !== 'system') {
      const res = await x.ok('POST', `/profile/invitations/${id('PENDING')}/accept`, {});
      assert.deepEqual([res.becameDefaultWorkspace, res.nextAction.code], [false, 'ENTER_ACCEPTED_WORKSPACE']);
    }
    await x.fails('POST', `/profile/invitations/${id('PENDING')}/accept`, {}, 'WORKSPACE.INVITATION_ALREADY_PROCESSED', 409);
    assert.equal((await x.ok('GET', '/profile/invitations')).filter((i) => i.status.code === 'ACCEPTED').length, 2);
    assert.ok((await x.ok('GET', '/workspaces/mine')).some((w) => w.workspaceName === 'Acme Corp' && w.role.code === 'MEMBER' && !w.isDefault));
    await x.fails('POST', `/profile/invitations/${id('PENDING')}/accept`, { extra: 1 }, '4000', 400);
  }
});

test('invitation accept makes the default workspace for an account without one; decline; expiry by clock', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'invited');
    const [inv] = await c.ok('GET', '/profile/invitations');
    const res = await c.ok('POST', `/profile/invitations/${inv.invitationBizId}/accept`, {});
    assert.deepEqual(res, { workspaceBizId: inv.workspaceBizId, becameDefaultWorkspace: true, nextAction: { code: 'ENTER_ACCEPTED_WORKSPACE', value: 10050403, label: 'Enter accepted workspace' } });
    assert.deepEqual((await c.ok('GET', '/workspaces/mine')).map((w) => [w.workspaceBizId, w.isDefault]), [[inv.workspaceBizId, true]]);

    const d = await signedIn(portal, 'invitations');
    const pending = (await d.ok('GET', '/profile/invitations')).find((i) => i.status.code === 'PENDING');
    assert.deepEqual(await d.ok('POST', `/profile/invitations/${pending.invitationBizId}/decline`, {}), NO_CONTENT);
    assert.equal((await d.ok('GET', '/profile/invitations')).find((i) => i.invitationBizId === pending.invitationBizId).status.code, 'DECLINED');
    await d.fails('POST', `/profile/invitations/${pending.invitationBizId}/accept`, {}, 'WORKSPACE.INVITATION_ALREADY_PROCESSED', 409);
    await d.fails('POST', `/profile/invitations/${pending.invitationBizId}/decline`, {}, 'WORKSPACE.INVITATION_ALREADY_PROCESSED', 409);
  }
  await dev(emu, 'POST', '/__dev/reset');
  const late = await signedIn('consumer', 'invited');
  await advance(emu, 7 * 86400 + 1);
  late.channel = null; // the channel session expired with the clock
  late.useTokens(await late.ok('POST', '/auth/token/refresh', { refreshToken: late.refreshToken }));
  const [inv] = await late.ok('GET', '/profile/invitations');
  assert.equal(inv.status.code, 'EXPIRED');
  await late.fails('POST', `/profile/invitations/${inv.invitationBizId}/accept`, {}, 'WORKSPACE.INVITATION_EXPIRED', 409);
});

test('nextAction STAY_ON_CURRENT_WORKSPACE when a default exists and other invitations remain pending', async () => {
  const owner = emu.state.db.accounts.ACC_TEN_005;
  emu.state.db.invitations['extra-1'] = { id: 'extra-1', accountId: owner.id, workspaceId: 'WS_TEN_NORTH_001', invitedBy: 'admin@tenant.example.com', role: 'ADMIN', status: 'PENDING', expiresAt: '2099-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z' };
  const c = await signedIn('tenant', 'invitations');
  const res = await c.ok('POST', '/profile/invitations/extra-1/accept', {});
  assert.deepEqual([res.becameDefaultWorkspace, res.nextAction], [false, { code: 'STAY_ON_CURRENT_WORKSPACE', value: 10050401, label: 'Stay on current workspace' }]);
});

test('workspaces: create (first becomes default), select default, validation', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'noworkspace');
    const w = await c.ok('POST', '/workspaces/create', { workspaceName: '  My Team  ' });
    assert.deepEqual([w.workspaceName, w.isDefault, w.role.code], ['My Team', true, 'OWNER']);
    assert.match(w.workspaceBizId, /^WS_/);
    const w2 = await c.ok('POST', '/workspaces/create', { workspaceName: 'Second' });
    assert.equal(w2.isDefault, false);
    assert.deepEqual(await c.ok('POST', '/workspaces/select-default', { workspaceBizId: w2.workspaceBizId }), NO_CONTENT);
    assert.deepEqual((await c.ok('GET', '/workspaces/mine')).map((x) => [x.workspaceName, x.isDefault]), [['My Team', false], ['Second', true]]);
    await c.fails('POST', '/workspaces/select-default', { workspaceBizId: 'WS_NOT_MINE' }, 'WORKSPACE.NOT_FOUND', 404);
    await c.fails('POST', '/workspaces/create', { workspaceName: '   ' }, '4000', 400);
    await c.fails('POST', '/workspaces/create', { workspaceName: 'x'.repeat(81) }, '4000', 400);
    await c.fails('POST', '/workspaces/create', {}, '4000', 400);

    const multi = await signedIn(portal, 'multi');
    const [first] = await multi.ok('GET', '/workspaces/mine');
    await multi.ok('POST', '/workspaces/select-default', { workspaceBizId: first.workspaceBizId });
    assert.equal((await multi.ok('GET', '/workspaces/mine'))[0].isDefault, true);
  }
});

test('pending-approval accounts sign in but cannot create workspaces or accept invitations', async () => {
  for (const portal of PORTALS) {
    const c = await signedIn(portal, 'pending');
    await c.ok('GET', '/workspaces/mine');
    await c.fails('POST', '/workspaces/create', { workspaceName: 'Nope' }, 'AUTH.ACCOUNT_PENDING_APPROVAL', 403);
    const acc = Object.values(emu.state.db.accounts).find((a) => a.email === emailOf('pending', portal));
    emu.state.db.invitations[`p-${portal}`] = { id: `p-${portal}`, accountId: acc.id, workspaceId: Object.values(emu.state.db.workspaces).find((w) => w.portal === portal).id, invitedBy: 'x@y.z', role: 'MEMBER', status: 'PENDING', expiresAt: '2099-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z' };
    await c.fails('POST', `/profile/invitations/p-${portal}/accept`, {}, 'AUTH.ACCOUNT_PENDING_APPROVAL', 403);
    await c.ok('POST', `/profile/invitations/p-${portal}/decline`, {});
  }
});

test('every JWT endpoint answers 4010 without a token, on every portal', async () => {
  const { PORTAL_ROUTES } = await import('../../emulator/routes.mjs');
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    for (const route of PORTAL_ROUTES.filter((r) => r.jwt)) {
      const rel = route.path.replace(':invitationBizId', 'a1b2c3d4-e5f6-7890-abcd-ef1234567890');
      await c.fails(route.method, rel, route.method === 'POST' ? {} : undefined, '4010', 401);
    }
  }
});
