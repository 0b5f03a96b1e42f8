// Shared by the bench pages: timing loops, the request bodies every figure uses, and the JS check
// of the module's sealed bodies.
import { chacha20poly1305 } from '/vendor/@hpke/chacha20poly1305/esm/src/chacha/chacha.js';

export const hex = (text) => Uint8Array.from(text.match(/../g), (b) => parseInt(b, 16));
export const base64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The request the channel figures seal and open, in the transcript's session. */
export const METHOD = 'POST';
export const PATH = '/web/v1/system/profile/update';

/**
 * A check of sealed request bodies in JS (@noble/ciphers through hpke-js), since the module's own
 * seal and open could share a wrong computation: `check(text, seq, plaintext)` is whether `text`
 * is {seq, data} whose data opens, with the transcript's c2s key and seq's nonce and AAD, to
 * `plaintext`. Bodies already verified are remembered: every sample repeats the same seqs.
 */
export function sealedBodyCheck(transcript) {
  const key = hex(transcript.derived.c2sKey);
  const baseNonce = hex(transcript.derived.c2sNonce);
  const verified = new Set();
  return (text, seq, plaintext) => {
    if (!text) return false;
    if (verified.has(`${seq} ${text}`)) return true;
    try {
      const { seq: sent, data } = JSON.parse(text);
      if (sent !== seq) return false;
      const nonce = baseNonce.slice();
      for (let i = 0; i < 6; i += 1) nonce[11 - i] ^= Math.floor(seq / 2 ** (8 * i)) & 0xff;
      const aad = encoder.encode(`v1\n${METHOD}\n${PATH}\n${transcript.inputs.sessionId}\n${seq}`);
      if (decoder.decode(chacha20poly1305(key, nonce, aad).decrypt(base64url(data))) !== plaintext) return false;
    } catch {
      return false;  // not JSON, or a tag that does not verify
    }
    verified.add(`${seq} ${text}`);
    return true;
  };
}

/** A JSON text of exactly `size` bytes: {"note":"aaaa…"}, or a success envelope of that size. */
export function jsonOfSize(size, envelope = false) {
  const head = envelope ? '{"success":true,"code":"2000","message":"SUCCESS","data":{"note":"' : '{"note":"';
  const tail = envelope ? '"}}' : '"}';
  return head + 'a'.repeat(size - head.length - tail.length) + tail;
}

/** µs per call of a synchronous `work(i)` run `iterations` times. */
export function timeSync(iterations, work) {
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) work(i);
  return ((performance.now() - start) * 1000) / iterations;
}

/** µs per call of an asynchronous `work(i)` run `iterations` times, one after another. */
export async function timeAsync(iterations, work) {
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) await work(i);
  return ((performance.now() - start) * 1000) / iterations;
}

/**
 * Interleaves samples of several contenders in one page so they share its conditions (JIT state,
 * machine load); the order rotates each sample. Answers { name: [µs per call, …] }.
 */
export async function interleave(samples, contenders) {
  const names = Object.keys(contenders);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < samples; s += 1) {
    for (let k = 0; k < names.length; k += 1) {
      const name = names[(s + k) % names.length];
      out[name].push(await contenders[name]());
    }
  }
  return out;
}
