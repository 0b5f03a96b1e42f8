// Secure channel over HTTP: session open, the tamper matrix, replay window, binding to
// portal / key / client hash, close, expiry, key rotation, REQUIRED and the off switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as sc from '../../emulator/secure-channel.mjs';
import { Client, PORTALS, advance, dev, randomHash, start } from './helpers.mjs';

let emu;
before(async () => { emu = await start(); });
after(() => emu.close());

const forgot = (portal) => `/web/v1/${portal}/auth/password/forgot`;
const harmless = () => JSON.stringify({ email: `${crypto.randomBytes(6).toString('hex')}@nowhere.example` });
const flip = (b64, i, bit = 1) => { const b = sc.b64uDecode(b64); b[i % b.length] ^= bit; return sc.b64uEncode(b); };

async function channelClient(portal = 'system') {
  const c = new Client(emu, portal);
  const r = await c.openChannel();
  assert.equal(r.status, 200);
  return c;
}

test('public key: suite ids, key id, 32-byte key; portal headers required', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const r = await c.raw('GET', '/web/v1/secure-channel/public-key');
    assert.equal(r.status, 200);
    const d = r.body.data;
    assert.deepEqual([d.kemId, d.kdfId, d.aeadId], [32, 1, 3]);
    assert.match(d.keyId, /^sc-emu-[0-9a-f]{6}-\d+$/);
    assert.equal(sc.b64uDecode(d.publicKey).length, 32);
    assert.match(d.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  const c = new Client(emu, 'system');
  const noCode = await c.raw('GET', '/web/v1/secure-channel/public-key', { headers: { 'X-PORTAL-ACCESS-CODE': null } });
  assert.deepEqual([noCode.status, noCode.body.code], [401, 'PORTAL.ACCESS_CODE_INVALID']);
  const badCode = await c.raw('GET', '/web/v1/secure-channel/public-key', { headers: { 'X-PORTAL-ACCESS-CODE': 'nope' } });
  assert.deepEqual([badCode.status, badCode.body.code], [401, 'PORTAL.ACCESS_CODE_INVALID']);
  const noHash = await c.raw('GET', '/web/v1/secure-channel/public-key', { headers: { 'X-Client-Hash': null } });
  assert.deepEqual([noHash.status, noHash.body.code, noHash.body.fieldErrors[0].code], [400, '4000', 'HEADER_REQUIRED']);
});

test('session open on every portal; confirm verifies; requests and responses round-trip encrypted', async () => {
  for (const portal of PORTALS) {
    const c = await channelClient(portal);
    assert.equal(sc.b64uDecode(c.channel.sessionId).length, 16);
    const r = await c.call('POST', '/auth/password/forgot', { email: `x@${portal}.example` });
    assert.equal(r.encrypted, true);
    assert.equal(r.status, 200);
    assert.equal(r.body.code, '2000');
    assert.match(r.body.data.resetSessionId, /^PR_/);
  }
});

