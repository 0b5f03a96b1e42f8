// Secure channel v1 primitives on node:crypto only (wire spec: docs/secure-channel.md).
// One implementation shared by the conformance kit (portal-conformance.mjs, beside this file),
// the portal emulator (emulator/secure-channel.mjs) and the emulator tests' JS client.
//
//   - base64url (strict), X25519 from raw keys, HKDF (RFC 5869), HPKE base mode for
//     DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20Poly1305 (RFC 9180): pure functions.
//   - Session key derivation, confirm tag, request/response AAD and AEAD: pure functions.
//
// X25519, HMAC-SHA256 and ChaCha20-Poly1305 come from node:crypto; HKDF and HPKE are the
// protocol written on top of them exactly as RFC 5869 / RFC 9180 do. Nothing here throws on
// peer input: failures are null.

import crypto from 'node:crypto';

export const SUITE = Object.freeze({ kemId: 0x0020, kdfId: 0x0001, aeadId: 0x0003 });
const enc = new TextEncoder();
export const utf8 = (s) => Buffer.from(enc.encode(s));

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
  return senderContextFromDh(pkR, info, x25519PublicKeyOf(skE), dh);
}

/** SetupBaseS's key schedule for a given `enc` and DH result. The conformance kit uses it to
 *  seal what a server that skips the all-zero check would accept (enc a low-order point, dh 0). */
export function senderContextFromDh(pkR, info, encapsulated, dh) {
  const sharedSecret = kemSharedSecret(dh, encapsulated, pkR);
  return { enc: Buffer.from(encapsulated), sharedSecret, ...keySchedule(sharedSecret, info) };
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
