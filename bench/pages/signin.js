// Figures 6 and 7b: the shipped module (dist/ as it is) signing in
// against the emulator. Before the module loads, this page wraps WebAssembly.instantiate so that
// every export of the core instance is timed with performance.now(), and wraps
// TextEncoder.encodeInto / TextDecoder.decode, which the JS API uses only to move text across
// the boundary. "Module time" is therefore the wasm calls plus their marshalling; the JS
// driver's other code between them is not in it, and neither is waiting on fetch.
const meter = { ms: 0, calls: 0, byMethod: {} };
let core = null;  // the core instance's (timed) exports

function timed(name, original) {
  return function timedCall(...args) {
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const spent = performance.now() - start;
      meter.ms += spent;
      meter.calls += 1;
      meter.byMethod[name] = (meter.byMethod[name] ?? 0) + spent;
    }
  };
}

const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function instantiateTimed(...args) {
  const result = await instantiate.apply(this, args);
  if (!(result instanceof WebAssembly.Instance) || !('portal_start' in result.exports)) return result;
  core = Object.fromEntries(Object.entries(result.exports).map(([name, value]) =>
    [name, typeof value === 'function' && name !== '_initialize' ? timed(name, value) : value]));
  return { exports: core };
};
TextEncoder.prototype.encodeInto = timed('encodeInto', TextEncoder.prototype.encodeInto);
TextDecoder.prototype.decode = timed('decode', TextDecoder.prototype.decode);

const { createPortalClient } = await import('/dist/portal-client.js');
const newClient = () => createPortalClient({ baseUrl: location.origin, portal: 'system', portalAccessCode: 'dev-system-code' });

async function mailCode(email) {
  const box = await (await fetch(`/__dev/mailbox?email=${encodeURIComponent(email)}`)).json();
  return box.data?.latest?.LOGIN_MFA;  // dev endpoints answer in the API envelope
}

/**
 * One whole sign-in with email MFA on a fresh client: secure-channel open, initiate, MFA send,
 * complete and the bootstrap that decides the route. The dev-mailbox lookup (the user reading
 * the email) is outside the timed steps.
 */
async function signIn({ email, password }) {
  const client = await newClient();
  const steps = {};
  let wallMs = 0;
  const timed = async (name, work) => {
    const before = meter.ms;
    const start = performance.now();
    const result = await work();
    const spent = performance.now() - start;
    wallMs += spent;
    steps[name] = { wallMs: spent, moduleMs: meter.ms - before };
    return result;
  };
  const startMs = meter.ms;
  const startCalls = meter.calls;
  const startByMethod = { ...meter.byMethod };
  const first = await timed('signIn', () => client.signIn({ email, password }));
  if (first.step !== 'MFA_REQUIRED') throw new Error(`signIn answered ${JSON.stringify(first)}`);
  await timed('sendMfaCode', () => client.sendMfaCode('EMAIL'));
  const code = await mailCode(email);
  const done = await timed('confirmSignIn', () => client.confirmSignIn({ method: 'EMAIL', code }));
  if (done.step !== 'DONE') throw new Error(`confirmSignIn answered ${JSON.stringify(done)}`);
  const byMethod = Object.fromEntries(Object.entries(meter.byMethod).map(([name, total]) => [name, total - (startByMethod[name] ?? 0)]));
  const result = { wallMs, moduleMs: meter.ms - startMs, coreCalls: meter.calls - startCalls, byMethod, steps, route: done.route?.name };
  client.dispose();
  return result;
}

let signedIn = null;

/** Figure 7b (run in a fresh page): linear memory after start-up, after a sign-in, and after `requests` encrypted calls. */
async function memory({ email, password, requests }) {
  signedIn?.dispose();
  signedIn = await newClient();
  const afterStartup = core.memory.buffer.byteLength;
  const first = await signedIn.signIn({ email, password });
  if (first.step === 'MFA_REQUIRED') {
    await signedIn.sendMfaCode('EMAIL');
    await signedIn.confirmSignIn({ method: 'EMAIL', code: await mailCode(email) });
  }
  const afterSignIn = core.memory.buffer.byteLength;
  const before = meter.ms;
  const start = performance.now();
  const samples = [];
  for (let i = 0; i < requests; i += 1) {
    await signedIn.getProfile();
    if ((i + 1) % Math.max(1, Math.floor(requests / 10)) === 0) samples.push({ requests: i + 1, bytes: core.memory.buffer.byteLength });
  }
  const wallMs = performance.now() - start;
  return {
    afterStartup, afterSignIn, afterRequests: core.memory.buffer.byteLength, samples,
    perRequestWallUs: (wallMs * 1000) / requests, perRequestModuleUs: ((meter.ms - before) * 1000) / requests,
  };
}

window.bench = { signIn, memory, meter, crossOriginIsolated: globalThis.crossOriginIsolated };
window.benchReady = true;
