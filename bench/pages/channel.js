// Figures 3, 4, 5 and 7a: the core's channel functions in the bench wasm module (same flags as
// the shipped module) against references running in this same page. Every function answers raw
// samples (µs per call); bench/run.mjs takes medians and ratios.
import createBenchModule from '/bench-wasm/portal-bench.js';
import { CipherSuite, HkdfSha256, DhkemX25519HkdfSha256 as NativeX25519Kem } from '/vendor/@hpke/core/esm/mod.js';
import { DhkemX25519HkdfSha256 } from '/vendor/@hpke/dhkem-x25519/esm/mod.js';
import { Chacha20Poly1305 } from '/vendor/@hpke/chacha20poly1305/esm/mod.js';
import { x25519 } from '/vendor/@hpke/dhkem-x25519/esm/src/primitives/x25519.js';
import { interleave, jsonOfSize, timeAsync, timeSync } from './common.js';

const core = await createBenchModule();
const transcript = await (await fetch('/vectors/secure-channel-v1-transcript.json')).json();
const loaded = core.load(JSON.stringify(transcript));
if (loaded) throw new Error(`bench module: ${loaded}`);

const hex = (text) => Uint8Array.from(text.match(/../g), (b) => parseInt(b, 16));
const info = hex(transcript.hpke.info);
const serverPk = hex(transcript.inputs.serverStaticPk);
const sessionOpenPlaintext = new TextEncoder().encode(transcript.sessionOpen.sealedPlaintext);
const sessionOpenAad = new TextEncoder().encode('session-open');
const serverFsPk = hex(transcript.derived.clientFsPk);  // any valid X25519 public key will do

// hpke-js, pure JS (noble X25519, its own HKDF, ChaCha20-Poly1305 from @hpke/chacha20poly1305).
const pureSuite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });
const purePk = await pureSuite.kem.deserializePublicKey(serverPk.buffer);
// hpke-js with Chromium's WebCrypto X25519 (@hpke/core's native KEM): a second, faster reference.
const nativeSuite = new CipherSuite({ kem: new NativeX25519Kem(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });
const nativePk = await nativeSuite.kem.deserializePublicKey(serverPk.buffer);
const nativeFsPk = await crypto.subtle.importKey('raw', serverFsPk, { name: 'X25519' }, false, []);

/** The client's work to open a session, done by hpke-js: SetupBaseS + one seal + the forward-secrecy step. */
async function hpkeSessionOpen(suite, recipientPublicKey, forwardSecrecy) {
  const sender = await suite.createSenderContext({ recipientPublicKey, info });
  await sender.seal(sessionOpenPlaintext, sessionOpenAad);
  await forwardSecrecy();
}
// Forward-secrecy step: a fresh X25519 key pair and one agreement with the server's fs key.
const pureForwardSecrecy = async () => {
  const sk = crypto.getRandomValues(new Uint8Array(32));
  x25519.getPublicKey(sk);
  x25519.getSharedSecret(sk, serverFsPk);
};
// WebKitGTK 2.50's WebCrypto X25519 generateKey now and then fails with an OperationError (a few
// in some hundred calls; hpke-js's native KEM calls it too): such a session open is run again
// (its time included) and counted in bench.x25519Retries.
let x25519Retries = 0;
async function retried(work) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 5 || !/operation-specific|OperationError/.test(`${error?.name} ${error?.message}`)) throw error;
      x25519Retries += 1;
    }
  }
}
const nativeForwardSecrecy = async () => {
  const pair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  await crypto.subtle.exportKey('raw', pair.publicKey);
  await crypto.subtle.deriveBits({ name: 'X25519', public: nativeFsPk }, pair.privateKey, 256);
};

// The per-request path crosses the boundary as the shipped module's does (web/portal-client.js,
// class Core): strings encoded into the module's input buffer, a request body copied out as bytes
// for fetch, a response body copied in from fetch's bytes, the opened JSON decoded as text.
const encoder = new TextEncoder();
const decoder = new TextDecoder();
function put(...values) {
  let size = 0;
  for (const value of values) size += typeof value === 'string' ? value.length * 3 : value.length;
  let at = core._bench_input(size);
  const heap = core.HEAPU8;
  const out = [];
  for (const value of values) {
    const length = typeof value === 'string'
      ? encoder.encodeInto(value, heap.subarray(at, at + value.length * 3)).written
      : (heap.set(value, at), value.length);
    out.push(at, length);
    at += length;
  }
  return out;
}
/** Request JSON in → the sealed body as bytes (null on failure). */
function seal(method, path, json) {
  const length = core._bench_seal(...put(method, path, json));
  const at = core._bench_output();
  return length < 0 ? null : core.HEAPU8.slice(at, at + length);
}
/** Response body bytes in → the opened envelope JSON as text (null on failure). */
function open(method, path, seq, status, body) {
  const length = core._bench_open(...put(method, path, body), seq, status);
  const at = core._bench_output();
  return length < 0 ? null : decoder.decode(core.HEAPU8.subarray(at, at + length));
}

function mustOpen() {
  const failure = core.openSession();
  if (failure) throw new Error(`openSession: ${failure}`);
}

