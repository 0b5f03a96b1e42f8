// Secure channel server primitives: the golden transcript byte for byte, RFC 9180 vectors,
// strict base64url, the replay window, all-zero DH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sc from '../../emulator/secure-channel.mjs';
import { loadVector as load } from './helpers.mjs';

const H = (hex) => Buffer.from(hex, 'hex');
const hex = (b) => Buffer.from(b).toString('hex');

test('golden transcript: server reproduces every byte with fixed randomness', () => {
  const t = load('secure-channel-v1-transcript.json');
  const fixed = {
    sessionId: Buffer.from(t.inputs.sessionId, 'base64url'),
    fsKey: H(t.inputs.serverFsSk),
    nonce: Buffer.from(t.response.body.nonce, 'base64url'),
  };
  const drawn = [];
  const server = new sc.SecureChannelServer({
    now: () => Date.parse(t.sessionResponseData.expiresAt) - 1800e3,
    randomBytes: (n, purpose) => { drawn.push(purpose); assert.equal(n, fixed[purpose].length); return Buffer.from(fixed[purpose]); },
  });
  server.addKey({ keyId: t.inputs.keyId, sk: H(t.inputs.serverStaticSk), expiresAt: t.publicKeyResponseData.expiresAt });
  assert.deepEqual(server.publicKeyData(), t.publicKeyResponseData);
  assert.equal(hex(sc.x25519PublicKeyOf(H(t.inputs.serverStaticSk))), t.inputs.serverStaticPk);

  // The HPKE layer on its own, receiver side.
  const info = sc.channelInfo(t.inputs.portal, t.inputs.keyId);
  assert.equal(hex(info), t.hpke.info);
  const ctx = sc.setupBaseR(sc.b64uDecode(t.sessionOpen.requestBody.enc), H(t.inputs.serverStaticSk), info);
  assert.equal(hex(ctx.key), t.hpke.key);
  assert.equal(hex(ctx.baseNonce), t.hpke.baseNonce);
  assert.equal(hex(ctx.exporterSecret), t.hpke.exporterSecret);
  assert.equal(sc.contextOpen(ctx, Buffer.from('session-open'), sc.b64uDecode(t.sessionOpen.requestBody.payload)).toString(), t.sessionOpen.sealedPlaintext);
  const ee = sc.x25519(H(t.inputs.serverFsSk), H(t.derived.clientFsPk));
  assert.equal(hex(ee), t.derived.ee);
  const keys = sc.deriveSessionKeys(ctx, ee);
  for (const k of ['sessionSalt', 'c2sKey', 'c2sNonce', 's2cKey', 'confirmKey']) assert.equal(hex(keys[k]), t.derived[k], k);

  // The client side (test helper path) seals the same session-open payload.
  const sctx = sc.setupBaseS(H(t.inputs.serverStaticPk), info, H(t.inputs.hpkeEphemeralSk));
  assert.equal(hex(sctx.enc), t.hpke.enc);
  assert.equal(sc.b64uEncode(sc.contextSeal(sctx, Buffer.from('session-open'), Buffer.from(t.sessionOpen.sealedPlaintext))), t.sessionOpen.requestBody.payload);

  // Through the server object.
  const opened = server.openSession({ portal: 'system', clientHash: t.inputs.clientHash, body: t.sessionOpen.requestBody });
  assert.deepEqual(opened.data, t.sessionResponseData);
  assert.equal(hex(sc.xorNonce(keys.c2sNonce, 1)), t.request.nonce);
  assert.equal(sc.requestAad('POST', t.request.path, t.inputs.sessionId, 1).toString(), t.request.aad);
  assert.deepEqual(sc.sealRequest(keys, { method: 'POST', path: t.request.path, sessionId: t.inputs.sessionId, seq: 1, plaintext: t.request.plaintext }), t.request.body);
  const req = server.openRequest({ sessionId: t.inputs.sessionId, portal: 'system', clientHash: t.inputs.clientHash, method: 'POST', path: t.request.path, bodyText: JSON.stringify(t.request.body) });
  assert.equal(req.plaintext, t.request.plaintext);
  assert.equal(sc.responseAad('POST', t.request.path, t.inputs.sessionId, 1, 200).toString(), t.response.aad);
  const sealed = server.sealFor(req.session, { method: 'POST', path: t.request.path, seq: 1, status: t.response.status, plaintext: t.response.plaintext });
  assert.deepEqual(sealed, t.response.body);
  assert.deepEqual(drawn, ['sessionId', 'fsKey', 'nonce']);
  assert.equal(sc.openResponse(keys, { method: 'POST', path: t.request.path, sessionId: t.inputs.sessionId, seq: 1, status: 200, body: sealed }), t.response.plaintext);
  // Replaying the transcript request is refused.
  assert.equal(server.openRequest({ sessionId: t.inputs.sessionId, portal: 'system', clientHash: t.inputs.clientHash, method: 'POST', path: t.request.path, bodyText: JSON.stringify(t.request.body) }).error, 'SECURE_CHANNEL.REPLAY');
});

