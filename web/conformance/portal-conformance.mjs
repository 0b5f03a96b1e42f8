#!/usr/bin/env node
// Secure channel v1 conformance kit: checks a portal server against every MUST of the wire
// spec (docs/secure-channel.md) that a client can observe, plus the channel rules of
// docs/api.md §4/§9. No dependencies: node:crypto through ./channel-crypto.mjs.
//
//   portal-conformance BASE_URL PORTAL ACCESS_CODE
//   node portal-conformance.mjs http://127.0.0.1:8080 system dev-system-code
//
// One line per check (`ok  - name` or `FAIL - name: reason`), then `N passed, N failed`.
// Exit 0 only when every check passed (1 otherwise, 2 for a usage error).
//
// It needs no account: the encrypted calls that reach a handler are sign-in attempts
// (POST P/auth/login/initiate) for random unknown addresses `portal-conformance-<hex>@example.com`,
// which answer AUTH.INVALID_CREDENTIALS: four per run against a conforming server, each for a new
// address (a server that rate-limits sign-in attempts per client IP should allow that).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sc from './channel-crypto.mjs';

export const PORTALS = ['system', 'tenant', 'consumer'];
const MAX_SEQ = 2 ** 53 - 1;
const BODY_LIMIT = 64 * 1024;
const SC = '/web/v1/secure-channel';

class Fail extends Error {}
const fail = (reason) => { throw new Fail(reason); };
const check = (cond, reason) => { if (!cond) fail(reason); };

const hex = (n) => crypto.randomBytes(n).toString('hex');
const unknownEmail = () => `portal-conformance-${hex(8)}@example.com`;
const loginBody = (email = unknownEmail()) => JSON.stringify({ email, password: 'Conformance-Kit-1' });
const flipBit = (buf, index) => { const b = Buffer.from(buf); b[index] ^= 0x01; return b; };

