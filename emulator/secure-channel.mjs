// Server side of secure channel v1 (docs/secure-channel.md), on node:crypto only.
//
// The primitives (strict base64url, X25519, HKDF, HPKE, session keys, AAD, AEAD) live in
// web/conformance/channel-crypto.mjs, shared with the conformance kit, and are re-exported
// here. This file adds the replay window and SecureChannelServer: key ring (rotation with a
// grace period), session store, replay window. Time and randomness are injected (`now()`,
// `randomBytes(n, purpose)`) so the golden transcript can be reproduced byte for byte.
//
// Every failure is reported as a value `{error: 'SECURE_CHANNEL.…'}` (or `{error: '4000'}` for a
// malformed session-open body); nothing here throws on peer input.

import crypto from 'node:crypto';
import { iso } from './clock.mjs';
import {
  SUITE, aeadOpen, b64uDecode, b64uEncode, channelInfo, confirmTag, contextOpen, deriveSessionKeys,
  requestAad, sealResponse, setupBaseR, utf8, x25519, x25519PrivateKey, x25519PublicKeyOf, xorNonce,
} from '../web/conformance/channel-crypto.mjs';

export * from '../web/conformance/channel-crypto.mjs';

// ---------- test-only breaks ----------

/** Deliberate violations of the spec, for the conformance kit's own tests only (they prove the
 *  kit catches each one): option `breaks` / flag `--break=NAME[,NAME]`. Never for anything else. */
export const BREAKS = Object.freeze({
  replay: 'no replay check: a seq may be used again',
  window: 'the replay window has no lower edge: an unused seq older than max - 64 opens',
  aad: 'request bodies are read without the tag verdict (final() ignored): any AAD, any tag',
  base64: 'request data is decoded leniently (padding, "+" "/", stray trailing bits)',
  'client-hash': 'a session accepts any X-Client-Hash',
  'status-aad': 'responses are sealed with status 200 in the AAD whatever the HTTP status',
  'nonce-reuse': 'all responses of a session share one nonce',
  downgrade: 'plaintext bodies are accepted on encrypted endpoints',
  close: 'session/close answers but keeps the session',
});

/** The `aad` break: what a server does when it reads update()'s output and ignores final(). */
function openIgnoringTag(key, nonce, aad, sealed) {
  if (sealed.length < 16) return null;
  const d = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: sealed.length - 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  const pt = d.update(sealed.subarray(0, sealed.length - 16));
  try { d.final(); } catch { /* the bug */ }
  return pt;
}

// 64-entry sliding window (RFC 9147 §4.5.1). `max` = highest seq opened, bit i = max - i seen.
const WINDOW = 64n;
export function replayCheck(win, seq) {
  const s = BigInt(seq);
  if (win.max === 0n || s > win.max) return true;
  const offset = win.max - s;
  if (offset >= WINDOW) return false;
  return ((win.bits >> offset) & 1n) === 0n;
}
export function replayMark(win, seq) {
  const s = BigInt(seq);
  if (s > win.max) {
    const shift = s - win.max;
    win.bits = shift >= WINDOW ? 1n : ((win.bits << shift) | 1n) & ((1n << WINDOW) - 1n);
    win.max = s;
  } else {
    win.bits |= 1n << (win.max - s);
  }
}

const MAX_SEQ = 2 ** 53 - 1;
const isSeq = (v) => Number.isSafeInteger(v) && v >= 1 && v <= MAX_SEQ;
const WINDOW_EDGE = 64n;

/**
 * Key ring + session store. Options:
 *   now(): epoch ms;  randomBytes(n, purpose): Buffer, purpose ∈ 'staticKey' | 'sessionId' |
 *   'fsKey' | 'nonce';  sessionTtlMs;  keyGraceMs;  keyIdPrefix (default 'sc-emu-<6 random hex>-': a restarted emulator never reuses a key id);
 *   breaks: a Set of BREAKS names (test only).
 */
export class SecureChannelServer {
  constructor({ now = Date.now, randomBytes = (n) => crypto.randomBytes(n), sessionTtlMs = 1800e3, keyGraceMs = 300e3, keyIdPrefix = `sc-emu-${crypto.randomBytes(3).toString('hex')}-`, keyLifetimeMs = 30 * 86400e3, breaks = new Set() } = {}) {
    Object.assign(this, { now, randomBytes, sessionTtlMs, keyGraceMs, keyIdPrefix, keyLifetimeMs, breaks });
    this.keys = new Map(); // keyId → {keyId, privateKey, pk, createdAt, expiresAt, graceEndsAt}
    this.sessions = new Map();
    this.keyCounter = 0;
    this.currentKeyId = null;
  }

