// The benchmark driver (scripts/bench runs it after building wasm-release and the native bench).
//
//   node bench/run.mjs [--quick] [--out FILE]
//
// Measures the seven figures of issue 6 in headless Chromium against an in-process emulator that
// serves the bench pages (bench/pages/), the bench wasm module, the hpke-js reference and the
// shipped module from one origin. Every figure is a median of repeated runs; every comparison is a
// ratio of two medians taken in the same page in the same run. Writes a markdown report to FILE
// (default docs/benchmarks.md); --quick runs few repetitions and writes to stdout unless --out.
// Nothing here asserts a timing: a failure means the bench itself broke.
//
// Then, for each engine of PORTAL_ENGINES (default chromium,firefox,webkit; WebKit needs a display:
// the driver restarts itself under `xvfb-run -a` when there is none), through the engine driver
// (tests/browser/engines.mjs): figures 2, 3, 4 and 6 again, each ratio inside that engine's page,
// and the shell's cold load (navigation to `data-ready`, requests and bytes from Resource Timing).
// These pages are not cross-origin isolated (only playwright-core can add the headers on the way),
// so performance.now() has each engine's coarser resolution there; the loops time many calls.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { startEmulator, SHELL_DIR } from '../emulator/server.mjs';
import { vendorHpke } from './vendor.mjs';
import { launchChromium, SHELL } from '../tests/browser/harness.mjs';
import { launch, ENGINES, ensureDisplay, exitWith } from '../tests/browser/engines.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const outIndex = args.indexOf('--out');
const OUT = outIndex >= 0 ? resolve(args[outIndex + 1]) : (QUICK ? null : join(ROOT, 'docs/benchmarks.md'));
const DIST = resolve(ROOT, process.env.PORTAL_DIST ?? 'dist');
const BENCH_WASM = resolve(ROOT, process.env.PORTAL_BENCH_WASM ?? 'build/wasm-release/bench');
const NATIVE = resolve(ROOT, process.env.PORTAL_BENCH_NATIVE ?? 'build/native-release/bench/portal-bench-native');
const NATIVE_SIMD = resolve(ROOT, process.env.PORTAL_BENCH_NATIVE_SIMD ?? 'build/native-release/bench/portal-bench-native-simd');
const VECTORS = resolve(ROOT, 'tests/vectors');
const PASSWORD = 'Correct-Horse-9';
const EMAIL = 'admin@example.com';

// Repetitions: full mode is the published run; quick mode only proves every path still works.
const N = QUICK
  ? { pages: 2, samples: 3, openIterations: 3, request1k: 20, request16k: 5, mibIterations: 1, signIns: 2, memoryRequests: 100 }
  : { pages: 20, samples: 15, openIterations: 20, request1k: 200, request16k: 40, mibIterations: 4, signIns: 15, memoryRequests: 10_000 };

const log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)], sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]];
};

// ---- Figure 1: bytes ---------------------------------------------------------------------------

// What a frontend downloads to use the module (package.json and the .d.ts are tooling only).
const DOWNLOADED = ['portal-client.js', 'portal-core.wasm'];

function sizes(dir) {
  const files = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile()).sort().map((name) => {
    const bytes = readFileSync(join(dir, name));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
    };
  });
  const sum = (list) => list.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { files, downloaded: sum(files.filter((f) => DOWNLOADED.includes(f.name))), all: sum(files) };
}

// ---- served files --------------------------------------------------------------------------------


// ---- browser ---------------------------------------------------------------------------------------

// Bench pages are made cross-origin isolated (COOP + COEP on the HTML document only), which gives
// performance.now() 5 µs resolution instead of 100 µs; the page CSP is left exactly as served.
async function openPage(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.route((u) => u.pathname.endsWith('.html'), async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } });
  });
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 60_000 }).catch((error) => {
    throw new Error(`${url} did not get ready: ${errors.map(String).join('; ') || error.message}`);
  });
  return { page, context, errors };
}