/** A client of one portal on one server: plain HTTP plus the channel, with every knob exposed. */
class Kit {
  constructor({ baseUrl, portal, accessCode, timeoutMs = 15_000 }) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    Object.assign(this, { portal, accessCode, timeoutMs });
    this.clientHash = hex(32);
    this.P = `${this.prefix}/web/v1/${portal}`;
    this.SC = `${this.prefix}${SC}`;
  }

  headers(extra = {}) {
    const h = { 'Content-Type': 'application/json', 'X-PORTAL-ACCESS-CODE': this.accessCode, 'X-Client-Hash': this.clientHash };
    for (const [k, v] of Object.entries(extra)) { if (v === null) delete h[k]; else h[k] = v; }
    return h;
  }

  /** Plain HTTP; `body` is sent as is when a string, as JSON otherwise. */
  async http(method, urlPath, { body, headers } = {}) {
    const res = await fetch(this.origin + urlPath, {
      method, headers: this.headers(headers), signal: AbortSignal.timeout(this.timeoutMs),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* described from text */ }
    return { status: res.status, text, json };
  }

  async publicKey() {
    const res = await this.http('GET', `${this.SC}/public-key`);
    return { res, data: res.json?.data ?? null };
  }

  /** The session-open body, every part overridable. Returns {body, ctx, cfsKey}. */
  sessionOpenBody(key, { portal = this.portal, keyId = key.keyId, clientHash = this.clientHash, cfsPk, lowOrderEnc = false } = {}) {
    const pkR = sc.b64uDecode(key.publicKey);
    const info = sc.channelInfo(portal, keyId);
    const ctx = lowOrderEnc
      ? sc.senderContextFromDh(pkR, info, Buffer.alloc(32), Buffer.alloc(32)) // what a server skipping the zero check derives
      : sc.setupBaseS(pkR, info, crypto.randomBytes(32));
    if (!ctx) fail('the server public key gives an all-zero X25519 result');
    const cfsKey = sc.x25519PrivateKey(crypto.randomBytes(32));
    const fsPublicKey = sc.b64uEncode(cfsPk ?? sc.x25519PublicKeyOf(cfsKey));
    const payload = sc.contextSeal(ctx, sc.utf8('session-open'), sc.utf8(JSON.stringify({ clientHash, fsPublicKey })));
    return { body: { keyId, enc: sc.b64uEncode(ctx.enc), payload: sc.b64uEncode(payload) }, ctx, cfsKey };
  }

  /** Opens a session the spec's way. Returns {res, data, session|null, problems: [..]}. */
  async openSession(key) {
    const { body, ctx, cfsKey } = this.sessionOpenBody(key);
    const res = await this.http('POST', `${this.SC}/session`, { body });
    const data = res.json?.data;
    if (res.status !== 200 || res.json?.success !== true || !data || typeof data !== 'object') {
      return { res, data: null, session: null, problems: [`session open answered ${describe(res)}`] };
    }
    const problems = [];
    const id = typeof data.sessionId === 'string' ? sc.b64uDecode(data.sessionId) : null;
    if (!id) problems.push(`sessionId ${JSON.stringify(data.sessionId)} is not canonical unpadded base64url`);
    else if (id.length < 16) problems.push(`sessionId has ${id.length} bytes, fewer than 16`);
    const sfsPk = sc.b64uDecode(data.fsPublicKey);
    if (!sfsPk || sfsPk.length !== 32) problems.push('fsPublicKey is not base64url of 32 bytes');
    const confirm = sc.b64uDecode(data.confirm);
    if (!confirm || confirm.length !== 32) problems.push('confirm is not base64url of 32 bytes');
    if (typeof data.expiresAt !== 'string' || !(Date.parse(data.expiresAt) > Date.now())) problems.push(`expiresAt ${JSON.stringify(data.expiresAt)} is not a future date`);
    let session = null;
    let confirmProblem = null;
    if (typeof data.sessionId === 'string' && sfsPk?.length === 32 && confirm?.length === 32) {
      const ee = sc.x25519(cfsKey, sfsPk);
      if (!ee) confirmProblem = 'the server fsPublicKey gives an all-zero X25519 result';
      else {
        const keys = sc.deriveSessionKeys(ctx, ee);
        const expected = sc.confirmTag(keys.confirmKey, data.sessionId, sfsPk);
        if (crypto.timingSafeEqual(expected, confirm)) session = { sessionId: data.sessionId, keys, seq: 0, fsPublicKey: data.fsPublicKey };
        else confirmProblem = 'confirm does not equal HMAC-SHA256(confirmKey, sessionId || 0x00 || fsPublicKey)';
      }
    } else confirmProblem = 'no sessionId / fsPublicKey / confirm to verify';
    return { res, data, session, problems, confirmProblem };
  }

  /** An encrypted request body; the AAD parts may be overridden to build forgeries. */
  seal(session, { path: urlPath, seq, plaintext, aad = {} }) {
    const a = { method: 'POST', path: urlPath, sessionId: session.sessionId, seq, ...aad };
    const data = sc.aeadSeal(session.keys.c2sKey, sc.xorNonce(session.keys.c2sNonce, seq),
      sc.requestAad(a.method, a.path, a.sessionId, a.seq), sc.utf8(plaintext));
    return { seq, data: sc.b64uEncode(data) };
  }

  /** Sends a wrapper (object or raw text) on a session; `query` is appended to the URL only. */
  send(session, urlPath, wrapper, { headers, query = '', sessionId = session.sessionId } = {}) {
    return this.http('POST', urlPath + query, { body: wrapper, headers: { 'X-Secure-Channel-Session-Id': sessionId, ...headers } });
  }

  /** Seals `plaintext` with the session's next seq and sends it. */
  async call(session, urlPath, plaintext, opts = {}) {
    const seq = ++session.seq;
    const wrapper = this.seal(session, { path: urlPath, seq, plaintext });
    const res = await this.send(session, urlPath, wrapper, opts);
    return { seq, wrapper, res };
  }

  /** The decrypted envelope of an encrypted answer, or null; AAD parts may be overridden. */
  open(session, res, { path: urlPath, seq, method = 'POST', status = res.status, sessionId = session.sessionId }) {
    const body = res.json;
    if (!isWrapper(body)) return null;
    const nonce = sc.b64uDecode(body.nonce);
    const data = sc.b64uDecode(body.data);
    if (!nonce || nonce.length !== 12 || !data) return null;
    const pt = sc.aeadOpen(session.keys.s2cKey, nonce, sc.responseAad(method, urlPath, sessionId, seq, status), data);
    if (!pt) return null;
    try { return JSON.parse(pt.toString('utf8')); } catch { return null; }
  }
}

