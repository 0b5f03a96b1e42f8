// Figures 3, 4, 5 and 7a: the core's channel functions in the bench wasm module (same flags as
// the shipped module) against references running in this same page. Every function answers raw
// samples (µs per call); bench/run.mjs takes medians and ratios.
import createBenchModule from '/bench-wasm/portal-bench.js';
import { CipherSuite, HkdfSha256, DhkemX25519HkdfSha256 as NativeX25519Kem } from '/vendor/@hpke/core/esm/mod.js';
import { DhkemX25519HkdfSha256 } from '/vendor/@hpke/dhkem-x25519/esm/mod.js';
import { Chacha20Poly1305 } from '/vendor/@hpke/chacha20poly1305/esm/mod.js';
import { x25519 } from '/vendor/@hpke/dhkem-x25519/esm/src/primitives/x25519.js';
import { METHOD, PATH, hex, interleave, jsonOfSize, sealedBodyCheck, timeAsync, timeSync } from './common.js';

// Engine faults. WebKitGTK 2.50 now and then computes a wrong answer in a freshly compiled wasm
// module while its functions are being compiled by the baseline JIT (BBQ) in the background: a
// ChaCha20 keystream off (with a Poly1305 tag that is valid for the wrong ciphertext), a failed
// session confirm, an out-of-bounds trap in deterministic code (README, "Where the engines
// differ"). Work that goes wrong here is run once more, and each such re-run is noted in
// bench.engineFaults(); work that goes wrong twice in a row throws. bench/run.mjs accepts faults
// from WebKit only: in Chromium and Firefox any fault fails the bench.
const engineFaults = [];

const transcript = await (await fetch('/vectors/secure-channel-v1-transcript.json')).json();
async function createCore() {
  const instance = await createBenchModule();
  const loaded = instance.load(JSON.stringify(transcript));
  if (loaded) throw new Error(`bench module: ${loaded}`);
  return instance;
}
let core;
try {
  core = await createCore();
} catch (error) {
  engineFaults.push(`load: ${error?.message ?? error}`);
  core = await createCore();  // a fresh instance
}

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

/** A session open; one whose confirm fails is noted and run again at once (its time included). */
function mustOpen() {
  let failure = core.openSession();
  if (failure) {
    engineFaults.push(`openSession: ${failure}`);
    failure = core.openSession();
  }
  if (failure) throw new Error(`openSession: ${failure} twice in a row`);
}

/**
 * Runs one sample of ours, `sample()` → { us } or { wrong: what }. A sample that went wrong or
 * trapped is noted and run once more (on a fresh instance after a trap: the trapped one's state
 * cannot be trusted); its time is the re-run's. Wrong twice in a row throws.
 */
async function rerunOnce(name, sample) {
  const attempt = () => {
    try {
      return sample();
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      return { wrong: `trap (${error.message})`, trap: true };
    }
  };
  const first = attempt();
  if (!first.wrong) return first.us;
  engineFaults.push(`${name}: ${first.wrong}`);
  if (first.trap) core = await createCore();
  const again = attempt();
  if (again.wrong) throw new Error(`${name}: ${first.wrong}, then on the re-run: ${again.wrong}`);
  return again.us;
}

/** Figure 3: µs per session open, ours vs hpke-js (pure JS and WebCrypto-X25519). */
async function sessionOpen({ samples, iterations }) {
  await hpkeSessionOpen(pureSuite, purePk, pureForwardSecrecy);  // warm both paths up
  await retried(() => hpkeSessionOpen(nativeSuite, nativePk, nativeForwardSecrecy));
  const ours = () => rerunOnce('sessionOpen', () => ({ us: timeSync(iterations, mustOpen) }));
  await ours();
  return interleave(samples, {
    ours,
    hpkeJs: () => timeAsync(iterations, () => hpkeSessionOpen(pureSuite, purePk, pureForwardSecrecy)),
    hpkeJsWebCryptoX25519: () => timeAsync(iterations, () => retried(() => hpkeSessionOpen(nativeSuite, nativePk, nativeForwardSecrecy))),
  });
}

const sealedCorrectly = sealedBodyCheck(transcript);

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
  const request = jsonOfSize(size);
  const envelope = jsonOfSize(size, true);
  const requestBytes = new TextEncoder().encode(request);
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aesRoundTrip = async () => {
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, requestBytes);
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
  };
  // One sample: a fresh session (the transcript's, so seqs 1…iterations and every body repeat), the
  // timed loop, then, untimed, every sealed body decrypted in JS and every opened text compared.
  const sample = () => {
    mustOpen();
    const responses = responsesFor(iterations, envelope);
    const bodies = new Array(iterations);
    const opened = new Array(iterations);
    const us = timeSync(iterations, (i) => {
      bodies[i] = seal(METHOD, PATH, request);
      opened[i] = open(METHOD, PATH, i + 1, 200, responses[i]);
    });
    for (let i = 0; i < iterations; i += 1) {
      if (!sealedCorrectly(bodies[i] && decoder.decode(bodies[i]), i + 1, request)) return { wrong: `seal of seq ${i + 1}: ${bodies[i] ? 'wrong bytes' : 'failed'}` };
      if (opened[i] !== envelope) return { wrong: `open of seq ${i + 1}: ${opened[i] === null ? 'failed' : 'wrong text'}` };
    }
    return { us };
  };
  const ours = () => rerunOnce(`perRequest ${size} B`, sample);
  await ours();
  await timeAsync(iterations, aesRoundTrip);
  const result = await interleave(samples, { ours, webCryptoAesGcm: () => timeAsync(iterations, aesRoundTrip) });
  // The cipher's share of ours: libsodium's ChaCha20-Poly1305 over the request and the response
  // bytes alone (opening costs what sealing does), without JSON, base64url or string marshalling.
  result.cipherOnly = Array.from({ length: samples }, () => timeSync(iterations, () => core.aeadSeal(size, 1)) * 2);
  // The boundary's share: the same copies in and out of wasm memory as ours, without the calls.
  const [sampleResponse] = responsesFor(1, envelope);
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

window.bench = {
  sessionOpen, perRequest, primitives, memory, crossOriginIsolated: globalThis.crossOriginIsolated,
  x25519Retries: () => x25519Retries, engineFaults: () => [...engineFaults],
};
window.benchReady = true;