// Wrong answers of the bench wasm module that the channel page saw and ran again once
// (bench/pages/channel.js). Only WebKitGTK is known to compute them (README, "Where the engines
// differ"): there they are counted and reported; in any other engine one fails the bench.
async function engineFaults(page, engine) {
  const faults = await page.evaluate(() => window.bench.engineFaults());
  if (!faults.length) return faults;
  if (engine !== 'webkit') throw new Error(`${engine}: the bench wasm module computed a wrong answer: ${faults.join('; ')}`);
  log(`${engine}: ${faults.length} wrong answer(s) of the wasm engine, each right when run again: ${faults.join('; ')}`);
  return faults;
}

// ---- per engine: figures 2, 3, 4, 6 and the shell's cold load --------------------------------------

async function enginePage(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(ready, undefined, { timeout: 60_000 }).catch(async (error) => {
    throw new Error(`${browser.engine}: ${url} did not get ready: ${page.pageErrors.map(String).join('; ') || error.message}`);
  });
  return { page, context };
}

/** The shell from navigation to `data-ready`, with what Resource Timing tells of its requests. The
 *  shell marks that moment (performance.mark 'portal-shell:ready'), which every engine keeps; an
 *  observer is the fallback for a shell without the mark. */
async function shellColdLoad(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Where the engine can run a script before the page's own (not classic WebDriver), an observer
  // notes the moment data-ready is set; otherwise it is looked for once navigation returns.
  const early = await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.documentElement?.dataset.ready === 'true') { window.__readyAt = performance.now(); observer.disconnect(); }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  await page.goto(`${url}/?portal=system`);
  if (early) await page.waitForFunction(() => window.__readyAt !== undefined, undefined, { timeout: 60_000 });
  const out = await page.evaluate(() => new Promise((resolve) => {
    const html = document.documentElement;
    const report = (already) => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      const sum = (list, key) => (list.every((e) => typeof e[key] === 'number') ? list.reduce((t, e) => t + e[key], 0) : null);
      const entries = nav ? [nav, ...res] : res;
      resolve({
        readyMs: performance.getEntriesByName('portal-shell:ready')[0]?.startTime ?? window.__readyAt ?? performance.now(),
        // Ready was already set when first looked at (after the load event) and not marked:
        // readyMs is then an upper bound.
        upperBound: already && window.__readyAt === undefined && !performance.getEntriesByName('portal-shell:ready').length,
        loadEventMs: nav ? nav.loadEventEnd : null,
        requests: entries.length,
        transferSize: sum(entries, 'transferSize'),
        encodedBodySize: sum(entries, 'encodedBodySize'),
        decodedBodySize: sum(entries, 'decodedBodySize'),
        zeroTransfer: entries.filter((e) => !e.transferSize).length,
        navigationEntry: !!nav,
      });
    };
    if (html.dataset.ready === 'true') return report(true);
    new MutationObserver((_, observer) => {
      if (html.dataset.ready === 'true') { observer.disconnect(); report(false); }
    }).observe(html, { attributes: true, attributeFilter: ['data-ready'] });
  }));
  await context.close();
  return out;
}

async function perEngine(engine, url, dev) {
  log(`== ${engine}: figures 2, 3, 4, 6 and the shell's cold load`);
  const browser = await launch(engine);
  const r = { version: browser.version };
  try {
    r.startup = [];
    for (let i = 0; i < N.pages; i += 1) {
      const { page, context } = await enginePage(browser, `${url}/bench/startup.html`, () => window.startup !== undefined);
      const result = await page.evaluate(() => window.startup);
      await context.close();
      if (result.error) throw new Error(`${engine}: start-up page: ${result.error}`);
      r.startup.push(result);
    }
    const channel = await enginePage(browser, `${url}/bench/channel.html`, () => window.benchReady);
    const evaluate = (fn, arg) => channel.page.evaluate(([name, a]) => window.bench[name](a), [fn, arg]);
    r.isolated = await channel.page.evaluate(() => window.bench.crossOriginIsolated);
    r.sessionOpen = await evaluate('sessionOpen', { samples: N.samples, iterations: N.openIterations });
    r.request1k = await evaluate('perRequest', { size: 1024, samples: N.samples, iterations: N.request1k });
    r.x25519Retries = await channel.page.evaluate(() => window.bench.x25519Retries());
    r.engineFaults = await engineFaults(channel.page, engine);
    await channel.context.close();
    const signin = await enginePage(browser, `${url}/bench/signin.html`, () => window.benchReady);
    r.signIns = [];
    for (let i = 0; i <= N.signIns; i += 1) {
      await dev('reset');
      const one = await signin.page.evaluate((a) => window.bench.signIn(a), { email: EMAIL, password: PASSWORD });
      if (i > 0) r.signIns.push(one);
    }
    await signin.context.close();
    // One throwaway load first: it fills the server's compression cache for this engine's
    // Accept-Encoding, as any earlier visitor would have.
    await shellColdLoad(browser, url);
    r.shell = [];
    for (let i = 0; i < N.pages; i += 1) r.shell.push(await shellColdLoad(browser, url));
  } finally {
    await browser.close();
  }
  return r;
}

