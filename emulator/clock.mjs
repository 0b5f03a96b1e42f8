// The emulator's one clock: wall time plus an offset that tests move with POST /__dev/clock, so
// tokens, sessions, TOTP steps and rate-limit windows expire without sleeping.

export class Clock {
  constructor(offsetMs = 0) { this.offsetMs = offsetMs; }
  now() { return Date.now() + this.offsetMs; }
  advance(seconds) { this.offsetMs += Math.round(seconds * 1000); }
}

/** ISO 8601 at second precision, as the seeds write timestamps ("2026-01-15T08:00:00Z"). */
export const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
