// Test-only helpers: a small JS client of the portal API (secure channel included, on
// node:crypto through web/conformance/channel-crypto.mjs), and dev-endpoint shortcuts.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { startEmulator } from '../../emulator/server.mjs';
import * as sc from '../../web/conformance/channel-crypto.mjs';
import { PORTAL_DOMAIN, SEED_PASSWORD } from '../../emulator/state.mjs';

export const PORTALS = ['system', 'tenant', 'consumer'];

// The project's public test vectors (tests/vectors/, provenance in its README).
const VECTORS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../vectors');
export const loadVector = (name) => JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, name), 'utf8'));
export const PASSWORD = SEED_PASSWORD;
export const CODES = { system: 'dev-system-code', tenant: 'dev-tenant-code', consumer: 'dev-consumer-code' };
export const emailOf = (local, portal) => `${local}@${PORTAL_DOMAIN[portal]}`;
export const randomHash = () => crypto.randomBytes(32).toString('hex');

export async function start(options = {}) {
  return startEmulator({ port: 0, ...options });
}

/** Calls a dev endpoint; returns `data` (asserts success). */
export async function dev(emu, method, path, body) {
  const res = await fetch(`${emu.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  assert.equal(json.success, true, `dev ${path}: ${JSON.stringify(json)}`);
  return json.data;
}

export const advance = (emu, seconds) => dev(emu, 'POST', '/__dev/clock', { advanceSeconds: seconds });

export async function latestCode(emu, email, kind) {
  const data = await dev(emu, 'GET', `/__dev/mailbox?email=${encodeURIComponent(email)}`);
  return data.latest[kind];
}

/**
 * A client of one portal. `call()` sends GETs plain and POSTs over the secure channel
 * (opening one on demand) unless `{plain: true}`. Results: {status, headers, body, encrypted},
 * where body is the decrypted envelope for encrypted answers.
 */
export class Client {
  constructor(emu, portal, { clientHash = randomHash(), lang, ip, accessCode = CODES[portal] } = {}) {
    Object.assign(this, { emu, portal, clientHash, lang, ip, accessCode });
    this.channel = null;
    this.accessToken = null;
    this.refreshToken = null;
  }

  headers(extra = {}) {
    const h = { 'Content-Type': 'application/json', 'X-PORTAL-ACCESS-CODE': this.accessCode, 'X-Client-Hash': this.clientHash };
    if (this.lang) h['Accept-Language'] = this.lang;
    if (this.ip) h['X-Emulator-Client-Ip'] = this.ip;
    if (this.accessToken) h.Authorization = `Bearer ${this.accessToken}`;
    for (const [k, v] of Object.entries(extra)) { if (v === null) delete h[k]; else h[k] = v; }
    return h;
  }

  /** Plain HTTP: body is a string (sent as is) or an object (JSON). */
  async raw(method, path, { body, headers } = {}) {
    const res = await fetch(`${this.emu.url}${path}`, {
      method, headers: this.headers(headers),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* left null: the test looks at text */ }
    return { status: res.status, headers: res.headers, body: json, text };
  }

  /** Opens a secure-channel session; `skE` / `cfsSk` may be fixed. */
  async openChannel({ skE = crypto.randomBytes(32), cfsSk = crypto.randomBytes(32), clientHash = this.clientHash } = {}) {
    const key = (await this.raw('GET', '/web/v1/secure-channel/public-key')).body.data;
    const pkR = sc.b64uDecode(key.publicKey);
    const ctx = sc.setupBaseS(pkR, sc.channelInfo(this.portal, key.keyId), skE);
    const cfsKey = sc.x25519PrivateKey(cfsSk);
    const cfsPk = sc.x25519PublicKeyOf(cfsKey);
    const payload = sc.contextSeal(ctx, Buffer.from('session-open'), Buffer.from(JSON.stringify({ clientHash, fsPublicKey: sc.b64uEncode(cfsPk) })));
    const res = await this.raw('POST', '/web/v1/secure-channel/session', { body: { keyId: key.keyId, enc: sc.b64uEncode(ctx.enc), payload: sc.b64uEncode(payload) } });
    if (res.status !== 200) return res;
    const d = res.body.data;
    const sfsPk = sc.b64uDecode(d.fsPublicKey);
    const keys = sc.deriveSessionKeys(ctx, sc.x25519(cfsKey, sfsPk));
    assert.ok(sc.confirmTag(keys.confirmKey, d.sessionId, sfsPk).equals(sc.b64uDecode(d.confirm)), 'confirm tag');
    this.channel = { sessionId: d.sessionId, keys, seq: 0, keyId: key.keyId, expiresAt: d.expiresAt };
    return res;
  }

  /** Builds an encrypted request body without sending it (for tamper tests). */
  seal(method, path, plaintext, seq = ++this.channel.seq) {
    return sc.sealRequest(this.channel.keys, { method, path, sessionId: this.channel.sessionId, seq, plaintext });
  }

  /** Sends a prepared encrypted body; decrypts an encrypted answer. */
  async sendSealed(method, path, sealed, { headers, channel = this.channel } = {}) {
    const res = await this.raw(method, path, { body: sealed, headers: { 'X-Secure-Channel-Session-Id': channel.sessionId, ...headers } });
    if (res.body && typeof res.body.nonce === 'string') {
      const pt = sc.openResponse(channel.keys, { method, path, sessionId: channel.sessionId, seq: sealed.seq, status: res.status, body: res.body });
      assert.ok(pt !== null, `response to ${path} did not open`);
      return { ...res, body: JSON.parse(pt), encrypted: true };
    }
    return { ...res, encrypted: false };
  }

  /** An API call; `rel` is relative to /web/v1/{portal} unless it starts with /web/. */
  async call(method, rel, body, { plain = false, headers } = {}) {
    const path = rel.startsWith('/web/') ? rel : `/web/v1/${this.portal}${rel}`;
    if (method === 'GET' || plain) return { ...(await this.raw(method, path, { body, headers })), encrypted: false };
    if (!this.channel) await this.openChannel();
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
    return this.sendSealed(method, path, this.seal(method, path, text), { headers });
  }

  /** Calls and asserts a success envelope; returns its data (or the 204 shape). */
  async ok(method, rel, body, opts) {
    const r = await this.call(method, rel, body, opts);
    assert.equal(r.status, 200, `${method} ${rel}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body?.status === 204) { assert.deepEqual(r.body, { status: 204, body: null }); return r.body; }
    assert.equal(r.body.success, true, `${rel}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.code, '2000');
    return r.body.data;
  }

  /** Calls and asserts an error code + HTTP status; returns the response. */
  async fails(method, rel, body, code, status, opts) {
    const r = await this.call(method, rel, body, opts);
    assert.equal(r.body?.code, code, `${method} ${rel}: expected ${code}, got ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.status, status, `${method} ${rel}: HTTP status`);
    assert.equal(r.body.success, false);
    assert.equal(typeof r.body.message, 'string');
    return r;
  }

  useTokens(tokens) {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    return tokens;
  }

  /** Full sign-in; EMAIL MFA by default (reads the dev mailbox). Returns the tokens. */
  async login(local, { method = 'EMAIL', code, password = PASSWORD } = {}) {
    const email = local.includes('@') ? local : emailOf(local, this.portal);
    const init = await this.ok('POST', '/auth/login/initiate', { email, password });
    if (!init.mfaRequired) return this.useTokens(init);
    if (method === 'EMAIL' && code === undefined) {
      await this.ok('POST', '/auth/login/mfa/send', { loginSessionId: init.loginSessionId, mfaMethod: 'EMAIL' });
      code = await latestCode(this.emu, email, 'LOGIN_MFA');
    }
    return this.useTokens(await this.ok('POST', '/auth/login/complete', { loginSessionId: init.loginSessionId, mfaMethod: method, code }));
  }
}