test('session open refusals: unknown key, bit flips in enc and payload, client-hash mismatch, wrong portal info, malformed', async () => {
  const c = new Client(emu, 'system');
  const key = (await c.raw('GET', '/web/v1/secure-channel/public-key')).body.data;
  const build = ({ portal = 'system', clientHash = c.clientHash } = {}) => {
    const ctx = sc.setupBaseS(sc.b64uDecode(key.publicKey), sc.channelInfo(portal, key.keyId), crypto.randomBytes(32));
    const pt = JSON.stringify({ clientHash, fsPublicKey: sc.b64uEncode(sc.x25519PublicKeyOf(crypto.randomBytes(32))) });
    return { keyId: key.keyId, enc: sc.b64uEncode(ctx.enc), payload: sc.b64uEncode(sc.contextSeal(ctx, Buffer.from('session-open'), Buffer.from(pt))) };
  };
  const open = (body) => c.raw('POST', '/web/v1/secure-channel/session', { body });
  const expect = async (body, code, status) => {
    const r = await open(body);
    assert.deepEqual([r.status, r.body.code], [status, code], JSON.stringify(r.body));
    assert.equal(r.body.data, null);
  };
  assert.equal((await open(build())).status, 200);
  await expect({ ...build(), keyId: 'sc-nope' }, 'SECURE_CHANNEL.KEY_UNKNOWN', 400);
  const good = build();
  for (let i = 0; i < 32; i += 5) await expect({ ...good, enc: flip(good.enc, i) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  const payloadLength = sc.b64uDecode(good.payload).length;
  for (let i = 0; i < payloadLength; i += 17) await expect({ ...good, payload: flip(good.payload, i, 0x80) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...good, payload: flip(good.payload, payloadLength - 1) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...good, enc: sc.b64uEncode(Buffer.alloc(32)) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect(build({ clientHash: randomHash() }), 'SECURE_CHANNEL.SESSION_INVALID', 401);
  await expect(build({ portal: 'tenant' }), 'PORTAL.ACCESS_CODE_INVALID', 401); // info binds the portal of the access code: another portal's code
  await expect({ ...good, extra: 1 }, '4000', 400);
  await expect({ keyId: key.keyId, enc: good.enc }, '4000', 400);
  await expect({ ...good, enc: `${good.enc}=` }, '4000', 400);
  await expect({ ...good, enc: good.enc.slice(4) }, '4000', 400);
  await expect({ ...good, payload: 5 }, '4000', 400);
  const junk = await c.raw('POST', '/web/v1/secure-channel/session', { body: '{"keyId":' });
  assert.deepEqual([junk.status, junk.body.fieldErrors[0].code], [400, 'MALFORMED_JSON']);
});

test('tamper matrix on an encrypted request: every byte of data, seq, session id, path, client hash, portal', async () => {
  const c = await channelClient('system');
  const path = forgot('system');
  const send = (sealed, headers, p = path) => c.sendSealed('POST', p, sealed, { headers });
  const expect = async (sealed, code, status, headers, p) => {
    const r = await send(sealed, headers, p);
    assert.equal(r.encrypted, false, 'channel errors are plaintext');
    assert.deepEqual([r.status, r.body.code], [status, code], JSON.stringify(r.body));
  };
  const sealed = c.seal('POST', path, harmless());
  const len = sc.b64uDecode(sealed.data).length;
  for (let i = 0; i < len; i++) await expect({ ...sealed, data: flip(sealed.data, i, 1 << (i % 8)) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, data: sc.b64uEncode(sc.b64uDecode(sealed.data).subarray(0, len - 1)) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, seq: sealed.seq + 1 }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, seq: 0 }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, seq: 2 ** 53 }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, seq: 1.5 }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, seq: String(sealed.seq) }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, extra: true }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ seq: sealed.seq }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect({ ...sealed, data: `${sealed.data}=` }, 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect('{"seq":', 'SECURE_CHANNEL.DECRYPT_FAILED', 400);
  await expect(sealed, 'SECURE_CHANNEL.DECRYPT_FAILED', 400, {}, forgot('system').replace('forgot', 'reset')); // path swap
  await expect(sealed, 'SECURE_CHANNEL.SESSION_INVALID', 401, { 'X-Secure-Channel-Session-Id': flip(c.channel.sessionId, 0) });
  await expect(sealed, 'SECURE_CHANNEL.SESSION_INVALID', 401, { 'X-Secure-Channel-Session-Id': '' });
  await expect(sealed, 'SECURE_CHANNEL.SESSION_INVALID', 401, { 'X-Client-Hash': randomHash() }); // client-hash swap
  await expect(sealed, 'SECURE_CHANNEL.SESSION_INVALID', 401, { 'X-Client-Hash': null });
  await expect(sealed, 'SECURE_CHANNEL.SESSION_INVALID', 401, { 'X-PORTAL-ACCESS-CODE': 'dev-tenant-code' }, forgot('tenant')); // other portal
  // None of the failures consumed the seq: the untouched body still opens, once.
  const r = await send(sealed);
  assert.deepEqual([r.status, r.encrypted, r.body.code], [200, true, '2000']);
  await expect(sealed, 'SECURE_CHANNEL.REPLAY', 400);
});

test('replay window over HTTP: out of order inside the window, refused outside it', async () => {
  const c = await channelClient('tenant');
  const path = forgot('tenant');
  const at = (seq) => c.sendSealed('POST', path, c.seal('POST', path, harmless(), seq));
  const code = async (seq) => (await at(seq)).body.code;
  assert.equal(await code(5), '2000');
  assert.equal(await code(3), '2000');
  assert.equal(await code(4), '2000');
  assert.equal(await code(3), 'SECURE_CHANNEL.REPLAY');
  assert.equal(await code(100), '2000');
  assert.equal(await code(36), 'SECURE_CHANNEL.REPLAY');
  assert.equal(await code(37), '2000');
  assert.equal(await code(37), 'SECURE_CHANNEL.REPLAY');
  assert.equal(await code(99), '2000');
  assert.equal(await code(2 ** 53 - 1), '2000');
  assert.equal(await code(150), 'SECURE_CHANNEL.REPLAY');
});