/** Figure 3: µs per session open, ours vs hpke-js (pure JS and WebCrypto-X25519). */
async function sessionOpen({ samples, iterations }) {
  await hpkeSessionOpen(pureSuite, purePk, pureForwardSecrecy);  // warm both paths up
  await retried(() => hpkeSessionOpen(nativeSuite, nativePk, nativeForwardSecrecy));
  timeSync(iterations, mustOpen);
  return interleave(samples, {
    ours: async () => timeSync(iterations, mustOpen),
    hpkeJs: () => timeAsync(iterations, () => hpkeSessionOpen(pureSuite, purePk, pureForwardSecrecy)),
    hpkeJsWebCryptoX25519: () => timeAsync(iterations, () => retried(() => hpkeSessionOpen(nativeSuite, nativePk, nativeForwardSecrecy))),
  });
}

const METHOD = 'POST';
const PATH = '/web/v1/system/profile/update';

/** Answers `count` server responses for the next seqs of the open session (made untimed). */
function responsesFor(count, envelope) {
  const first = core.lastSeq() + 1;
  return Array.from({ length: count }, (_, i) => encoder.encode(core.serverSeal(METHOD, PATH, first + i, 200, envelope)));
}

/**
 * Figure 4: one request's whole channel path in the module — request JSON in → sealed body out,
 * response body in → opened envelope JSON out — vs WebCrypto AES-256-GCM encrypt + decrypt of
 * the same request bytes, in µs per request.
 */
async function perRequest({ size, samples, iterations }) {
  mustOpen();
  const request = jsonOfSize(size);
  const envelope = jsonOfSize(size, true);
  const requestBytes = new TextEncoder().encode(request);
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aesRoundTrip = async () => {
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, requestBytes);
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
  };
  let failures = 0;
  const [sampleResponse] = responsesFor(1, envelope);  // for the boundary's share below
  const ours = () => {
    const responses = responsesFor(iterations, envelope);
    const first = core.lastSeq() + 1;
    return timeSync(iterations, (i) => {
      const body = seal(METHOD, PATH, request);
      const opened = open(METHOD, PATH, first + i, 200, responses[i]);
      if (!body || opened?.length !== envelope.length) failures += 1;
    });
  };
  ours();
  await timeAsync(iterations, aesRoundTrip);
  const result = await interleave(samples, { ours: async () => ours(), webCryptoAesGcm: () => timeAsync(iterations, aesRoundTrip) });
  if (failures) throw new Error(`perRequest: ${failures} seal/open failures`);
  // The cipher's share of ours: libsodium's ChaCha20-Poly1305 over the request and the response
  // bytes alone (opening costs what sealing does), without JSON, base64url or string marshalling.
  result.cipherOnly = Array.from({ length: samples }, () => timeSync(iterations, () => core.aeadSeal(size, 1)) * 2);
  // The boundary's share: the same copies in and out of wasm memory as ours, without the calls.
  const sealedSize = seal(METHOD, PATH, request).length;
  const at = core._bench_output();
  result.boundaryOnly = Array.from({ length: samples }, () => timeSync(iterations, () => {
    put(METHOD, PATH, request);
    core.HEAPU8.slice(at, at + sealedSize);
    put(METHOD, PATH, sampleResponse);
    decoder.decode(core.HEAPU8.subarray(at, at + envelope.length));
  }));
  return result;
}

/** Figure 5: MB/s of libsodium's ChaCha20-Poly1305 (and its two halves) on 1 MiB; X25519 µs. */
function primitives({ samples, iterations }) {
  const MiB = 1 << 20;
  const rate = (us) => MiB / us;  // bytes per µs = MB/s
  const out = { aeadMBps: [], chacha20MBps: [], poly1305MBps: [], x25519Us: [] };
  core.aeadSeal(MiB, 1);
  for (let s = 0; s < samples; s += 1) {
    out.aeadMBps.push(rate(timeSync(iterations, () => core.aeadSeal(MiB, 1))));
    out.chacha20MBps.push(rate(timeSync(iterations, () => core.chacha20(MiB, 1))));
    out.poly1305MBps.push(rate(timeSync(iterations, () => core.poly1305(MiB, 1))));
    out.x25519Us.push(timeSync(1, () => core.x25519(iterations * 20)) / (iterations * 20));
  }
  return out;
}

/** Figure 7a: linear memory of the bench module before and after `requests` seal + open pairs. */
function memory({ requests, size }) {
  mustOpen();
  const before = core.HEAPU8.length;
  const request = jsonOfSize(size);
  const envelope = jsonOfSize(size, true);
  for (let done = 0; done < requests; done += 100) {
    const responses = responsesFor(100, envelope);
    const first = core.lastSeq() + 1;
    for (let i = 0; i < 100; i += 1) {
      seal(METHOD, PATH, request);
      if (!open(METHOD, PATH, first + i, 200, responses[i])) throw new Error('memory: open failed');
    }
  }
  return { before, after: core.HEAPU8.length };
}

window.bench = { sessionOpen, perRequest, primitives, memory, crossOriginIsolated: globalThis.crossOriginIsolated, x25519Retries: () => x25519Retries };
window.benchReady = true;
