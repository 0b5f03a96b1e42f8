// Dev-only endpoints under /__dev/ (docs/api.md §10.1). Never part of the real API; off with
// --no-dev-mailbox. They take no portal headers and answer plain envelopes.

import fs from 'node:fs';
import { iso } from './clock.mjs';
import { normalizeEmail } from './state.mjs';

export const FAULT_KINDS = ['http500', 'malformed', 'oversized', 'truncated', 'drop', 'plaintext-success', 'delay'];

// The static-file log keeps the latest requests only (a long `scripts/run` session stays small).
const STATIC_LOG_MAX = 2000;

/** Request counters, so tests can prove e.g. "exactly one refresh". */
export class Stats {
  constructor() { this.reset(); }
  reset() { this.refreshCalls = 0; this.requests = {}; this.codes = {}; this.staticLog = []; }
  /** One static file served: what the browser asked (its validator) and what it got. */
  staticRequest(entry) {
    this.staticLog.push(entry);
    if (this.staticLog.length > STATIC_LOG_MAX) this.staticLog.splice(0, this.staticLog.length - STATIC_LOG_MAX);
  }
  request(method, path) {
    const k = `${method} ${path}`;
    this.requests[k] = (this.requests[k] ?? 0) + 1;
    if (method === 'POST' && /^\/web\/v1\/[a-z]+\/auth\/token\/refresh$/.test(path)) this.refreshCalls += 1;
  }
  code(code) { this.codes[code] = (this.codes[code] ?? 0) + 1; }
  view() { return { refreshCalls: this.refreshCalls, requests: { ...this.requests }, codes: { ...this.codes } }; }
}

/** Armed faults by exact URL path. */
export class Faults {
  constructor() { this.byPath = new Map(); }
  clear() { this.byPath.clear(); }
  arm({ path, kind, times = 1, delayMs = 2000 }) { this.byPath.set(path, { kind, times, delayMs }); }
  take(path) {
    const f = this.byPath.get(path);
    if (!f) return null;
    if (--f.times <= 0) this.byPath.delete(path);
    return f;
  }
}

const ok = (data) => ({ status: 200, body: { success: true, code: '2000', message: 'SUCCESS', data } });
const bad = (field, code = 'FIELD_INVALID') => ({ status: 400, body: { success: false, code: '4000', message: 'Validation failed', data: null, fieldErrors: [{ field, code, message: code }] } });

/**
 * Handles one dev request. `emu` = {state, channel, clock, stats, faults, config, snapshot()}.
 * Returns {status, body} (body = object), or null for an unknown dev path.
 */
export function handleDev(emu, method, path, query, body) {
  const { state, channel, clock, stats, faults } = emu;
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /__dev/mailbox': {
      const email = query.get('email');
      if (!email) return bad('email', 'FIELD_REQUIRED');
      const portal = query.get('portal');
      const messages = state.db.mailbox.filter((m) => m.email === normalizeEmail(email) && (!portal || m.portal === portal));
      const latest = {};
      for (const m of messages) latest[m.kind] ??= m.code;
      return ok({ email: normalizeEmail(email), messages, latest });
    }
    case 'GET /__dev/stats': return ok(stats.view());
    case 'POST /__dev/stats/reset': stats.reset(); return ok(stats.view());
    case 'GET /__dev/static-log': return ok(stats.staticLog.map((e) => ({ ...e })));
    case 'POST /__dev/expire-access-tokens':
      state.db.accessTokensValidAfter = state.now() + 1;
      return ok(null);
    case 'POST /__dev/secure-channel/expire-sessions':
      channel.expireAllSessions();
      return ok(null);
    case 'POST /__dev/secure-channel/rotate-key': return ok(channel.rotateKey());
    case 'POST /__dev/secure-channel/end-grace': channel.endGrace(); return ok(null);
    case 'POST /__dev/faults': {
      if (!body || typeof body.path !== 'string' || !body.path.startsWith('/')) return bad('path');
      if (!FAULT_KINDS.includes(body.kind)) return bad('kind');
      if (body.times !== undefined && !(Number.isInteger(body.times) && body.times >= 1)) return bad('times');
      if (body.delayMs !== undefined && !(Number.isInteger(body.delayMs) && body.delayMs >= 0 && body.delayMs <= 60000)) return bad('delayMs');
      faults.arm(body);
      return ok(null);
    }
    case 'DELETE /__dev/faults': faults.clear(); return ok(null);
    case 'GET /__dev/clock': return ok({ now: iso(clock.now()), offsetSeconds: clock.offsetMs / 1000 });
    case 'POST /__dev/clock': {
      if (!body || typeof body.advanceSeconds !== 'number' || !Number.isFinite(body.advanceSeconds)) return bad('advanceSeconds', 'FIELD_REQUIRED');
      clock.advance(body.advanceSeconds);
      return ok({ now: iso(clock.now()), offsetSeconds: clock.offsetMs / 1000 });
    }
    case 'POST /__dev/reset':
      clock.offsetMs = 0;
      state.reset();
      stats.reset();
      faults.clear();
      return ok(null);
    case 'GET /__dev/snapshot': return ok(state.snapshot());
    case 'POST /__dev/export': {
      const file = emu.config.exportFile;
      if (!file) return bad('exportFile', 'FIELD_REQUIRED');
      fs.writeFileSync(file, JSON.stringify(state.snapshot(), null, 2));
      return ok({ file });
    }
    default: return null;
  }
}