async function run() {
  const started = new Date();
  const load = [os.loadavg()[0]];
  const tmp = mkdtempSync(join(os.tmpdir(), 'portal-bench-'));
  vendorHpke(join(tmp, 'vendor'));

  log('== figure 1: bytes');
  const bytes = sizes(DIST);

  log('== figure 5 (native side): portal-bench-native');
  const native = JSON.parse(execFileSync(NATIVE, [join(VECTORS, 'secure-channel-v1-transcript.json'), ...(QUICK ? ['--quick'] : [])], { encoding: 'utf8' }));
  const nativeSimd = JSON.parse(execFileSync(NATIVE_SIMD, QUICK ? ['--quick'] : [], { encoding: 'utf8' }));

  const emulator = await startEmulator({
    host: '127.0.0.1', port: 0, quiet: true,
    mounts: [
      { prefix: '/bench', dir: join(ROOT, 'bench/pages') },
      { prefix: '/bench-wasm', dir: BENCH_WASM },
      { prefix: '/vendor', dir: join(tmp, 'vendor') },
      { prefix: '/vectors', dir: VECTORS },
      { prefix: '/dist', dir: DIST },
      // The shell, for its cold load (per engine), as the test harness serves it.
      { prefix: '/', dir: SHELL },
      { prefix: '/vendor/lean-qr', dir: join(ROOT, 'node_modules/lean-qr') },
    ],
  });
  const dev = (path) => fetch(`${emulator.url}/__dev/${path}`, { method: 'POST' }).then((r) => r.text());
  const browser = await launchChromium();
  const results = { native, nativeSimd, bytes };
  try {
    log('== figure 2: start-up');
    const startups = [];
    for (let i = 0; i < N.pages; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${emulator.url}/bench/startup.html`);
      await page.waitForFunction(() => window.startup !== undefined, null, { timeout: 60_000 });
      const result = await page.evaluate(() => window.startup);
      await context.close();
      if (result.error) throw new Error(`start-up page: ${result.error}`);
      startups.push(result);
    }
    results.startup = startups;

    log('== figures 3, 4, 5, 7a: channel page');
    const channel = await openPage(browser, `${emulator.url}/bench/channel.html`, () => window.benchReady);
    const evaluate = (fn, arg) => channel.page.evaluate(([name, a]) => window.bench[name](a), [fn, arg]);
    results.isolated = await channel.page.evaluate(() => window.bench.crossOriginIsolated);
    results.sessionOpen = await evaluate('sessionOpen', { samples: N.samples, iterations: N.openIterations });
    results.request1k = await evaluate('perRequest', { size: 1024, samples: N.samples, iterations: N.request1k });
    results.request16k = await evaluate('perRequest', { size: 16384, samples: N.samples, iterations: N.request16k });
    results.primitives = await evaluate('primitives', { samples: N.samples, iterations: N.mibIterations });
    await engineFaults(channel.page, 'chromium');
    await channel.context.close();
    const fresh = await openPage(browser, `${emulator.url}/bench/channel.html`, () => window.benchReady);
    results.channelMemory = await fresh.page.evaluate((n) => window.bench.memory({ requests: n, size: 1024 }), N.memoryRequests);
    await engineFaults(fresh.page, 'chromium');
    await fresh.context.close();

    log('== figure 6: sign-in');
    const signin = await openPage(browser, `${emulator.url}/bench/signin.html`, () => window.benchReady);
    const signIns = [];
    for (let i = 0; i <= N.signIns; i += 1) {
      await dev('reset');  // fresh rate limits and mailbox: every run is a first sign-in
      const one = await signin.page.evaluate((a) => window.bench.signIn(a), { email: EMAIL, password: PASSWORD });
      if (i > 0) signIns.push(one);  // the first run warms the page up
    }
    results.signIns = signIns;
    await signin.context.close();

    log(`== figure 7b: ${N.memoryRequests} encrypted requests through the shipped module`);
    await dev('reset');
    const memoryPage = await openPage(browser, `${emulator.url}/bench/signin.html`, () => window.benchReady);
    results.moduleMemory = await memoryPage.page.evaluate((a) => window.bench.memory(a), { email: EMAIL, password: PASSWORD, requests: N.memoryRequests });
    await memoryPage.context.close();
    results.browserVersion = browser.version();
    await browser.close();
    results.engines = {};
    for (const engine of ENGINES) results.engines[engine] = await perEngine(engine, emulator.url, dev);
  } finally {
    await browser.close().catch(() => {});
    await emulator.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  load.push(os.loadavg()[0]);
  return { ...results, started, load };
}

// ---- report --------------------------------------------------------------------------------------

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const us = (n) => (n >= 100 ? `${n.toFixed(0)} µs` : `${n.toFixed(1)} µs`);
const ms = (n) => `${n.toFixed(n >= 100 ? 0 : 1)} ms`;
const x = (n) => `${n.toFixed(2)}×`;
const pct = (n) => `${(n * 100).toFixed(1)} %`;
const yes = (ok) => (ok ? 'yes' : '**no**');

function tool(command, argv) {
  try { return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim(); } catch { return 'unknown'; }
}

function report(r) {
  const JS_STACK_GZIP = (47.3 + 15.4 + 14.3) * 1024;
  const startup = median(r.startup.map((s) => s.readyMs));
  const startupImport = median(r.startup.map((s) => s.importMs));
  const open = { ours: median(r.sessionOpen.ours), ref: median(r.sessionOpen.hpkeJs), refNative: median(r.sessionOpen.hpkeJsWebCryptoX25519) };
  const req1 = { ours: median(r.request1k.ours), ref: median(r.request1k.webCryptoAesGcm) };
  const req16 = { ours: median(r.request16k.ours), ref: median(r.request16k.webCryptoAesGcm) };
  const prim = Object.fromEntries(Object.entries(r.primitives).map(([k, v]) => [k, median(v)]));
  const wall = median(r.signIns.map((s) => s.wallMs));
  const moduleMs = median(r.signIns.map((s) => s.moduleMs));
  const share = median(r.signIns.map((s) => s.moduleMs / s.wallMs));
  const calls = median(r.signIns.map((s) => s.coreCalls));
  const cm = r.channelMemory;
  const mm = r.moduleMemory;
  const growth = { channel: cm.after - cm.before, module: mm.afterRequests - mm.afterSignIn };
  const n = N;

  const rows = [
    ['1. Bytes: download total, gzip (portal-client.js + portal-core.wasm)', kib(r.bytes.downloaded.gzip),
      `${kib(JS_STACK_GZIP)} (JS stack: Amplify Auth 47.3 + FingerprintJS 15.4 + hpke-js 14.3, published gzip sizes)`,
      x(r.bytes.downloaded.gzip / JS_STACK_GZIP), '< 77 KiB gzip', yes(r.bytes.downloaded.gzip < 77 * 1024)],
    ['2. Start-up: import → ready `createPortalClient`, fresh page', ms(startup), '—', '—', '— (reported)', '—'],
    ['3. Session open (HPKE setup + seal + forward-secrecy X25519 + key derivation)', us(open.ours),
      `${us(open.ref)} hpke-js (pure JS: @hpke/dhkem-x25519 + @hpke/chacha20poly1305)`, x(open.ours / open.ref), '≤ 0.5×', yes(open.ours / open.ref <= 0.5)],
    ['3b. Session open vs hpke-js on WebCrypto X25519 (@hpke/core native KEM)', us(open.ours), us(open.refNative),
      x(open.ours / open.refNative), '— (second reference)', '—'],
    ['4. Per request, 1 KiB: seal request JSON + open response (whole channel path)', us(req1.ours),
      `${us(req1.ref)} WebCrypto AES-256-GCM encrypt + decrypt`, x(req1.ours / req1.ref), '≤ 0.5×', yes(req1.ours / req1.ref <= 0.5)],
    ['4b. Per request, 16 KiB', us(req16.ours), us(req16.ref), x(req16.ours / req16.ref), '— (goal is at 1 KiB)', '—'],
    ['5. ChaCha20-Poly1305 seal, 1 MiB, wasm vs native libsodium', `${prim.aeadMBps.toFixed(0)} MB/s`,
      `${r.native.aeadMBps.toFixed(0)} MB/s native`, x(prim.aeadMBps / r.native.aeadMBps), '≥ 0.5×', yes(prim.aeadMBps / r.native.aeadMBps >= 0.5)],
    ['5b. ChaCha20-Poly1305 seal, 1 MiB, vs native libsodium with its x86 SIMD paths (AVX2 ChaCha20, SSE2 Poly1305)', `${prim.aeadMBps.toFixed(0)} MB/s`,
      `${r.nativeSimd.aeadMBps.toFixed(0)} MB/s native SIMD`, x(prim.aeadMBps / r.nativeSimd.aeadMBps), '≥ 0.5×', yes(prim.aeadMBps / r.nativeSimd.aeadMBps >= 0.5)],
    ['6. Whole sign-in (channel open, initiate, MFA send, complete, bootstrap): module share', `${ms(moduleMs)} of ${ms(wall)}`,
      '—', pct(share), '< 10 %', yes(share < 0.1)],
    [`7. Memory: linear memory growth over ${n.memoryRequests.toLocaleString('en')} encrypted requests (shipped module, emulator)`,
      `${kib(mm.afterSignIn)} → ${kib(mm.afterRequests)}`, '—', '—', 'no growth', yes(growth.module === 0)],
    [`7b. Memory: bench module, ${n.memoryRequests.toLocaleString('en')} × seal + open of 1 KiB`,
      `${kib(cm.before)} → ${kib(cm.after)}`, '—', '—', 'no growth', yes(growth.channel === 0)],
  ];

  const mbps = (n) => `${n.toFixed(0)} MB/s`;
  const details = [
    ['ChaCha20-Poly1305 seal, 1 MiB', mbps(prim.aeadMBps), mbps(r.native.aeadMBps), x(prim.aeadMBps / r.native.aeadMBps), mbps(r.nativeSimd.aeadMBps), x(prim.aeadMBps / r.nativeSimd.aeadMBps)],
    ['ChaCha20 (stream only), 1 MiB', mbps(prim.chacha20MBps), mbps(r.native.chacha20MBps), x(prim.chacha20MBps / r.native.chacha20MBps), mbps(r.nativeSimd.chacha20MBps), x(prim.chacha20MBps / r.nativeSimd.chacha20MBps)],
    ['Poly1305 (MAC only), 1 MiB', mbps(prim.poly1305MBps), mbps(r.native.poly1305MBps), x(prim.poly1305MBps / r.native.poly1305MBps), mbps(r.nativeSimd.poly1305MBps), x(prim.poly1305MBps / r.nativeSimd.poly1305MBps)],
    ['X25519 scalar multiplication', us(prim.x25519Us), us(r.native.x25519Us), x(r.native.x25519Us / prim.x25519Us), us(r.nativeSimd.x25519Us), x(r.nativeSimd.x25519Us / prim.x25519Us)],
    ['Session open', us(open.ours), us(r.native.sessionOpenUs), x(r.native.sessionOpenUs / open.ours), '—', '—'],
    ['Per request, 1 KiB', us(req1.ours), us(r.native.request1KUs), x(r.native.request1KUs / req1.ours), '—', '—'],
    ['Per request, 16 KiB', us(req16.ours), us(r.native.request16KUs), x(r.native.request16KUs / req16.ours), '—', '—'],
  ];

  const steps = ['signIn', 'sendMfaCode', 'confirmSignIn'].map((name) => [name,
    ms(median(r.signIns.map((s) => s.steps[name].wallMs))), ms(median(r.signIns.map((s) => s.steps[name].moduleMs)))]);
  const methods = Object.keys(r.signIns[0].byMethod)
    .map((name) => [name, median(r.signIns.map((s) => s.byMethod[name] ?? 0))])
    .filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]);
  const cipher = { k1: median(r.request1k.cipherOnly), k16: median(r.request16k.cipherOnly) };
  const boundary = { k1: median(r.request1k.boundaryOnly), k16: median(r.request16k.boundaryOnly) };
  const table = (head, body) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)].join('\n');
  const iqr = (values, fmt) => spread(values).map(fmt).join(' – ');

  return `# Benchmarks

Generated by \`scripts/bench\`${QUICK ? ' --quick (few repetitions: these numbers only prove the bench runs)' : ''} on ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC.
Do not edit by hand; run \`scripts/bench\` again.

Every figure is the median of repeated runs; every ratio divides two medians taken in the same
page during the same run (ours ÷ reference, so below 1 is faster, except figure 5 where it is
wasm ÷ native throughput). Timings are never asserted by the tests; \`scripts/test\` only runs
\`scripts/bench --quick\` to keep this command working.

${table(['figure', 'ours', 'reference', 'ratio', 'goal', 'met?'], rows)}

## Machine

| | |
|---|---|
| CPU | ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length} |
| memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |
| OS | ${tool('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"'])}, kernel ${os.release()} |
| load average (1 min) at start / end | ${r.load.map((l) => l.toFixed(2)).join(' / ')} (a shared machine: medians and same-page ratios absorb most of it) |
| browser | Chromium ${r.browserVersion}, headless, playwright-core; bench pages cross-origin isolated: ${r.isolated} (performance.now() at 5 µs) |
| Node | ${process.version} |
| wasm toolchain | ${tool('emcc', ['--version'])} |
| native compiler | ${r.native.compiler} (native-release: -O3) |

## 1. Bytes (\`dist/\`, gzip level 9, brotli quality 11, node:zlib)

${table(['file', 'raw', 'gzip', 'brotli'], [
    ...r.bytes.files.map((f) => [`\`${f.name}\``, kib(f.raw), kib(f.gzip), kib(f.brotli)]),
    ['**downloaded** (the three files a frontend loads)', kib(r.bytes.downloaded.raw), `**${kib(r.bytes.downloaded.gzip)}**`, kib(r.bytes.downloaded.brotli)],
    ['all files', kib(r.bytes.all.raw), kib(r.bytes.all.gzip), kib(r.bytes.all.brotli)],
  ])}

