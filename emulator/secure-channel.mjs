// Server side of secure channel v1 (docs/secure-channel.md), on node:crypto only.
//
// Layers, bottom up:
//   - base64url (strict), X25519 from raw keys, HKDF (RFC 5869), HPKE base mode for
//     DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20Poly1305 (RFC 9180): pure functions.
//   - Session key derivation, confirm tag, request/response AAD and AEAD: pure functions.
//   - SecureChannelServer: key ring (rotation with a grace period), session store, replay
//     window. Time and randomness are injected (`now()`, `randomBytes(n, purpose)`) so the
//     golden transcript can be reproduced byte for byte.
//
// Every failure is reported as a value `{error: 'SECURE_CHANNEL.…'}` (or `{error: '4000'}` for a
// malformed session-open body); nothing here throws on peer input.

import crypto from 'node:crypto';
import { iso } from './clock.mjs';

export const SUITE = Object.freeze({ kemId: 0x0020, kdfId: 0x0001, aeadId: 0x0003 });
const enc = new TextEncoder();
const utf8 = (s) => Buffer.from(enc.encode(s));

// ---------- base64url (RFC 4648 §5, no padding, canonical) ----------

export function b64uEncode(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

/** Strict decoder: returns a Buffer, or null for padding, foreign characters, a length of
 *  4k+1, or non-canonical trailing bits. */
export function b64uDecode(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

// ---------- X25519 ----------

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

/** Raw 32-byte secret → KeyObject (building one costs more than the DH: reuse it). */
export function x25519PrivateKey(sk) {
  if (sk instanceof crypto.KeyObject) return sk;
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_X25519, sk]), format: 'der', type: 'pkcs8' });
}

/** Public key (raw 32 bytes) of a raw secret or a private KeyObject. */
export function x25519PublicKeyOf(sk) {
  const spki = crypto.createPublicKey(x25519PrivateKey(sk)).export({ format: 'der', type: 'spki' });
  return Buffer.from(spki.subarray(spki.length - 32));
}

/** X25519(sk, pk), sk raw or a KeyObject; null when the result is all zero (RFC 9180 §7.1.4)
 *  or the point is refused. */
export function x25519(sk, pk) {
  if ((!(sk instanceof crypto.KeyObject) && sk.length !== 32) || pk.length !== 32) return null;
  let shared;
  try {
    shared = crypto.diffieHellman({
      privateKey: x25519PrivateKey(sk),
      publicKey: crypto.createPublicKey({ key: Buffer.concat([SPKI_X25519, pk]), format: 'der', type: 'spki' }),
    });
  } catch {
    return null; // OpenSSL itself refuses an all-zero result
  }
  return shared.every((b) => b === 0) ? null : shared;
}

// ---------- HKDF-SHA256 ----------

