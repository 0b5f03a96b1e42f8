// Security centre (docs/api.md §6.6): MFA list, OTP setup / verify / revoke, backup codes,
// IP whitelist, auth sessions.

import crypto from 'node:crypto';
import { ApiError, validationError } from '../errors.mjs';
import { enumOf } from '../enums.mjs';
import { base32Decode, base32Encode, verifyTotp } from '../totp.mjs';
import { ipAllowed, parseIpEntry } from '../validate.mjs';
import { normalizeBackupCode, sha256, verifyPassword } from '../state.mjs';
import { NO_CONTENT } from './shared.mjs';

// The product's one name: the shell calls itself the same (web/shell/i18n app.name).
export const OTP_ISSUER = 'Portal';
const OTP_SETUP_TTL_MS = 10 * 60e3;
const MAX_SETUP_FAILURES = 5;
const BACKUP_CODE_COUNT = 10;
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
const MAX_WHITELIST = 50;

export const mfaList = {
  handler(ctx) {
    const a = ctx.account;
    return [
      { mfaMethod: enumOf('mfaMethod', 'EMAIL', ctx.lang), isEnabled: a.mfaEmail },
      { mfaMethod: enumOf('mfaMethod', 'OTP', ctx.lang), isEnabled: a.otp.enabled },
      { mfaMethod: enumOf('mfaMethod', 'BACKUP_CODE', ctx.lang), isEnabled: a.backupCodes.length > 0, remainingCodes: a.backupCodes.length },
    ];
  },
};

export const otpSetup = {
  schema: {},
  handler(ctx) {
    const a = ctx.account;
    if (a.otp.enabled) throw new ApiError('AUTH.OTP_ALREADY_ENABLED');
    const secret = base32Encode(crypto.randomBytes(20));
    ctx.state.db.otpSetups[a.id] = { secret, expiresAtMs: ctx.state.now() + OTP_SETUP_TTL_MS, failures: 0 };
    const qrCodeUri = `otpauth://totp/${OTP_ISSUER}:${a.email}?secret=${secret}&issuer=${OTP_ISSUER}&algorithm=SHA1&digits=6&period=30`;
    return { secret, qrCodeUri, issuer: OTP_ISSUER };
  },
};

export const otpVerify = {
  schema: { code: { type: 'string', required: true, max: 16 } },
  handler(ctx) {
    const a = ctx.account;
    const setups = ctx.state.db.otpSetups;
    const setup = setups[a.id];
    if (!setup || ctx.state.now() >= setup.expiresAtMs) { delete setups[a.id]; throw new ApiError('AUTH.OTP_SETUP_SESSION_INVALID'); }
    const step = verifyTotp(base32Decode(setup.secret), ctx.body.code, ctx.state.now());
    if (step === null) {
      setup.failures += 1;
      if (setup.failures >= MAX_SETUP_FAILURES) delete setups[a.id];
      throw new ApiError('AUTH.MFA_CODE_INVALID');
    }
    a.otp = { enabled: true, secret: setup.secret, lastStep: step };
    delete setups[a.id];
    return NO_CONTENT;
  },
};

export const otpRevoke = {
  schema: { password: { type: 'string', required: true, max: 1024 } },
  handler(ctx) {
    const a = ctx.account;
    if (!a.otp.enabled) throw new ApiError('AUTH.OTP_NOT_ENABLED');
    if (!verifyPassword(ctx.body.password, a.passwordHash)) throw new ApiError('AUTH.PASSWORD_INCORRECT');
    a.otp = { enabled: false, secret: null, lastStep: null };
    return NO_CONTENT;
  },
};

function newBackupCode() {
  const pick = () => BACKUP_ALPHABET[crypto.randomInt(BACKUP_ALPHABET.length)];
  const part = () => Array.from({ length: 4 }, pick).join('');
  return `${part()}-${part()}`;
}