test('RFC 9180 A.2.1 (X25519, HKDF-SHA256, ChaCha20Poly1305): SetupBaseR, open, export', () => {
  const { vectors } = load('hpke_x25519_sha256_chacha.json');
  for (const v of vectors) {
    assert.equal(hex(sc.x25519PublicKeyOf(H(v.skRm))), v.pkRm);
    const ctx = sc.setupBaseR(H(v.enc), H(v.skRm), H(v.info));
    assert.equal(hex(ctx.sharedSecret), v.shared_secret);
    assert.equal(hex(ctx.keyScheduleContext), v.key_schedule_context);
    assert.equal(hex(ctx.secret), v.secret);
    assert.equal(hex(ctx.key), v.key);
    assert.equal(hex(ctx.baseNonce), v.base_nonce);
    assert.equal(hex(ctx.exporterSecret), v.exporter_secret);
    for (const e of v.encryptions) {
      assert.equal(hex(sc.xorNonce(ctx.baseNonce, e.sequence_number)), e.nonce);
      const pt = sc.aeadOpen(ctx.key, H(e.nonce), H(e.aad), H(e.ct));
      assert.equal(hex(pt), e.pt, `seq ${e.sequence_number}`);
      assert.equal(hex(sc.aeadSeal(ctx.key, H(e.nonce), H(e.aad), H(e.pt))), e.ct);
    }
    for (const x of v.exports) assert.equal(hex(sc.contextExport(ctx, H(x.exporter_context), x.L)), x.exported_value);
    const sctx = sc.setupBaseS(H(v.pkRm), H(v.info), H(v.skEm));
    assert.equal(hex(sctx.enc), v.enc);
    assert.equal(hex(sctx.key), v.key);
  }
});

test('HKDF-SHA256 matches RFC 5869', () => {
  for (const v of load('rfc_hkdf_totp_vectors.json').rfc5869_hkdf.filter((x) => x.hash === 'SHA-256')) {
    const prk = sc.hkdfExtract(H(v.salt ?? ''), H(v.IKM));
    assert.equal(hex(prk), v.PRK, v.test_case);
    assert.equal(hex(sc.hkdfExpand(prk, H(v.info ?? ''), v.L)), v.OKM, v.test_case);
  }
});

test('base64url decoder is strict', () => {
  assert.deepEqual([...sc.b64uDecode('AQID')], [1, 2, 3]);
  assert.deepEqual([...sc.b64uDecode('_-8')], [0xff, 0xef]);
  assert.equal(sc.b64uDecode('').length, 0);
  for (const bad of ['AQI=', 'AQ==', 'A', 'AQ+D', 'AQ/D', 'AQ D', 'AR', 'AQJ', '%%%%']) assert.equal(sc.b64uDecode(bad), null, bad);
  assert.equal(sc.b64uDecode(42), null);
});

test('X25519 refuses an all-zero shared secret (low-order points)', () => {
  const sk = Buffer.alloc(32, 7);
  assert.equal(sc.x25519(sk, Buffer.alloc(32)), null);
  const order8 = H('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800');
  assert.equal(sc.x25519(sk, order8), null);
  assert.equal(sc.setupBaseR(Buffer.alloc(32), sk, Buffer.alloc(0)), null);
  const wy = load('wycheproof/x25519_test.json');
  let zero = 0;
  for (const g of wy.testGroups) for (const tc of g.tests) {
    const out = sc.x25519(H(tc.private), H(tc.public));
    if (tc.flags.includes('ZeroSharedSecret')) { assert.equal(out, null, `tc ${tc.tcId}`); zero++; }
    else if (tc.result === 'valid') assert.equal(hex(out), tc.shared, `tc ${tc.tcId}`);
  }
  assert.ok(zero > 0);
});

test('replay window: 64 entries, out of order inside, refused outside', () => {
  const w = { max: 0n, bits: 0n };
  const take = (s) => { const okay = sc.replayCheck(w, s); if (okay) sc.replayMark(w, s); return okay; };
  assert.equal(take(1), true);
  assert.equal(take(1), false);
  assert.equal(take(5), true);
  assert.equal(take(3), true); // out of order, inside
  assert.equal(take(3), false);
  assert.equal(take(2), true);
  assert.equal(take(100), true);
  assert.equal(take(37), true); // 100 - 63: oldest slot
  assert.equal(take(36), false); // 100 - 64: outside
  assert.equal(take(5), false);
  assert.equal(take(99), true);
  assert.equal(take(2 ** 53 - 1), true);
  assert.equal(take(2 ** 53 - 2), true);
  assert.equal(take(2 ** 53 - 1), false);
  // A check alone does not mark.
  const w2 = { max: 0n, bits: 0n };
  assert.equal(sc.replayCheck(w2, 9), true);
  assert.equal(sc.replayCheck(w2, 9), true);
});

test('aeadOpen returns nothing for a flipped tag, ciphertext or AAD', () => {
  const key = Buffer.alloc(32, 1), nonce = Buffer.alloc(12, 2);
  const ct = sc.aeadSeal(key, nonce, Buffer.from('aad'), Buffer.from('hello world'));
  assert.equal(sc.aeadOpen(key, nonce, Buffer.from('aad'), ct).toString(), 'hello world');
  for (let i = 0; i < ct.length; i++) {
    const bad = Buffer.from(ct); bad[i] ^= 0x01;
    assert.equal(sc.aeadOpen(key, nonce, Buffer.from('aad'), bad), null, `byte ${i}`);
  }
  assert.equal(sc.aeadOpen(key, nonce, Buffer.from('aae'), ct), null);
  assert.equal(sc.aeadOpen(key, nonce, Buffer.from('aad'), ct.subarray(0, 15)), null);
});