const isWrapper = (body) => !!body && typeof body === 'object' && typeof body.nonce === 'string' && typeof body.data === 'string';

function describe(res) {
  if (isWrapper(res.json)) return `HTTP ${res.status}, an encrypted answer (the server opened the body)`;
  if (res.json && typeof res.json.code === 'string') return `HTTP ${res.status} ${res.json.code}`;
  return `HTTP ${res.status} ${JSON.stringify(res.text.slice(0, 80))}`;
}

/** A plaintext channel-error envelope with this code and status. */
function expectPlainError(res, code, status) {
  const want = `plaintext ${code} (HTTP ${status})`;
  check(!isWrapper(res.json), `expected ${want}, got ${describe(res)}`);
  check(res.json && res.json.success === false && res.json.code === code && res.status === status, `expected ${want}, got ${describe(res)}`);
  check(typeof res.json.message === 'string', `${code} envelope has no string message`);
}

/** An encrypted answer that opens under the spec AAD and carries this envelope code/status. */
function expectEncrypted(kit, session, res, { path: urlPath, seq, code, status }) {
  check(isWrapper(res.json), `expected an encrypted ${code} (HTTP ${status}), got ${describe(res)}`);
  check(res.json.seq === seq, `response seq ${JSON.stringify(res.json.seq)} is not the request's ${seq}`);
  const nonce = sc.b64uDecode(res.json.nonce);
  check(nonce && nonce.length === 12, 'response nonce is not base64url of 12 bytes');
  const env = kit.open(session, res, { path: urlPath, seq });
  if (!env) {
    const hint = [200, 400, 401].filter((s) => s !== res.status).find((s) => kit.open(session, res, { path: urlPath, seq, status: s }));
    fail(`the answer (HTTP ${res.status}) does not open with the response AAD of §4${hint ? ` (it opens with status ${hint} in the AAD)` : ''}`);
  }
  check(typeof env.success === 'boolean' && typeof env.code === 'string' && typeof env.message === 'string' && 'data' in env,
    `decrypted plaintext is not a {success, code, message, data} envelope: ${JSON.stringify(env).slice(0, 120)}`);
  check(env.code === code && res.status === status, `expected ${code} (HTTP ${status}), got ${env.code} (HTTP ${res.status})`);
  return env;
}

/** The checks, in order; each gets the shared state and throws Fail. */
export const CHECKS = [];
const def = (name, fn) => CHECKS.push({ name, fn });
const need = (value, what) => { if (!value) fail(`skipped: ${what} failed earlier`); return value; };

const LOGIN = (k) => `${k.kit.P}/auth/login/initiate`;
const CLOSE = (k) => `${k.kit.SC}/session/close`;

// Sends a legit login attempt on `session`, expecting the encrypted AUTH.INVALID_CREDENTIALS.
// `sent` (optional) receives {seq, wrapper, res} before the answer is judged.
async function legitCall(k, session, { seq, query = '', sent = {} } = {}) {
  const urlPath = LOGIN(k);
  if (seq !== undefined) session.seq = Math.max(session.seq, seq);
  else seq = ++session.seq;
  const wrapper = k.kit.seal(session, { path: urlPath, seq, plaintext: loginBody() });
  const res = await k.kit.send(session, urlPath, wrapper, { query });
  Object.assign(sent, { seq, wrapper, res });
  expectEncrypted(k.kit, session, res, { path: urlPath, seq, code: 'AUTH.INVALID_CREDENTIALS', status: 401 });
  return { seq, wrapper, res };
}

// Sends a forged / malformed request on a session, expecting a plaintext channel error.
async function refused(k, session, build, code = 'SECURE_CHANNEL.DECRYPT_FAILED', status = 400, opts = {}) {
  const urlPath = LOGIN(k);
  const seq = ++session.seq;
  const wrapper = build({ seq, path: urlPath, seal: (o = {}) => k.kit.seal(session, { path: urlPath, seq, plaintext: loginBody(), ...o }) });
  const res = await k.kit.send(session, urlPath, wrapper, opts);
  expectPlainError(res, code, status);
}

