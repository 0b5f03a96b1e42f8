// Auth sessions, access tokens (HS256 JWTs) and refresh-token families (docs/api.md §6.2).
// An auth session is created by a login or registration; its refresh tokens form one family:
// each refresh spends the presented token and issues the next; presenting a spent token again
// revokes the session, which also kills its access tokens at once.

import crypto from 'node:crypto';
import { iso } from './clock.mjs';
import { randomId, sha256 } from './state.mjs';

const b64u = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export class TokenService {
  /** @param {import('./state.mjs').State} state  @param {{accessTtlMs: number, refreshTtlMs: number}} ttl */
  constructor(state, ttl) {
    this.state = state;
    this.ttl = ttl;
  }

  get db() { return this.state.db; }

  sign(payload) {
    const head = b64u({ alg: 'HS256', typ: 'JWT' });
    const body = b64u(payload);
    const mac = crypto.createHmac('sha256', this.db.jwtSecret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${mac}`;
  }

  /** Verifies a bearer token for `portal`; returns {account, session} or null. */
  verifyAccess(token, portal) {
    if (typeof token !== 'string') return null;
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const mac = crypto.createHmac('sha256', this.db.jwtSecret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== mac.length || !crypto.timingSafeEqual(given, mac)) return null;
    let claims;
    try { claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')); } catch { return null; }
    const now = this.state.now();
    if (claims.portal !== portal || !(claims.expMs > now) || claims.iatMs < this.db.accessTokensValidAfter) return null;
    const session = this.db.authSessions[claims.sid];
    const account = this.db.accounts[claims.sub];
    if (!session || session.revoked || !account) return null;
    return { account, session };
  }

  /** Starts an auth session for `account` and returns the tokens object. */
  startSession(account, { clientHash, clientIp, userAgent }) {
    const now = this.state.now();
    const session = { id: randomId('SESS_'), accountId: account.id, portal: account.portal, clientHash, clientIp,
      userAgent: userAgent ?? '', createdAt: iso(now), lastSeenAt: iso(now), revoked: false };
    this.db.authSessions[session.id] = session;
    return this.issue(account, session);
  }

  issue(account, session) {
    const now = this.state.now();
    const accessToken = this.sign({ iss: 'portal-emulator', sub: account.id, portal: account.portal, sid: session.id,
      iat: Math.floor(now / 1000), exp: Math.floor((now + this.ttl.accessTtlMs) / 1000), iatMs: now,
      expMs: now + this.ttl.accessTtlMs, jti: crypto.randomBytes(9).toString('base64url') });
    const refreshToken = randomId('rt_', 32);
    this.db.refreshTokens[sha256(refreshToken)] = { sessionId: session.id, expiresAtMs: now + this.ttl.refreshTtlMs, spent: false };
    return {
      accessToken, refreshToken, tokenType: 'Bearer',
      expiresIn: Math.round(this.ttl.accessTtlMs / 1000), refreshExpiresIn: Math.round(this.ttl.refreshTtlMs / 1000),
      mfaSetupRequired: !(account.mfaEmail || account.otp.enabled),
    };
  }

  /** Rotates a refresh token. Returns {account, session, tokens} or {error}. On reuse the family dies. */
  refresh(refreshToken, { portal, clientHash }) {
    const record = typeof refreshToken === 'string' ? this.db.refreshTokens[sha256(refreshToken)] : undefined;
    if (!record) return { error: 'AUTH.REFRESH_TOKEN_INVALID' };
    const session = this.db.authSessions[record.sessionId];
    const account = session && this.db.accounts[session.accountId];
    if (session?.revoked && session.terminated && !record.spent && session.portal === portal
        && session.clientHash === clientHash && this.state.now() < record.expiresAtMs) {
      // The live token of a session ended on purpose elsewhere: its holder learns why.
      return { error: 'AUTH.REFRESH_TOKEN_INVALID', data: { reason: 'SESSION_TERMINATED' } };
    }
    if (!session || session.revoked || !account || session.portal !== portal) return { error: 'AUTH.REFRESH_TOKEN_INVALID' };
    if (record.spent) { this.revokeSession(session.id); return { error: 'AUTH.REFRESH_TOKEN_INVALID' }; }
    if (this.state.now() >= record.expiresAtMs || session.clientHash !== clientHash) return { error: 'AUTH.REFRESH_TOKEN_INVALID' };
    return { account, session, rotate: () => { record.spent = true; return this.issue(account, session); } };
  }

  /** Ends a session. `terminated`: ended from elsewhere (sessions/terminate, terminate-all, a
   *  password change or reset); its refresh tokens are kept, refused with reason SESSION_TERMINATED. */
  revokeSession(sessionId, { terminated = false } = {}) {
    const session = this.db.authSessions[sessionId];
    if (!session) return;
    session.revoked = true;
    session.terminated = terminated;
    if (terminated) return;
    for (const [hash, r] of Object.entries(this.db.refreshTokens)) if (r.sessionId === sessionId) delete this.db.refreshTokens[hash];
  }

  sessionsOf(accountId) {
    return Object.values(this.db.authSessions).filter((s) => s.accountId === accountId && !s.revoked);
  }

  revokeAllOf(accountId, { except, terminated = false } = {}) {
    for (const s of this.sessionsOf(accountId)) if (s.id !== except) this.revokeSession(s.id, { terminated });
  }

  touch(session, clientIp) {
    session.lastSeenAt = iso(this.state.now());
    session.clientIp = clientIp;
  }
}
