// Auth endpoints (docs/api.md §6.1–6.4): login, tokens, registration, password lifecycle.
// Each export is {schema, handler}; routes.mjs adds path, method and metadata.
// A handler gets the request context (see server.mjs `handleApi`) and returns the `data` of
// the success envelope, or NO_CONTENT for the {"status":204,"body":null} shape.

import crypto from 'node:crypto';
import { iso } from '../clock.mjs';
import { ApiError, fieldError } from '../errors.mjs';
import { enumOf } from '../enums.mjs';
import { base32Decode, verifyTotp } from '../totp.mjs';
import { assertPassword, checkEmail, checkNotBlank, ipAllowed } from '../validate.mjs';
import { NO_CONTENT } from './shared.mjs';
import { hashPassword, normalizeBackupCode, normalizeEmail, randomId, sha256, verifyPassword } from '../state.mjs';

const MAX_CODE_FAILURES = 5;
const RESEND_AFTER_SEC = 30;
const PORTAL_TAG = { system: 'SYS', tenant: 'TEN', consumer: 'CON' };
const DUMMY_HASH = hashPassword('timing-equalizer-Password-1');

const email = { type: 'string', required: true, max: 254, check: checkEmail };
const str = (max = 256) => ({ type: 'string', required: true, max });
const password = str(1024); // the policy's own PASSWORD_TOO_LONG speaks before FIELD_TOO_LONG
const mfaMethod = { type: 'string', required: true, check: (v) => (['EMAIL', 'OTP', 'BACKUP_CODE'].includes(v) ? null : 'FIELD_INVALID') };

const sameCode = (expected, given) => typeof expected === 'string' && expected.length === given.length &&
  crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given));

export function assertIpAllowed(account, clientIp) {
  if (account.ipWhitelist.enabled && !ipAllowed(account.ipWhitelist.entries, clientIp)) throw new ApiError('AUTH.IP_NOT_ALLOWED');
}

/** The MFA methods the account offers at login, in the documented order. */
export function loginMethods(account) {
  const out = [];
  if (account.mfaEmail) out.push('EMAIL');
  if (account.otp.enabled) out.push('OTP');
  if (account.backupCodes.length) out.push('BACKUP_CODE');
  return out;
}

export function maskEmail(address) {
  const [local, domain] = address.split('@');
  return `${local[0]}***@${domain}`;
}

/** A wrong code: counts a failure and ends the session at the limit. */
function failCode(ctx, table, session, code) {
  session.failures += 1;
  if (session.failures >= MAX_CODE_FAILURES) delete ctx.state.db[table][session.id];
  throw new ApiError(code);
}

function preLogin(ctx, table, id, invalidCode) {
  const s = ctx.state.preLoginSession(table, id, ctx.portal, ctx.clientHash);
  if (!s) throw new ApiError(invalidCode);
  return s;
}

const sessionMeta = (ctx) => ({ clientHash: ctx.clientHash, clientIp: ctx.clientIp, userAgent: ctx.userAgent });

// ---------- login ----------