// ---- 1. server key
def('public key: plain GET /web/v1/secure-channel/public-key answers a success with keyId and a future expiresAt', async (k) => {
  const { res, data } = await k.kit.publicKey();
  check(res.status === 200 && res.json?.success === true && res.json.code === '2000' && data && typeof data === 'object', `expected a 2000 success, got ${describe(res)}`);
  k.key = data;
  check(typeof data.keyId === 'string' && data.keyId.length > 0, `keyId ${JSON.stringify(data.keyId)} is not a non-empty string`);
  check(typeof data.expiresAt === 'string' && Date.parse(data.expiresAt) > Date.now(), `expiresAt ${JSON.stringify(data.expiresAt)} is not a future date`);
});
def('public key: suite ids are kemId 32 (0x0020), kdfId 1 (0x0001), aeadId 3 (0x0003)', async (k) => {
  const d = need(k.key, 'the public key');
  check(d.kemId === sc.SUITE.kemId && d.kdfId === sc.SUITE.kdfId && d.aeadId === sc.SUITE.aeadId, `got kemId ${d.kemId}, kdfId ${d.kdfId}, aeadId ${d.aeadId}`);
});
def('public key: publicKey is canonical unpadded base64url of 32 bytes and a usable X25519 key', async (k) => {
  const d = need(k.key, 'the public key');
  const pk = sc.b64uDecode(d.publicKey);
  check(pk, `publicKey ${JSON.stringify(d.publicKey)} is not canonical unpadded base64url`);
  check(pk.length === 32, `publicKey has ${pk.length} bytes`);
  check(sc.setupBaseS(pk, sc.channelInfo(k.kit.portal, d.keyId), crypto.randomBytes(32)), 'publicKey gives an all-zero X25519 result');
  k.keyOk = true;
});

// ---- 2. session
def('session open: answers sessionId (base64url, 16+ bytes), fsPublicKey (32 bytes), confirm (32 bytes), future expiresAt', async (k) => {
  need(k.keyOk, 'the public key');
  k.openA = await k.kit.openSession(k.key);
  check(k.openA.problems.length === 0, k.openA.problems.join('; '));
});
def('session open: confirm verifies: HMAC-SHA256(confirmKey, sessionId || 0x00 || fsPublicKey), constant-time compare', async (k) => {
  need(k.openA?.data, 'session open');
  check(k.openA.session, k.openA.confirmProblem);
  k.A = k.openA.session;
});
def('session open: every session gets a fresh sessionId and a fresh server fsPublicKey', async (k) => {
  const A = need(k.A, 'session open');
  const o = await k.kit.openSession(k.key);
  check(o.session, `second session: ${o.problems.concat(o.confirmProblem ?? []).join('; ')}`);
  k.B = o.session;
  check(o.session.sessionId !== A.sessionId, 'two sessions got the same sessionId');
  check(o.session.fsPublicKey !== A.fsPublicKey, 'two sessions got the same server fsPublicKey');
});
const openRefused = (name, opts, code, status, { tamper = false } = {}) => def(name, async (k) => {
  need(k.keyOk, 'the public key');
  const { body } = k.kit.sessionOpenBody(k.key, opts);
  if (tamper) body.payload = sc.b64uEncode(flipBit(sc.b64uDecode(body.payload), 3));
  const res = await k.kit.http('POST', `${k.kit.SC}/session`, { body });
  expectPlainError(res, code, status);
});
openRefused('session open: clientHash in the payload ≠ X-Client-Hash header → SECURE_CHANNEL.SESSION_INVALID (401)',
  { clientHash: hex(32) }, 'SECURE_CHANNEL.SESSION_INVALID', 401);
openRefused('session open: unknown keyId → SECURE_CHANNEL.KEY_UNKNOWN (400)',
  { keyId: `portal-conformance-unknown-${hex(4)}` }, 'SECURE_CHANNEL.KEY_UNKNOWN', 400);
