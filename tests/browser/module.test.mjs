// The wasm module itself in the browser (PORTAL_ENGINE): loading, self-test, client hash, and the secure-channel
// golden transcript reproduced byte for byte by the wasm build (via the test-only testkit module).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openHarness, TESTKIT } from './harness.mjs';

const transcript = JSON.parse(readFileSync(resolve(import.meta.dirname, '../vectors/secure-channel-v1-transcript.json'), 'utf8'));
let h, page;

before(async () => {
  h = await openHarness();
  page = await h.newPage();
});
after(() => h?.close());

test('module loads under the strict CSP and reports its version', async () => {
  const version = await page.evaluate(() => window.portal.version());
  assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(page.pageErrors, []);
});

test('client hash is 64 hex, stable across clients in one browser, distinct per portal and per install', async () => {
  const hashes = await page.evaluate(async () => {
    const a = await window.makeClient('system');
    const b = await window.makeClient('system');
    const c = await window.makeClient('tenant');
    const out = [a.clientHash, b.clientHash, c.clientHash];
    a.dispose(); b.dispose(); c.dispose();
    return out;
  });
  assert.match(hashes[0], /^[0-9a-f]{64}$/);
  assert.equal(hashes[0], hashes[1]);
  assert.notEqual(hashes[0], hashes[2]);
  const other = await h.newPage();  // a new context: a new install id
  const fresh = await other.evaluate(async () => { const c = await window.makeClient('system'); c.dispose(); return c.clientHash; });
  assert.notEqual(fresh, hashes[0]);
});

test('the golden transcript is reproduced byte for byte in wasm', async () => {
  const result = await page.evaluate(async (t) => {
    const { default: createTestkit } = await import('/testkit/portal-testkit.js');
    const kit = await createTestkit();
    return JSON.parse(kit.replayTranscript(JSON.stringify(t)));
  }, transcript);
  assert.equal(result.error, undefined, JSON.stringify(result.error));
  assert.deepEqual(JSON.parse(result.sessionRequestBody), transcript.sessionOpen.requestBody);
  assert.deepEqual(JSON.parse(result.requestBody), transcript.request.body);
  assert.equal(result.openedResponse, transcript.response.plaintext);
});

test('ChaCha20 over whole messages equals ChaCha20 block by block, 0..2048 bytes', async () => {
  const mismatch = await page.evaluate(async () => {
    const { default: createTestkit } = await import('/testkit/portal-testkit.js');
    return (await createTestkit()).chacha20FirstMismatch();
  });
  assert.equal(mismatch, -1, `first differing length: ${mismatch}`);
});

test('the load-time self-test passes in wasm and fails when any known answer is corrupted', async () => {
  const results = await page.evaluate(async () => {
    const { default: createTestkit } = await import('/testkit/portal-testkit.js');
    const kit = await createTestkit();
    return [-1, 0, 31, 32, 63, 64, 95, 96, 127].map((byte) => kit.selfTest(byte));
  });
  assert.deepEqual(results, [true, false, false, false, false, false, false, false, false]);
});

test("the module's JSON writer escapes as JSON.stringify does (nlohmann through the integer-only snprintf)", async () => {
  // Every ASCII character, control characters included (their \\u escapes are the writer's one use
  // of snprintf, which the wasm link sends to the C library's integer-only variant), and non-ASCII.
  const text = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('') + 'é€😀';
  const dumped = await page.evaluate(async (t) => {
    const { default: createTestkit } = await import('/testkit/portal-testkit.js');
    return (await createTestkit()).dumpJson(t);
  }, text);
  assert.equal(dumped, JSON.stringify(text));
});

test("the module's strtod (the engine's Number()) reads every number as JSON.parse does", async () => {
  // Edge cases: halfway cases (ties to even), the subnormal and overflow edges, more digits than a
  // double holds, exponent forms. Then random doubles, as their shortest text and with 25 digits.
  const edges = ['0.1', '-0.0', '1.5', '0.30000000000000004', '1E+2', '1e-7', '-123.456e-10', '1e308',
    '1.7976931348623157e308', '4.9e-324', '5e-324', '2e-324', '1e-400', '2.2250738585072011e-308',
    '2.2250738585072014e-308', '9007199254740993.0', '123456789012345678901234567890.5',
    '1.00000000000000011102230246251565404236316680908203125', '1.00000000000000011102230246251565404236316680908203126'];
  const out = await page.evaluate(async (edgeCases) => {
    const { default: createTestkit } = await import('/testkit/portal-testkit.js');
    const kit = await createTestkit();
    const bits = new DataView(new ArrayBuffer(8));
    const texts = [...edgeCases];
    while (texts.length < edgeCases.length + 600) {
      for (let i = 0; i < 8; i += 1) bits.setUint8(i, Math.floor(Math.random() * 256));
      const x = bits.getFloat64(0);
      if (Number.isFinite(x)) texts.push(String(x), x.toExponential(24));
    }
    const wrong = texts.filter((text) => {
      const read = kit.roundTripJson(`[${text}]`);
      return read === '' || !Object.is(JSON.parse(read)[0], JSON.parse(text));
    });
    // Where strtod stops: the longest decimal prefix; an exponent without digits is not part of it.
    const prefixes = ['1e', '1e+', '2E-x', '-.5x', '+1.5e-3z', '0x10', '.', '-', 'abc', ''].map((text) => [text, JSON.parse(kit.strtod(text))]);
    return { checked: texts.length, wrong, overflow: kit.roundTripJson('[1e309]'), prefixes };
  }, edges);
  assert.deepEqual(out.prefixes, [['1e', [1, 1]], ['1e+', [1, 1]], ['2E-x', [2, 1]], ['-.5x', [-0.5, 3]],
    ['+1.5e-3z', [0.0015, 7]], ['0x10', [0, 1]], ['.', [0, 0]], ['-', [0, 0]], ['abc', [0, 0]], ['', [0, 0]]]);
  assert.equal(out.checked, edges.length + 600);
  assert.deepEqual(out.wrong, []);
  assert.equal(out.overflow, '', 'a number past the double range is refused');
});