export function hmacSha256(key, ...parts) {
  const h = crypto.createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function hkdfExtract(salt, ikm) {
  return hmacSha256(salt.length ? salt : Buffer.alloc(32), ikm);
}

export function hkdfExpand(prk, info, length) {
  const out = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    t = hmacSha256(prk, t, info, Buffer.from([i]));
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

// ---------- HPKE (RFC 9180, mode_base) ----------

const i2osp = (n, w) => {
  const b = Buffer.alloc(w);
  let v = BigInt(n);
  for (let i = w - 1; i >= 0; i--) { b[i] = Number(v & 0xffn); v >>= 8n; }
  return b;
};
const KEM_SUITE_ID = Buffer.concat([utf8('KEM'), i2osp(SUITE.kemId, 2)]);
const HPKE_SUITE_ID = Buffer.concat([utf8('HPKE'), i2osp(SUITE.kemId, 2), i2osp(SUITE.kdfId, 2), i2osp(SUITE.aeadId, 2)]);

const labeledExtract = (suiteId, salt, label, ikm) =>
  hkdfExtract(salt, Buffer.concat([utf8('HPKE-v1'), suiteId, utf8(label), ikm]));
const labeledExpand = (suiteId, prk, label, info, length) =>
  hkdfExpand(prk, Buffer.concat([i2osp(length, 2), utf8('HPKE-v1'), suiteId, utf8(label), info]), length);

function kemSharedSecret(dh, encapsulated, pkR) {
  const kemContext = Buffer.concat([encapsulated, pkR]);
  const eaePrk = labeledExtract(KEM_SUITE_ID, Buffer.alloc(0), 'eae_prk', dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, 32);
}

function keySchedule(sharedSecret, info) {
  const empty = Buffer.alloc(0);
  const pskIdHash = labeledExtract(HPKE_SUITE_ID, empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(HPKE_SUITE_ID, empty, 'info_hash', info);
  const context = Buffer.concat([Buffer.from([0x00]), pskIdHash, infoHash]);
  const secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, 'secret', empty);
  return {
    keyScheduleContext: context,
    secret,
    key: labeledExpand(HPKE_SUITE_ID, secret, 'key', context, 32),
    baseNonce: labeledExpand(HPKE_SUITE_ID, secret, 'base_nonce', context, 12),
    exporterSecret: labeledExpand(HPKE_SUITE_ID, secret, 'exp', context, 32),
    seq: 0n,
  };
}

/** SetupBaseR (skR raw or a KeyObject; pkR may be passed to save deriving it): null when the
 *  DH result is zero or the point is refused. */
export function setupBaseR(encapsulated, skR, info, pkR = x25519PublicKeyOf(skR)) {
  if (encapsulated.length !== 32) return null;
  const dh = x25519(skR, encapsulated);
  if (!dh) return null;
  const sharedSecret = kemSharedSecret(dh, encapsulated, pkR);
  return { sharedSecret, ...keySchedule(sharedSecret, info) };
}

/** SetupBaseS with the ephemeral secret key supplied (tests and the test client). */
export function setupBaseS(pkR, info, skE) {
  const dh = x25519(skE, pkR);
  if (!dh) return null;
  const encapsulated = x25519PublicKeyOf(skE);
  const sharedSecret = kemSharedSecret(dh, encapsulated, pkR);
  return { enc: encapsulated, sharedSecret, ...keySchedule(sharedSecret, info) };
}

export function xorNonce(base, seq) {
  const n = Buffer.from(base);
  const s = i2osp(seq, 12);
  for (let i = 0; i < 12; i++) n[i] ^= s[i];
  return n;
}

export function aeadSeal(key, nonce, aad, plaintext) {
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([ct, c.getAuthTag()]);
}

/** Returns the plaintext only after final() verified the tag; null otherwise. */
export function aeadOpen(key, nonce, aad, sealed) {
  if (sealed.length < 16) return null;
  try {
    const d = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    d.setAAD(aad, { plaintextLength: sealed.length - 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const head = d.update(sealed.subarray(0, sealed.length - 16));
    const tail = d.final();
    return Buffer.concat([head, tail]);
  } catch {
    return null;
  }
}

export function contextSeal(ctx, aad, pt) {
  const ct = aeadSeal(ctx.key, xorNonce(ctx.baseNonce, ctx.seq), aad, pt);
  ctx.seq += 1n;
  return ct;
}

export function contextOpen(ctx, aad, ct) {
  const pt = aeadOpen(ctx.key, xorNonce(ctx.baseNonce, ctx.seq), aad, ct);
  if (pt) ctx.seq += 1n;
  return pt;
}

export function contextExport(ctx, exporterContext, length) {
  return labeledExpand(HPKE_SUITE_ID, ctx.exporterSecret, 'sec', exporterContext, length);
}

// ---------- secure channel v1 ----------

export function channelInfo(portal, keyId) {
  return Buffer.concat([utf8('portal-secure-channel/v1'), Buffer.from([0]), utf8(portal), Buffer.from([0]), utf8(keyId)]);
}

/** Session secrets from the HPKE context and ee (spec §2). */
export function deriveSessionKeys(ctx, ee) {
  const sessionSalt = contextExport(ctx, utf8('session salt'), 32);
  const prk = hkdfExtract(sessionSalt, ee);
  return {
    sessionSalt,
    c2sKey: hkdfExpand(prk, utf8('c2s key'), 32),
    c2sNonce: hkdfExpand(prk, utf8('c2s nonce'), 12),
    s2cKey: hkdfExpand(prk, utf8('s2c key'), 32),
    confirmKey: hkdfExpand(prk, utf8('confirm'), 32),
  };
}

export function confirmTag(confirmKey, sessionId, serverFsPk) {
  return hmacSha256(confirmKey, utf8(sessionId), Buffer.from([0]), serverFsPk);
}

export const requestAad = (method, path, sessionId, seq) => utf8(`v1\n${method.toUpperCase()}\n${path}\n${sessionId}\n${seq}`);
export const responseAad = (method, path, sessionId, seq, status) => utf8(`v1\n${method.toUpperCase()}\n${path}\n${sessionId}\n${seq}\n${status}`);

/** Encrypted request body `{seq, data}` (used by the test client and the transcript test). */
export function sealRequest(keys, { method, path, sessionId, seq, plaintext }) {
  const data = aeadSeal(keys.c2sKey, xorNonce(keys.c2sNonce, seq), requestAad(method, path, sessionId, seq), utf8(plaintext));
  return { seq, data: b64uEncode(data) };
}

/** Encrypted response body `{seq, nonce, data}` with the given 12-byte nonce. */
export function sealResponse(keys, { method, path, sessionId, seq, status, plaintext, nonce }) {
  const data = aeadSeal(keys.s2cKey, nonce, responseAad(method, path, sessionId, seq, status), utf8(plaintext));
  return { seq, nonce: b64uEncode(nonce), data: b64uEncode(data) };
}

export function openResponse(keys, { method, path, sessionId, seq, status, body }) {
  const nonce = b64uDecode(body?.nonce);
  const data = b64uDecode(body?.data);
  if (!nonce || nonce.length !== 12 || !data || body.seq !== seq) return null;
  const pt = aeadOpen(keys.s2cKey, nonce, responseAad(method, path, sessionId, seq, status), data);
  return pt && pt.toString('utf8');
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

/**
 * Key ring + session store. Options:
 *   now(): epoch ms;  randomBytes(n, purpose): Buffer, purpose ∈ 'staticKey' | 'sessionId' |
 *   'fsKey' | 'nonce';  sessionTtlMs;  keyGraceMs;  keyIdPrefix (default 'sc-emu-<6 random hex>-': a restarted emulator never reuses a key id).
 */
export class SecureChannelServer {
  constructor({ now = Date.now, randomBytes = (n) => crypto.randomBytes(n), sessionTtlMs = 1800e3, keyGraceMs = 300e3, keyIdPrefix = `sc-emu-${crypto.randomBytes(3).toString('hex')}-`, keyLifetimeMs = 30 * 86400e3 } = {}) {
    Object.assign(this, { now, randomBytes, sessionTtlMs, keyGraceMs, keyIdPrefix, keyLifetimeMs });
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
    if (!opened) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
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
    if (!s || (portal !== null && s.portal !== portal) || s.clientHash !== clientHash) return { error: 'SECURE_CHANNEL.SESSION_INVALID' };
    let body;
    try { body = JSON.parse(bodyText); } catch { return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' }; }
    if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 2 || !isSeq(body.seq) || typeof body.data !== 'string') return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    const sealed = b64uDecode(body.data);
    if (!sealed) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    if (!replayCheck(s.window, body.seq)) return { error: 'SECURE_CHANNEL.REPLAY' };
    const pt = aeadOpen(s.keys.c2sKey, xorNonce(s.keys.c2sNonce, body.seq), requestAad(method, path, s.sessionId, body.seq), sealed);
    if (!pt) return { error: 'SECURE_CHANNEL.DECRYPT_FAILED' };
    replayMark(s.window, body.seq);
    return { session: s, seq: body.seq, plaintext: pt.toString('utf8') };
  }

  /** Encrypted response body for a request opened on `session`. */
  sealFor(session, { method, path, seq, status, plaintext }) {
    return sealResponse(session.keys, { method, path, sessionId: session.sessionId, seq, status, plaintext, nonce: this.randomBytes(12, 'nonce') });
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