  /** Installs a key (fixed sk for the transcript, else random) and makes it current. */
  addKey({ keyId, sk, expiresAt } = {}) {
    const id = keyId ?? `${this.keyIdPrefix}${++this.keyCounter}`;
    const secret = sk ? Buffer.from(sk) : this.randomBytes(32, 'staticKey');
    const createdAt = this.now();
    const privateKey = x25519PrivateKey(secret);
    this.keys.set(id, { keyId: id, privateKey, pk: x25519PublicKeyOf(privateKey), createdAt,
      expiresAt: expiresAt ?? iso(createdAt + this.keyLifetimeMs),
      graceEndsAt: null });
    this.currentKeyId = id;
    return id;
  }

  rotateKey() {
    const retired = this.keys.get(this.currentKeyId);
    const keyId = this.addKey();
    let graceEndsAt = null;
    if (retired) {
      retired.graceEndsAt = this.now() + this.keyGraceMs;
      graceEndsAt = iso(retired.graceEndsAt);
    }
    return { keyId, retiredKeyId: retired?.keyId ?? null, graceEndsAt };
  }

  endGrace() {
    for (const [id, k] of this.keys) if (id !== this.currentKeyId) this.keys.delete(id);
  }

  publicKeyData() {
    if (!this.currentKeyId) this.addKey();
    const k = this.keys.get(this.currentKeyId);
    return { keyId: k.keyId, kemId: SUITE.kemId, kdfId: SUITE.kdfId, aeadId: SUITE.aeadId, publicKey: b64uEncode(k.pk), expiresAt: k.expiresAt };
  }

  usableKey(keyId) {
    const k = this.keys.get(keyId);
    if (!k) return null;
    if (k.graceEndsAt !== null && this.now() >= k.graceEndsAt) { this.keys.delete(keyId); return null; }
    return k;
  }

  /** POST /web/v1/secure-channel/session. `body` is the parsed JSON request body. */
  openSession({ portal, clientHash, body }) {
    const fields = ['keyId', 'enc', 'payload'];
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: '4000', fieldErrors: [{ field: '$', code: 'BODY_NOT_OBJECT' }] };
    const fieldErrors = [];
    for (const f of Object.keys(body)) if (!fields.includes(f)) fieldErrors.push({ field: f, code: 'FIELD_UNKNOWN' });
    for (const f of fields) {
      if (body[f] === undefined) fieldErrors.push({ field: f, code: 'FIELD_REQUIRED' });
      else if (typeof body[f] !== 'string') fieldErrors.push({ field: f, code: 'FIELD_TYPE' });
    }
    const encBytes = typeof body.enc === 'string' ? b64uDecode(body.enc) : null;
    const payload = typeof body.payload === 'string' ? b64uDecode(body.payload) : null;
    if (typeof body.enc === 'string' && (!encBytes || encBytes.length !== 32)) fieldErrors.push({ field: 'enc', code: 'FIELD_INVALID' });
    if (typeof body.payload === 'string' && !payload) fieldErrors.push({ field: 'payload', code: 'FIELD_INVALID' });
    if (fieldErrors.length) return { error: '4000', fieldErrors };