export const loginInitiate = {
  schema: { email, password },
  handler(ctx) {
    const account = ctx.state.findAccount(ctx.portal, ctx.body.email);
    const ok = verifyPassword(ctx.body.password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw new ApiError('AUTH.INVALID_CREDENTIALS');
    assertIpAllowed(account, ctx.clientIp);
    const methods = loginMethods(account);
    if (!methods.length) return { mfaRequired: false, ...ctx.tokens.startSession(account, sessionMeta(ctx)) };
    const s = ctx.state.createPreLoginSession('loginSessions', 'LS_', ctx.config.loginSessionTtlMs,
      { portal: ctx.portal, clientHash: ctx.clientHash, accountId: account.id, emailCode: null });
    return { mfaRequired: true, loginSessionId: s.id, expiresAt: iso(s.expiresAtMs), mfaMethods: methods.map((m) => enumOf('mfaMethod', m, ctx.lang)) };
  },
};

export const loginMfaSend = {
  schema: { loginSessionId: str(), mfaMethod },
  handler(ctx) {
    const s = preLogin(ctx, 'loginSessions', ctx.body.loginSessionId, 'AUTH.LOGIN_SESSION_INVALID');
    if (ctx.body.mfaMethod !== 'EMAIL') throw fieldError('mfaMethod', 'FIELD_INVALID');
    const account = ctx.state.db.accounts[s.accountId];
    if (!account.mfaEmail) throw fieldError('mfaMethod', 'MFA_METHOD_NOT_AVAILABLE');
    s.emailCode = ctx.state.sendMail(ctx.portal, account.email, 'LOGIN_MFA');
    return { sentTo: maskEmail(account.email), resendAfter: RESEND_AFTER_SEC };
  },
};

export const loginComplete = {
  schema: { loginSessionId: str(), mfaMethod, code: str(64) },
  handler(ctx) {
    const s = preLogin(ctx, 'loginSessions', ctx.body.loginSessionId, 'AUTH.LOGIN_SESSION_INVALID');
    const account = ctx.state.db.accounts[s.accountId];
    const { mfaMethod: method, code } = ctx.body;
    if (!loginMethods(account).includes(method)) throw fieldError('mfaMethod', 'MFA_METHOD_NOT_AVAILABLE');
    if (!checkMfaCode(ctx, account, method, code, s)) failCode(ctx, 'loginSessions', s, 'AUTH.MFA_CODE_INVALID');
    delete ctx.state.db.loginSessions[s.id];
    return ctx.tokens.startSession(account, sessionMeta(ctx));
  },
};

function checkMfaCode(ctx, account, method, code, loginSession) {
  if (method === 'EMAIL') return sameCode(loginSession.emailCode, code);
  if (method === 'OTP') {
    const step = verifyTotp(base32Decode(account.otp.secret), code, ctx.state.now());
    if (step === null || (account.otp.lastStep !== null && step <= account.otp.lastStep)) return false;
    account.otp.lastStep = step;
    return true;
  }
  const index = account.backupCodes.indexOf(sha256(normalizeBackupCode(code)));
  if (index < 0) return false;
  account.backupCodes.splice(index, 1);
  return true;
}

// ---------- tokens ----------

export const tokenRefresh = {
  schema: { refreshToken: str(512) },
  handler(ctx) {
    const r = ctx.tokens.refresh(ctx.body.refreshToken, { portal: ctx.portal, clientHash: ctx.clientHash });
    if (r.error) throw new ApiError(r.error, { data: r.data });
    assertIpAllowed(r.account, ctx.clientIp);
    ctx.tokens.touch(r.session, ctx.clientIp);
    return r.rotate();
  },
};

export const logout = {
  schema: {},
  handler(ctx) {
    ctx.tokens.revokeSession(ctx.authSession.id);
    return NO_CONTENT;
  },
};

// ---------- registration ----------

export const registerSession = {
  schema: { email },
  handler(ctx) {
    const address = normalizeEmail(ctx.body.email);
    const s = ctx.state.createPreLoginSession('registrationSessions', 'RS_', ctx.config.loginSessionTtlMs,
      { portal: ctx.portal, clientHash: ctx.clientHash, email: address, verified: false,
        code: ctx.state.sendMail(ctx.portal, address, 'REGISTRATION') });
    return { registrationSessionId: s.id, expiresAt: iso(s.expiresAtMs) };
  },
};

export const registerVerifyEmail = {
  schema: { registrationSessionId: str(), code: str(64) },
  handler(ctx) {
    const s = preLogin(ctx, 'registrationSessions', ctx.body.registrationSessionId, 'AUTH.REGISTRATION_SESSION_INVALID');
    if (!sameCode(s.code, ctx.body.code)) failCode(ctx, 'registrationSessions', s, 'AUTH.VERIFICATION_CODE_INVALID');
    s.verified = true;
    return NO_CONTENT;
  },
};

export const registerComplete = {
  schema: { registrationSessionId: str(), accountName: { ...str(64), check: checkNotBlank }, password },
  handler(ctx) {
    const s = preLogin(ctx, 'registrationSessions', ctx.body.registrationSessionId, 'AUTH.REGISTRATION_SESSION_INVALID');
    if (!s.verified) throw new ApiError('AUTH.EMAIL_NOT_VERIFIED');
    if (ctx.state.findAccount(ctx.portal, s.email)) throw new ApiError('AUTH.EMAIL_ALREADY_REGISTERED');
    assertPassword('password', ctx.body.password, { email: s.email });
    const now = iso(ctx.state.now());
    const tag = PORTAL_TAG[ctx.portal];
    const account = {
      id: randomId(`ACC_${tag}_`, 9), portal: ctx.portal, institutionBizId: randomId(`INST_${tag}_`, 9), email: s.email,
      phone: null, name: ctx.body.accountName.trim(), remark: null,
      status: ctx.portal === 'consumer' ? 'ACTIVE' : 'PENDING_APPROVAL',
      createdAt: now, updatedAt: now, language: ctx.lang, timezone: 'UTC', country: null,
      passwordHash: hashPassword(ctx.body.password), mfaEmail: true,
      otp: { enabled: false, secret: null, lastStep: null }, backupCodes: [],
      ipWhitelist: { enabled: false, entries: [] }, defaultWorkspaceId: null,
    };
    ctx.state.db.accounts[account.id] = account;
    delete ctx.state.db.registrationSessions[s.id];
    return ctx.tokens.startSession(account, sessionMeta(ctx));
  },
};

// ---------- password ----------

export const passwordForgot = {
  schema: { email },
  handler(ctx) {
    const account = ctx.state.findAccount(ctx.portal, ctx.body.email);
    const s = ctx.state.createPreLoginSession('resetSessions', 'PR_', ctx.config.loginSessionTtlMs,
      { portal: ctx.portal, clientHash: ctx.clientHash, accountId: account?.id ?? null,
        code: account ? ctx.state.sendMail(ctx.portal, account.email, 'PASSWORD_RESET') : null });
    return { resetSessionId: s.id, expiresAt: iso(s.expiresAtMs) };
  },
};

export const passwordReset = {
  schema: { resetSessionId: str(), code: str(64), newPassword: password },
  handler(ctx) {
    const s = preLogin(ctx, 'resetSessions', ctx.body.resetSessionId, 'AUTH.RESET_SESSION_INVALID');
    if (!sameCode(s.code, ctx.body.code)) failCode(ctx, 'resetSessions', s, 'AUTH.VERIFICATION_CODE_INVALID');
    const account = ctx.state.db.accounts[s.accountId];
    assertPassword('newPassword', ctx.body.newPassword, { email: account.email });
    setPassword(ctx, account, ctx.body.newPassword);
    if (account.status === 'INVITED') account.status = 'ACTIVE';
    ctx.tokens.revokeAllOf(account.id, { terminated: true });
    delete ctx.state.db.resetSessions[s.id];
    return NO_CONTENT;
  },
};

export const passwordInit = {
  schema: { newPassword: password },
  handler(ctx) {
    if (ctx.account.status !== 'INVITED') throw new ApiError('AUTH.PASSWORD_ALREADY_INITIALIZED');
    assertPassword('newPassword', ctx.body.newPassword, { email: ctx.account.email });
    setPassword(ctx, ctx.account, ctx.body.newPassword);
    ctx.account.status = 'ACTIVE';
    return NO_CONTENT;
  },
};

export const passwordChange = {
  schema: { currentPassword: password, newPassword: password },
  handler(ctx) {
    const { account } = ctx;
    if (!verifyPassword(ctx.body.currentPassword, account.passwordHash)) throw new ApiError('AUTH.PASSWORD_INCORRECT');
    assertPassword('newPassword', ctx.body.newPassword, { email: account.email, current: ctx.body.currentPassword });
    setPassword(ctx, account, ctx.body.newPassword);
    ctx.tokens.revokeAllOf(account.id, { except: ctx.authSession.id, terminated: true });
    return NO_CONTENT;
  },
};

function setPassword(ctx, account, newPassword) {
  account.passwordHash = hashPassword(newPassword);
  account.updatedAt = iso(ctx.state.now());
}
