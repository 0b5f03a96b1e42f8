// Engine-fault probe (README, "Where the engines differ": WebKitGTK's wrong wasm answers while BBQ
// compiles). Each run compiles the bench module anew and does what bench/pages/channel.js's fault
// counts were measured on: the transcript load, a session open, then `pairs` seal + open pairs of
// 1 KiB, every sealed body checked in JS (@noble/ciphers) with the transcript's c2s key.
//   mode 'plain': seal as the module does (the fault rate without any check);
//   mode 'probe': each seal also answers what two guards would have seen (bench/kernels.hpp,
//                 probe_seal): A, a second AEAD seal of the same input differs; B, opening the
//                 sealed bytes fails or yields other plaintext.
//   warm: that many unchecked seal + open pairs first (a warm-up at load), on another session.
import createBenchModule from '/bench-wasm/portal-bench.js';
import { chacha20poly1305 } from '/vendor/@hpke/chacha20poly1305/esm/src/chacha/chacha.js';
import { METHOD, PATH, base64url, hex, jsonOfSize, sealedBodyCheck } from './common.js';

const transcript = await (await fetch('/vectors/secure-channel-v1-transcript.json')).json();
const transcriptText = JSON.stringify(transcript);
const s2cKey = hex(transcript.derived.s2cKey);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const request = jsonOfSize(1024);
const envelope = jsonOfSize(1024, true);

const checkSealed = sealedBodyCheck(transcript);
const sealedCorrectly = (body, seq) => checkSealed(body, seq, request);

// The server's answers come from the same module (serverSeal, libsodium without a guard): each is
// checked here too, so a wrong one is told apart from a client open that went wrong.
const goodResponses = new Set();
function responseCorrect(response, seq) {
  if (goodResponses.has(`${seq} ${response}`)) return true;
  try {
    const { nonce, data } = JSON.parse(response);
    const aad = encoder.encode(`v1\n${METHOD}\n${PATH}\n${transcript.inputs.sessionId}\n${seq}\n200`);
    if (decoder.decode(chacha20poly1305(s2cKey, base64url(nonce), aad).decrypt(base64url(data))) !== envelope) return false;
  } catch {
    return false;
  }
  goodResponses.add(`${seq} ${response}`);
  return true;
}

/** One fresh instance; answers its events: [{ at: op index, ms, what, flags? }]. */
async function one({ mode, pairs, warm }) {
  const t0 = performance.now();
  const events = [];
  const note = (at, what, flags) => events.push({ at, ms: Math.round(performance.now() - t0), what, flags });
  let core;
  try {
    core = await createBenchModule();
    const loaded = core.load(transcriptText);
    if (loaded) { note(-1, `load: ${loaded}`); return events; }
    if (warm) {
      const responses = Array.from({ length: warm }, (_, i) => core.serverSeal(METHOD, PATH, i + 1, 200, envelope));
      for (let i = 0; i < warm; i += 1) {
        sealOnce(core, mode);
        openText(core, i + 1, responses[i]);
      }
    }
    const opened = core.openSession();
    if (opened) { note(0, `openSession: ${opened}`); return events; }
    const responses = Array.from({ length: pairs }, (_, i) => core.serverSeal(METHOD, PATH, i + 1, 200, envelope));
    for (let i = 0; i < pairs; i += 1) {
      const seq = i + 1;
      const answer = sealOnce(core, mode);
      const bar = answer.indexOf('|');
      const flags = answer.slice(0, bar);
      const body = answer.slice(bar + 1);
      const right = sealedCorrectly(body, seq);
      if (!right) { note(seq, body ? 'seal wrong' : 'seal failed', flags); break; }
      else if (mode === 'probe' && flags !== '--') note(seq, 'false alarm', flags);
      if (!responseCorrect(responses[i], seq)) { note(seq, 'server side (serverSeal) wrong'); break; }
      const text = openText(core, seq, responses[i]);
      if (text !== envelope) {
        let at = 0;
        while (text !== null && at < text.length && text[at] === envelope[at]) at += 1;
        note(seq, text === null ? 'open failed' : 'open wrong', text === null ? '' : `length ${text.length} of ${envelope.length}, first difference at ${at}: ${JSON.stringify(text.slice(at, at + 24))}`);
        break;  // a failed open closes the session: the rest would fail too
      }
    }
  } catch (error) {
    note(-2, `${error instanceof WebAssembly.RuntimeError ? 'trap' : 'error'}: ${error?.message ?? error}`);
  }
  return events;
}

/** 'flags|body' as probe_seal answers it; in mode 'plain' the flags are '--'. */
function sealOnce(core, mode) {
  if (mode === 'probe') return core.probeSeal(METHOD, PATH, request);
  const [m, p, j] = [METHOD, PATH, request].map((t) => encoder.encode(t));
  const at = core._bench_input(m.length + p.length + j.length);
  core.HEAPU8.set(m, at); core.HEAPU8.set(p, at + m.length); core.HEAPU8.set(j, at + m.length + p.length);
  const length = core._bench_seal(at, m.length, at + m.length, p.length, at + m.length + p.length, j.length);
  const out = core._bench_output();
  return `--|${length < 0 ? '' : decoder.decode(core.HEAPU8.subarray(out, out + length))}`;
}

function openText(core, seq, response) {
  const bytes = encoder.encode(response);
  const m = encoder.encode(METHOD);
  const p = encoder.encode(PATH);
  let at = core._bench_input(m.length + p.length + bytes.length);
  core.HEAPU8.set(m, at); core.HEAPU8.set(p, at + m.length); core.HEAPU8.set(bytes, at + m.length + p.length);
  const length = core._bench_open(at, m.length, at + m.length, p.length, at + m.length + p.length, bytes.length, seq, 200);
  const out = core._bench_output();
  return length < 0 ? null : decoder.decode(core.HEAPU8.subarray(out, out + length));
}

window.probe = async ({ runs, mode = 'probe', pairs = 80, warm = 0 }) => {
  const out = [];
  for (let r = 0; r < runs; r += 1) {
    const events = await one({ mode, pairs, warm });
    if (events.length) out.push({ run: r, events });
  }
  return out;
};
window.probeReady = true;

/** µs per 1 KiB seal + open pair on one instance, after `warm` pairs (a cost comparison of builds). */
window.timePairs = async ({ pairs = 2000, warm = 500, samples = 7 }) => {
  const core = await createBenchModule();
  if (core.load(transcriptText)) throw new Error('load failed');
  const out = [];
  for (let s = 0; s <= samples; s += 1) {
    if (core.openSession()) throw new Error('openSession failed');
    const count = s === 0 ? warm : pairs;
    const responses = Array.from({ length: count }, (_, i) => core.serverSeal(METHOD, PATH, i + 1, 200, envelope));
    const start = performance.now();
    for (let i = 0; i < count; i += 1) {
      sealOnce(core, 'plain');
      openText(core, i + 1, responses[i]);
    }
    if (s > 0) out.push(((performance.now() - start) * 1000) / count);
  }
  return out.sort((a, b) => a - b)[out.length >> 1];
};

/** µs per libsodium ChaCha20-Poly1305 seal of `size` bytes (no Session, no JSON): the guard's unit of extra work. */
window.aeadUs = async ({ size = 1024, iterations = 20000, samples = 9 }) => {
  const core = await createBenchModule();
  core.aeadSeal(size, iterations);
  const out = [];
  for (let s = 0; s < samples; s += 1) {
    const start = performance.now();
    core.aeadSeal(size, iterations);
    out.push(((performance.now() - start) * 1000) / iterations);
  }
  return out.sort((a, b) => a - b)[samples >> 1];
};
