// In-memory store of the emulator: accounts, workspaces, invitations, auth sessions, refresh
// tokens, pre-login sessions, OTP setups, the dev mailbox and rate-limit windows, all in one
// plain JSON-able object (`db`) so --export / --import snapshots are a JSON.stringify away.
// The seeded accounts (docs/api.md §10.2) are built here.

import crypto from 'node:crypto';
import { iso } from './clock.mjs';

export const PORTALS = ['system', 'tenant', 'consumer'];
export const SEED_PASSWORD = 'Correct-Horse-9';
export const SEED_OTP_SECRET = 'JBSWY3DPEHPK3PXP';
export const SEED_BACKUP_CODES = ['abcd-0001', 'abcd-0002', 'abcd-0003', 'abcd-0004', 'abcd-0005'];
export const PORTAL_DOMAIN = { system: 'example.com', tenant: 'tenant.example.com', consumer: 'consumer.example.com' };
const PORTAL_TAG = { system: 'SYS', tenant: 'TEN', consumer: 'CON' };
const PORTAL_NAME = { system: 'System', tenant: 'Tenant', consumer: 'Consumer' };

export const randomId = (prefix, bytes = 12) => `${prefix}${crypto.randomBytes(bytes).toString('base64url')}`;
export const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');
export const normalizeEmail = (email) => email.trim().toLowerCase();
export const normalizeBackupCode = (code) => code.replace(/[\s-]/g, '').toLowerCase();

// scrypt with a small cost: an emulator, and the test suite signs in hundreds of times.
const SCRYPT = { N: 1024, r: 8, p: 1 };
export function hashPassword(password, salt = crypto.randomBytes(16)) {
  const hash = crypto.scryptSync(password, salt, 32, SCRYPT);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}
export function verifyPassword(password, stored) {
  const [, salt, hash] = stored.split('$');
  const actual = crypto.scryptSync(password, Buffer.from(salt, 'base64url'), 32, SCRYPT);
  return crypto.timingSafeEqual(actual, Buffer.from(hash, 'base64url'));
}

let seedPasswordHash = null; // computed once per process: every seeded account shares it

/** Builds the seeded database at time `now` (ms). */
export function seedDb(now) {
  seedPasswordHash ??= hashPassword(SEED_PASSWORD);
  const db = emptyDb();
  const day = 86400e3;
  for (const portal of PORTALS) {
    const tag = PORTAL_TAG[portal];
    const domain = PORTAL_DOMAIN[portal];
    const ws = (id, name) => { db.workspaces[id] = { id, portal, name }; return id; };
    const hq = ws(`WS_${tag}_HQ_001`, `${PORTAL_NAME[portal]} HQ`);
    const acme = ws(portal === 'system' ? 'WS_ACME_001' : `WS_${tag}_ACME_001`, 'Acme Corp');
    const labs = ws(`WS_${tag}_LABS_001`, 'Labs');
    const ops = ws(`WS_${tag}_OPS_001`, 'Operations');
    const north = ws(`WS_${tag}_NORTH_001`, 'North Region');
    const south = ws(`WS_${tag}_SOUTH_001`, 'South Region');

    const account = (n, local, fields) => {
      const id = `ACC_${tag}_${String(n).padStart(3, '0')}`;
      db.accounts[id] = {
        id, portal, institutionBizId: `INST_${tag}_001`, email: `${local}@${domain}`,
        phone: '+1234567890', name: fields.name, remark: null, status: fields.status ?? 'ACTIVE',
        createdAt: '2026-01-15T08:00:00Z', updatedAt: '2026-03-20T14:30:00Z',
        language: 'en', timezone: 'America/New_York', country: 'US',
        passwordHash: seedPasswordHash,
        mfaEmail: fields.mfaEmail ?? true,
        otp: fields.otp ?? { enabled: false, secret: null, lastStep: null },
        backupCodes: fields.backupCodes ?? [],
        ipWhitelist: { enabled: false, entries: [] },
        defaultWorkspaceId: fields.defaultWorkspaceId ?? null,
      };
      return id;
    };
    const member = (accountId, workspaceId, role) => db.memberships.push({ accountId, workspaceId, role });
    let invitationNo = 0;
    const invite = (accountId, workspaceId, status, expiresAt, id) => {
      invitationNo += 1;
      const invitationBizId = id ?? `00000000-0000-4000-8${PORTALS.indexOf(portal)}00-${String(invitationNo).padStart(12, '0')}`;
      db.invitations[invitationBizId] = { id: invitationBizId, accountId, workspaceId, invitedBy: `admin@${domain}`,
        role: 'MEMBER', status, expiresAt: iso(expiresAt), createdAt: iso(now - invitationNo * 3600e3) };
    };

    const admin = account(1, 'admin', { name: `${PORTAL_NAME[portal]} Admin`, defaultWorkspaceId: hq });
    member(admin, hq, 'OWNER');
    [acme, labs, ops, north, south].forEach((w) => member(admin, w, 'OWNER'));

    const invited = account(2, 'invited', { name: 'Invited User', status: 'INVITED' });
    invite(invited, acme, 'PENDING', now + 7 * day);

    const mfaRequired = account(3, 'mfa-required', { name: 'MFA Required', mfaEmail: false, defaultWorkspaceId: hq });
    member(mfaRequired, hq, 'MEMBER');

    account(4, 'noworkspace', { name: 'No Workspace' });

    const inv = account(5, 'invitations', { name: 'Invitation Holder', defaultWorkspaceId: hq });
    member(inv, hq, 'MEMBER');
    member(inv, ops, 'MEMBER');
    invite(inv, acme, 'PENDING', now + 7 * day, portal === 'system' ? 'a1b2c3d4-e5f6-7890-abcd-ef1234567890' : undefined);
    invite(inv, labs, 'PENDING', now - day);
    invite(inv, ops, 'ACCEPTED', now + 3 * day);

    account(6, 'pending', { name: 'Pending Approval', status: 'PENDING_APPROVAL' });

    const otp = account(7, 'otp', { name: 'OTP User', defaultWorkspaceId: hq,
      otp: { enabled: true, secret: SEED_OTP_SECRET, lastStep: null },
      backupCodes: SEED_BACKUP_CODES.map((c) => sha256(normalizeBackupCode(c))) });
    member(otp, hq, 'MEMBER');

    const multi = account(8, 'multi', { name: 'Multi Workspace' });
    member(multi, north, 'ADMIN');
    member(multi, south, 'MEMBER');
  }
  // The seed's profile (004) for the SYSTEM admin.
  Object.assign(db.accounts.ACC_SYS_001, { name: 'System Admin', email: 'admin@example.com' });
  return db;
}