test('encrypted responses: fresh nonce each time, AAD binds status and seq', async () => {
  const c = await channelClient('consumer');
  const path = forgot('consumer');
  const a = c.seal('POST', path, harmless());
  const raw = await c.raw('POST', path, { body: a, headers: { 'X-Secure-Channel-Session-Id': c.channel.sessionId } });
  assert.deepEqual(Object.keys(raw.body).sort(), ['data', 'nonce', 'seq']);
  assert.equal(raw.body.seq, a.seq);
  const args = { method: 'POST', path, sessionId: c.channel.sessionId, seq: a.seq, body: raw.body };
  assert.ok(sc.openResponse(c.channel.keys, { ...args, status: 200 }));
  assert.equal(sc.openResponse(c.channel.keys, { ...args, status: 201 }), null);
  assert.equal(sc.openResponse(c.channel.keys, { ...args, seq: a.seq + 1, body: { ...raw.body, seq: a.seq + 1 } }), null);
  assert.equal(sc.openResponse(c.channel.keys, { ...args, path: forgot('system') }), null);
  const nonces = new Set([raw.body.nonce]);
  for (let i = 0; i < 5; i++) {
    const s = c.seal('POST', path, harmless());
    nonces.add((await c.raw('POST', path, { body: s, headers: { 'X-Secure-Channel-Session-Id': c.channel.sessionId } })).body.nonce);
  }
  assert.equal(nonces.size, 6);
  // A business error after opening is encrypted too, with its own HTTP status in the AAD.
  const e = await c.call('POST', '/auth/password/forgot', { email: 'not-an-email' });
  assert.deepEqual([e.encrypted, e.status, e.body.code, e.body.fieldErrors[0].field], [true, 400, '4000', 'email']);
  const j = await c.call('POST', '/auth/logout', {});
  assert.deepEqual([j.encrypted, j.status, j.body.code], [true, 401, '4010']);
  const w = await c.call('POST', '/auth/logout', {}, { headers: { 'X-PORTAL-ACCESS-CODE': 'dev-system-code' } });
  assert.deepEqual([w.encrypted, w.status, w.body.code], [true, 401, 'PORTAL.ACCESS_CODE_INVALID']);
});

test('session close: encrypted null envelope, then the id is refused', async () => {
  const c = await channelClient('system');
  const r = await c.call('POST', '/web/v1/secure-channel/session/close', {});
  assert.deepEqual([r.status, r.encrypted], [200, true]);
  assert.deepEqual(r.body, { success: true, code: '2000', message: 'SUCCESS', data: null });
  const after = await c.call('POST', '/auth/password/forgot', JSON.parse(harmless()));
  assert.deepEqual([after.status, after.body.code, after.encrypted], [401, 'SECURE_CHANNEL.SESSION_INVALID', false]);
  const again = await c.call('POST', '/web/v1/secure-channel/session/close', {});
  assert.equal(again.body.code, 'SECURE_CHANNEL.SESSION_INVALID');
  const plain = await c.call('POST', '/web/v1/secure-channel/session/close', {}, { plain: true });
  assert.deepEqual([plain.status, plain.body.code], [400, 'SECURE_CHANNEL.REQUIRED']);
  const c2 = await channelClient('system');
  const junk = await c2.call('POST', '/web/v1/secure-channel/session/close', { x: 1 });
  assert.deepEqual([junk.encrypted, junk.body.code], [true, '4000']);
});

test('session expiry by clock and by the dev endpoint', async () => {
  const c = await channelClient('system');
  assert.equal((await c.call('POST', '/auth/password/forgot', JSON.parse(harmless()))).body.code, '2000');
  await advance(emu, 1799);
  assert.equal((await c.call('POST', '/auth/password/forgot', JSON.parse(harmless()))).body.code, '2000');
  await advance(emu, 2);
  assert.equal((await c.call('POST', '/auth/password/forgot', JSON.parse(harmless()))).body.code, 'SECURE_CHANNEL.SESSION_INVALID');
  const d = await channelClient('system');
  await dev(emu, 'POST', '/__dev/secure-channel/expire-sessions');
  assert.equal((await d.call('POST', '/auth/password/forgot', JSON.parse(harmless()))).body.code, 'SECURE_CHANNEL.SESSION_INVALID');
});