## 2. Start-up

Median of ${r.startup.length} fresh pages (new browser context each: empty cache), from the page's
dynamic \`import('/dist/portal-client.js')\` to the resolved \`createPortalClient(…)\` (fetch and
compile the wasm, self-test, client hash, core init): **${ms(startup)}** (interquartile ${iqr(r.startup.map((s) => s.readyMs), ms)}),
of which the import of the two JS files ${ms(startupImport)}.

## 3–5. Secure channel in the bench wasm module

\`bench/wasm_entry.cpp\` links the core's channel functions with the shipped module's code
generation flags.
Session opens reuse the golden transcript's fixed randomness, so the server side is known
without a second HPKE implementation. hpke-js runs \`createSenderContext\` + one \`seal\` + a fresh
X25519 key pair and one agreement (the forward-secrecy step); ours runs \`begin_session\` +
\`finish_session\` (two key pairs, two agreements, HPKE key schedule, seal, HKDF, HMAC confirm).
Per request, across the boundary as the shipped module's JS API crosses it: the request JSON
encoded into wasm memory (\`TextEncoder.encodeInto\`), \`Session::seal\`, the sealed body copied
out as the bytes \`fetch\` sends; then the response body's bytes copied in, \`Session::open\`, the
envelope JSON decoded (\`TextDecoder\`); the reference encrypts and decrypts the same request bytes with WebCrypto
AES-256-GCM (key imported once). Samples: ${n.samples} × ${n.openIterations} session opens,
${n.samples} × ${n.request1k} requests (1 KiB), ${n.samples} × ${n.request16k} (16 KiB), ${n.samples} × ${n.mibIterations} MiB.

Of ours per request, libsodium's ChaCha20-Poly1305 over the same bytes (request sealed, response
opened) takes ${us(cipher.k1)} at 1 KiB and ${us(cipher.k16)} at 16 KiB; the copies across the
boundary alone (encodeInto of the request, the sealed body copied out, the response copied in, the
opened JSON decoded) take ${us(boundary.k1)} and ${us(boundary.k16)}; the rest is the channel's own
work in wasm (base64url both ways, the response scan, the AAD, allocation). Against the goal of
0.5× at 1 KiB: the cipher alone is ${x(cipher.k1 / req1.ref)} of the reference and the copies
alone ${x(boundary.k1 / req1.ref)}, so with the ciphertext carried as base64url inside JSON (the
wire format) and the request arriving as a JS string, the goal is out of reach for this design.

Interquartile ranges: session open ours ${iqr(r.sessionOpen.ours, us)}, hpke-js ${iqr(r.sessionOpen.hpkeJs, us)};
1 KiB ours ${iqr(r.request1k.ours, us)}, AES-GCM ${iqr(r.request1k.webCryptoAesGcm, us)}.

Wasm next to native, same kernels, same run; ratios are wasm speed ÷ native speed. "Native"
(\`portal-bench-native\`) is the project's native-release build: the same portable C as the wasm
build, so its ratio is wasm's code generation against x86-64's for identical code. "Native SIMD"
(\`portal-bench-native-simd\`) is the same libsodium source with the x86 intrinsics paths its
configure enables, picked by \`sodium_init()\`: what a native application gets. libsodium 1.0.18
has no wasm SIMD code of its own and the wasm build runs its portable C throughout, compiled with
one set of flags (cmake/libsodium.cmake). Poly1305 and X25519 run the portable 32-bit code (128-bit
arithmetic stays off: wasm32 has no 64×64→128 multiply; enabling it measured slower).

${table(['work', 'wasm (Chromium)', 'native', 'wasm ÷ native', 'native SIMD', 'wasm ÷ native SIMD'], details)}

## 6. Sign-in

${r.signIns.length} sign-ins of \`${EMAIL}\` (email MFA) on fresh clients in one page after one
warm-up, the emulator's state reset before each. Wall time covers \`signIn\`, \`sendMfaCode\` and
\`confirmSignIn\` (which ends with the bootstrap: profile, workspaces, invitations, route); the
dev-mailbox lookup between them is not counted. Module time is every call into the core's wasm
exports plus the text encoding and decoding around them (\`TextEncoder.encodeInto\`,
\`TextDecoder.decode\`), each wrapped with \`performance.now()\` (${calls} calls per sign-in); the
JS driver's other code between those calls is not in it, and neither is any wait on \`fetch\`.

${table(['step', 'wall (median)', 'module (median)'], steps)}

Module time by core method (median per sign-in): ${methods.map(([name, t]) => `\`${name}\` ${ms(t)}`).join(', ')}.