test('the shipped module reads a fractional deviceMemory into the client hash exactly', async () => {
  // The client hash of known signals and install id, its preimage assembled here (docs/api.md
  // §1.1): deviceMemory 0.25 reaches the core as the JSON text 0.25, read by its strtod.
  const installId = 'AAECAwQFBgcICQoLDA0ODw';
  const fresh = await h.newPage();
  const hash = await fresh.evaluate(async (id) => {
    localStorage.setItem('portal-client:system:install-id', id);
    const signals = { userAgentData: { brands: [{ brand: 'Chrome' }], platform: 'Windows' }, hardwareConcurrency: 4, deviceMemory: 0.25, maxTouchPoints: 5 };
    for (const [name, value] of Object.entries(signals)) Object.defineProperty(navigator, name, { value, configurable: true });
    const client = await makeClient('system');
    client.dispose();
    return client.clientHash;
  }, installId);
  const canonical = '{"browserFamily":"Chrome","deviceMemory":0.25,"hardwareConcurrency":4,"maxTouchPoints":5,"platform":"Windows"}';
  const expected = createHash('sha256').update(`portal-client-hash/v1\0system\0${canonical}\0${installId}`).digest('hex');
  assert.equal(hash, expected);
});

test('the testkit notices a tampered transcript', async () => {
  const tampered = structuredClone(transcript);
  const confirm = tampered.sessionResponseData.confirm;
  tampered.sessionResponseData.confirm = (confirm[0] === 'A' ? 'B' : 'A') + confirm.slice(1);
  const result = await page.evaluate(async (t) => {
    const { default: createTestkit } = await import('/testkit/portal-testkit.js');
    return JSON.parse((await createTestkit()).replayTranscript(JSON.stringify(t)));
  }, tampered);
  assert.equal(result.error?.code, 'SECURE_CHANNEL.CONFIRM_FAILED');
});

test('a page may hand over the core it compiled itself (wasmModule); anything else is refused', async () => {
  const fresh = await h.newPage();
  const out = await fresh.evaluate(async () => {
    const wrongType = await settle(() => makeClient('system', { wasmModule: '/dist/portal-core.wasm' }));
    const withUrl = await settle(() => makeClient('system', { wasmModule: Promise.resolve(null), wasmUrl: '/dist/portal-core.wasm' }));
    const notModule = await settle(() => makeClient('system', { wasmModule: Promise.resolve({}) }));
    const rejected = await settle(() => makeClient('system', { wasmModule: Promise.reject(new Error('dropped')) }));
    const compiled = WebAssembly.compileStreaming(fetch('/dist/portal-core.wasm'));
    const handed = await settle(async () => { const c = await makeClient('system', { wasmModule: compiled }); c.dispose(); return 'ok'; });
    const fetches = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/portal-core.wasm')).length;
    return { wrongType, withUrl, notModule, rejected, handed, fetches };
  });
  assert.equal(out.wrongType.name, 'TypeError');
  assert.equal(out.withUrl.name, 'TypeError');
  assert.equal(out.notModule.code, 'CLIENT.LOAD_FAILED');
  assert.match(out.notModule.message, /WebAssembly\.Module/);
  assert.equal(out.rejected.code, 'CLIENT.LOAD_FAILED');
  assert.match(out.rejected.message, /dropped/);
  assert.equal(out.handed.resolved, 'ok');
  assert.equal(out.fetches, 1, "the client used the page's module instead of fetching its own");
});

test('a wasm that cannot load rejects with CLIENT.LOAD_FAILED, and a later load may succeed', async () => {
  const fresh = await h.newPage();
  const out = await fresh.evaluate(async () => {
    const failed = await settle(() => makeClient('system', { wasmUrl: '/dist/missing.wasm' }));
    const retried = await settle(async () => { const c = await makeClient('system'); c.dispose(); return 'ok'; });
    return { failed, retried };
  });
  assert.equal(out.failed.code, 'CLIENT.LOAD_FAILED');
  assert.equal(out.failed.isPortalError, true);
  assert.equal(out.retried.resolved, 'ok');
});