export function emptyDb() {
  return {
    accounts: {}, workspaces: {}, memberships: [], invitations: {},
    authSessions: {}, refreshTokens: {},
    loginSessions: {}, registrationSessions: {}, resetSessions: {}, otpSetups: {},
    mailbox: [], rateLimits: {},
    accessTokensValidAfter: 0,
    jwtSecret: crypto.randomBytes(32).toString('base64url'),
    clockOffsetMs: 0,
  };
}

/** The store. `clock` is shared with the rest of the emulator. */
export class State {
  constructor(clock) {
    this.clock = clock;
    this.reset();
  }

  now() { return this.clock.now(); }

  reset() {
    this.db = seedDb(this.now());
    this.db.clockOffsetMs = this.clock.offsetMs;
  }

  snapshot() {
    this.db.clockOffsetMs = this.clock.offsetMs;
    return { format: 'portal-emulator-snapshot/v1', ...structuredClone(this.db) };
  }

  load(snapshot) {
    if (snapshot?.format !== 'portal-emulator-snapshot/v1') throw new Error('not a portal-emulator snapshot (format portal-emulator-snapshot/v1)');
    const { format, ...db } = snapshot;
    this.db = { ...emptyDb(), ...db };
    this.clock.offsetMs = db.clockOffsetMs ?? 0;
  }

  findAccount(portal, email) {
    const e = normalizeEmail(email);
    return Object.values(this.db.accounts).find((a) => a.portal === portal && a.email === e) ?? null;
  }

  membershipsOf(accountId) {
    return this.db.memberships.filter((m) => m.accountId === accountId);
  }

  /** Records a code in the dev mailbox ("sends" the email) and returns it. */
  sendMail(portal, email, kind) {
    const code = String(crypto.randomInt(0, 1e6)).padStart(6, '0');
    this.db.mailbox.unshift({ portal, email: normalizeEmail(email), kind, code, sentAt: iso(this.now()) });
    this.db.mailbox.length = Math.min(this.db.mailbox.length, 500);
    return code;
  }

  /** Pre-login session tables: 'loginSessions' | 'registrationSessions' | 'resetSessions'. */
  createPreLoginSession(table, prefix, ttlMs, fields) {
    const id = randomId(prefix);
    this.db[table][id] = { id, expiresAtMs: this.now() + ttlMs, failures: 0, ...fields };
    return this.db[table][id];
  }

  /** The live session bound to portal + client hash, or null (expired ones are dropped). */
  preLoginSession(table, id, portal, clientHash) {
    const s = typeof id === 'string' && Object.hasOwn(this.db[table], id) ? this.db[table][id] : undefined;
    if (!s) return null;
    if (this.now() >= s.expiresAtMs) { delete this.db[table][id]; return null; }
    return s.portal === portal && s.clientHash === clientHash ? s : null;
  }
}