    const key = this.usableKey(body.keyId);
    if (!key) return { error: 'SECURE_CHANNEL.KEY_UNKNOWN' };
    const ctx = setupBaseR(encBytes, key.privateKey, channelInfo(portal, key.keyId), key.pk);
    if (!ctx) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    const opened = contextOpen(ctx, utf8('session-open'), payload);
    if (!opened) {
      // The info binds the portal: a payload that opens for another portal came from a client
      // configured for that portal, sent with this portal's access code (docs/api.md §1).
      const otherPortal = ['system', 'tenant', 'consumer'].filter((p) => p !== portal).some((p) => {
        const other = setupBaseR(encBytes, key.privateKey, channelInfo(p, key.keyId), key.pk);
        return other && contextOpen(other, utf8('session-open'), payload);
      });
      return { error: otherPortal ? 'PORTAL.ACCESS_CODE_INVALID' : 'SECURE_CHANNEL.DECRYPT_FAILED' };
    }
    let inner;
    try { inner = JSON.parse(opened.toString('utf8')); } catch { return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' }; }
    const cfsPk = b64uDecode(inner?.fsPublicKey);
    if (typeof inner?.clientHash !== 'string' || !cfsPk || cfsPk.length !== 32) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    if (inner.clientHash !== clientHash) return { error: 'SECURE_CHANNEL.SESSION_INVALID' };

    const sessionId = b64uEncode(this.randomBytes(16, 'sessionId'));
    const sfsSk = this.randomBytes(32, 'fsKey');
    const sfsKey = x25519PrivateKey(sfsSk);
    const ee = x25519(sfsKey, cfsPk);
    if (!ee) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    const sfsPk = x25519PublicKeyOf(sfsKey);
    const keys = deriveSessionKeys(ctx, ee);
    const confirm = confirmTag(keys.confirmKey, sessionId, sfsPk);
    const expiresAtMs = this.now() + this.sessionTtlMs;
    this.sessions.set(sessionId, {
      sessionId, portal, keyId: key.keyId, clientHash, expiresAtMs,
      keys: { c2sKey: keys.c2sKey, c2sNonce: keys.c2sNonce, s2cKey: keys.s2cKey },
      window: { max: 0n, bits: 0n },
    });
    for (const secret of [ee, sfsSk, keys.confirmKey, ctx.key, ctx.exporterSecret, ctx.sharedSecret, ctx.secret]) secret.fill(0);
    return { data: { sessionId, expiresAt: iso(expiresAtMs), fsPublicKey: b64uEncode(sfsPk), confirm: b64uEncode(confirm) } };
  }

  liveSession(sessionId) {
    const s = this.sessions.get(sessionId);
    if (!s) return null;
    if (this.now() >= s.expiresAtMs) { this.dropSession(sessionId); return null; }
    return s;
  }

  /**
   * Opens an encrypted request. `portal` is the path's portal (null for session/close, which
   * takes the session's). Returns {session, seq, plaintext} or {error}.
   */
  openRequest({ sessionId, portal, clientHash, method, path, bodyText }) {
    const s = typeof sessionId === 'string' ? this.liveSession(sessionId) : null;
    const brk = this.breaks;
    if (!s || (portal !== null && s.portal !== portal) || (s.clientHash !== clientHash && !brk.has('client-hash'))) return { error: 'SECURE_CHANNEL.SESSION_INVALID' };
    let body;
    try { body = JSON.parse(bodyText); } catch { return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' }; }
    if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 2 || !isSeq(body.seq) || typeof body.data !== 'string') return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    const sealed = brk.has('base64') ? Buffer.from(body.data, 'base64url') : b64uDecode(body.data);
    if (!sealed) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    const tooOld = BigInt(body.seq) + WINDOW_EDGE <= s.window.max;
    if (!replayCheck(s.window, body.seq) && !brk.has('replay') && !(brk.has('window') && tooOld)) return { error: 'SECURE_CHANNEL.REPLAY' };
    const pt = (brk.has('aad') ? openIgnoringTag : aeadOpen)(s.keys.c2sKey, xorNonce(s.keys.c2sNonce, body.seq), requestAad(method, path, s.sessionId, body.seq), sealed);
    if (!pt) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    replayMark(s.window, body.seq);
    return { session: s, seq: body.seq, plaintext: pt.toString('utf8') };
  }

  /** Encrypted response body for a request opened on `session`. */
  sealFor(session, { method, path, seq, status, plaintext }) {
    const nonce = this.breaks.has('nonce-reuse') ? (session.sharedNonce ??= this.randomBytes(12, 'nonce')) : this.randomBytes(12, 'nonce');
    const aadStatus = this.breaks.has('status-aad') ? 200 : status;
    return sealResponse(session.keys, { method, path, sessionId: session.sessionId, seq, status: aadStatus, plaintext, nonce });
  }

  dropSession(sessionId) {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    for (const k of Object.values(s.keys)) k.fill(0);
    this.sessions.delete(sessionId);
  }

  expireAllSessions() {
    for (const id of [...this.sessions.keys()]) this.dropSession(id);
  }
}
