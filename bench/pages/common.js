// Shared by the bench pages: timing loops and the request bodies every figure uses.

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
