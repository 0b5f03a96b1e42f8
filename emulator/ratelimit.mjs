// Fixed-window rate limits (docs/api.md §7). A route names its limit; the pipeline asks
// `check` before the handler and `record` after it. Windows live in state.db.rateLimits so a
// snapshot keeps them and /__dev/reset clears them.

import { ApiError } from './errors.mjs';
import { normalizeEmail } from './state.mjs';

const MIN = 60;
/** key(ctx) → string; counts(outcome) says whether this attempt uses up the budget. */
export const LIMITS = {
  // tellsRemaining: a counted failure carries data.remainingAttempts (docs/api.md §6.1).
  loginInitiate: { windowSec: 15 * MIN, max: 5, key: (c) => `${c.portal}|${normalizeEmail(c.body.email)}|${c.clientIp}`, counts: (code) => code === 'AUTH.INVALID_CREDENTIALS', tellsRemaining: true },
  mfaSend: { windowSec: 30, max: 1, key: (c) => `${c.portal}|${c.body.loginSessionId}`, counts: (code) => code === '2000' },
  registerSession: { windowSec: 30, max: 1, key: (c) => `${c.portal}|${normalizeEmail(c.body.email)}`, counts: (code) => code === '2000' },
  passwordForgot: { windowSec: 15 * MIN, max: 3, key: (c) => `${c.portal}|${normalizeEmail(c.body.email)}`, counts: (code) => code === '2000' },
  passwordReset: { windowSec: 15 * MIN, max: 10, key: (c) => `${c.portal}|${c.clientIp}`, counts: () => true },
  passwordChange: { windowSec: 15 * MIN, max: 5, key: (c) => `${c.account.id}`, counts: (code) => code === 'AUTH.PASSWORD_INCORRECT' },
};

export class RateLimiter {
  constructor(state) { this.state = state; }

  windowFor(name, ctx) {
    const k = `${name}|${LIMITS[name].key(ctx)}`;
    const w = this.state.db.rateLimits[k];
    if (w && this.state.now() >= w.windowEndMs) { delete this.state.db.rateLimits[k]; return { k, w: null }; }
    return { k, w };
  }

  /** Throws RATE_LIMITED when the budget of this key is used up. */
  check(name, ctx) {
    const { w } = this.windowFor(name, ctx);
    if (w && w.count >= LIMITS[name].max) {
      throw new ApiError('RATE_LIMITED', { retryAfter: Math.max(1, Math.ceil((w.windowEndMs - this.state.now()) / 1000)) });
    }
  }

  /** Counts the attempt whose outcome code is `code`, if the limit counts such outcomes.
   *  Returns the attempts left in the window after this one (null when it did not count). */
  record(name, ctx, code) {
    const limit = LIMITS[name];
    if (!limit.counts(code)) return null;
    const { k, w } = this.windowFor(name, ctx);
    if (w) w.count += 1;
    else this.state.db.rateLimits[k] = { count: 1, windowEndMs: this.state.now() + limit.windowSec * 1000 };
    return Math.max(0, limit.max - (w ? w.count : 1));
  }
}