## 7. Memory

Shipped module (instrumented copy of \`dist/\`), fresh page: ${kib(mm.afterStartup)} after start-up,
${kib(mm.afterSignIn)} after a sign-in, ${kib(mm.afterRequests)} after ${n.memoryRequests.toLocaleString('en')} encrypted
\`getProfile\` calls against the emulator (${us(mm.perRequestWallUs)} wall and ${us(mm.perRequestModuleUs)} in the core per call).
Samples along the way: ${mm.samples.map((s) => `${s.requests.toLocaleString('en')}: ${kib(s.bytes)}`).join(', ')}.
Bench module: ${kib(cm.before)} before and ${kib(cm.after)} after ${n.memoryRequests.toLocaleString('en')} × seal + open of 1 KiB.
${engineSection(r)}`;
}

function engineSection(r) {
  const engines = Object.entries(r.engines ?? {});
  if (!engines.length) return '';
  const table = (head, body) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)].join('\n');
  const figures = engines.map(([engine, e]) => {
    const startup = median(e.startup.map((s) => s.readyMs));
    const open = { ours: median(e.sessionOpen.ours), ref: median(e.sessionOpen.hpkeJs) };
    const req = { ours: median(e.request1k.ours), ref: median(e.request1k.webCryptoAesGcm) };
    const share = median(e.signIns.map((s) => s.moduleMs / s.wallMs));
    return [`${engine} (${e.version})`, ms(startup), `${us(open.ours)} / ${us(open.ref)} = ${x(open.ours / open.ref)}`,
      `${us(req.ours)} / ${us(req.ref)} = ${x(req.ours / req.ref)}`,
      `${ms(median(e.signIns.map((s) => s.moduleMs)))} of ${ms(median(e.signIns.map((s) => s.wallMs)))} = ${pct(share)}`, e.isolated ? 'yes' : 'no',
      String(e.x25519Retries), String(e.engineFaults.length)];
  });
  const bytesOf = (v) => (v === null ? 'not given' : kib(v));
  const shell = engines.map(([engine, e]) => {
    const startup = median(e.startup.map((s) => s.fromNavigationMs));
    const ready = median(e.shell.map((s) => s.readyMs));
    const last = e.shell.at(-1);
    return [engine, `${ms(ready)}${e.shell.some((s) => s.upperBound) ? ' (≤, ready before first look)' : ''}`,
      ms(median(e.shell.map((s) => s.loadEventMs ?? NaN))), ms(startup), x(ready / startup), yes(ready / startup <= 1.3),
      String(last.requests), bytesOf(last.transferSize), bytesOf(last.encodedBodySize), bytesOf(last.decodedBodySize),
      `${last.zeroTransfer} of ${last.requests}`];
  });
  return `
## Engines

Figures 2, 3, 4 and 6 in each engine (PORTAL_ENGINES), through the test suites' engine driver
(\`tests/browser/engines.mjs\`): Chromium by playwright-core, Firefox by puppeteer-core over WebDriver
BiDi, WebKit (WebKitGTK MiniBrowser) by classic WebDriver. Every ratio divides two medians taken in
the same page of that engine. These pages are not cross-origin isolated (performance.now() at the
engine's coarser resolution), so Chromium's row differs a little from the tables above.

${table(['engine', '2. start-up', '3. session open: ours / hpke-js', '4. per request 1 KiB: ours / AES-GCM', '6. sign-in: module / wall', 'isolated', 'WebCrypto X25519 retries', 'wasm wrong answers re-run'], figures)}

"WebCrypto X25519 retries": session opens of the second hpke-js reference (figure 3b's, WebCrypto
X25519) run again after an OperationError from generateKey (time included); WebKitGTK 2.50 does
this now and then.

"wasm wrong answers re-run": work of the bench wasm module that came out wrong and was run once
more (bench/pages/channel.js): a per-request sample with a seal whose body does not decrypt (in JS,
with the transcript's key) to the request, an open whose text is not the envelope, or a trap (the
sample is timed again, on a fresh instance after a trap), a session open whose confirm fails (run
again at once, time included), the module's load (a fresh instance). Wrong twice in a row fails
the bench, and so does any in Chromium or Firefox; WebKitGTK 2.50 computes such wrong answers in a
freshly compiled module while its baseline JIT compiles in the background (README).

### Shell cold load

The shell measured: \`${relative(ROOT, SHELL)}/\`${relative(ROOT, SHELL) === SHELL_DIR ? ', what the emulator serves (\`web/shell/\` bundled by \`scripts/build-shell.mjs\`)' : ''}.
A fresh context (empty cache) per load, ${engines[0][1].shell.length} loads after a throwaway one (it fills the server's
compression cache): from navigation (performance.timeOrigin) to
\`document.documentElement.dataset.ready = 'true'\` (the shell's \`portal-shell:ready\` mark), the load event, and
the requests of the last load from the Resource Timing API (navigation + resource entries):
transferSize (bytes on the wire, headers included), encodedBodySize (body as sent),
decodedBodySize; "not given" where the engine leaves a field out, and the count of entries whose
transferSize is 0 (an engine that does not report it gives 0). Goal: ready within 1.3× the
module's own start-up in the same engine, both timed from navigation: "module from navigation"
is figure 2's page from its navigation to its ready client (its page and script, then figure 2's
import → ready).

${table(['engine', 'ready', 'load event', 'module from navigation', 'ready ÷ module', '≤ 1.3×?', 'requests', 'transferSize', 'encodedBodySize', 'decodedBodySize', 'transferSize 0'], shell)}
`;
}

ensureDisplay();
const results = await run();
const text = report(results);
if (OUT) {
  writeFileSync(OUT, text);
  log(`wrote ${relative(process.cwd(), OUT) || OUT}`);
} else {
  process.stdout.write(text);
}
exitWith(0);