export const backupCodesGenerate = {
  schema: {},
  handler(ctx) {
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
    ctx.account.backupCodes = codes.map((c) => sha256(normalizeBackupCode(c)));
    return { codes };
  },
};

// ---------- IP whitelist ----------

const whitelistView = (a) => ({ enabled: a.ipWhitelist.enabled, entries: [...a.ipWhitelist.entries] });

/**
 * The guard against locking oneself out: an enabled list is non-empty and covers the caller,
 * unless the caller says `allowLockout: true` (the user confirmed losing access from here).
 */
function assertUsableWhitelist(entries, clientIp, field, allowLockout) {
  if (!entries.length) throw validationError([{ field, code: 'IP_WHITELIST_EMPTY' }]);
  if (!allowLockout && !ipAllowed(entries, clientIp)) throw validationError([{ field, code: 'IP_WHITELIST_EXCLUDES_CURRENT' }]);
}
const allowLockoutField = { allowLockout: { type: 'boolean', required: false } };

export const ipWhitelistGet = {
  handler: (ctx) => whitelistView(ctx.account),
};

export const ipWhitelistSet = {
  schema: {
    entries: {
      type: 'array', required: true,
      check(list) {
        if (list.length > MAX_WHITELIST) return 'FIELD_TOO_LONG';
        const seen = new Set();
        const errors = [];
        list.forEach((entry, i) => {
          const field = `entries[${i}]`;
          if (typeof entry !== 'string') errors.push({ field, code: 'FIELD_TYPE' });
          else if (!parseIpEntry(entry)) errors.push({ field, code: 'IP_ENTRY_INVALID' });
          else if (seen.has(entry.toLowerCase())) errors.push({ field, code: 'IP_ENTRY_DUPLICATE' });
          else seen.add(entry.toLowerCase());
        });
        return errors.length ? errors : null;
      },
    },
    ...allowLockoutField,
  },
  handler(ctx) {
    const a = ctx.account;
    if (a.ipWhitelist.enabled) assertUsableWhitelist(ctx.body.entries, ctx.clientIp, 'entries', ctx.body.allowLockout === true);
    a.ipWhitelist.entries = [...ctx.body.entries];
    return whitelistView(a);
  },
};

export const ipWhitelistEnable = {
  schema: { enabled: { type: 'boolean', required: true }, ...allowLockoutField },
  handler(ctx) {
    const a = ctx.account;
    if (ctx.body.enabled) assertUsableWhitelist(a.ipWhitelist.entries, ctx.clientIp, 'enabled', ctx.body.allowLockout === true);
    a.ipWhitelist.enabled = ctx.body.enabled;
    return NO_CONTENT;
  },
};

// ---------- sessions ----------

export const sessionsList = {
  handler(ctx) {
    const current = ctx.authSession.id;
    return ctx.tokens.sessionsOf(ctx.account.id)
      .sort((x, y) => (x.id === current ? -1 : y.id === current ? 1 : y.createdAt.localeCompare(x.createdAt)))
      .map((s) => ({ sessionId: s.id, clientIp: s.clientIp, userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, isCurrent: s.id === current }));
  },
};

export const sessionTerminate = {
  schema: { sessionId: { type: 'string', required: true, max: 128 } },
  handler(ctx) {
    const target = ctx.tokens.sessionsOf(ctx.account.id).find((s) => s.id === ctx.body.sessionId);
    if (!target) throw new ApiError('SECURITY.SESSION_NOT_FOUND');
    // The current session terminated is a logout; another one is ended from here.
    ctx.tokens.revokeSession(target.id, { terminated: target.id !== ctx.authSession.id });
    return NO_CONTENT;
  },
};

export const sessionTerminateAll = {
  schema: {},
  handler(ctx) {
    ctx.tokens.revokeAllOf(ctx.account.id, { except: ctx.authSession.id, terminated: true });
    return NO_CONTENT;
  },
};