openRefused('session open: payload with one bit flipped → SECURE_CHANNEL.DECRYPT_FAILED (400)',
  {}, 'SECURE_CHANNEL.DECRYPT_FAILED', 400, { tamper: true });
// A server may say why (the payload was sealed for the portal of another access code: a client
// misconfigured with another portal's code), or just that it did not open; either way, no session.
def('session open: payload sealed with another portal in the HPKE info → SECURE_CHANNEL.DECRYPT_FAILED (400) or PORTAL.ACCESS_CODE_INVALID (401)', async (k) => {
  need(k.keyOk, 'the public key');
  const other = PORTALS.find((p) => p !== k.kit.portal);
  const { body } = k.kit.sessionOpenBody(k.key, { portal: other });
  const res = await k.kit.http('POST', `${k.kit.SC}/session`, { body });
  if (res.json?.code === 'PORTAL.ACCESS_CODE_INVALID') expectPlainError(res, 'PORTAL.ACCESS_CODE_INVALID', 401);
  else expectPlainError(res, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
});
openRefused('session open: enc a low-order point (all-zero DH) → SECURE_CHANNEL.DECRYPT_FAILED (400)',
  { lowOrderEnc: true }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
openRefused('session open: client fsPublicKey a low-order point (all-zero ee) → SECURE_CHANNEL.DECRYPT_FAILED (400)',
  { cfsPk: Buffer.alloc(32) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);

// ---- 3/4. encrypted request and response
// Nonces of encrypted answers, kept for the freshness check even when an answer fails to open.
const noteNonce = (k, { seq, res }) => { if (isWrapper(res?.json)) k.nonces.push({ nonce: res.json.nonce, seq }); };
def('encrypted request round-trips: POST P/auth/login/initiate, unknown account → encrypted AUTH.INVALID_CREDENTIALS (401)', async (k) => {
  const A = need(k.A, 'session open');
  k.first = {};
  try { await legitCall(k, A, { sent: k.first }); } finally { noteNonce(k, k.first); }
});
def('encrypted request: a validation error (4000, body {}) is answered encrypted too', async (k) => {
  const A = need(k.A, 'session open');
  const { seq, res } = await k.kit.call(A, LOGIN(k), '{}');
  noteNonce(k, { seq, res });
  expectEncrypted(k.kit, A, res, { path: LOGIN(k), seq, code: '4000', status: 400 });
});
def('response AAD binds the HTTP status: the 401 answer opens with 401 and not with 200', async (k) => {
  const A = need(k.A, 'session open');
  const { res, seq } = need(k.first?.res, 'the round trip') && k.first;
  check(isWrapper(res.json), `the round trip answered ${describe(res)}`);
  const at = (status) => k.kit.open(A, res, { path: LOGIN(k), seq, status }) !== null;
  check(res.status === 401, `the round trip answered HTTP ${res.status}`);
  check(!at(200), 'the 401 answer opens with status 200 in the AAD');
  check(at(401), 'the 401 answer does not open with status 401 in the AAD');
});
def('response AAD binds the seq: the answer carries the request seq and opens with it only', async (k) => {
  const A = need(k.A, 'session open');
  const { res, seq } = need(k.first?.res, 'the round trip') && k.first;
  check(isWrapper(res.json), `the round trip answered ${describe(res)}`);
  check(res.json.seq === seq, `response seq ${res.json.seq} ≠ request seq ${seq}`);
  check(k.kit.open(A, res, { path: LOGIN(k), seq: seq + 1 }) === null, `the answer opens with seq ${seq + 1} in the AAD`);
  check(k.kit.open(A, res, { path: LOGIN(k), seq }) !== null, `the answer does not open with seq ${seq} in the AAD`);
});
def('response nonces are fresh: two answers in one session carry different 12-byte nonces, neither the request nonce', async (k) => {
  const A = need(k.A, 'session open');
  check(k.nonces.length >= 2, `skipped: needs two encrypted answers, got ${k.nonces.length}`);
  const [a, b] = k.nonces.slice(0, 2);
  check(a.nonce !== b.nonce, `both answers used nonce ${a.nonce}`);
  for (const { nonce, seq } of [a, b]) {
    check(sc.b64uDecode(nonce)?.length === 12, 'a nonce is not 12 bytes');
    check(!sc.b64uDecode(nonce).equals(sc.xorNonce(A.keys.c2sNonce, seq)), 'a response reuses the request nonce');
  }
});
def('request AAD path excludes the query: POST P/auth/login/initiate?portal-conformance=1 opens', async (k) => {
  await legitCall(k, need(k.A, 'session open'), { query: '?portal-conformance=1' });
});

// ---- 3. request AAD, tampering, failed opens
const forged = (name, build, { code, status, ...opts } = {}) =>
  def(name, async (k) => refused(k, need(k.A, 'session open'), (ctx) => build(ctx, k), code, status, opts));
forged('request AAD binds the method: sealed for PUT, sent as POST → SECURE_CHANNEL.DECRYPT_FAILED (400)',
  ({ seal }) => seal({ aad: { method: 'PUT' } }));
forged('request AAD binds the path: sealed for P/auth/login/complete, sent to P/auth/login/initiate → DECRYPT_FAILED (400)',
  ({ seal }, k) => seal({ aad: { path: `${k.kit.P}/auth/login/complete` } }));
forged("request AAD binds the session id: sealed with another session's id → DECRYPT_FAILED (400)",
  ({ seal }, k) => seal({ aad: { sessionId: k.B?.sessionId ?? sc.b64uEncode(crypto.randomBytes(16)) } }));
forged('request AAD binds the seq: AAD seq n+1, body and nonce seq n → DECRYPT_FAILED (400)',
  ({ seal, seq }) => seal({ aad: { seq: seq + 1 } }));
forged('tampered ciphertext (one bit flipped) → DECRYPT_FAILED (400)',
  ({ seal }) => { const w = seal(); w.data = sc.b64uEncode(flipBit(sc.b64uDecode(w.data), 0)); return w; });
forged('tampered tag (one bit flipped) → DECRYPT_FAILED (400)',
  ({ seal }) => { const w = seal(); const d = sc.b64uDecode(w.data); w.data = sc.b64uEncode(flipBit(d, d.length - 1)); return w; });
def('a seq whose body failed to open is not marked seen: the same seq sealed properly then opens', async (k) => {
  const A = need(k.A, 'session open');
  const seq = A.seq + 1;
  await refused(k, A, ({ seal }) => { const w = seal(); w.data = sc.b64uEncode(flipBit(sc.b64uDecode(w.data), 1)); return w; });
  await legitCall(k, A, { seq });
});

// ---- replay window
def('replay: the same request twice (same seq) → SECURE_CHANNEL.REPLAY (400)', async (k) => {
  const A = need(k.A, 'session open');
  const first = k.first?.res ? k.first : await legitCall(k, A);
  expectPlainError(await k.kit.send(A, LOGIN(k), first.wrapper), 'SECURE_CHANNEL.REPLAY', 400);
});
def('replay: an unused seq older than the 64-entry window (max − 64) → SECURE_CHANNEL.REPLAY (400)', async (k) => {
  const A = need(k.A, 'session open');
  const top = A.seq + 100;
  await legitCall(k, A, { seq: top });
  const old = top - 64;
  const wrapper = k.kit.seal(A, { path: LOGIN(k), seq: old, plaintext: loginBody() });
  expectPlainError(await k.kit.send(A, LOGIN(k), wrapper), 'SECURE_CHANNEL.REPLAY', 400);
});

// ---- malformed wrappers (on session B, so that a server accepting seq 2^53 spoils nothing else)
const wrapperCheck = (name, build) => def(name, async (k) => {
  const B = need(k.B, 'the second session');
  const urlPath = LOGIN(k);
  const seq = ++B.seq;
  const seal = (plaintext = loginBody(), s = seq) => k.kit.seal(B, { path: urlPath, seq: s, plaintext });
  const body = build({ seal, seq });
  expectPlainError(await k.kit.send(B, urlPath, typeof body === 'string' ? body : JSON.stringify(body)), 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
});
// A login body whose sealed form has base64url text of the wanted shape (JSON whitespace varies it).
function sealedWhere(seal, pred) {
  for (let pad = 0; pad < 200; pad++) {
    const w = seal(loginBody().replace('{', `{${' '.repeat(pad)}`));
    if (pred(w.data)) return w;
  }
  fail('could not build the sample');
}
wrapperCheck('wrapper: seq 0 (sealed with seq 0) → DECRYPT_FAILED (400)', ({ seal }) => seal(undefined, 0));
wrapperCheck('wrapper: seq as a JSON string ("n") → DECRYPT_FAILED (400)', ({ seal, seq }) => ({ seq: String(seq), data: seal().data }));
wrapperCheck('wrapper: data with base64 padding "=" → DECRYPT_FAILED (400)', ({ seal }) => {
  const w = sealedWhere(seal, (d) => d.length % 4 !== 0);
  return { ...w, data: w.data + '='.repeat(4 - (w.data.length % 4)) };
});
wrapperCheck('wrapper: data in the standard base64 alphabet ("+", "/") → DECRYPT_FAILED (400)', ({ seal }) => {
  const w = sealedWhere(seal, (d) => /[-_]/.test(d));
  return { ...w, data: w.data.replace(/-/g, '+').replace(/_/g, '/') };
});
wrapperCheck('wrapper: data with non-canonical trailing bits → DECRYPT_FAILED (400)', ({ seal }) => {
  const w = sealedWhere(seal, (d) => d.length % 4 !== 0);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(w.data.at(-1));
  return { ...w, data: w.data.slice(0, -1) + alphabet[last | 1] };
});
wrapperCheck('wrapper: a plaintext JSON body with X-Secure-Channel-Session-Id → DECRYPT_FAILED (400), never processed',
  () => loginBody());
wrapperCheck('wrapper: seq 2^53 (above 2^53 − 1, sealed with it) → DECRYPT_FAILED (400)', ({ seal }) => seal(undefined, MAX_SEQ + 1));

// ---- session binding
forged('session binding: the session with another X-Client-Hash → SECURE_CHANNEL.SESSION_INVALID (401)',
  ({ seal }) => seal(), { headers: { 'X-Client-Hash': hex(32) }, code: 'SECURE_CHANNEL.SESSION_INVALID', status: 401 });
def("session binding: the session on another portal's path → SECURE_CHANNEL.SESSION_INVALID (401)", async (k) => {
  const A = need(k.A, 'session open');
  const other = `${k.kit.prefix}/web/v1/${PORTALS.find((p) => p !== k.kit.portal)}/auth/login/initiate`;
  const res = await refusedAt(k, A, other);
  expectPlainError(res, 'SECURE_CHANNEL.SESSION_INVALID', 401);
});
async function refusedAt(k, session, urlPath, opts) {
  const seq = ++session.seq;
  return k.kit.send(session, urlPath, k.kit.seal(session, { path: urlPath, seq, plaintext: loginBody() }), opts);
}
def('unknown session id → SECURE_CHANNEL.SESSION_INVALID (401)', async (k) => {
  const A = need(k.A, 'session open');
  const res = await refusedAt(k, A, LOGIN(k), { sessionId: sc.b64uEncode(crypto.randomBytes(16)) });
  expectPlainError(res, 'SECURE_CHANNEL.SESSION_INVALID', 401);
});

// ---- downgrade and size
def('downgrade: plaintext POST P/auth/login/initiate → SECURE_CHANNEL.REQUIRED (400), never processed', async (k) => {
  expectPlainError(await k.kit.http('POST', LOGIN(k), { body: loginBody() }), 'SECURE_CHANNEL.REQUIRED', 400);
});
def('downgrade: plaintext POST /web/v1/secure-channel/session/close → SECURE_CHANNEL.REQUIRED (400)', async (k) => {
  expectPlainError(await k.kit.http('POST', CLOSE(k), { body: '{}' }), 'SECURE_CHANNEL.REQUIRED', 400);
});
def('body over 64 KiB (65537 bytes, a well-sealed request) → PAYLOAD_TOO_LARGE (413)', async (k) => {
  const A = need(k.A, 'session open');
  const seq = ++A.seq;
  const pad = ' '.repeat(48_000); // sealed and base64url-encoded: just under the limit
  const text = JSON.stringify(k.kit.seal(A, { path: LOGIN(k), seq, plaintext: loginBody().replace('{', `{${pad}`) }));
  const body = `{${' '.repeat(BODY_LIMIT + 1 - Buffer.byteLength(text))}${text.slice(1)}`;
  check(Buffer.byteLength(body) === BODY_LIMIT + 1, 'could not build the sample');
  expectPlainError(await k.kit.send(A, LOGIN(k), body), 'PAYLOAD_TOO_LARGE', 413);
});

// ---- close
def('session close: encrypted POST /web/v1/secure-channel/session/close {} → encrypted 2000, data null', async (k) => {
  const A = need(k.A, 'session open');
  const { seq, res } = await k.kit.call(A, CLOSE(k), '{}');
  const env = expectEncrypted(k.kit, A, res, { path: CLOSE(k), seq, code: '2000', status: 200 });
  check(env.success === true && env.data === null, `expected success with data null, got ${JSON.stringify(env).slice(0, 120)}`);
  k.closed = true;
});
def('session close: the closed session id is refused afterwards → SECURE_CHANNEL.SESSION_INVALID (401)', async (k) => {
  const A = need(k.A, 'session open');
  need(k.closed, 'session close');
  expectPlainError(await refusedAt(k, A, LOGIN(k)), 'SECURE_CHANNEL.SESSION_INVALID', 401);
});

/**
 * Runs every check against one portal of a server. `report(line)` receives each output line.
 * Resolves to {passed, failed, results: [{name, ok, reason?}]}.
 */
export async function runConformance({ baseUrl, portal, accessCode, timeoutMs, report = () => {} }) {
  const k = { kit: new Kit({ baseUrl, portal, accessCode, timeoutMs }), nonces: [] };
  const results = [];
  for (const { name, fn } of CHECKS) {
    let reason = null;
    try { await fn(k); } catch (err) {
      reason = err instanceof Fail ? err.message : `${err?.name ?? 'Error'}: ${err?.message ?? err}${err?.cause ? ` (${err.cause.message ?? err.cause})` : ''}`;
    }
    results.push(reason === null ? { name, ok: true } : { name, ok: false, reason });
    report(reason === null ? `ok  - ${name}` : `FAIL - ${name}: ${reason}`);
  }
  // Tidy up the second session (not a check: it may legitimately be unusable by now).
  if (k.B) await k.kit.call(k.B, CLOSE(k), '{}').catch(() => {});
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  report(`${passed} passed, ${failed} failed`);
  return { passed, failed, results };
}

const USAGE = `Usage: portal-conformance BASE_URL PORTAL ACCESS_CODE
  BASE_URL     the server's origin (an optional path prefix is kept), e.g. https://portal.example.com
  PORTAL       system | tenant | consumer
  ACCESS_CODE  that portal's X-PORTAL-ACCESS-CODE
Checks the server's secure channel v1 against the spec, one line per check; exit 0 only when
every check passed. Env PORTAL_CONFORMANCE_TIMEOUT_MS: per-request timeout (default 15000).`;

export async function main(argv = process.argv.slice(2)) {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(USAGE); return 0; }
  const [baseUrl, portalArg, accessCode] = argv;
  const portal = portalArg?.toLowerCase();
  let validUrl = false;
  try { validUrl = /^https?:$/.test(new URL(baseUrl).protocol); } catch { /* reported below */ }
  if (argv.length !== 3 || !validUrl || !PORTALS.includes(portal) || !accessCode) {
    console.error(USAGE);
    return 2;
  }
  const timeoutMs = Number(process.env.PORTAL_CONFORMANCE_TIMEOUT_MS) || 15_000;
  console.log(`# secure channel v1 conformance: ${baseUrl} portal ${portal}`);
  const { failed } = await runConformance({ baseUrl, portal, accessCode, timeoutMs, report: (line) => console.log(line) });
  return failed === 0 ? 0 : 1;
}

// Run as a program (also through npm's bin symlink), not when imported.
const real = (file) => { try { return fs.realpathSync(file); } catch { return null; } };
if (process.argv[1] && real(path.resolve(process.argv[1])) === real(fileURLToPath(import.meta.url))) process.exitCode = await main();