test('key rotation: old key usable during the grace period, then KEY_UNKNOWN; sessions survive', async () => {
  const before = await channelClient('system');
  const oldKey = before.channel.keyId;
  const rot = await dev(emu, 'POST', '/__dev/secure-channel/rotate-key');
  assert.equal(rot.retiredKeyId, oldKey);
  assert.notEqual(rot.keyId, oldKey);
  const fresh = await channelClient('system');
  assert.equal(fresh.channel.keyId, rot.keyId);

  // A client still holding the old public key can open a session during the grace.
  const pk = sc.b64uDecode((await new Client(emu, 'system').raw('GET', '/web/v1/secure-channel/public-key')).body.data.publicKey);
  assert.notEqual(pk, null);
  const openWith = async (c, keyId, publicKey) => {
    const ctx = sc.setupBaseS(publicKey, sc.channelInfo('system', keyId), crypto.randomBytes(32));
    const payload = sc.contextSeal(ctx, Buffer.from('session-open'), Buffer.from(JSON.stringify({ clientHash: c.clientHash, fsPublicKey: sc.b64uEncode(sc.x25519PublicKeyOf(crypto.randomBytes(32))) })));
    return c.raw('POST', '/web/v1/secure-channel/session', { body: { keyId, enc: sc.b64uEncode(ctx.enc), payload: sc.b64uEncode(payload) } });
  };
  const oldPk = emu.channel.keys.get(oldKey).pk;
  assert.equal((await openWith(new Client(emu, 'system'), oldKey, oldPk)).status, 200);
  await dev(emu, 'POST', '/__dev/secure-channel/end-grace');
  const late = await openWith(new Client(emu, 'system'), oldKey, oldPk);
  assert.deepEqual([late.status, late.body.code], [400, 'SECURE_CHANNEL.KEY_UNKNOWN']);
  // The session opened under the retired key still works until its own expiry.
  assert.equal((await before.call('POST', '/auth/password/forgot', JSON.parse(harmless()))).body.code, '2000');

  // Grace also ends by time.
  const second = await dev(emu, 'POST', '/__dev/secure-channel/rotate-key');
  const midPk = emu.channel.keys.get(second.retiredKeyId).pk;
  await advance(emu, 299);
  assert.equal((await openWith(new Client(emu, 'system'), second.retiredKeyId, midPk)).status, 200);
  await advance(emu, 2);
  assert.equal((await openWith(new Client(emu, 'system'), second.retiredKeyId, midPk)).body.code, 'SECURE_CHANNEL.KEY_UNKNOWN');
});

test('plain POST to an encrypted endpoint → SECURE_CHANNEL.REQUIRED; GETs stay plain', async () => {
  for (const portal of PORTALS) {
    const c = new Client(emu, portal);
    const r = await c.call('POST', '/auth/login/initiate', { email: 'a@b.co', password: 'x' }, { plain: true });
    assert.deepEqual([r.status, r.body.code], [400, 'SECURE_CHANNEL.REQUIRED']);
  }
});

test('--secure-channel=off accepts plain bodies and still serves encrypted ones', async () => {
  const off = await start({ secureChannel: 'off' });
  try {
    const c = new Client(off, 'tenant');
    const init = await c.call('POST', '/auth/login/initiate', { email: 'admin@tenant.example.com', password: 'Correct-Horse-9' }, { plain: true });
    assert.deepEqual([init.status, init.body.code, init.body.data.mfaRequired], [200, '2000', true]);
    const enc = await c.call('POST', '/auth/login/initiate', { email: 'admin@tenant.example.com', password: 'Correct-Horse-9' });
    assert.deepEqual([enc.encrypted, enc.body.code], [true, '2000']);
    const close = await c.call('POST', '/web/v1/secure-channel/session/close', {}, { plain: true });
    assert.equal(close.body.code, 'SECURE_CHANNEL.REQUIRED');
  } finally { await off.close(); }
});
